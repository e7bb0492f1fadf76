// BuildCallGraph: scan facts -> edge list -> CSR. See call_graph.h for the edge kinds.
#include "analysis/call_graph.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "base/stop.h"

namespace piaudit::analysis {
namespace {

struct EdgeRec {
  uint32_t caller, target, pc;
  uint8_t kind;
};

EdgeKind RuleKind(const std::string& k) {
  if (k == "thread") return EdgeKind::kThread;
  if (k == "executor") return EdgeKind::kExecutor;
  if (k == "handler") return EdgeKind::kHandler;
  if (k == "asynctask") return EdgeKind::kAsyncTask;
  if (k == "timer") return EdgeKind::kTimer;
  return EdgeKind::kListener;
}

class Builder {
 public:
  Builder(const ClassHierarchy& h, const Limits& limits, const std::vector<uint8_t>* instantiated)
      : h_(h),
        m_(h.model()),
        limit_(limits.max_call_graph_edges),
        max_superclass_chain_(limits.max_superclass_chain),
        instantiated_(instantiated) {
    clinit_sig_ = m_.FindSigId("<clinit>()V");
    object_cls_ = m_.FindClass("Ljava/lang/Object;");
  }

  bool full() const { return full_; }

  void Add(uint32_t caller, uint32_t target, uint32_t pc, uint8_t kind) {
    if (target == kNoId || caller == target || caller >= m_.methods().size()) return;
    if (edges_.size() >= limit_) {
      full_ = true;
      return;
    }
    edges_.push_back({caller, target, pc, kind});
  }

  void AddInvoke(const InvokeFact& f) {
    const MethodInfo& callee = m_.methods()[f.callee];
    if (f.kind == InvokeKind::kPolymorphic) {
      Add(f.caller, f.callee, f.dex_pc, static_cast<uint8_t>(EdgeKind::kInvoke));
      return;
    }
    if (f.kind != InvokeKind::kVirtual && f.kind != InvokeKind::kInterface) {
      Add(f.caller, DirectTarget(f.callee), f.dex_pc, static_cast<uint8_t>(EdgeKind::kInvoke));
      return;
    }
    const std::vector<uint32_t>& targets = ChaTargets(f.callee);
    const uint8_t wide = m_.classes()[callee.cls].defined ? 0 : kWideEdge;
    for (size_t i = 0; i < targets.size(); ++i) {
      Add(f.caller, targets[i], f.dex_pc,
          i == 0 ? static_cast<uint8_t>(EdgeKind::kInvoke)
                 : static_cast<uint8_t>(static_cast<uint8_t>(EdgeKind::kCha) | wide));
    }
  }

  // The method a direct/static/super call to `callee` runs: resolved up the superclass chain once
  // per callee (an app calls the same methods from many sites), kept in a table by method id.
  uint32_t DirectTarget(uint32_t callee) {
    if (direct_.empty()) direct_.assign(m_.methods().size(), kUnresolved);
    if (callee >= direct_.size()) return callee;
    uint32_t& t = direct_[callee];
    if (t == kUnresolved) {
      const MethodInfo& mi = m_.methods()[callee];
      const uint32_t up = h_.ResolveUp(mi.cls, mi.sig);
      t = up == kNoId ? callee : up;
    }
    return t;
  }

  // targets[0] is the declared/resolved target; the rest are overrides below it.
  const std::vector<uint32_t>& ChaTargets(uint32_t callee) {
    auto it = cha_.find(callee);
    if (it != cha_.end()) return it->second;
    std::vector<uint32_t> out;
    const MethodInfo& mi = m_.methods()[callee];
    const uint32_t base = h_.ResolveUp(mi.cls, mi.sig);
    out.push_back(base == kNoId ? callee : base);
    if (mi.cls != object_cls_) {
      h_.Subtree(mi.cls, &subtree_);
      for (size_t i = 1; i < subtree_.size(); ++i) {
        const uint32_t c = subtree_[i];
        const ClassInfo& ci = m_.classes()[c];
        if (!ci.defined) continue;
        if (instantiated_ != nullptr && (c >= instantiated_->size() || !(*instantiated_)[c])) {
          continue;
        }
        uint32_t t = m_.FindMethod(c, mi.sig);
        if (t == kNoId || !m_.methods()[t].defined) {
          if (ci.access_flags & (dex::kAccAbstract | dex::kAccInterface)) continue;
          t = h_.ResolveUp(c, mi.sig);  // inherited from an app superclass outside the subtree
        }
        if (t == kNoId || (m_.methods()[t].access_flags & dex::kAccAbstract)) continue;
        if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
      }
    }
    return cha_.emplace(callee, std::move(out)).first->second;
  }

