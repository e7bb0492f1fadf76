// `piaudit diff OLD.apk NEW.apk`: what changed between two versions of one app, as the
// piaudit.diff/1 record (docs/schemas/diff.md) or a plain-text listing for people.
#ifndef PIAUDIT_REPORT_DIFF_JSON_H_
#define PIAUDIT_REPORT_DIFF_JSON_H_

#include <string>

#include "evidence/evidence.h"

namespace piaudit::report {

inline constexpr char kDiffSchema[] = "piaudit.diff/1";

struct DiffInput {
  const evidence::AppEvidence* previous = nullptr;    // REQUIRED
  const evidence::AppEvidence* current = nullptr;     // REQUIRED
  const evidence::VersionChanges* changes = nullptr;  // REQUIRED (compare::CompareVersions)
  std::string tool_version;
  std::string kb_version;
  std::string generated_at;  // RFC 3339 UTC; empty leaves it out
};

std::string RenderDiffJson(const DiffInput& in);
// One line per change: "+ permission android.permission.CAMERA [dangerous, widens]"; the
// evidence of each side indented below it.
std::string RenderDiffText(const DiffInput& in);

}  // namespace piaudit::report

#endif  // PIAUDIT_REPORT_DIFF_JSON_H_
