// SARIF 2.1.0 writer; the mapping is described in sarif.h. Keys are written in byte order within
// each object (see internal/json_writer.h), so the order of the statements below is the order of
// the output.
#include "report/sarif.h"

#include "report/internal/json_writer.h"
#include "report/internal/version_changes_json.h"
#include "rules/evaluate.h"

namespace piaudit::report {

namespace {

using internal::JsonWriter;

constexpr char kApkRoot[] = "APKROOT";

void AppendUriEncodedPath(std::string* out, std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char ch : path) {
    bool keep = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                ch == '-' || ch == '.' || ch == '_' || ch == '~' || ch == '/';
    if (keep) {
      out->push_back(static_cast<char>(ch));
    } else {
      out->push_back('%');
      out->push_back(kHex[ch >> 4]);
      out->push_back(kHex[ch & 0xf]);
    }
  }
}

// An http(s) URL as a URI: only the characters that cannot appear in a URI are percent-encoded.
std::string UrlAsUri(std::string_view url) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(url.size());
  for (unsigned char ch : url) {
    if (ch <= 0x20 || ch >= 0x7f || ch == '"' || ch == '<' || ch == '>' || ch == '\\' ||
        ch == '^' || ch == '`' || ch == '{' || ch == '|' || ch == '}') {
      out.push_back('%');
      out.push_back(kHex[ch >> 4]);
      out.push_back(kHex[ch & 0xf]);
    } else {
      out.push_back(static_cast<char>(ch));
    }
  }
  return out;
}

// The artifactLocation for a ref's file: absolute paths (a policy file) become file:// URIs,
// http(s) URLs stay as they are, everything else is an APK entry relative to APKROOT.
void WriteArtifactLocation(JsonWriter& w, const std::string& file, bool in_apk = true) {
  w.BeginObject();
  if (file.starts_with("http://") || file.starts_with("https://")) {
    w.Key("uri").String(UrlAsUri(file));
  } else if (!file.empty() && file[0] == '/') {
    std::string uri = "file://";
    AppendUriEncodedPath(&uri, file);
    w.Key("uri").String(uri);
  } else {
    w.Key("uri").String(UriEncodePath(file));
    // A relative path outside the APK (a policy file given on the command line) stays relative
    // to the working directory: no base id.
    if (in_apk) w.Key("uriBaseId").String(kApkRoot);
  }
  w.EndObject();
}

// {"text": text}, SARIF's message and multiformatMessageString.
void WriteMessage(JsonWriter& w, std::string_view text) {
  w.BeginObject();
  w.Key("text").String(text);
  w.EndObject();
}

void WriteLogicalLocations(JsonWriter& w, std::string_view fully_qualified_name,
                           std::string_view kind) {
  w.BeginArray();
  w.BeginObject();
  w.Key("fullyQualifiedName").String(fully_qualified_name);
  w.Key("kind").String(kind);
  w.EndObject();
  w.EndArray();
}

bool HasFile(const evidence::EvidenceRef& r) {
  return !r.file.empty() && r.file[0] != '(' && r.kind != evidence::SourceKind::kAbsence;
}

// Code locations name a method ("a.B.onCreate", "a.B.<init>") or a class ("a.B"): by Java
// naming, a last segment starting with a lower-case letter or '<' is a method.
std::string_view LogicalKind(const evidence::EvidenceRef& r) {
  if (r.kind != evidence::SourceKind::kCode && r.kind != evidence::SourceKind::kNative) {
    return "element";
  }
  size_t dot = r.location.rfind('.');
  char first = dot == std::string::npos || dot + 1 >= r.location.size() ? 'A' : r.location[dot + 1];
  return (first >= 'a' && first <= 'z') || first == '<' ? "function" : "type";
}

