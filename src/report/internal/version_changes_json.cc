#include "report/internal/version_changes_json.h"

namespace piaudit::report::internal {

void WriteEvidenceRef(JsonWriter& w, const evidence::EvidenceRef& ref) {
  w.BeginObject();
  if (!ref.chain.empty()) w.Key("chain").StringArray(ref.chain);
  w.Key("detail").String(ref.detail);
  w.Key("file").String(ref.file);
  w.Key("kind").String(evidence::SourceKindName(ref.kind));
  w.Key("location").String(ref.location);
  if (ref.offset) w.Key("offset").Number(*ref.offset);
  if (ref.span) {
    w.Key("span").BeginObject();
    w.Key("end").Number(ref.span->end);
    w.Key("start").Number(ref.span->start);
    w.Key("text").String(ref.span->text);
    w.EndObject();
  }
  if (!ref.time.empty()) w.Key("time").String(ref.time);
  w.EndObject();
}

void WriteVersionIdentity(JsonWriter& w, const evidence::PreviousVersion& v) {
  w.BeginObject();
  w.Key("apk_file").String(v.apk_file);
  w.Key("apk_sha256").String(v.apk_sha256);
  w.Key("package").String(v.package);
  w.Key("policy_analysed").Bool(v.policy_analysed);
  w.Key("policy_file").String(v.policy_file);
  w.Key("signer_sha256").StringArray(v.signer_sha256);
  w.Key("target_sdk").Number(v.target_sdk);
  w.Key("version_code").Number(v.version_code);
  w.Key("version_name").String(v.version_name);
  w.EndObject();
}

evidence::PreviousVersion IdentityOf(const evidence::AppEvidence& ev) {
  evidence::PreviousVersion v;
  v.package = ev.app.package;
  v.version_name = ev.app.version_name;
  v.version_code = ev.app.version_code;
  v.target_sdk = ev.app.target_sdk;
  v.apk_file = ev.app.apk_file;
  v.apk_sha256 = ev.app.apk_sha256;
  for (const auto& s : ev.app.signers) v.signer_sha256.push_back(s.sha256);
  v.policy_file = ev.policy.file;
  v.policy_analysed = ev.policy.analysed;
  return v;
}

void WriteChangeList(JsonWriter& w, const std::vector<evidence::VersionChange>& changes,
                     bool with_refs) {
  auto refs = [&](const std::vector<evidence::EvidenceRef>& list) {
    w.BeginArray();
    for (const auto& r : list) WriteEvidenceRef(w, r);
    w.EndArray();
  };
  w.BeginArray();
  for (const auto& c : changes) {
    w.BeginObject();
    w.Key("after").String(c.after);
    w.Key("area").String(c.area);
    w.Key("before").String(c.before);
    if (with_refs) {
      w.Key("current_refs");
      refs(c.current_refs);
    }
    w.Key("dangerous").Bool(c.dangerous);
    w.Key("kind").String(evidence::ChangeKindName(c.kind));
    if (with_refs) {
      w.Key("previous_refs");
      refs(c.previous_refs);
    }
    w.Key("subject").String(c.subject);
    if (!c.version_change.empty()) w.Key("version_change").String(c.version_change);
    w.Key("widens").Bool(c.widens);
    w.EndObject();
  }
  w.EndArray();
}

void WriteChangeSummary(JsonWriter& w, const std::vector<evidence::VersionChange>& changes) {
  int64_t added = 0, removed = 0, changed = 0, widening = 0;
  for (const auto& c : changes) {
    switch (c.kind) {
      case evidence::ChangeKind::kAdded:
        ++added;
        break;
      case evidence::ChangeKind::kRemoved:
        ++removed;
        break;
      case evidence::ChangeKind::kChanged:
        ++changed;
        break;
    }
    if (c.widens && c.kind == evidence::ChangeKind::kAdded) ++widening;
  }
  w.BeginObject();
  w.Key("added").Number(added);
  w.Key("changed").Number(changed);
  w.Key("removed").Number(removed);
  w.Key("widening").Number(widening);
  w.EndObject();
}

void WriteLineage(JsonWriter& w, const evidence::VersionChanges& v) {
  // A record written before the field existed says nothing: "same_lineage" alone then tells.
  w.Key("lineage").String(!v.lineage.empty() ? v.lineage
                          : v.same_lineage   ? "same_certificate"
                                             : "none");
  w.Key("lineage_from").String(v.lineage_from);
  w.Key("lineage_to").String(v.lineage_to);
}

void WriteChangesSince(JsonWriter& w, const evidence::VersionChanges& v) {
  w.BeginObject();
  w.Key("changes");
  WriteChangeList(w, v.changes, /*with_refs=*/true);
  w.Key("forced").Bool(v.forced);
  WriteLineage(w, v);
  w.Key("policies_compared").Bool(v.policies_compared);
  w.Key("policy_unchanged").Bool(v.policy_unchanged);
  w.Key("previous");
  WriteVersionIdentity(w, v.previous);
  w.Key("same_lineage").Bool(v.same_lineage);
  w.Key("same_package").Bool(v.same_package);
  w.Key("summary");
  WriteChangeSummary(w, v.changes);
  w.EndObject();
}

}  // namespace piaudit::report::internal
