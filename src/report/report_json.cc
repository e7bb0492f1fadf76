// report.json writer; the field list is documented in docs/schemas/report.md. Keys are written in
// byte order within each object (see internal/json_writer.h), so the order of the statements
// below is the order of the output, not the order of the documentation.
#include "report/report_json.h"

#include <algorithm>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "report/internal/inventory.h"
#include "report/internal/json_writer.h"
#include "report/internal/version_changes_json.h"
#include "rules/evaluate.h"

namespace piaudit::report {

namespace {

using internal::JsonWriter;
using internal::WriteEvidenceRef;

void WriteOptionalEvidenceRef(JsonWriter& w, const std::optional<evidence::EvidenceRef>& ref) {
  if (ref) {
    WriteEvidenceRef(w, *ref);
  } else {
    w.Null();
  }
}

void WriteEvidenceRefs(JsonWriter& w, const std::vector<evidence::EvidenceRef>& refs) {
  w.BeginArray();
  for (const auto& r : refs) WriteEvidenceRef(w, r);
  w.EndArray();
}

void WriteBaselineEntries(JsonWriter& w, const std::vector<rules::BaselineEntry>& entries) {
  w.BeginArray();
  for (const rules::BaselineEntry& e : entries) {
    w.BeginObject();
    w.Key("by").String(e.by);
    w.Key("date").String(e.date);
    w.Key("expires").String(e.expires);
    w.Key("id").String(e.id);
    w.Key("item").String(e.item);
    w.Key("justification").String(e.justification);
    w.Key("line").Number(e.line);
    w.EndObject();
  }
  w.EndArray();
}

// null without --baseline.
void WriteBaseline(JsonWriter& w, const ReportInput& in) {
  w.Key("baseline");
  if (in.baseline == nullptr) {
    w.Null();
    return;
  }
  w.BeginObject();
  w.Key("expired");
  WriteBaselineEntries(w, in.baseline->expired);
  w.Key("file").String(in.baseline->file);
  w.Key("stale");
  WriteBaselineEntries(w, in.baseline->stale);
  w.Key("suppressed").Number(in.baseline->suppressed);
  w.EndObject();
}

void WriteFinding(JsonWriter& w, const rules::ItemResult& item, const rules::Finding& f) {
  w.BeginObject();
  w.Key("evidence");
  WriteEvidenceRefs(w, f.evidence);
  w.Key("id").String(rules::FindingId(item.id, f.owner, f.subject));
  w.Key("item").String(f.item_id);
  w.Key("message").String(f.message);
  w.Key("message_id").String(f.message_text.id);
  w.Key("message_zh").String(f.message_zh);
  w.Key("needed").String(f.needed);
  w.Key("needed_id").String(f.needed_text.id);
  w.Key("needed_zh").String(f.needed_zh);
  w.Key("owner").String(f.owner);
  w.Key("remediation").String(f.remediation);
  w.Key("remediation_zh").String(f.remediation_zh);
  w.Key("strength").String(rules::StrengthName(f.strength));
  w.Key("subject").String(f.subject);
  w.Key("suppression");
  if (f.suppression) {
    w.BeginObject();
    w.Key("baseline").String(f.suppression->baseline_file);
    w.Key("by").String(f.suppression->by);
    w.Key("date").String(f.suppression->date);
    w.Key("expires").String(f.suppression->expires);
    w.Key("justification").String(f.suppression->justification);
    w.Key("line").Number(f.suppression->line);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("title_en").String(f.title_en);
  w.Key("title_zh").String(f.title_zh);
  w.Key("verdict").String(rules::VerdictName(f.verdict));
  w.EndObject();
}

// The SDKs that IM-2.1 reports as undisclosed in the policy (a violation or needing a person).
std::unordered_set<std::string_view> UndisclosedSdks(const ReportInput& in) {
  std::unordered_set<std::string_view> undisclosed;
  for (const auto& item : in.items) {
    if (item.id != "IM-2.1") continue;
    for (const auto& f : item.findings) {
      if (f.verdict == rules::Verdict::kViolation || f.verdict == rules::Verdict::kNeedsManual) {
        undisclosed.insert(f.subject);
      }
    }
  }
  return undisclosed;
}

void WriteTool(JsonWriter& w, const ReportInput& in) {
  w.Key("tool").BeginObject();
  w.Key("name").String("piaudit");
  w.Key("version").String(in.tool_version);
  w.EndObject();
}

void WriteKnowledgeBase(JsonWriter& w, const ReportInput& in) {
  std::string_view kb_id = in.kb_id, kb_version = in.kb_version;
  if (in.kb) {
    if (kb_id.empty()) kb_id = in.kb->version().id;
    if (kb_version.empty()) kb_version = in.kb->version().version;
  }
  w.Key("knowledge_base").BeginObject();
  w.Key("id").String(kb_id);
  w.Key("version").String(kb_version);
  w.EndObject();
}

// The labels as a JSON object: sorted by locale and, as in a map, the last label of a locale that
// appears twice wins.
void WriteLabelsByLocale(JsonWriter& w, const evidence::AppFacts& app) {
  using LocaleLabel = std::pair<std::string, std::string>;
  std::vector<const LocaleLabel*> sorted;
  sorted.reserve(app.labels_by_locale.size());
  for (const LocaleLabel& entry : app.labels_by_locale) sorted.push_back(&entry);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const LocaleLabel* a, const LocaleLabel* b) { return a->first < b->first; });
  w.BeginObject();
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i + 1 < sorted.size() && sorted[i + 1]->first == sorted[i]->first) continue;
    w.Key(sorted[i]->first).String(sorted[i]->second);
  }
  w.EndObject();
}

