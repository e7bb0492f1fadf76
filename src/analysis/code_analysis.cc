// AnalyzeCode: model -> scan -> call graph -> entry points -> consent gate -> verdicts. The stop
// condition is checked after every phase (each phase also checks it in its loops and then returns
// something incomplete, which is discarded here); diagnostics are collected locally and handed to
// the caller only when the analysis completes, so a stopped scan leaves nothing behind.
#include "analysis/code_analysis.h"

#include <algorithm>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "analysis/android_framework.h"
#include "analysis/call_graph.h"
#include "analysis/class_hierarchy.h"
#include "analysis/code_model.h"
#include "analysis/consent_gate.h"
#include "analysis/entry_points.h"
#include "analysis/method_scan.h"
#include "analysis/reachability.h"
#include "analysis/sensitive_calls.h"
#include "android/manifest.h"
#include "base/concurrency.h"
#include "base/stop.h"
#include "knowledge/knowledge_base.h"

namespace piaudit::analysis {
namespace {

// Defined methods per scan unit: ~100k instructions, so two threads stay balanced.
constexpr size_t kMethodsPerScanUnit = 4096;

template <typename T>
void Append(std::vector<T>* to, std::vector<T>* from) {
  to->insert(to->end(), std::make_move_iterator(from->begin()),
             std::make_move_iterator(from->end()));
  from->clear();
}

std::string Joined(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

// Queries of a URI kept in an app field take the content:// constants written to that field
// anywhere in the app; for a field never given one directly, the listed URIs its class holds
// (the field is built there, through a helper or a string field); else an unknown provider.
void ResolveUriFieldQueries(const ApiCatalog& apis, ScanFacts* facts) {
  if (facts->uri_field_queries.empty()) return;
  std::unordered_map<std::string, std::vector<uint32_t>> field_uris;  // field -> URI indices
  for (const UriFieldWriteFact& w : facts->uri_field_writes) {
    std::vector<uint32_t>& list = field_uris[w.field];
    const CatalogUri* u = apis.MatchUri(w.uri);
    const uint32_t idx = u == nullptr ? kNoId : static_cast<uint32_t>(u - apis.uris().data());
    if (std::find(list.begin(), list.end(), idx) == list.end()) list.push_back(idx);
  }
  std::unordered_map<std::string, std::vector<uint32_t>> class_uris;  // class -> URI indices
  for (const ClassUriFact& c : facts->class_uris) {
    std::vector<uint32_t>& list = class_uris[c.cls];
    if (std::find(list.begin(), list.end(), c.uri) == list.end()) list.push_back(c.uri);
  }
  for (const UriFieldQueryFact& q : facts->uri_field_queries) {
    bool matched = false;
    if (auto it = field_uris.find(q.field); it != field_uris.end()) {
      for (uint32_t idx : it->second) {
        if (idx == kNoId) continue;
        matched = true;
        facts->api_hits.push_back({q.caller, idx, q.dex_pc, MatchKind::kContentUri, q.file_offset});
      }
    } else if (auto c = class_uris.find(q.field.substr(0, q.field.find("->")));
               c != class_uris.end()) {
      // No constant is stored in the field directly: the listed URIs its own class holds.
      for (uint32_t idx : c->second) {
        matched = true;
        facts->api_hits.push_back({q.caller, idx, q.dex_pc, MatchKind::kContentUri, q.file_offset});
      }
    }
    if (!matched) {
      facts->api_hits.push_back(
          {q.caller, q.api, q.dex_pc, MatchKind::kInvoke, q.file_offset, Lead::kUnknownProvider});
    }
  }
}

// Whether a hit shows PI. It does not when it is a content query on an unknown provider (a
// uri_arg entry left without a URI), or when the API or URI is permission-guarded and the app
// declares none of those permissions (then *missing names them): Android returns nothing to such
// an app (TwilightManager's getLastKnownLocation in an app without a location permission).
bool ShowsPi(const ApiCatalog& apis, const ApiHitFact& hit, const AppComponents& components,
             std::string* missing) {
  if (hit.lead != Lead::kNone) return false;
  const std::vector<std::string>* permissions = nullptr;
  if (hit.match == MatchKind::kContentUri) {
    permissions = &apis.uris()[hit.api].guards;
  } else {
    const CatalogApi& a = apis.api(hit.api);
    if (a.pi.empty()) return false;
    permissions = &a.guards;
  }
  if (!components.permissions || permissions->empty()) return true;
  for (const std::string& p : *permissions) {
    const std::vector<std::string>& held = *components.permissions;
    if (std::find(held.begin(), held.end(), p) != held.end()) return true;
  }
  *missing = Joined(*permissions, " or ");
  return false;
}

}  // namespace

std::string_view ComponentTypeName(ComponentType type) {
  switch (type) {
    case ComponentType::kActivity:
      return "activity";
    case ComponentType::kService:
      return "service";
    case ComponentType::kReceiver:
      return "receiver";
    case ComponentType::kProvider:
      return "provider";
  }
  return "?";
}

std::string_view BeforeConsentName(BeforeConsent b) {
  switch (b) {
    case BeforeConsent::kLikely:
      return "likely";
    case BeforeConsent::kNo:
      return "no";
    case BeforeConsent::kUnknown:
      return "unknown";
  }
  return "?";
}

std::string_view MatchKindName(MatchKind k) {
  switch (k) {
    case MatchKind::kInvoke:
      return "invoke";
    case MatchKind::kFieldRead:
      return "field_read";
    case MatchKind::kConstArg:
      return "const_arg";
    case MatchKind::kContentUri:
      return "content_uri";
    case MatchKind::kReflection:
      return "reflection";
  }
  return "?";
}

AppComponents ComponentsFromManifest(const android::Manifest& manifest) {
  AppComponents c;
  c.package = manifest.package;
  c.application_class = manifest.application.class_name;
  c.launcher_activity = manifest.launcher_activity;
  std::vector<std::string>& permissions = c.permissions.emplace();
  for (const android::UsesPermission& p : manifest.uses_permissions) permissions.push_back(p.name);
  for (const android::ImpliedPermission& p : manifest.implied_permissions) {
    permissions.push_back(p.name);
  }
  for (const android::Component& comp : manifest.components) {
    AppComponent a;
    a.name = comp.name;
    a.enabled = comp.enabled;
    switch (comp.kind) {
      case android::ComponentKind::kActivity:
        a.type = ComponentType::kActivity;
        break;
      case android::ComponentKind::kActivityAlias:
        // An alias runs its target activity's code.
        a.type = ComponentType::kActivity;
        if (!comp.target_activity.empty()) a.name = comp.target_activity;
        if (comp.name == c.launcher_activity) c.launcher_activity = a.name;
        break;
      case android::ComponentKind::kService:
        a.type = ComponentType::kService;
        break;
      case android::ComponentKind::kReceiver:
        a.type = ComponentType::kReceiver;
        break;
      case android::ComponentKind::kProvider:
        a.type = ComponentType::kProvider;
        a.init_order = comp.init_order;
        break;
    }
    c.components.push_back(std::move(a));
  }
  return c;
}

Result<CodeAnalysis> AnalyzeCode(const std::vector<DexInput>& dex_files,
                                 const AppComponents& components, const ResourceStrings& resources,
                                 const knowledge::KnowledgeBase& kb, const Limits& limits,
                                 const AnalysisOptions& options, Diagnostics* diags) {
  return AnalyzeCode(dex_files, components, resources, kb, ApiCatalog::FromKnowledge(kb), limits,
                     options, diags);
}

Result<CodeAnalysis> AnalyzeCode(const std::vector<DexInput>& dex_files,
                                 const AppComponents& components, const ResourceStrings& resources,
                                 const knowledge::KnowledgeBase& kb, const ApiCatalog& apis,
                                 const Limits& limits, const AnalysisOptions& options,
                                 Diagnostics* caller_diags) {
  const StopCondition* stop = options.stop;
  if (ShouldStop(stop)) return stop->StopStatus("code analysis: start");
  const AndroidFramework& framework = kb.android_framework();
  const ConsentText consent(kb.consent_words());
  const uint32_t threads = std::max<uint32_t>(1, options.threads);
  // A caller without an executor (a one-off command, a test) gets what AnalyzeCode always did: up
  // to `threads` threads, started here and joined before it returns. There is deliberately no
  // process-wide default pool (global mutable state shared by unrelated scans); a batch passes its
  // own.
  std::optional<ThreadPool> own_pool;
  Executor& executor =
      options.executor != nullptr ? *options.executor : own_pool.emplace(threads - 1);
  Diagnostics local_diags(limits.max_diagnostics);
  Diagnostics* diags = caller_diags != nullptr ? &local_diags : nullptr;
  ASSIGN_OR_RETURN(CodeModel model,
                   BuildCodeModel(dex_files, limits, executor, threads, stop, diags));
  const ClassHierarchy hierarchy(model, framework);
  const ScanTables tables = BuildScanTables(hierarchy, apis, executor, threads, stop);
  if (ShouldStop(stop)) return stop->StopStatus("code analysis: scan tables");
  const std::unordered_set<uint32_t> literals = InterestingResourceIds(resources, consent);

  // Scan every winning method, in units over (dex, method range).
  struct ScanUnit {
    uint32_t dex = 0;
    size_t first = 0, end = 0;
    ScanFacts facts;
  };
  std::vector<ScanUnit> units;
  for (uint32_t d = 0; d < model.dex().size(); ++d) {
    const size_t n = model.dex()[d].defined_methods.size();
    for (size_t first = 0; first < n; first += kMethodsPerScanUnit) {
      ScanUnit u;
      u.dex = d;
      u.first = first;
      u.end = std::min(n, first + kMethodsPerScanUnit);
      units.push_back(std::move(u));
    }
  }
  ScanInput in{&hierarchy, &apis, &tables, &literals, stop, &consent, components.package};
  piaudit::RunUnits(executor, units.size(), threads, [&](size_t u) {
    ScanMethods(in, units[u].dex, units[u].first, units[u].end, &units[u].facts);
  });
  if (ShouldStop(stop)) return stop->StopStatus("code analysis: method scan");
  CodeAnalysis result;
  result.dex = model.counts();
  ScanFacts facts;
  for (ScanUnit& u : units) {
    DexCounts& c = result.dex[u.dex];
    c.instructions += u.facts.instructions;
    c.code_items += u.facts.code_items;
    c.errors += u.facts.errors;
    if (diags != nullptr) {
      for (const Diagnostic& dg : u.facts.diags.items()) diags->Add(dg);
    }
    Append(&facts.invokes, &u.facts.invokes);
    Append(&facts.class_uses, &u.facts.class_uses);
    Append(&facts.triggers, &u.facts.triggers);
    Append(&facts.api_hits, &u.facts.api_hits);
    Append(&facts.uri_field_writes, &u.facts.uri_field_writes);
    Append(&facts.uri_field_queries, &u.facts.uri_field_queries);
    Append(&facts.class_uris, &u.facts.class_uris);
    Append(&facts.texts, &u.facts.texts);
    Append(&facts.literals, &u.facts.literals);
    Append(&facts.flag_writes, &u.facts.flag_writes);
    Append(&facts.flag_reads, &u.facts.flag_reads);
    Append(&facts.buttons, &u.facts.buttons);
  }
  for (const DexCounts& c : result.dex) {
    if (c.errors > 0) {
      result.partial = true;
      result.partial_reasons.push_back(c.name + ": " + std::to_string(c.errors) +
                                       " classes or methods could not be read");
    }
  }

  // Classes the app creates: allocated in code, or created by the framework from the manifest.
  std::vector<uint8_t> instantiated(model.classes().size(), 0);
  for (const ClassUseFact& u : facts.class_uses) {
    if (u.how == ClassUse::kNewInstance) instantiated[u.cls] = 1;
  }
  auto mark = [&](const std::string& dot_name) {
    const uint32_t cls = model.FindClass(DescriptorOf(dot_name));
    if (cls != kNoId) instantiated[cls] = 1;
  };
  if (!components.application_class.empty()) mark(components.application_class);
  for (const AppComponent& c : components.components) mark(c.name);
  const CallGraph graph = BuildCallGraph(
      hierarchy, facts, limits, options.rapid_type_analysis ? &instantiated : nullptr, diags, stop);
  if (ShouldStop(stop)) return stop->StopStatus("code analysis: call graph");
  result.call_graph = graph.stats;
  if (graph.stats.partial) {
    result.partial = true;
    result.partial_reasons.push_back("call graph reached max_call_graph_edges");
  }

  const EntrySet entries =
      FindEntryPoints(hierarchy, components, options.launcher_is_startup, diags);
  result.entry_points = entries.described;
  for (uint32_t mth : entries.startup) result.startup_methods.push_back(model.MethodName(mth));

  if (ShouldStop(stop)) return stop->StopStatus("code analysis: entry points");

  GateAnalysis gate = FindConsentGate(hierarchy, graph, facts, resources, consent,
                                      limits.max_consent_handlers, stop);
  if (ShouldStop(stop)) return stop->StopStatus("code analysis: consent gate");
  if (gate.handlers_not_searched > 0) {
    // A gate the search did not reach would make gated calls look ungated: say the code is only
    // partly known rather than judge on it.
    result.partial = true;
    result.partial_reasons.push_back(
        "consent gate: " + std::to_string(gate.handlers_not_searched) +
        " candidate agree handlers beyond max_consent_handlers not searched");
  }
  result.consent_gate = gate.report;

  // Start-up reachability four ways: with / without the consent gates, and with / without the
  // wide CHA edges (framework-declared virtual calls), so a "likely" verdict never rests on them.
  BfsOptions startup_opts;
  startup_opts.follow_user_edges = false;
  startup_opts.max_depth = limits.max_chain_length;
  startup_opts.stop = stop;
  const Reach startup = Bfs(graph, entries.startup, startup_opts);
  BfsOptions gated_opts = startup_opts;
  gated_opts.gates = &gate.gates;
  const Reach ungated = Bfs(graph, entries.startup, gated_opts);
  BfsOptions strict_opts = startup_opts;
  strict_opts.follow_wide_edges = false;
  const Reach startup_strict = Bfs(graph, entries.startup, strict_opts);
  strict_opts.gates = &gate.gates;
  const Reach ungated_strict = Bfs(graph, entries.startup, strict_opts);
  BfsOptions all_opts;
  all_opts.max_depth = limits.max_chain_length;
  all_opts.stop = stop;
  const Reach all = Bfs(graph, entries.all, all_opts);
  BfsOptions all_strict_opts = all_opts;
  all_strict_opts.follow_wide_edges = false;
  const Reach all_strict = Bfs(graph, entries.all, all_strict_opts);
  const Reach after_agree = Bfs(graph, gate.agree_handlers, all_opts);
  // The launcher activity's first screen: no user edges, gates respected; with and without the
  // wide edges, as for start-up.
  const Reach launcher = Bfs(graph, entries.launcher_start, gated_opts);
  const Reach launcher_strict = Bfs(graph, entries.launcher_start, strict_opts);
  // Bfs marks what a stop cut short; the sticky condition says the same for all seven walks.
  if (ShouldStop(stop)) return stop->StopStatus("code analysis: reachability");
  result.startup_reachable_methods = startup.count;
  result.reachable_methods = all.count;
  if (startup.depth_cut || all.depth_cut) {
    result.partial = true;
    result.partial_reasons.push_back("some chains are longer than max_chain_length " +
                                     std::to_string(limits.max_chain_length));
  }

  ResolveUriFieldQueries(apis, &facts);
  // Sensitive call sites, in dex order, then caller, then dex_pc; duplicates removed.
  std::sort(facts.api_hits.begin(), facts.api_hits.end(),
            [&](const ApiHitFact& a, const ApiHitFact& b) {
              const auto ka = std::make_tuple(model.methods()[a.caller].dex, a.caller, a.dex_pc,
                                              static_cast<int>(a.match), a.api);
              const auto kb = std::make_tuple(model.methods()[b.caller].dex, b.caller, b.dex_pc,
                                              static_cast<int>(b.match), b.api);
              return ka < kb;
            });
  facts.api_hits.erase(std::unique(facts.api_hits.begin(), facts.api_hits.end(),
                                   [](const ApiHitFact& a, const ApiHitFact& b) {
                                     return a.caller == b.caller && a.dex_pc == b.dex_pc &&
                                            a.match == b.match && a.api == b.api;
                                   }),
                       facts.api_hits.end());
  // One instruction is one read: entries that match the same call site with the same PI types
  // (the overloads a reflective getMethod name matches, SystemProperties.get with and without a
  // default) are reported once.
  auto pi_of = [&](const ApiHitFact& h) -> const std::vector<std::string>& {
    return h.match == MatchKind::kContentUri ? apis.uris()[h.api].pi : apis.api(h.api).pi;
  };
  {
    std::vector<ApiHitFact> kept;
    kept.reserve(facts.api_hits.size());
    size_t site = 0;  // first hit of the current (caller, dex_pc) in `kept`
    for (const ApiHitFact& h : facts.api_hits) {
      if (kept.empty() || kept[site].caller != h.caller || kept[site].dex_pc != h.dex_pc) {
        site = kept.size();
      } else if (std::any_of(kept.begin() + site, kept.end(), [&](const ApiHitFact& k) {
                   return !pi_of(h).empty() && pi_of(k) == pi_of(h);
                 })) {
        continue;
      }
      kept.push_back(h);
    }
    facts.api_hits = std::move(kept);
  }
  // Calls that show PI first, so leads without PI never push one out of the report's limit; the
  // report keeps the order above (`order` holds each call's place in it).
  std::vector<std::string> missing_permissions(facts.api_hits.size());
  std::vector<uint8_t> lead(facts.api_hits.size(), 0);
  for (size_t i = 0; i < facts.api_hits.size(); ++i) {
    lead[i] = !ShowsPi(apis, facts.api_hits[i], components, &missing_permissions[i]);
  }
  std::vector<size_t> visit(facts.api_hits.size());
  for (size_t i = 0; i < visit.size(); ++i) visit[i] = i;
  std::stable_partition(visit.begin(), visit.end(), [&](size_t i) { return lead[i] == 0; });
  std::vector<size_t> order;
  const bool have_gate = !gate.gates.empty();
  for (size_t index : visit) {
    const ApiHitFact& hit = facts.api_hits[index];
    if (ShouldStop(stop)) return stop->StopStatus("code analysis: verdicts");
    if (result.sensitive_calls.size() >= limits.max_reported_call_sites) {
      result.sensitive_calls_truncated = true;
      if (diags != nullptr) {
        diags->Add(Severity::kWarning, "analysis.call_sites_limit", "", "sensitive calls", 0,
                   "more than max_reported_call_sites " +
                       std::to_string(limits.max_reported_call_sites) + " sensitive call sites");
      }
      break;
    }
    SensitiveCall s;
    s.match = hit.match;
    if (hit.match == MatchKind::kContentUri) {
      const CatalogUri& u = apis.uris()[hit.api];
      s.api = u.uri;
      s.pi = u.pi;
      s.permissions = u.permissions;
    } else {
      const CatalogApi& a = apis.api(hit.api);
      s.api = a.descriptor;
      s.pi = a.pi;
      s.permissions = a.permissions;
      s.term = a.term;
    }
    const MethodInfo& caller = model.methods()[hit.caller];
    s.dex_file = result.dex[caller.dex].name;
    s.caller = model.MethodName(hit.caller);
    s.caller_class = model.ClassName(caller.cls);
    s.dex_pc = hit.dex_pc;
    s.file_offset = hit.file_offset;
    s.reachable = all.Reached(hit.caller);
    s.startup_reachable = startup.Reached(hit.caller);
    // A call placed after the flag check inside a gate method is itself gated.
    auto gate_it = gate.gates.find(hit.caller);
    const bool gated_here = gate_it != gate.gates.end() && hit.dex_pc > gate_it->second;
    if (ungated_strict.Reached(hit.caller) && !gated_here) {
      s.before_consent = BeforeConsent::kLikely;
      s.chain = ChainTo(ungated_strict, model, hit.caller);
      if (have_gate) {
        s.reason = "a start-up path reaches it without passing the check of consent flag '" +
                   gate.report.flag_key + "'";
      } else if (!gate.report.flag_key.empty()) {
        s.reason = "reached from start-up code; consent flag '" + gate.report.flag_key +
                   "' is stored but no start-up code branches on it";
      } else {
        s.reason = "reached from start-up code and no consent check was found";
      }
    } else if (startup_strict.Reached(hit.caller)) {
      s.before_consent = BeforeConsent::kNo;
      s.chain = ChainTo(startup_strict, model, hit.caller);
      s.reason = gated_here ? "the call follows the check of consent flag '" +
                                  gate.report.flag_key + "' in the same method"
                            : "every start-up path passes the check of consent flag '" +
                                  gate.report.flag_key + "'";
    } else if (ungated.Reached(hit.caller) && !gated_here) {
      s.chain = ChainTo(ungated, model, hit.caller);
      s.reason =
          "start-up paths reach it only through virtual calls on framework types resolved "
          "by class hierarchy (every app implementor assumed); possible, not shown";
    } else if (s.startup_reachable) {
      s.before_consent = BeforeConsent::kNo;
      s.chain = ChainTo(startup, model, hit.caller);
      s.reason =
          "every start-up path passes the check of consent flag '" + gate.report.flag_key + "'";
    } else if (after_agree.Reached(hit.caller)) {
      s.before_consent = BeforeConsent::kNo;
      s.chain = ChainTo(all_strict.Reached(hit.caller) ? all_strict
                        : all.Reached(hit.caller)      ? all
                                                       : after_agree,
                        model, hit.caller);
      s.reason = "reached only after the privacy dialog's agree handler";
    } else if (launcher_strict.Reached(hit.caller) && !gated_here) {
      // The first screen runs before anything the user can agree to, unless a gate guards it.
      s.launcher_reachable = true;
      s.chain = ChainTo(launcher_strict, model, hit.caller);
      if (have_gate) {
        s.reason =
            "reached from the launcher activity (first screen) without passing the check "
            "of consent flag '" +
            gate.report.flag_key + "'; depends on when its dialog shows";
      } else {
        s.before_consent = BeforeConsent::kLikely;
        s.reason = gate.report.flag_key.empty()
                       ? "reached from the launcher activity (first screen) and no consent "
                         "check was found"
                       : "reached from the launcher activity (first screen); consent flag '" +
                             gate.report.flag_key + "' is stored but nothing branches on it";
      }
    } else if (launcher.Reached(hit.caller) && !gated_here) {
      s.launcher_reachable = true;
      s.chain = ChainTo(launcher, model, hit.caller);
      s.reason =
          "the launcher activity (first screen) reaches it only through virtual calls on "
          "framework types resolved by class hierarchy (every app implementor assumed); "
          "possible, not shown";
    } else if (s.reachable) {
      s.chain = ChainTo(all_strict.Reached(hit.caller) ? all_strict : all, model, hit.caller);
      s.reason = "reached only from components that run later (activities, services, receivers)";
    } else {
      s.reason =
          "not reachable in the call graph (reflection, dead code, or a callback not "
          "modelled)";
    }
    s.fan_out = std::any_of(s.chain.begin(), s.chain.end(),
                            [](const ChainStep& step) { return step.wide; });
    if (lead[index]) {
      std::string why;
      if (hit.lead == Lead::kUnknownPackage) {
        why =
            "no PI: unknown package (the code does not show which app it asks about, and "
            "names no other app's package)";
      } else if (!missing_permissions[index].empty()) {
        why = "no PI: it returns " + Joined(s.pi) + " only to an app holding " +
              missing_permissions[index] + ", which the manifest does not declare";
      } else {
        why =
            "no PI: unknown provider (the content URI is not one the knowledge base lists as "
            "personal information, or the code does not show which it is)";
      }
      s.reason = why + "; " + s.reason;
      s.pi.clear();
    }
    result.sensitive_calls.push_back(std::move(s));
    order.push_back(index);
  }
  {
    // Back to the order of the hits (leads were visited last).
    std::vector<size_t> place(order.size());
    for (size_t i = 0; i < place.size(); ++i) place[i] = i;
    std::sort(place.begin(), place.end(), [&](size_t a, size_t b) { return order[a] < order[b]; });
    std::vector<SensitiveCall> sorted;
    sorted.reserve(place.size());
    for (size_t i : place) sorted.push_back(std::move(result.sensitive_calls[i]));
    result.sensitive_calls = std::move(sorted);
  }
  if (caller_diags != nullptr) caller_diags->Merge(local_diags);
  return result;
}

}  // namespace piaudit::analysis
