// BuildCallGraph: scan facts -> edge list -> CSR. See call_graph.h for the edge kinds.
#include "analysis/call_graph.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

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
      : h_(h), m_(h.model()), limit_(limits.max_call_graph_edges), instantiated_(instantiated) {
    clinit_sig_ = m_.FindSigId("<clinit>()V");
    object_cls_ = m_.FindClass("Ljava/lang/Object;");
  }

  bool full() const { return full_; }

  void Add(uint32_t caller, uint32_t target, uint32_t pc, uint8_t kind) {
    if (target == kNoId || caller == target) return;
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
      const uint32_t t = h_.ResolveUp(callee.cls, callee.sig);
      Add(f.caller, t == kNoId ? f.callee : t, f.dex_pc, static_cast<uint8_t>(EdgeKind::kInvoke));
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
    for (size_t steps = 0; c != kNoId && steps < 64; ++steps) {
      const ClassInfo& ci = m_.classes()[c];
      if (!ci.defined) break;
      if (c != own) {
        const uint32_t t = m_.FindMethod(c, clinit_sig_);
        if (t != kNoId && m_.methods()[t].defined) {
          Add(f.caller, t, f.dex_pc, static_cast<uint8_t>(EdgeKind::kClinit));
        }
      }
      c = ci.super;
    }
  }

  const std::vector<const FrameworkClass*>& Bases(uint32_t cls) {
    auto it = bases_.find(cls);
    if (it != bases_.end()) return it->second;
    return bases_.emplace(cls, h_.FrameworkBases(cls)).first->second;
  }

  // Edges from `caller` to the framework callbacks `sigs` of app class `cls`.
  void AddCallbacks(uint32_t caller, uint32_t cls, const std::vector<std::string>& sigs,
                    uint32_t pc, EdgeKind kind, bool user) {
    for (const std::string& s : sigs) {
      const uint32_t sig = m_.FindSigId(s);
      if (sig == kNoId) continue;
      const uint32_t t = h_.ResolveUp(cls, sig);
      if (t == kNoId) continue;
      Add(caller, t, pc, static_cast<uint8_t>(kind) | (user ? kUserEdge : 0));
    }
  }

  void AddInstantiation(const ClassUseFact& f) {
    if (!m_.classes()[f.cls].defined) return;
    for (const FrameworkClass* b : Bases(f.cls)) {
      if (!b->instantiate) continue;
      AddCallbacks(f.caller, f.cls, b->callbacks, f.dex_pc, EdgeKind::kLifecycle, b->user);
    }
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

  CallGraph Finish(Diagnostics* diags) {
    CallGraph g;
    const uint32_t n = static_cast<uint32_t>(m_.methods().size());
    std::sort(edges_.begin(), edges_.end(), [](const EdgeRec& a, const EdgeRec& b) {
      if (a.caller != b.caller) return a.caller < b.caller;
      if (a.target != b.target) return a.target < b.target;
      if (a.pc != b.pc) return a.pc < b.pc;
      return a.kind < b.kind;
    });
    g.offsets.assign(n + 1, 0);
    for (size_t i = 0; i < edges_.size(); ++i) {
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
  const std::vector<uint8_t>* instantiated_;
  bool full_ = false;
  uint32_t clinit_sig_ = kNoId;
  uint32_t object_cls_ = kNoId;
  std::vector<EdgeRec> edges_;
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
                         const std::vector<uint8_t>* instantiated, Diagnostics* diags) {
  Builder b(h, limits, instantiated);
  for (const InvokeFact& f : facts.invokes) {
    b.AddInvoke(f);
    if (b.full()) break;
  }
  // Classes each method allocates (for trigger fallbacks), grouped by caller.
  std::unordered_map<uint32_t, std::vector<uint32_t>> allocated;
  for (const ClassUseFact& f : facts.class_uses) {
    if (b.full()) break;
    b.AddClinit(f);
    if (f.how == ClassUse::kNewInstance) {
      b.AddInstantiation(f);
      if (h.model().classes()[f.cls].defined) allocated[f.caller].push_back(f.cls);
    }
  }
  static const std::vector<uint32_t> kNone;
  for (const TriggerFact& f : facts.triggers) {
    if (b.full()) break;
    auto it = allocated.find(f.caller);
    b.AddTrigger(f, it == allocated.end() ? kNone : it->second);
  }
  return b.Finish(diags);
}

}  // namespace piaudit::analysis