void WriteApp(JsonWriter& w, const evidence::AppFacts& app) {
  w.Key("app").BeginObject();
  w.Key("apk_file").String(app.apk_file);
  w.Key("apk_sha256").String(app.apk_sha256);
  w.Key("label").String(app.label);
  w.Key("labels_by_locale");
  WriteLabelsByLocale(w, app);
  w.Key("min_sdk").Number(app.min_sdk);
  w.Key("package").String(app.package);
  w.Key("signers").BeginArray();
  for (const evidence::SignerFact& signer : app.signers) {
    w.BeginObject();
    w.Key("lineage").StringArray(signer.lineage);
    w.Key("lineage_verified").Bool(signer.lineage_verified);
    w.Key("schemes").StringArray(signer.schemes);
    w.Key("sha256").String(signer.sha256);
    w.Key("subject").String(signer.subject);
    w.Key("verified").Bool(signer.verified);
    w.EndObject();
  }
  w.EndArray();
  w.Key("target_sdk").Number(app.target_sdk);
  w.Key("version_code").Number(app.version_code);
  w.Key("version_name").String(app.version_name);
  w.EndObject();
}

void WriteAppType(JsonWriter& w, const ReportInput& in) {
  const evidence::AppTypeFact& fact = in.evidence->app_type;
  const knowledge::AppType* type =
      in.kb && !fact.id.empty() ? in.kb->FindAppType(fact.id) : nullptr;
  w.Key("app_type").BeginObject();
  w.Key("confidence").Double(fact.confidence);
  if (type) w.Key("en").String(type->en);
  w.Key("given").Bool(fact.given);
  w.Key("id");
  if (fact.id.empty()) {
    w.Null();
  } else {
    w.String(fact.id);
  }
  if (type) w.Key("necessary_pi").StringArray(type->necessary_pi);
  w.Key("reason").String(fact.reason);
  if (type) w.Key("zh").String(type->zh);
  w.EndObject();
}

