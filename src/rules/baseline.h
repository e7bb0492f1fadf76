// A baseline (piaudit.baseline/1, docs/baseline.md): findings a person has accepted once, with a
// reason, so a release gate fails only on new ones. An accepted finding is never removed: it is
// marked (Finding::suppression) in every report and no longer counts for the exit code.
//
// The file is untrusted input: bounded (Limits::max_baseline_bytes), strictly read (unknown keys,
// a missing or "TODO" justification, a bad date are errors naming the file and line), so a typo
// cannot silently accept or un-accept a finding.
#ifndef PIAUDIT_RULES_BASELINE_H_
#define PIAUDIT_RULES_BASELINE_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/limits.h"
#include "base/status.h"
#include "rules/verdict.h"

namespace piaudit::rules {

inline constexpr char kBaselineSchema[] = "piaudit.baseline/1";

struct BaselineEntry {
  std::string id;    // FindingId; computed from item/owner/subject when the file gives only those
  std::string item;  // as written; empty when the file gives only the id
  std::string owner;
  std::string subject;
  std::string justification;
  std::string by;
  std::string date;     // YYYY-MM-DD
  std::string expires;  // YYYY-MM-DD or empty
  int line = 0;         // 1-based line of the entry
};

struct Baseline {
  std::string file;
  std::vector<BaselineEntry> entries;
};

// Parses a baseline's text; `file` only names it in errors. kInvalidInput "FILE: line N: ...".
Result<Baseline> ParseBaseline(std::string_view text, std::string_view file);
// Reads `path` (at most limits.max_baseline_bytes) and parses it.
Result<Baseline> ReadBaseline(const std::string& path, const Limits& limits);

// What applying a baseline did, for the reports: entries that matched nothing open (stale: the
// finding is gone or now compliant, so the entry can be deleted) and entries past their expiry
// (they suppress nothing, so the finding counts again).
struct BaselineOutcome {
  std::string file;
  int suppressed = 0;  // findings marked
  std::vector<BaselineEntry> stale;
  std::vector<BaselineEntry> expired;
};

// Marks every open finding (violation, needs-dynamic, needs-manual) whose FindingId an unexpired
// entry names. `today` is YYYY-MM-DD: an entry with `expires` suppresses while today < expires.
// Item verdicts are left as they are: a suppressed finding is accepted, not resolved.
BaselineOutcome ApplyBaseline(const Baseline& baseline, std::string_view today,
                              std::span<ItemResult> items);

// True for a finding a baseline can accept and --fail-on can fail on.
bool IsOpen(const Finding& f);

// A baseline of every open finding: a suppressed one keeps its entry's reason, who and dates;
// every other gets justification "TODO" (which ParseBaseline rejects, so accepting a finding
// always takes a person's reason), by "TODO" and date `today`.
std::string RenderBaselineYaml(std::span<const ItemResult> items, std::string_view today);

}  // namespace piaudit::rules

#endif  // PIAUDIT_RULES_BASELINE_H_
