// What `piaudit scan` and `piaudit judge` share once the items are judged: the one-screen summary,
// the report provenance, and the exit code --fail-on asks for.
#ifndef PIAUDIT_APP_VERDICT_SUMMARY_H_
#define PIAUDIT_APP_VERDICT_SUMMARY_H_

#include <span>
#include <string>
#include <vector>

#include "evidence/evidence.h"
#include "rules/verdict.h"

namespace piaudit::app {

void PrintVerdictSummary(const evidence::AppEvidence& e, std::span<const rules::ItemResult> items,
                         const std::vector<std::string>& written);

// kExitFindings when a violation at or above `fail_on` ("confirmed", "likely", "never") exists.
int ExitCodeForFindings(std::span<const rules::ItemResult> items, const std::string& fail_on);

// RFC 3339 UTC time for `generated_at`: $SOURCE_DATE_EPOCH when set (reproducible output, the
// reproducible-builds convention), else now.
std::string GeneratedAt();

}  // namespace piaudit::app

#endif  // PIAUDIT_APP_VERDICT_SUMMARY_H_