void WriteCode(JsonWriter& w, const evidence::AppEvidence& ev) {
  w.Key("code").BeginObject();
  w.Key("attempted").Bool(ev.code.attempted);
  w.Key("dex_files").Number(ev.code.dex_files);
  w.Key("dex_files_read").Number(ev.code.dex_files_read);
  w.Key("dynamic_loading").Bool(ev.code.dynamic_loading);
  w.Key("failed_dex").StringArray(ev.code.failed_dex);
  w.Key("known").Bool(ev.CodeKnown());
  w.Key("limits_hit").StringArray(ev.code.limits_hit);
  w.Key("packer");
  if (ev.packer) {
    w.BeginObject();
    w.Key("evidence");
    WriteEvidenceRefs(w, ev.packer->refs);
    w.Key("id").String(ev.packer->id);
    w.Key("name").String(ev.packer->name);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("unknown_reason").String(evidence::CodeUnknownReason(ev));
  w.EndObject();
}

void WriteConsentGate(JsonWriter& w, const evidence::ConsentGate& gate) {
  w.Key("consent_gate").BeginObject();
  w.Key("agree_handler");
  WriteOptionalEvidenceRef(w, gate.agree_handler);
  w.Key("dialog");
  WriteEvidenceRefs(w, gate.dialog);
  w.Key("flag");
  WriteOptionalEvidenceRef(w, gate.flag);
  w.Key("found").Bool(gate.found);
  w.EndObject();
}

void WriteDiagnostics(JsonWriter& w, const evidence::AppEvidence& ev) {
  w.Key("diagnostics").BeginObject();
  w.Key("dropped").Number(ev.diagnostics_dropped);
  w.Key("items").BeginArray();
  for (const auto& d : ev.diagnostics) {
    w.BeginObject();
    w.Key("code").String(d.code);
    w.Key("file").String(d.file);
    w.Key("message").String(d.message);
    w.Key("offset");
    if (d.has_offset) {
      w.Number(d.offset);
    } else {
      w.Null();
    }
    w.Key("severity").String(evidence::SeverityName(d.severity));
    w.Key("structure").String(d.structure);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void WriteHosts(JsonWriter& w, const evidence::AppEvidence& ev) {
  w.Key("hosts").BeginArray();
  for (const auto& h : ev.hosts) {
    w.BeginObject();
    w.Key("evidence");
    WriteEvidenceRef(w, h.ref);
    w.Key("host").String(h.host);
    w.Key("owner").String(h.owner);
    w.EndObject();
  }
  w.EndArray();
}

void WriteItems(JsonWriter& w, const ReportInput& in) {
  w.Key("items").BeginArray();
  for (const auto& r : in.items) {
    w.BeginObject();
    w.Key("category").String(r.category);
    w.Key("category_en").String(r.category_en);
    w.Key("category_zh").String(r.category_zh);
    w.Key("evidence_kinds").StringArray(r.evidence_kinds);
    w.Key("findings").BeginArray();
    for (const auto& f : r.findings) WriteFinding(w, r, f);
    w.EndArray();
    w.Key("id").String(r.id);
    w.Key("strength").String(rules::StrengthName(r.strength));
    w.Key("title_en").String(r.title_en);
    w.Key("title_zh").String(r.title_zh);
    w.Key("verdict").String(rules::VerdictName(r.verdict));
    w.EndObject();
  }
  w.EndArray();
}

void WritePermissions(JsonWriter& w, const evidence::AppEvidence& ev) {
  w.Key("permissions").BeginArray();
  for (const auto& perm : ev.permissions) {
    w.BeginObject();
    w.Key("dangerous").Bool(perm.dangerous);
    w.Key("evidence").BeginArray();
    WriteEvidenceRef(w, perm.ref);
    w.EndArray();
    w.Key("name").String(perm.name);
    w.Key("pi_types").StringArray(perm.pi_types);
    w.EndObject();
  }
  w.EndArray();
}

void WritePiInventory(JsonWriter& w, const ReportInput& in) {
  w.Key("pi_inventory").BeginArray();
  for (const auto& e : internal::BuildPiInventory(*in.evidence, in.kb)) {
    w.BeginObject();
    w.Key("code").BeginObject();
    w.Key("call_sites").Number(e.call_sites);
    w.Key("found").Bool(e.call_sites > 0);
    w.Key("owners").StringArray(e.code_owners);
    w.EndObject();
    w.Key("en").String(e.en);
    w.Key("id").String(e.id);
    w.Key("permissions").StringArray(e.permissions);
    w.Key("policy").String(e.policy);
    w.Key("purposes").StringArray(e.purposes);
    w.Key("sdks_documented").StringArray(e.sdks_documented);
    w.Key("sensitive").Bool(e.sensitive);
    w.Key("zh").String(e.zh);
    w.EndObject();
  }
  w.EndArray();
}

void WritePolicy(JsonWriter& w, const evidence::PolicyFacts& p) {
  w.Key("policy").BeginObject();
  w.Key("analysed").Bool(p.analysed);
  w.Key("evidence");
  WriteEvidenceRefs(w, p.refs);
  w.Key("file").String(p.file);
  w.Key("language").String(p.script.language);
  w.Key("source").String(evidence::PolicySourceName(p.source));
  w.Key("text_code_points").Number(p.text_code_points);
  w.Key("urls_found").StringArray(p.urls_found);
  w.Key("warnings").StringArray(p.warnings);
  w.EndObject();
}

void WriteSdks(JsonWriter& w, const ReportInput& in) {
  const bool policy_analysed = in.evidence->policy.analysed;
  const std::unordered_set<std::string_view> undisclosed = UndisclosedSdks(in);
  w.Key("sdks").BeginArray();
  for (const auto& s : in.evidence->sdks) {
    w.BeginObject();
    w.Key("category").String(s.category);
    // null when no policy text was analysed; false when IM-2.1 reports the SDK as undisclosed.
    w.Key("disclosed_in_policy");
    if (policy_analysed) {
      w.Bool(!undisclosed.contains(s.id));
    } else {
      w.Null();
    }
    w.Key("evidence");
    WriteEvidenceRefs(w, s.refs);
    w.Key("id").String(s.id);
    w.Key("name").String(s.name);
    w.Key("pi_types").StringArray(s.pi_types);
    w.Key("presence").String(s.presence);
    w.Key("provider").String(s.provider);
    w.Key("strength").String(evidence::DetectionStrengthName(s.strength));
    // "" when the SDK's own version string was not read; where it was read otherwise.
    w.Key("version").String(s.version);
    w.Key("version_evidence");
    WriteEvidenceRefs(w, s.version_ref ? std::vector<evidence::EvidenceRef>{*s.version_ref}
                                       : std::vector<evidence::EvidenceRef>{});
    w.EndObject();
  }
  w.EndArray();
}

void WriteSummary(JsonWriter& w, const ReportInput& in) {
  size_t findings = 0;
  for (const auto& r : in.items) findings += r.findings.size();
  size_t suppressed = 0;
  for (const auto& r : in.items) {
    for (const auto& f : r.findings) suppressed += f.suppression ? 1 : 0;
  }
  rules::VerdictCounts c = rules::CountVerdicts(in.items);
  w.Key("summary").BeginObject();
  w.Key("compliant").Number(c.compliant);
  w.Key("findings").Number(findings);
  w.Key("items").Number(in.items.size());
  w.Key("needs_dynamic").Number(c.needs_dynamic);
  w.Key("needs_manual").Number(c.needs_manual);
  w.Key("not_applicable").Number(c.not_applicable);
  w.Key("suppressed").Number(suppressed);
  w.Key("violation_confirmed").Number(c.violation_confirmed);
  w.Key("violation_likely").Number(c.violation_likely);
  w.EndObject();
}

}  // namespace

std::string RenderReportJson(const ReportInput& in) {
  const evidence::AppEvidence& ev = *in.evidence;
  std::string out;
  out.reserve(64 * 1024);
  JsonWriter w(&out);
  w.BeginObject();
  WriteApp(w, ev.app);
  WriteAppType(w, in);
  WriteBaseline(w, in);
  // Only with a previous version (scan --previous): reports of one version keep their shape.
  if (ev.previous) {
    w.Key("changes_since");
    internal::WriteChangesSince(w, *ev.previous);
  }
  WriteCode(w, ev);
  WriteConsentGate(w, ev.consent_gate);
  WriteDiagnostics(w, ev);
  if (!in.generated_at.empty()) w.Key("generated_at").String(in.generated_at);
  WriteHosts(w, ev);
  WriteItems(w, in);
  WriteKnowledgeBase(w, in);
  WritePermissions(w, ev);
  WritePiInventory(w, in);
  WritePolicy(w, ev.policy);
  w.Key("schema").String(kReportSchema);
  WriteSdks(w, in);
  WriteSummary(w, in);
  WriteTool(w, in);
  w.EndObject();
  w.EndDocument();
  return out;
}

}  // namespace piaudit::report
