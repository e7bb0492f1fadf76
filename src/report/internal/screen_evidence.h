// Runtime evidence shown in a problem block (issue #20: "for runtime evidence the screenshot or
// hierarchy excerpt"): the screen a recorded event happened on, and its screenshot as a data: URI
// so report.html stays one self-contained file.
#ifndef PIAUDIT_REPORT_INTERNAL_SCREEN_EVIDENCE_H_
#define PIAUDIT_REPORT_INTERNAL_SCREEN_EVIDENCE_H_

#include <cstdint>
#include <string>

#include "evidence/evidence.h"

namespace piaudit::report::internal {

// The screen a runtime ref (kind trace, time set) happened on: the ui event the ref points at,
// else the last ui event of the same recording at or before the ref's time. nullptr when the
// evidence has no recordings or no screen came before it.
const evidence::RuntimeEventFact* ScreenOf(const evidence::AppEvidence& ev,
                                           const evidence::EvidenceRef& ref);

// The screenshot of `screen` as "data:image/png;base64,...", or "" when it cannot be shown: no
// screenshot, a path outside its recording's folder (evidence.json is input to `judge` too), a
// file now missing, larger than runtime::kMaxScreenshotBytes or more than `*budget` bytes, not
// PNG/JPEG by its magic bytes, or whose SHA-256 is not the one recorded. `*budget` (bytes of
// images a page may still embed) is reduced by what is embedded.
std::string ScreenshotDataUri(const evidence::RuntimeEventFact& screen, uint64_t* budget);

// Images embedded in one report at most (a few dozen screenshots); past it, the path and hash are
// shown instead.
inline constexpr uint64_t kScreenshotBudgetBytes = 24u << 20;

}  // namespace piaudit::report::internal

#endif  // PIAUDIT_REPORT_INTERNAL_SCREEN_EVIDENCE_H_
