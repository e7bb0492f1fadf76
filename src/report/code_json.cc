// Renderers of analysis::CodeReport: the `piaudit.code/1` JSON document (schema:
// docs/schemas/code.md), the text summary of `piaudit code`, and the call-graph slice for
// --callgraph (JSON or Graphviz dot).
#include "report/code_json.h"

#include <map>
#include <set>

#include "evidence/evidence.h"

namespace piaudit::report {

using analysis::CodeReport;
using analysis::HostRecord;
using analysis::OwnedSensitiveCall;
using analysis::SiteLocation;
using apk::DexFileSummary;
using apk::SecondaryCode;

namespace {

nlohmann::json LocationJson(const SiteLocation& l) {
  return {{"source", l.source}, {"file", l.file}, {"detail", l.detail}};
}

std::string SdkName(const knowledge::Sdk& s) {
  if (!s.zh.empty() && !s.en.empty()) return s.zh + " / " + s.en;
  return s.en.empty() ? s.zh : s.en;
}

}  // namespace

nlohmann::json CodeReportToJson(const CodeReport& r) {
  using nlohmann::json;
  json j;
  j["schema"] = kCodeSchemaId;
  j["apk"] = r.apk;
  j["package"] = r.package;
  j["kb"] = r.kb_version;

  json dex = json::array();
  for (const DexFileSummary& d : r.dex_files) {
    json o = {{"name", d.name},
              {"origin", d.origin},
              {"classes", d.classes},
              {"methods", d.methods},
              {"method_ids", d.method_ids},
              {"fields", d.fields},
              {"instructions", d.instructions},
              {"errors", d.errors}};
    if (!d.error.empty()) o["error"] = d.error;
    dex.push_back(std::move(o));
  }
  j["dex_files"] = std::move(dex);

  json sdks = json::array();
  for (const analysis::SdkFinding& f : r.sdks) {
    json ev = json::array();
    for (const analysis::SdkEvidence& e : f.evidence)
      ev.push_back({{"kind", e.kind},
                    {"detail", e.detail},
                    {"strength", analysis::StrengthName(e.strength)}});
    json version = nullptr;  // null: unknown
    if (!f.version.version.empty()) {
      version = {
          {"how", f.version.how}, {"file", f.version.file}, {"location", f.version.location}};
    }
    sdks.push_back({{"id", f.sdk->id},
                    {"name", SdkName(*f.sdk)},
                    {"category", f.sdk->category},
                    {"provider", f.sdk->provider},
                    {"strength", analysis::StrengthName(f.strength)},
                    {"presence", analysis::PresenceName(f.presence)},
                    {"classes", f.classes},
                    {"obfuscated", false},
                    {"evidence", std::move(ev)},
                    {"pi", f.sdk->pi},
                    {"privacy_policy", f.sdk->privacy_policy},
                    {"version", f.version.version},
                    {"version_source", std::move(version)}});
  }
  for (const analysis::ObfuscatedMatch& m : r.obfuscated_sdks) {
    json ev = json::array();
    for (const analysis::FeatureHit& h : m.hits)
      ev.push_back({{"kind", "feature-" + h.kind},
                    {"detail", h.value + " (" + h.where + ")"},
                    {"strength", "weak"}});
    sdks.push_back({{"id", m.sdk->id},
                    {"name", SdkName(*m.sdk)},
                    {"category", m.sdk->category},
                    {"provider", m.sdk->provider},
                    {"strength", analysis::StrengthName(m.strength)},
                    // Renamed code: its packages own their classes from medium strength on.
                    {"presence", m.strength >= analysis::Strength::kMedium ? "code" : "referenced"},
                    {"classes", 0},
                    {"obfuscated", true},
                    {"features_matched", m.hits.size()},
                    {"features_declared", m.features_declared},
                    {"packages", m.packages},
                    {"evidence", std::move(ev)},
                    {"pi", m.sdk->pi},
                    {"privacy_policy", m.sdk->privacy_policy},
                    {"note", "matched on features that survive renaming; not certain"}});
  }
  j["sdks"] = std::move(sdks);
  json matches = json::array();
  for (const analysis::FingerprintMatch& m : r.fingerprint_matches) {
    json classes = json::array();
    // A flattened app may attribute thousands of classes; the first ones show how, the count says
    // how many.
    constexpr size_t kListed = 200;
    for (size_t i = 0; i < m.classes.size() && i < kListed; ++i) {
      const analysis::FingerprintedClass& c = m.classes[i];
      classes.push_back({{"class", c.descriptor},
                         {"matched", c.matched},
                         {"considered", c.considered},
                         {"confidence", c.confidence()}});
    }
    matches.push_back({{"sdk", m.sdk->id},
                       {"reference",
                        {{"source", m.reference->source},
                         {"sdk_version", m.reference->sdk_version},
                         {"reference_classes", m.reference->reference_classes}}},
                       {"reference_classes_matched", m.reference_classes_matched},
                       {"methods_matched", m.methods_matched},
                       {"classes_attributed", m.classes.size()},
                       {"classes", std::move(classes)}});
  }
  j["fingerprint_matches"] = std::move(matches);

  if (r.packer) {
    j["packer"] = {{"id", r.packer->id},
                   {"name", r.packer->name},
                   {"evidence", r.packer->evidence},
                   {"code_visible", false},
                   {"note", r.packer->note}};
  } else {
    j["packer"] = nullptr;
  }
  j["code_visible"] = !r.packer.has_value() && r.code.has_value();

  if (r.code) {
    const analysis::ConsentGate& g = r.code->consent_gate;
    json dialog = json::array();
    for (const analysis::ConsentEvidence& e : g.dialog)
      dialog.push_back({{"kind", e.kind}, {"where", e.where}, {"text", e.text}});
    j["consent_gate"] = {{"found", g.found},
                         {"dialog", std::move(dialog)},
                         {"dialog_methods", g.dialog_methods},
                         {"agree_handlers", g.agree_handlers},
                         {"flag_key", g.flag_key},
                         {"flag_kind", g.flag_kind},
                         {"flag_writers", g.flag_writers},
                         {"flag_readers", g.flag_readers},
                         {"note", g.note}};
    const analysis::CallGraphStats& cg = r.code->call_graph;
    j["call_graph"] = {{"classes", cg.classes},
                       {"app_classes", cg.app_classes},
                       {"methods", cg.methods},
                       {"app_methods", cg.app_methods},
                       {"edges", cg.edges},
                       {"partial", cg.partial},
                       {"reachable_methods", r.code->reachable_methods},
                       {"startup_reachable_methods", r.code->startup_reachable_methods}};
    j["analysis_partial"] = r.code->partial;
    j["analysis_partial_reasons"] = r.code->partial_reasons;
  } else {
    j["consent_gate"] = nullptr;
    j["call_graph"] = nullptr;
    j["analysis_error"] = r.code_error;
  }

  json calls = json::array();
  for (const OwnedSensitiveCall& oc : r.sensitive_calls) {
    const analysis::SensitiveCall& c = oc.call;
    json chain = json::array();
    for (const analysis::ChainStep& s : c.chain)
      chain.push_back({{"method", s.method}, {"via", s.via}, {"wide", s.wide}});
    calls.push_back({{"api", c.api},
                     {"match", analysis::MatchKindName(c.match)},
                     {"pi_type", c.pi.empty() ? "" : c.pi.front()},
                     {"pi_types", c.pi},
                     {"permissions", c.permissions},
                     {"term", c.term},
                     {"caller", c.caller},
                     {"owner", oc.owner},
                     {"owner_inferred", oc.owner_inferred},
                     {"dex_file", c.dex_file},
                     {"dex_pc", c.dex_pc},
                     {"reachable", c.reachable},
                     {"startup", c.startup_reachable},
                     {"launcher", c.launcher_reachable},
                     {"fan_out", c.fan_out},
                     {"before_consent", analysis::BeforeConsentName(c.before_consent)},
                     {"reason", c.reason},
                     {"chain", std::move(chain)}});
  }
  j["sensitive_calls"] = std::move(calls);
  j["sensitive_calls_truncated"] = r.code ? r.code->sensitive_calls_truncated : false;

  json hosts = json::array();
  for (const HostRecord& h : r.hosts) {
    hosts.push_back({{"host", h.host},
                     {"count", h.count},
                     {"owners", h.owners},
                     {"sources", h.sources},
                     {"first", LocationJson(h.first)}});
  }
  j["hosts"] = std::move(hosts);
  json requests = json::array();
  for (const analysis::PermissionRequestSite& p : r.permission_requests) {
    requests.push_back({{"caller", p.caller},
                        {"api", p.api},
                        {"dex_file", p.dex_file},
                        {"offset", p.file_offset},
                        {"permissions", p.permissions}});
  }
  j["permission_requests"] = std::move(requests);
  json urls = json::array();
  json policy = json::array();
  for (const analysis::UrlRecord& u : r.urls) {
    json o = {{"url", u.url},
              {"scheme", u.parts.scheme},
              {"host", u.parts.host},
              {"path", u.parts.path},
              {"count", u.count},
              {"owners", u.owners},
              {"first", LocationJson(u.first)},
              {"policy_candidate", u.policy_candidate}};
    if (u.policy_candidate) policy.push_back(o);
    urls.push_back(std::move(o));
  }
  j["urls"] = std::move(urls);
  j["urls_dropped"] = r.urls_dropped;
  j["policy_urls"] = std::move(policy);

  json sec = json::array();
  for (const SecondaryCode& s : r.secondary_code) {
    sec.push_back({{"entry", s.entry},
                   {"type", s.type},
                   {"size", s.size},
                   {"analysed", s.analysed},
                   {"dex_files", s.dex_files},
                   {"note", s.note}});
  }
  j["secondary_code"] = std::move(sec);

  json diags = json::array();
  for (const Diagnostic& d : r.diagnostics.items()) {
    json o = {{"severity", evidence::SeverityName(d.severity)},
              {"code", d.code},
              {"file", d.file},
              {"structure", d.structure},
              {"message", d.message},
              {"text", d.ToString()}};
    if (d.has_offset) o["offset"] = d.offset;
    diags.push_back(std::move(o));
  }
  j["diagnostics"] = std::move(diags);
  j["diagnostics_dropped"] = r.diagnostics.dropped();
  return j;
}

std::string CodeReportToText(const CodeReport& r) {
  std::string out;
  auto line = [&](const std::string& s) { out += s + "\n"; };
  line("apk: " + r.apk);
  line("package: " + r.package);
  for (const DexFileSummary& d : r.dex_files) {
    line("dex: " + d.name + " (" + d.origin + ") classes=" + std::to_string(d.classes) +
         " methods=" + std::to_string(d.methods) + " method_ids=" + std::to_string(d.method_ids) +
         " fields=" + std::to_string(d.fields) + (d.error.empty() ? "" : " ERROR " + d.error));
  }
  if (r.packer) {
    line("packer: " + r.packer->name + " [" + r.packer->id + "]");
    for (const std::string& e : r.packer->evidence) line("  evidence: " + e);
    line("  " + r.packer->note);
  } else {
    line("packer: none detected");
  }
  line("sdks: " + std::to_string(r.sdks.size()) + " (+" + std::to_string(r.obfuscated_sdks.size()) +
       " possible obfuscated)");
  for (const analysis::SdkFinding& f : r.sdks) {
    line("  " + f.sdk->id + " (" + SdkName(*f.sdk) + ") " +
         std::string(analysis::StrengthName(f.strength)) + ", " +
         std::string(analysis::PresenceName(f.presence)) +
         (f.version.version.empty() ? "" : ", version " + f.version.version));
    if (!f.version.version.empty()) {
      line("    version " + f.version.how + " " + f.version.file + " " + f.version.location);
    }
    for (const analysis::SdkEvidence& e : f.evidence) line("    " + e.kind + " " + e.detail);
  }
  for (const analysis::ObfuscatedMatch& m : r.obfuscated_sdks) {
    line("  " + m.sdk->id + " (obfuscated?) " + std::string(analysis::StrengthName(m.strength)));
    for (const analysis::FeatureHit& h : m.hits)
      line("    feature-" + h.kind + " " + h.value + " (" + h.where + ")");
  }
  if (r.code) {
    line("consent gate: " + std::string(r.code->consent_gate.found ? "found" : "not found") +
         (r.code->consent_gate.flag_key.empty() ? "" : " flag=" + r.code->consent_gate.flag_key));
  } else {
    line("code analysis: unavailable (" + r.code_error + ")");
  }
  line("sensitive calls: " + std::to_string(r.sensitive_calls.size()));
  for (const OwnedSensitiveCall& c : r.sensitive_calls) {
    line("  [" + c.owner + "] " + c.call.api + " in " + c.call.caller +
         (c.call.startup_reachable ? " startup" : "") +
         " before_consent=" + std::string(analysis::BeforeConsentName(c.call.before_consent)));
  }
  line("hosts: " + std::to_string(r.hosts.size()));
  for (const HostRecord& h : r.hosts) {
    std::string owners;
    for (const std::string& o : h.owners) owners += (owners.empty() ? "" : ",") + o;
    line("  " + h.host + " x" + std::to_string(h.count) +
         (owners.empty() ? "" : " [" + owners + "]"));
  }
  for (const analysis::UrlRecord& u : r.urls)
    if (u.policy_candidate) line("policy url candidate: " + u.url);
  for (const SecondaryCode& s : r.secondary_code)
    line("secondary code: " + s.entry + " (" + s.type + ")" +
         (s.analysed ? " analysed" : " not analysed: " + s.note));
  line("diagnostics: " + std::to_string(r.diagnostics.items().size()));
  for (const Diagnostic& d : r.diagnostics.items()) line("  " + d.ToString());
  return out;
}

namespace {

struct Slice {
  std::vector<std::string> nodes;
  std::map<std::string, size_t> index;
  std::set<std::tuple<size_t, size_t, std::string>> edges;
  bool truncated = false;
};

Slice BuildSlice(const CodeReport& r, size_t max_nodes) {
  Slice s;
  auto node = [&](const std::string& name) -> std::optional<size_t> {
    auto it = s.index.find(name);
    if (it != s.index.end()) return it->second;
    if (s.nodes.size() >= max_nodes) {
      s.truncated = true;
      return std::nullopt;
    }
    s.index.emplace(name, s.nodes.size());
    s.nodes.push_back(name);
    return s.nodes.size() - 1;
  };
  for (const OwnedSensitiveCall& oc : r.sensitive_calls) {
    std::optional<size_t> prev;
    for (const analysis::ChainStep& step : oc.call.chain) {
      std::optional<size_t> cur = node(step.method);
      if (!cur) break;
      if (prev) s.edges.insert({*prev, *cur, step.via});
      prev = cur;
    }
    std::optional<size_t> caller = node(oc.call.caller);
    if (caller && prev && *prev != *caller) s.edges.insert({*prev, *caller, "invoke"});
    std::optional<size_t> api = node(oc.call.api);
    if (caller && api) s.edges.insert({*caller, *api, "sensitive"});
  }
  return s;
}

}  // namespace

nlohmann::json CallGraphToJson(const CodeReport& r, size_t max_nodes) {
  Slice s = BuildSlice(r, max_nodes);
  nlohmann::json nodes = nlohmann::json::array();
  for (size_t i = 0; i < s.nodes.size(); ++i) nodes.push_back({{"id", i}, {"method", s.nodes[i]}});
  nlohmann::json edges = nlohmann::json::array();
  for (const auto& [from, to, via] : s.edges)
    edges.push_back({{"from", from}, {"to", to}, {"via", via}});
  return {{"schema", "piaudit.callgraph/1"},
          {"slice", "sensitive-call chains"},
          {"nodes", std::move(nodes)},
          {"edges", std::move(edges)},
          {"truncated", s.truncated}};
}

std::string CallGraphToDot(const CodeReport& r, size_t max_nodes) {
  Slice s = BuildSlice(r, max_nodes);
  auto quote = [](const std::string& v) {
    std::string q = "\"";
    for (char c : v) {
      if (c == '"' || c == '\\') q += '\\';
      if (c == '\n') {
        q += "\\n";
        continue;
      }
      q += c;
    }
    return q + "\"";
  };
  std::string out = "digraph callgraph {\n  // slice: sensitive-call chains";
  out += s.truncated ? " (truncated)\n" : "\n";
  for (size_t i = 0; i < s.nodes.size(); ++i)
    out += "  n" + std::to_string(i) + " [label=" + quote(s.nodes[i]) + "];\n";
  for (const auto& [from, to, via] : s.edges)
    out += "  n" + std::to_string(from) + " -> n" + std::to_string(to) + " [label=" + quote(via) +
           "];\n";
  out += "}\n";
  return out;
}

}  // namespace piaudit::report
