// What changed between the version judged and the version before it (issue 14): the facts that
// IM-2.2 (rules changed without telling the user), IM-3.5 (an update changes permission states)
// and IM-4.3 (a new feature holds the old ones hostage) start from.
//
// Computed by compare/version_compare.h from the two versions' AppEvidence (plus what the
// manifest and the texts show beyond it) and kept in AppEvidence::previous, so the evidence record
// carries it and `piaudit judge` re-judges the three items without either APK. Plain data, like
// the rest of evidence.h; each change names where it is on both sides.
#ifndef PIAUDIT_EVIDENCE_VERSION_CHANGES_H_
#define PIAUDIT_EVIDENCE_VERSION_CHANGES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace piaudit::evidence {

struct EvidenceRef;  // evidence.h

enum class ChangeKind : uint8_t { kAdded, kRemoved, kChanged };
std::string_view ChangeKindName(ChangeKind k);  // "added", "removed", "changed"
std::optional<ChangeKind> ParseChangeKind(std::string_view name);

// One difference. `area` says what was compared:
//   manifest: "permission", "target_sdk", "target_sdk_crossing", "component", "exported_component",
//             "shared_user_id"
//   code:     "sdk", "pi_type", "startup_read", "startup_permission_request"
//   policy:   "policy_text", "policy_data_type", "policy_third_party", "policy_permission",
//             "policy_right", "policy_time_limit", "policy_statement"
//   app:      "change_notice" (a string or layout of the new version that announces an update of
//             the policy; a hint, not proof that it is shown)
struct VersionChange {
  std::string area;
  ChangeKind kind = ChangeKind::kAdded;
  std::string subject;  // permission name, SDK id, PI type id, component name, API level ...
  std::string before;   // the previous version's value ("" when added)
  std::string after;    // this version's value ("" when removed)
  // Collection widened: a new dangerous permission, a new SDK that collects PI, a new PI type
  // read, a new start-up read or permission request before consent.
  bool widens = false;
  bool dangerous =
      false;  // a dangerous permission (area "permission", "startup_permission_request")
  std::vector<EvidenceRef> previous_refs;  // where it was in the previous version
  std::vector<EvidenceRef> current_refs;   // where it is in this version
  // Area "sdk", an SDK in both versions whose version strings differ: "upgraded", "downgraded",
  // "changed" (the strings do not order), or "unknown" (read in one version only: `before` or
  // `after` is "unknown"). "" everywhere else.
  std::string version_change;

  bool operator==(const VersionChange&) const;
};

// The previous version, as judged: which build it was.
struct PreviousVersion {
  std::string package;
  std::string version_name;
  int64_t version_code = 0;
  int32_t target_sdk = 0;
  std::string apk_file;
  std::string apk_sha256;
  std::vector<std::string> signer_sha256;  // certificate SHA-256s
  std::string policy_file;                 // the previous policy compared ("" when none)
  bool policy_analysed = false;

  bool operator==(const PreviousVersion&) const = default;
};

struct VersionChanges {
  PreviousVersion previous;
  bool same_package = false;
  // The two are signed by one developer: they share a signing certificate, or a verified v3
  // proof-of-rotation links them (`lineage` says which).
  bool same_lineage = false;
  // How the signers relate (compare::LinkSigners): "same_certificate"; "rotated" (the previous
  // signer is an older certificate in the current signer's verified lineage); "rolled_back" (the
  // current signer is an older certificate in the previous signer's verified lineage: a signer
  // downgrade); "none". "" in records written before the field existed.
  std::string lineage;
  std::string lineage_from;  // rotated / rolled_back: the previous signer's certificate SHA-256
  std::string lineage_to;    // rotated / rolled_back: the current signer's certificate SHA-256
  bool forced = false;       // compared despite a different package or signer (--force)
  // Both versions had a policy text analysed, so policy changes could be listed.
  bool policies_compared = false;
  // The policy text is byte-for-byte the same in both versions (both analysed).
  bool policy_unchanged = false;
  std::vector<VersionChange> changes;

  bool operator==(const VersionChanges&) const;
};

}  // namespace piaudit::evidence

#endif  // PIAUDIT_EVIDENCE_VERSION_CHANGES_H_
