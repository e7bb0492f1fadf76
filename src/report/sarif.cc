// SARIF 2.1.0 builder; the mapping is described in sarif.h.
#include "report/sarif.h"

#include <cstdio>

#include "report/report_json.h"
#include "rules/evaluate.h"

namespace piaudit::report {

using nlohmann::json;

std::string UriEncodePath(std::string_view path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(path.size());
  for (unsigned char ch : path) {
    bool keep = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                ch == '-' || ch == '.' || ch == '_' || ch == '~' || ch == '/';
    if (keep) {
      out.push_back(static_cast<char>(ch));
    } else {
      out.push_back('%');
      out.push_back(kHex[ch >> 4]);
      out.push_back(kHex[ch & 0xf]);
    }
  }
  return out;
}

namespace {

constexpr char kApkRoot[] = "APKROOT";

// The artifactLocation for a ref's file: absolute paths (a policy file) become file:// URIs,
// http(s) URLs stay as they are, everything else is an APK entry relative to APKROOT.
json ArtifactLocation(const std::string& file, bool in_apk = true) {
  if (file.rfind("http://", 0) == 0 || file.rfind("https://", 0) == 0) {
    // Re-encode only characters that cannot appear in a URI.
    std::string out;
    for (unsigned char ch : file) {
      if (ch <= 0x20 || ch >= 0x7f || ch == '"' || ch == '<' || ch == '>' || ch == '\\' ||
          ch == '^' || ch == '`' || ch == '{' || ch == '|' || ch == '}') {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", ch);
        out += buf;
      } else {
        out.push_back(static_cast<char>(ch));
      }
    }
    return {{"uri", out}};
  }
  if (!file.empty() && file[0] == '/') return {{"uri", "file://" + UriEncodePath(file)}};
  // A relative path outside the APK (a policy file given on the command line) stays relative to
  // the working directory: no base id.
  if (!in_apk) return {{"uri", UriEncodePath(file)}};
  return {{"uri", UriEncodePath(file)}, {"uriBaseId", kApkRoot}};
}

bool HasFile(const evidence::EvidenceRef& r) {
  return !r.file.empty() && r.file[0] != '(' && r.kind != evidence::SourceKind::kAbsence;
}

// Code locations name a method ("a.B.onCreate", "a.B.<init>") or a class ("a.B"): by Java
// naming, a last segment starting with a lower-case letter or '<' is a method.
std::string LogicalKind(const evidence::EvidenceRef& r) {
  if (r.kind != evidence::SourceKind::kCode && r.kind != evidence::SourceKind::kNative) {
    return "element";
  }
  size_t dot = r.location.rfind('.');
  char first = dot == std::string::npos || dot + 1 >= r.location.size() ? 'A' : r.location[dot + 1];
  return (first >= 'a' && first <= 'z') || first == '<' ? "function" : "type";
}

json LocationFor(const evidence::EvidenceRef& r, bool policy_in_apk) {
  json loc = json::object();
  if (HasFile(r)) {
    bool in_apk = r.kind != evidence::SourceKind::kPolicy || policy_in_apk;
    json phys = {{"artifactLocation", ArtifactLocation(r.file, in_apk)}};
    json region = json::object();
    if (r.span) {
      region["charOffset"] = r.span->start;
      region["charLength"] = r.span->end >= r.span->start ? r.span->end - r.span->start : 0;
      if (!r.span->text.empty()) region["snippet"] = {{"text", r.span->text}};
    } else if (r.offset) {
      region["byteOffset"] = *r.offset;
    }
    if (!region.empty()) phys["region"] = region;
    loc["physicalLocation"] = phys;
  }
  if (!r.location.empty()) {
    loc["logicalLocations"] =
        json::array({{{"fullyQualifiedName", r.location}, {"kind", LogicalKind(r)}}});
  }
  std::string text = std::string(evidence::SourceKindName(r.kind));
  if (!r.detail.empty()) text += ": " + r.detail;
  loc["message"] = {{"text", text}};
  return loc;
}

json CodeFlowFor(const std::vector<std::string>& chain, const std::string& file) {
  json locs = json::array();
  for (size_t i = 0; i < chain.size(); ++i) {
    json location = {{"logicalLocations",
                      json::array({{{"fullyQualifiedName", chain[i]}, {"kind", "function"}}})},
                     {"message", {{"text", chain[i]}}}};
    if (!file.empty() && file[0] != '(') {
      location["physicalLocation"] = {{"artifactLocation", ArtifactLocation(file)}};
    }
    locs.push_back({{"location", location}, {"nestingLevel", static_cast<int>(i)}});
  }
  return {{"threadFlows", json::array({{{"locations", locs}}})},
          {"message", {{"text", "call chain, entry point first"}}}};
}

}  // namespace

json BuildSarif(const ReportInput& in) {
  const evidence::AppEvidence& ev = *in.evidence;
  json rules_json = json::array();
  for (const auto& item : in.items) {
    std::string remediation;
    for (const auto& f : item.findings) {
      if (!f.remediation.empty()) {
        remediation = f.remediation;
        break;
      }
    }
    json rule = {{"id", item.id},
                 {"name", "PIAudit" + item.id},
                 {"shortDescription", {{"text", item.title_en.empty() ? item.id : item.title_en}}},
                 {"fullDescription", {{"text", item.title_zh.empty() ? item.id : item.title_zh}}},
                 {"properties",
                  {{"title_zh", item.title_zh},
                   {"title_en", item.title_en},
                   {"category", item.category},
                   {"evidence_kinds", item.evidence_kinds},
                   {"tags", json::array({"privacy", "pipl", item.category})}}}};
    if (!remediation.empty()) rule["help"] = {{"text", remediation}};
    rules_json.push_back(rule);
  }

  const bool policy_in_apk = ev.policy.source == evidence::PolicySource::kBundledAsset ||
                             ev.policy.source == evidence::PolicySource::kResource;
  json results = json::array();
  for (size_t i = 0; i < in.items.size(); ++i) {
    const rules::ItemResult& item = in.items[i];
    for (const auto& f : item.findings) {
      std::string level, kind;
      switch (f.verdict) {
        case rules::Verdict::kViolation:
          level = f.strength == rules::Strength::kConfirmed ? "error" : "warning";
          kind = "fail";
          break;
        case rules::Verdict::kNeedsDynamic:
        case rules::Verdict::kNeedsManual:
          level = "note";
          kind = "review";
          break;
        default:
          continue;
      }
      std::string text = f.message;
      if (!f.needed.empty()) text += " Needed: " + f.needed;
      json res = {{"ruleId", item.id},
                  {"ruleIndex", i},
                  {"kind", kind},
                  {"level", level},
                  {"message", {{"text", text.empty() ? item.id : text}}},
                  {"properties",
                   {{"verdict", std::string(rules::VerdictName(f.verdict))},
                    {"strength", std::string(rules::StrengthName(f.strength))},
                    {"owner", f.owner},
                    {"subject", f.subject},
                    {"remediation", f.remediation},
                    {"title_zh", f.title_zh}}}};
      json locs = json::array();
      json flows = json::array();
      for (const auto& r : f.evidence) {
        locs.push_back(LocationFor(r, policy_in_apk));
        if (!r.chain.empty()) flows.push_back(CodeFlowFor(r.chain, r.file));
      }
      if (!locs.empty()) res["locations"] = locs;
      if (!flows.empty()) res["codeFlows"] = flows;
      res["partialFingerprints"] = {
          {"piauditFinding/v1", item.id + "|" + f.owner + "|" + f.subject}};
      results.push_back(res);
    }
  }

  std::string kb_version = in.kb_version;
  if (kb_version.empty() && in.kb) kb_version = in.kb->version().version;
  json driver = {{"name", "piaudit"},
                 {"informationUri", "https://github.com/piaudit/piaudit"},
                 {"rules", rules_json},
                 {"properties", {{"knowledge_base_version", kb_version}}}};
  if (!in.tool_version.empty()) driver["version"] = in.tool_version;

  json run = {{"tool", {{"driver", driver}}},
              {"originalUriBaseIds",
               {{kApkRoot, {{"description", {{"text", "root of the APK: " + ev.app.apk_file}}}}}}},
              {"results", results},
              {"columnKind", "unicodeCodePoints"},
              {"properties",
               {{"package", ev.app.package},
                {"label", ev.app.label},
                {"version_name", ev.app.version_name},
                {"policy_source", std::string(evidence::PolicySourceName(ev.policy.source))}}}};
  if (!ev.app.apk_file.empty()) {
    run["artifacts"] = json::array({{{"location", ArtifactLocation(ev.app.apk_file)},
                                     {"roles", json::array({"analysisTarget"})}}});
    if (ev.app.apk_file[0] != '/') run["artifacts"][0]["location"].erase("uriBaseId");
  }
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", json::array({run})}};
}

std::string RenderSarif(const ReportInput& in) { return DumpJson(BuildSarif(in)); }

}  // namespace piaudit::report