void WriteLocation(JsonWriter& w, const evidence::EvidenceRef& r, bool policy_in_apk) {
  w.BeginObject();
  if (!r.location.empty()) {
    w.Key("logicalLocations");
    WriteLogicalLocations(w, r.location, LogicalKind(r));
  }
  std::string text(evidence::SourceKindName(r.kind));
  if (!r.detail.empty()) text.append(": ").append(r.detail);
  w.Key("message");
  WriteMessage(w, text);
  if (HasFile(r)) {
    bool in_apk = r.kind != evidence::SourceKind::kPolicy || policy_in_apk;
    w.Key("physicalLocation").BeginObject();
    w.Key("artifactLocation");
    WriteArtifactLocation(w, r.file, in_apk);
    if (r.span) {
      w.Key("region").BeginObject();
      w.Key("charLength").Number(r.span->end >= r.span->start ? r.span->end - r.span->start : 0);
      w.Key("charOffset").Number(r.span->start);
      if (!r.span->text.empty()) {
        w.Key("snippet");
        WriteMessage(w, r.span->text);
      }
      w.EndObject();
    } else if (r.offset) {
      w.Key("region").BeginObject();
      w.Key("byteOffset").Number(*r.offset);
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndObject();
}

void WriteCodeFlow(JsonWriter& w, const std::vector<std::string>& chain, const std::string& file) {
  const bool has_file = !file.empty() && file[0] != '(';
  w.BeginObject();
  w.Key("message");
  WriteMessage(w, "call chain, entry point first");
  w.Key("threadFlows").BeginArray();
  w.BeginObject();
  w.Key("locations").BeginArray();
  for (size_t i = 0; i < chain.size(); ++i) {
    w.BeginObject();
    w.Key("location").BeginObject();
    w.Key("logicalLocations");
    WriteLogicalLocations(w, chain[i], "function");
    w.Key("message");
    WriteMessage(w, chain[i]);
    if (has_file) {
      w.Key("physicalLocation").BeginObject();
      w.Key("artifactLocation");
      WriteArtifactLocation(w, file);
      w.EndObject();
    }
    w.EndObject();
    w.Key("nestingLevel").Number(static_cast<int>(i));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
}

void WriteRule(JsonWriter& w, const rules::ItemResult& item) {
  std::string_view remediation;
  for (const auto& f : item.findings) {
    if (!f.remediation.empty()) {
      remediation = f.remediation;
      break;
    }
  }
  w.BeginObject();
  w.Key("fullDescription");
  WriteMessage(w, item.title_zh.empty() ? item.id : item.title_zh);
  if (!remediation.empty()) {
    w.Key("help");
    WriteMessage(w, remediation);
  }
  w.Key("id").String(item.id);
  w.Key("name").String("PIAudit" + item.id);
  w.Key("properties").BeginObject();
  w.Key("category").String(item.category);
  w.Key("evidence_kinds").StringArray(item.evidence_kinds);
  w.Key("tags").BeginArray().String("privacy").String("pipl").String(item.category).EndArray();
  w.Key("title_en").String(item.title_en);
  w.Key("title_zh").String(item.title_zh);
  w.EndObject();
  w.Key("shortDescription");
  WriteMessage(w, item.title_en.empty() ? item.id : item.title_en);
  w.EndObject();
}

void WriteResult(JsonWriter& w, const rules::ItemResult& item, size_t rule_index,
                 const rules::Finding& f, std::string_view kind, std::string_view level,
                 bool policy_in_apk, const evidence::VersionChanges* changes_since) {
  bool has_chain = false;
  for (const auto& r : f.evidence) has_chain |= !r.chain.empty();
  w.BeginObject();
  if (has_chain) {
    w.Key("codeFlows").BeginArray();
    for (const auto& r : f.evidence) {
      if (!r.chain.empty()) WriteCodeFlow(w, r.chain, r.file);
    }
    w.EndArray();
  }
  const std::string id = rules::FindingId(item.id, f.owner, f.subject);
  // The stable id (rules::FindingId) as the fingerprint SARIF consumers match results by across
  // runs; partialFingerprints keeps the readable key it is derived from.
  w.Key("fingerprints").BeginObject();
  w.Key("piauditFindingId/v1").String(id);
  w.EndObject();
  w.Key("kind").String(kind);
  w.Key("level").String(level);
  if (!f.evidence.empty()) {
    w.Key("locations").BeginArray();
    for (const auto& r : f.evidence) WriteLocation(w, r, policy_in_apk);
    w.EndArray();
  }
  std::string text = f.message;
  if (!f.needed.empty()) text.append(" Needed: ").append(f.needed);
  w.Key("message");
  WriteMessage(w, text.empty() ? item.id : text);
  w.Key("partialFingerprints").BeginObject();
  w.Key("piauditFinding/v1").String(item.id + "|" + f.owner + "|" + f.subject);
  w.EndObject();
  w.Key("properties").BeginObject();
  // The items about an update carry what changed since the previous version (issue 14), without
  // the refs: the result's own locations are the evidence.
  if (changes_since != nullptr) {
    w.Key("changes_since").BeginObject();
    w.Key("changes");
    internal::WriteChangeList(w, changes_since->changes, /*with_refs=*/false);
    w.Key("previous_version").String(changes_since->previous.version_name);
    w.Key("previous_version_code").Number(changes_since->previous.version_code);
    w.Key("summary");
    internal::WriteChangeSummary(w, changes_since->changes);
    w.EndObject();
  }
  w.Key("finding_id").String(id);
  w.Key("owner").String(f.owner);
  w.Key("remediation").String(f.remediation);
  w.Key("strength").String(rules::StrengthName(f.strength));
  w.Key("subject").String(f.subject);
  w.Key("title_zh").String(f.title_zh);
  w.Key("verdict").String(rules::VerdictName(f.verdict));
  w.EndObject();
  w.Key("ruleId").String(item.id);
  w.Key("ruleIndex").Number(rule_index);
  // SARIF 2.1.0 §3.35: an accepted finding stays in the log with an external suppression
  // (the baseline file), status "accepted"; viewers show it as suppressed, not as gone.
  if (f.suppression) {
    const rules::Suppression& sup = *f.suppression;
    w.Key("suppressions").BeginArray();
    w.BeginObject();
    w.Key("justification").String(sup.justification);
    w.Key("kind").String("external");
    w.Key("location").BeginObject();
    w.Key("physicalLocation").BeginObject();
    w.Key("artifactLocation");
    WriteArtifactLocation(w, sup.baseline_file, /*in_apk=*/false);
    if (sup.line > 0) {
      w.Key("region").BeginObject();
      w.Key("startLine").Number(sup.line);
      w.EndObject();
    }
    w.EndObject();
    w.EndObject();
    w.Key("properties").BeginObject();
    w.Key("by").String(sup.by);
    w.Key("date").String(sup.date);
    w.Key("expires").String(sup.expires);
    w.EndObject();
    w.Key("status").String("accepted");
    w.EndObject();
    w.EndArray();
  }
  w.EndObject();
}

// One result per violation or finding that needs work; compliant and not-applicable findings
// are left out.
void WriteResults(JsonWriter& w, const ReportInput& in) {
  const evidence::PolicySource policy_source = in.evidence->policy.source;
  const bool policy_in_apk = policy_source == evidence::PolicySource::kBundledAsset ||
                             policy_source == evidence::PolicySource::kResource;
  w.BeginArray();
  for (size_t i = 0; i < in.items.size(); ++i) {
    const rules::ItemResult& item = in.items[i];
    const bool about_update = item.id == "IM-2.2" || item.id == "IM-3.5" || item.id == "IM-4.3";
    const evidence::VersionChanges* changes_since =
        about_update && in.evidence->previous ? &*in.evidence->previous : nullptr;
    for (const auto& f : item.findings) {
      switch (f.verdict) {
        case rules::Verdict::kViolation:
          WriteResult(w, item, i, f, "fail",
                      f.strength == rules::Strength::kConfirmed ? "error" : "warning",
                      policy_in_apk, changes_since);
          break;
        case rules::Verdict::kNeedsDynamic:
        case rules::Verdict::kNeedsManual:
          WriteResult(w, item, i, f, "review", "note", policy_in_apk, changes_since);
          break;
        default:
          break;
      }
    }
  }
  w.EndArray();
}

void WriteDriver(JsonWriter& w, const ReportInput& in) {
  std::string_view kb_version = in.kb_version;
  if (kb_version.empty() && in.kb) kb_version = in.kb->version().version;
  w.BeginObject();
  w.Key("informationUri").String("https://github.com/piaudit/piaudit");
  w.Key("name").String("piaudit");
  w.Key("properties").BeginObject();
  w.Key("knowledge_base_version").String(kb_version);
  w.EndObject();
  w.Key("rules").BeginArray();
  for (const auto& item : in.items) WriteRule(w, item);
  w.EndArray();
  if (!in.tool_version.empty()) w.Key("version").String(in.tool_version);
  w.EndObject();
}

void WriteRun(JsonWriter& w, const ReportInput& in) {
  const evidence::AppEvidence& ev = *in.evidence;
  w.BeginObject();
  if (!ev.app.apk_file.empty()) {
    w.Key("artifacts").BeginArray();
    w.BeginObject();
    if (!ev.app.apk_sha256.empty()) {
      w.Key("hashes").BeginObject().Key("sha-256").String(ev.app.apk_sha256).EndObject();
    }
    // The APK itself is the analysis target, relative to the working directory (not APKROOT).
    w.Key("location");
    WriteArtifactLocation(w, ev.app.apk_file, /*in_apk=*/false);
    w.Key("roles").BeginArray().String("analysisTarget").EndArray();
    w.EndObject();
    w.EndArray();
  }
  w.Key("columnKind").String("unicodeCodePoints");
  w.Key("originalUriBaseIds").BeginObject();
  w.Key(kApkRoot).BeginObject();
  w.Key("description");
  WriteMessage(w, "root of the APK: " + ev.app.apk_file);
  w.EndObject();
  w.EndObject();
  w.Key("properties").BeginObject();
  if (in.baseline != nullptr) {
    // Entries that accepted nothing: stale (no such open finding) or expired.
    w.Key("baseline").BeginObject();
    auto ids = [&](const std::vector<rules::BaselineEntry>& entries) {
      w.BeginArray();
      for (const rules::BaselineEntry& e : entries) w.String(e.id);
      w.EndArray();
    };
    w.Key("expired");
    ids(in.baseline->expired);
    w.Key("file").String(in.baseline->file);
    w.Key("stale");
    ids(in.baseline->stale);
    w.Key("suppressed").Number(in.baseline->suppressed);
    w.EndObject();
  }
  w.Key("label").String(ev.app.label);
  w.Key("package").String(ev.app.package);
  w.Key("policy_source").String(evidence::PolicySourceName(ev.policy.source));
  w.Key("signer_sha256").BeginArray();
  for (const evidence::SignerFact& signer : ev.app.signers) w.String(signer.sha256);
  w.EndArray();
  w.Key("version_name").String(ev.app.version_name);
  w.EndObject();
  w.Key("results");
  WriteResults(w, in);
  w.Key("tool").BeginObject();
  w.Key("driver");
  WriteDriver(w, in);
  w.EndObject();
  w.EndObject();
}

}  // namespace

std::string UriEncodePath(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  AppendUriEncodedPath(&out, path);
  return out;
}

std::string RenderSarif(const ReportInput& in) {
  std::string out;
  out.reserve(256 * 1024);
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("$schema").String("https://json.schemastore.org/sarif-2.1.0.json");
  w.Key("runs").BeginArray();
  WriteRun(w, in);
  w.EndArray();
  w.Key("version").String("2.1.0");
  w.EndObject();
  w.EndDocument();
  return out;
}

}  // namespace piaudit::report
