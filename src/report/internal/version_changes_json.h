// The JSON of what changed since a previous version (evidence::VersionChanges), shared by
// report.json ("changes_since"), SARIF result properties and `piaudit diff` (piaudit.diff/1).
#ifndef PIAUDIT_REPORT_INTERNAL_VERSION_CHANGES_JSON_H_
#define PIAUDIT_REPORT_INTERNAL_VERSION_CHANGES_JSON_H_

#include "evidence/evidence.h"
#include "report/internal/json_writer.h"

namespace piaudit::report::internal {

// One evidence ref as report.json writes it (keys in byte order; chain, offset, span when set).
void WriteEvidenceRef(JsonWriter& w, const evidence::EvidenceRef& ref);

// A version's identity: package, version, target SDK, APK file and hash, signers, policy.
void WriteVersionIdentity(JsonWriter& w, const evidence::PreviousVersion& v);
// The same identity of the current version, from its evidence.
evidence::PreviousVersion IdentityOf(const evidence::AppEvidence& ev);

// The change list; `with_refs` false leaves out the evidence on both sides (SARIF properties,
// where each result already has its locations).
void WriteChangeList(JsonWriter& w, const std::vector<evidence::VersionChange>& changes,
                     bool with_refs);
// Counts: added, removed, changed, widening.
void WriteChangeSummary(JsonWriter& w, const std::vector<evidence::VersionChange>& changes);

// "lineage" ("same_certificate", "rotated", "rolled_back", "none"), "lineage_from", "lineage_to":
// how the signers of the two versions relate (compare::LinkSigners), in diff and report JSON.
void WriteLineage(JsonWriter& w, const evidence::VersionChanges& v);

// report.json's "changes_since" object: the previous version, the lineage checks, the policy
// comparison, the summary and the change list with refs.
void WriteChangesSince(JsonWriter& w, const evidence::VersionChanges& v);

}  // namespace piaudit::report::internal

#endif  // PIAUDIT_REPORT_INTERNAL_VERSION_CHANGES_JSON_H_
