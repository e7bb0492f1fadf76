#include "report/diff_json.h"

#include "report/internal/json_writer.h"
#include "report/internal/version_changes_json.h"

namespace piaudit::report {

std::string RenderDiffJson(const DiffInput& in) {
  const evidence::VersionChanges& v = *in.changes;
  std::string out;
  internal::JsonWriter w(&out);
  w.BeginObject();
  w.Key("changes");
  internal::WriteChangeList(w, v.changes, /*with_refs=*/true);
  w.Key("current");
  internal::WriteVersionIdentity(w, internal::IdentityOf(*in.current));
  w.Key("forced").Bool(v.forced);
  if (!in.generated_at.empty()) w.Key("generated_at").String(in.generated_at);
  w.Key("kb_version").String(in.kb_version);
  internal::WriteLineage(w, v);
  w.Key("policies_compared").Bool(v.policies_compared);
  w.Key("policy_unchanged").Bool(v.policy_unchanged);
  w.Key("previous");
  internal::WriteVersionIdentity(w, v.previous);
  w.Key("same_lineage").Bool(v.same_lineage);
  w.Key("same_package").Bool(v.same_package);
  w.Key("schema").String(kDiffSchema);
  w.Key("summary");
  internal::WriteChangeSummary(w, v.changes);
  w.Key("tool_version").String(in.tool_version);
  w.EndObject();
  w.EndDocument();
  return out;
}

namespace {

std::string VersionLine(const evidence::PreviousVersion& v) {
  return v.package + " " + v.version_name + " (versionCode " + std::to_string(v.version_code) +
         "), target SDK " + std::to_string(v.target_sdk) + ", " + v.apk_file;
}

void AppendRefLines(std::string* out, const char* side,
                    const std::vector<evidence::EvidenceRef>& refs) {
  for (const auto& r : refs) {
    out->append("      ").append(side).append(": ");
    out->append(evidence::SourceKindName(r.kind)).append(" ").append(r.file);
    if (!r.location.empty()) out->append(" @ ").append(r.location);
    if (!r.detail.empty()) out->append(" (").append(r.detail).append(")");
    out->append("\n");
  }
}

}  // namespace

std::string RenderDiffText(const DiffInput& in) {
  const evidence::VersionChanges& v = *in.changes;
  std::string out = "piaudit diff\n";
  out += "previous: " + VersionLine(v.previous) + "\n";
  out += "current:  " + VersionLine(internal::IdentityOf(*in.current)) + "\n";
  if (v.lineage == "rotated") {
    out += "signer: key rotated from " + v.lineage_from + " to " + v.lineage_to +
           " (proof-of-rotation verified)\n";
  } else if (v.lineage == "rolled_back") {
    out += "signer: ROLLED BACK from " + v.lineage_from + " to " + v.lineage_to +
           ", an older key of the previous version's verified proof-of-rotation (a signer "
           "downgrade: Android installs it only when that key kept the rollback capability)\n";
  } else if (v.lineage == "same_certificate") {
    out += "signer: same signing certificate in both versions\n";
  }
  if (v.forced) {
    out += "forced: ";
    if (!v.same_package) out += "different package; ";
    if (!v.same_lineage) out += "no signing certificate in common nor a verified rotation; ";
    out += "compared anyway (--force)\n";
  }
  if (v.policies_compared) {
    out += v.policy_unchanged ? "policy: same text in both versions\n" : "policy: compared\n";
  } else {
    out += "policy: not compared (a policy text is missing on at least one side)\n";
  }
  int widening = 0;
  for (const auto& c : v.changes) widening += c.widens && c.kind == evidence::ChangeKind::kAdded;
  out += "changes: " + std::to_string(v.changes.size()) + " (" + std::to_string(widening) +
         " widen collection)\n";
  for (const auto& c : v.changes) {
    const char* sign = c.kind == evidence::ChangeKind::kAdded     ? "+"
                       : c.kind == evidence::ChangeKind::kRemoved ? "-"
                                                                  : "~";
    out.append("  ").append(sign).append(" ").append(c.area).append(" ").append(c.subject);
    if (!c.version_change.empty()) out.append(" ").append(c.version_change);
    if (c.kind == evidence::ChangeKind::kChanged) {
      out.append(": ").append(c.before).append(" -> ").append(c.after);
    }
    const bool widens = c.widens && c.kind == evidence::ChangeKind::kAdded;
    if (c.dangerous || widens) {
      out.append(" [");
      if (c.dangerous) out.append("dangerous");
      if (c.dangerous && widens) out.append(", ");
      if (widens) out.append("widens");
      out.append("]");
    }
    out.append("\n");
    AppendRefLines(&out, "previous", c.previous_refs);
    AppendRefLines(&out, "current", c.current_refs);
  }
  return out;
}

}  // namespace piaudit::report
