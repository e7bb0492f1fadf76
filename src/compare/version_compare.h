// Two versions of one app side by side (issue 14): what changed in the manifest, the code and the
// policy, each change with its evidence on both sides.
//
// The input is what a scan built for each version (evidence::AppEvidence) plus what the evidence
// does not keep: the manifest's components and sharedUserId, the policy text itself (its date or
// version line, whether it changed at all) and the texts of the new version that could announce
// a changed policy. ReadVersionExtras reads those from the APK; CompareVersions is pure. The
// result goes into AppEvidence::previous, where IM-2.2, IM-3.5 and IM-4.3 read it
// (rules/internal/items_change.cc), and into `piaudit diff` (report/diff_json.h).
//
// The same app: the package names must match and the two must be signed by one developer
// (CheckSameApp, LinkSigners): they share a signing certificate, or a VERIFIED v3 proof-of-rotation
// links them (the previous signer is an older key of the current signer's lineage: a rotation; or
// the current signer is an older key of the previous signer's lineage: a roll-back, accepted but
// reported, since a signer downgrade is suspicious). A lineage that does not verify links nothing.
#ifndef PIAUDIT_COMPARE_VERSION_COMPARE_H_
#define PIAUDIT_COMPARE_VERSION_COMPARE_H_

#include <string>
#include <vector>

#include "base/limits.h"
#include "base/status.h"
#include "evidence/evidence.h"
#include "knowledge/knowledge_base.h"

namespace piaudit::compare {

// What one version shows beyond its AppEvidence.
struct VersionExtras {
  struct Component {
    std::string kind;  // "activity", "service", "receiver", "provider", "activity-alias"
    std::string name;
    bool exported = false;
  };
  std::vector<Component> components;
  std::string shared_user_id;
  // The analysed policy's text as extracted for analysis (UTF-8; HTML reduced to its text), empty
  // when there is none or it could not be read (a PDF policy: no statement, no text comparison).
  std::string policy_text;
  // Lines of the policy stating its own date or version (kPolicy refs, detail = the line).
  std::vector<evidence::EvidenceRef> policy_statements;
  // Texts of the app that announce an update together with the policy (kResource / kLayout refs,
  // detail = the text): a hint of a change notice.
  std::vector<evidence::EvidenceRef> change_notices;
};

// Reads the extras of the APK at `apk_path` whose scan produced `ev`: the manifest, the string
// resources and layouts, and the policy text the scan analysed (`ev.policy`: a given file is read
// again from its path, a bundled one from the APK). Fails only when the APK cannot be read.
Result<VersionExtras> ReadVersionExtras(const std::string& apk_path,
                                        const evidence::AppEvidence& ev,
                                        const knowledge::KnowledgeBase& kb, const Limits& limits);

// The policy's date/version lines (words: data/consent_words.yaml policy_statement) and the
// app texts that hint at a change notice (change_notice + privacy_text). Exposed for tests.
std::vector<evidence::EvidenceRef> PolicyStatements(std::string_view text, std::string_view file,
                                                    const knowledge::KnowledgeBase& kb);

struct VersionInput {
  const evidence::AppEvidence* evidence = nullptr;  // REQUIRED
  const VersionExtras* extras = nullptr;            // optional: no manifest/policy-text areas
};

// How SDK version `after` relates to `before`: "same" (equal strings), "upgraded", "downgraded"
// (by their leading dotted numbers), or "changed" (different strings that do not order: no
// leading number, or the same numbers with another suffix).
std::string_view CompareSdkVersions(std::string_view before, std::string_view after);

// How the signers of two versions relate (evidence::VersionChanges::lineage).
struct SignerLink {
  std::string kind;  // "same_certificate", "rotated", "rolled_back", "none"
  std::string from;  // rotated / rolled_back: the previous version's signer certificate SHA-256
  std::string to;    // rotated / rolled_back: the current version's signer certificate SHA-256
};
// A shared certificate first; else a previous signer among the older certificates of a current
// signer's verified lineage ("rotated"); else a current signer among the older certificates of a
// previous signer's verified lineage ("rolled_back"); else "none". Two unsigned APKs: "none".
SignerLink LinkSigners(const evidence::AppEvidence& previous, const evidence::AppEvidence& current);

// OK when both versions have the same package and LinkSigners links them; otherwise
// kInvalidInput naming what differs (both packages, or both certificate lists, and a lineage
// that names the previous certificate but does not verify).
Status CheckSameApp(const evidence::AppEvidence& previous, const evidence::AppEvidence& current);

// Every difference from `previous` to `current` (docs/schemas/diff.md lists the areas). Pure.
evidence::VersionChanges CompareVersions(const VersionInput& previous, const VersionInput& current,
                                         const knowledge::KnowledgeBase& kb);

// What the recordings of both versions show about the permissions the user had set (IM-3.5): a
// permission the user's last answer in the previous version denied that, in the new version,
// comes back granted with no prompt before it ("granted without asking"), or is asked for again
// ("asked again before any tap" when the user had not touched the app yet, else "asked again").
// Appended to `changes` as area "permission_state" with the old answer and the new event as refs.
void AddPermissionStateChanges(const evidence::RuntimeFacts& previous,
                               const evidence::RuntimeFacts& current,
                               evidence::VersionChanges* changes);

}  // namespace piaudit::compare

#endif  // PIAUDIT_COMPARE_VERSION_COMPARE_H_