  void AddClinit(const ClassUseFact& f) {
    if (clinit_sig_ == kNoId) return;
    uint32_t c = f.cls;
    const uint32_t own = m_.methods()[f.caller].cls;
    for (size_t steps = 0; c != kNoId && steps < max_superclass_chain_; ++steps) {
      const ClassInfo& ci = m_.classes()[c];
      if (!ci.defined) break;
      if (c != own) {
        const uint32_t t = ClinitOf(c);
        if (t != kNoId) Add(f.caller, t, f.dex_pc, static_cast<uint8_t>(EdgeKind::kClinit));
      }
      c = ci.super;
    }
  }

  // The static initialiser an app class defines, or kNoId; memoised by class id, since every use
  // of a class (new, static call, static field) walks its superclass chain.
  uint32_t ClinitOf(uint32_t cls) {
    if (clinit_.empty()) clinit_.assign(m_.classes().size(), kUnresolved);
    if (cls >= clinit_.size()) return kNoId;
    uint32_t& t = clinit_[cls];
    if (t == kUnresolved) {
      const uint32_t found = m_.FindMethod(cls, clinit_sig_);
      t = found != kNoId && m_.methods()[found].defined ? found : kNoId;
    }
    return t;
  }

  const std::vector<const FrameworkClass*>& Bases(uint32_t cls) {
    auto it = bases_.find(cls);
    if (it != bases_.end()) return it->second;
    return bases_.emplace(cls, h_.FrameworkBases(cls)).first->second;
  }

  // The framework callbacks `sigs` of app class `cls` as (target, edge kind) pairs.
  using Callbacks = std::vector<std::pair<uint32_t, uint8_t>>;
  void CallbackTargets(uint32_t cls, const std::vector<std::string>& sigs, EdgeKind kind, bool user,
                       Callbacks* out) {
    for (const std::string& s : sigs) {
      const uint32_t sig = m_.FindSigId(s);
      if (sig == kNoId) continue;
      const uint32_t t = h_.ResolveUp(cls, sig);
      if (t == kNoId) continue;
      out->emplace_back(t, static_cast<uint8_t>(kind) | (user ? kUserEdge : 0));
    }
  }

  // Edges from `caller` to the framework callbacks `sigs` of app class `cls`.
  void AddCallbacks(uint32_t caller, uint32_t cls, const std::vector<std::string>& sigs,
                    uint32_t pc, EdgeKind kind, bool user) {
    Callbacks targets;
    CallbackTargets(cls, sigs, kind, user, &targets);
    for (const auto& [t, k] : targets) Add(caller, t, pc, k);
  }

  // Lifecycle edges of instantiating `f.cls`; the callbacks are resolved once per class.
  void AddInstantiation(const ClassUseFact& f) {
    if (!m_.classes()[f.cls].defined) return;
    auto [it, fresh] = lifecycle_.try_emplace(f.cls);
    if (fresh) {
      for (const FrameworkClass* b : Bases(f.cls)) {
        if (!b->instantiate) continue;
        CallbackTargets(f.cls, b->callbacks, EdgeKind::kLifecycle, b->user, &it->second);
      }
    }
    for (const auto& [t, k] : it->second) Add(f.caller, t, f.dex_pc, k);
  }

