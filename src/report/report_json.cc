// report.json builder; the field list is documented in docs/schemas/report.md.
#include "report/report_json.h"

#include "report/internal/inventory.h"
#include "rules/evaluate.h"

namespace piaudit::report {

using nlohmann::json;

std::string DumpJson(const json& j, int indent) {
  // error_handler_t::replace: APK strings may hold invalid UTF-8; never throw on them.
  return j.dump(indent, ' ', false, json::error_handler_t::replace) + "\n";
}

json EvidenceRefToJson(const evidence::EvidenceRef& ref) {
  json j = {{"kind", std::string(evidence::SourceKindName(ref.kind))},
            {"file", ref.file},
            {"location", ref.location},
            {"detail", ref.detail}};
  if (!ref.chain.empty()) j["chain"] = ref.chain;
  if (ref.span) {
    j["span"] = {{"start", ref.span->start}, {"end", ref.span->end}, {"text", ref.span->text}};
  }
  if (ref.offset) j["offset"] = *ref.offset;
  return j;
}

namespace {

json Refs(const std::vector<evidence::EvidenceRef>& refs) {
  json a = json::array();
  for (const auto& r : refs) a.push_back(EvidenceRefToJson(r));
  return a;
}

json FindingToJson(const rules::Finding& f) {
  return {{"item", f.item_id},
          {"verdict", std::string(rules::VerdictName(f.verdict))},
          {"strength", std::string(rules::StrengthName(f.strength))},
          {"owner", f.owner},
          {"subject", f.subject},
          {"message", f.message},
          {"needed", f.needed},
          {"remediation", f.remediation},
          {"title_zh", f.title_zh},
          {"title_en", f.title_en},
          {"evidence", Refs(f.evidence)}};
}

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "unknown";
}

// null when no policy text was analysed; false when IM-2.1 reports the SDK as undisclosed.
json SdkDisclosed(const ReportInput& in, const std::string& sdk_id) {
  if (!in.evidence->policy.analysed) return nullptr;
  for (const auto& item : in.items) {
    if (item.id != "IM-2.1") continue;
    for (const auto& f : item.findings) {
      if (f.subject == sdk_id &&
          (f.verdict == rules::Verdict::kViolation || f.verdict == rules::Verdict::kNeedsManual)) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

json BuildReportJson(const ReportInput& in) {
  const evidence::AppEvidence& ev = *in.evidence;
  json j;
  j["schema"] = kReportSchema;
  j["tool"] = {{"name", "piaudit"}, {"version", in.tool_version}};
  std::string kb_id = in.kb_id, kb_version = in.kb_version;
  if (in.kb) {
    if (kb_id.empty()) kb_id = in.kb->version().id;
    if (kb_version.empty()) kb_version = in.kb->version().version;
  }
  j["knowledge_base"] = {{"id", kb_id}, {"version", kb_version}};
  if (!in.generated_at.empty()) j["generated_at"] = in.generated_at;

  json labels = json::object();
  for (const auto& [loc, label] : ev.app.labels_by_locale) labels[loc] = label;
  j["app"] = {{"package", ev.app.package},           {"label", ev.app.label},
              {"labels_by_locale", labels},          {"version_name", ev.app.version_name},
              {"version_code", ev.app.version_code}, {"min_sdk", ev.app.min_sdk},
              {"target_sdk", ev.app.target_sdk},     {"apk_file", ev.app.apk_file},
              {"apk_sha256", ev.app.apk_sha256}};

  json packer = nullptr;
  if (ev.packer) {
    packer = {
        {"id", ev.packer->id}, {"name", ev.packer->name}, {"evidence", Refs(ev.packer->refs)}};
  }
  j["code"] = {{"known", ev.CodeKnown()},
               {"unknown_reason", evidence::CodeUnknownReason(ev)},
               {"packer", packer},
               {"attempted", ev.code.attempted},
               {"dex_files", ev.code.dex_files},
               {"dex_files_read", ev.code.dex_files_read},
               {"failed_dex", ev.code.failed_dex},
               {"limits_hit", ev.code.limits_hit},
               {"dynamic_loading", ev.code.dynamic_loading}};

  const evidence::PolicyFacts& p = ev.policy;
  j["policy"] = {{"source", std::string(evidence::PolicySourceName(p.source))},
                 {"file", p.file},
                 {"urls_found", p.urls_found},
                 {"analysed", p.analysed},
                 {"text_code_points", p.text_code_points},
                 {"language", p.script.language},
                 {"warnings", p.warnings},
                 {"evidence", Refs(p.refs)}};

  json app_type = {{"id", ev.app_type.id.empty() ? json(nullptr) : json(ev.app_type.id)},
                   {"given", ev.app_type.given},
                   {"confidence", ev.app_type.confidence},
                   {"reason", ev.app_type.reason}};
  if (in.kb && !ev.app_type.id.empty()) {
    if (const knowledge::AppType* t = in.kb->FindAppType(ev.app_type.id)) {
      app_type["zh"] = t->zh;
      app_type["en"] = t->en;
      app_type["necessary_pi"] = t->necessary_pi;
    }
  }
  j["app_type"] = app_type;

  json gate = {{"found", ev.consent_gate.found}, {"dialog", Refs(ev.consent_gate.dialog)}};
  gate["agree_handler"] =
      ev.consent_gate.agree_handler ? EvidenceRefToJson(*ev.consent_gate.agree_handler) : json();
  gate["flag"] = ev.consent_gate.flag ? EvidenceRefToJson(*ev.consent_gate.flag) : json();
  j["consent_gate"] = gate;

  json items = json::array();
  size_t findings = 0;
  for (const auto& r : in.items) {
    json fs = json::array();
    for (const auto& f : r.findings) fs.push_back(FindingToJson(f));
    findings += r.findings.size();
    items.push_back({{"id", r.id},
                     {"category", r.category},
                     {"category_zh", r.category_zh},
                     {"category_en", r.category_en},
                     {"title_zh", r.title_zh},
                     {"title_en", r.title_en},
                     {"evidence_kinds", r.evidence_kinds},
                     {"verdict", std::string(rules::VerdictName(r.verdict))},
                     {"strength", std::string(rules::StrengthName(r.strength))},
                     {"findings", fs}});
  }
  j["items"] = items;

  json sdks = json::array();
  for (const auto& s : ev.sdks) {
    sdks.push_back({{"id", s.id},
                    {"name", s.name},
                    {"provider", s.provider},
                    {"category", s.category},
                    {"strength", std::string(evidence::DetectionStrengthName(s.strength))},
                    {"pi_types", s.pi_types},
                    {"disclosed_in_policy", SdkDisclosed(in, s.id)},
                    {"evidence", Refs(s.refs)}});
  }
  j["sdks"] = sdks;

  json perms = json::array();
  for (const auto& perm : ev.permissions) {
    perms.push_back({{"name", perm.name},
                     {"dangerous", perm.dangerous},
                     {"pi_types", perm.pi_types},
                     {"evidence", json::array({EvidenceRefToJson(perm.ref)})}});
  }
  j["permissions"] = perms;

  json inv = json::array();
  for (const auto& e : internal::BuildPiInventory(ev, in.kb)) {
    inv.push_back(
        {{"id", e.id},
         {"zh", e.zh},
         {"en", e.en},
         {"sensitive", e.sensitive},
         {"code",
          {{"found", e.call_sites > 0}, {"owners", e.code_owners}, {"call_sites", e.call_sites}}},
         {"permissions", e.permissions},
         {"sdks_documented", e.sdks_documented},
         {"policy", e.policy},
         {"purposes", e.purposes}});
  }
  j["pi_inventory"] = inv;

  json hosts = json::array();
  for (const auto& h : ev.hosts) {
    hosts.push_back({{"host", h.host}, {"owner", h.owner}, {"evidence", EvidenceRefToJson(h.ref)}});
  }
  j["hosts"] = hosts;

  json diags = json::array();
  for (const auto& d : ev.diagnostics) {
    json dj = {{"severity", std::string(SeverityName(d.severity))},
               {"code", d.code},
               {"file", d.file},
               {"structure", d.structure},
               {"message", d.message}};
    dj["offset"] = d.has_offset ? json(d.offset) : json(nullptr);
    diags.push_back(dj);
  }
  j["diagnostics"] = {{"items", diags}, {"dropped", ev.diagnostics_dropped}};

  rules::VerdictCounts c = rules::CountVerdicts(in.items);
  j["summary"] = {{"items", in.items.size()},
                  {"findings", findings},
                  {"violation_confirmed", c.violation_confirmed},
                  {"violation_likely", c.violation_likely},
                  {"needs_dynamic", c.needs_dynamic},
                  {"needs_manual", c.needs_manual},
                  {"compliant", c.compliant},
                  {"not_applicable", c.not_applicable}};
  return j;
}

std::string RenderReportJson(const ReportInput& in) { return DumpJson(BuildReportJson(in)); }

}  // namespace piaudit::report