  void AddTrigger(const TriggerFact& f, const std::vector<uint32_t>& allocated) {
    std::vector<const ImplicitRule*> rules;
    for (const std::string& n : FrameworkNamesOf(h_, f.callee)) {
      if (const auto* rs = h_.framework().RulesFor(n)) {
        for (const ImplicitRule* r : *rs) {
          if (std::find(rules.begin(), rules.end(), r) == rules.end()) rules.push_back(r);
        }
      }
    }
    if (rules.empty()) return;
    std::vector<uint32_t> candidates = f.arg_classes;
    if (f.receiver_cls != kNoId) candidates.push_back(f.receiver_cls);
    const uint32_t ref_cls = m_.methods()[f.callee].cls;
    if (m_.classes()[ref_cls].defined) candidates.push_back(ref_cls);
    bool any_app = false;
    for (uint32_t c : candidates) any_app = any_app || m_.classes()[c].defined;
    if (!any_app) {
      // Objects passed through fields or parameters: fall back to what this method allocates
      // and to the calling class itself (this.start(), handler.post(this)).
      candidates = allocated;
      candidates.push_back(m_.methods()[f.caller].cls);
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    for (uint32_t c : candidates) {
      if (c == kNoId || !m_.classes()[c].defined) continue;
      for (const ImplicitRule* r : rules) {
        bool matches = false;
        for (const std::string& b : r->bases) matches = matches || h_.IsSubtypeOf(c, b);
        if (matches) AddCallbacks(f.caller, c, r->callbacks, f.dex_pc, RuleKind(r->kind), r->user);
      }
    }
  }

  // Orders the edges by (caller, target, pc, kind): a counting sort on the caller (every method
  // id is below n), then a comparison sort inside each caller's few edges. A comparison sort of
  // the whole list was a tenth of the call-graph time on large apps.
  void SortEdges(uint32_t n) {
    auto rest = [](const EdgeRec& a, const EdgeRec& b) {
      if (a.target != b.target) return a.target < b.target;
      if (a.pc != b.pc) return a.pc < b.pc;
      return a.kind < b.kind;
    };
    std::vector<uint32_t> start(static_cast<size_t>(n) + 1, 0);
    for (const EdgeRec& e : edges_) ++start[e.caller + 1];  // Add() keeps callers below n
    for (uint32_t i = 0; i < n; ++i) start[i + 1] += start[i];
    std::vector<EdgeRec> sorted(edges_.size());
    std::vector<uint32_t> next(start.begin(), start.end() - 1);
    for (const EdgeRec& e : edges_) sorted[next[e.caller]++] = e;
    for (uint32_t c = 0; c < n; ++c) {
      if (start[c + 1] - start[c] > 1) {
        std::sort(sorted.begin() + start[c], sorted.begin() + start[c + 1], rest);
      }
    }
    edges_.swap(sorted);
  }

  // An empty graph when `stop` fires (the caller discards it).
  CallGraph Finish(Diagnostics* diags, const StopCondition* stop) {
    CallGraph g;
    const uint32_t n = static_cast<uint32_t>(m_.methods().size());
    SortEdges(n);
    if (ShouldStop(stop)) return CallGraph();
    g.offsets.assign(n + 1, 0);
    g.targets.reserve(edges_.size());
    g.pcs.reserve(edges_.size());
    g.kinds.reserve(edges_.size());
    for (size_t i = 0; i < edges_.size(); ++i) {
      if (i % (1u << 20) == 0 && ShouldStop(stop)) return CallGraph();
      const EdgeRec& e = edges_[i];
      if (i > 0 && edges_[i - 1].caller == e.caller && edges_[i - 1].target == e.target) continue;
      g.targets.push_back(e.target);
      g.pcs.push_back(e.pc);
      g.kinds.push_back(e.kind);
      ++g.offsets[e.caller + 1];
      CallGraphStats& s = g.stats;
      switch (CallGraph::Kind(e.kind)) {
        case EdgeKind::kInvoke:
          ++s.invoke_edges;
          break;
        case EdgeKind::kCha:
          ++s.cha_edges;
          break;
        case EdgeKind::kLifecycle:
          ++s.lifecycle_edges;
          break;
        case EdgeKind::kClinit:
          ++s.clinit_edges;
          break;
        default:
          ++s.implicit_edges;
          break;
      }
    }
    for (uint32_t i = 0; i < n; ++i) g.offsets[i + 1] += g.offsets[i];
    g.stats.edges = g.targets.size();
    g.stats.methods = n;
    g.stats.classes = static_cast<uint32_t>(m_.classes().size());
    for (const ClassInfo& c : m_.classes()) g.stats.app_classes += c.defined ? 1 : 0;
    for (const MethodInfo& mi : m_.methods()) g.stats.app_methods += mi.defined ? 1 : 0;
    g.stats.partial = full_;
    if (full_ && diags != nullptr) {
      diags->Add(Severity::kWarning, "analysis.call_graph_limit", "", "call graph", 0,
                 "call graph reached max_call_graph_edges " + std::to_string(limit_) +
                     "; reachability and chains are partial");
    }
    edges_.clear();
    edges_.shrink_to_fit();
    return g;
  }

 private:
  const ClassHierarchy& h_;
  const CodeModel& m_;
  uint64_t limit_;
  uint32_t max_superclass_chain_;
  const std::vector<uint8_t>* instantiated_;
  bool full_ = false;
  uint32_t clinit_sig_ = kNoId;
  uint32_t object_cls_ = kNoId;
  std::vector<EdgeRec> edges_;
  static constexpr uint32_t kUnresolved = kNoId - 1;
  std::vector<uint32_t> direct_;                       // DirectTarget memo, by method id
  std::vector<uint32_t> clinit_;                       // ClinitOf memo, by class id
  std::unordered_map<uint32_t, Callbacks> lifecycle_;  // AddInstantiation memo, by class id
  std::unordered_map<uint32_t, std::vector<uint32_t>> cha_;
  std::unordered_map<uint32_t, std::vector<const FrameworkClass*>> bases_;
  std::vector<uint32_t> subtree_;
};

}  // namespace

std::string_view EdgeKindName(EdgeKind k) {
  switch (k) {
    case EdgeKind::kInvoke:
      return "invoke";
    case EdgeKind::kCha:
      return "cha";
    case EdgeKind::kThread:
      return "thread";
    case EdgeKind::kExecutor:
      return "executor";
    case EdgeKind::kHandler:
      return "handler";
    case EdgeKind::kAsyncTask:
      return "asynctask";
    case EdgeKind::kTimer:
      return "timer";
    case EdgeKind::kListener:
      return "listener";
    case EdgeKind::kLifecycle:
      return "lifecycle";
    case EdgeKind::kClinit:
      return "clinit";
  }
  return "?";
}

CallGraph BuildCallGraph(const ClassHierarchy& h, const ScanFacts& facts, const Limits& limits,
                         const std::vector<uint8_t>* instantiated, Diagnostics* diags,
                         const StopCondition* stop) {
  Builder b(h, limits, instantiated);
  // Facts between two stop checks: a few hundred microseconds of CHA lookups.
  constexpr size_t kFactsPerStopCheck = 1024;
  for (size_t i = 0; i < facts.invokes.size(); ++i) {
    if (i % kFactsPerStopCheck == 0 && ShouldStop(stop)) return CallGraph();
    b.AddInvoke(facts.invokes[i]);
    if (b.full()) break;
  }
  // Classes each method allocates (for trigger fallbacks), grouped by caller.
  std::unordered_map<uint32_t, std::vector<uint32_t>> allocated;
  for (size_t i = 0; i < facts.class_uses.size(); ++i) {
    if (b.full()) break;
    if (i % kFactsPerStopCheck == 0 && ShouldStop(stop)) return CallGraph();
    const ClassUseFact& f = facts.class_uses[i];
    b.AddClinit(f);
    if (f.how == ClassUse::kNewInstance) {
      b.AddInstantiation(f);
      if (h.model().classes()[f.cls].defined) allocated[f.caller].push_back(f.cls);
    }
  }
  static const std::vector<uint32_t> kNone;
  for (const TriggerFact& f : facts.triggers) {
    if (b.full()) break;
    if (ShouldStop(stop)) return CallGraph();
    auto it = allocated.find(f.caller);
    b.AddTrigger(f, it == allocated.end() ? kNone : it->second);
  }
  if (ShouldStop(stop)) return CallGraph();
  return b.Finish(diags, stop);
}

}  // namespace piaudit::analysis
