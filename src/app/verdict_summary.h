// What `piaudit scan` and `piaudit judge` share once the items are judged: the one-screen summary,
// the report provenance, and the exit code --fail-on asks for.
#ifndef PIAUDIT_APP_VERDICT_SUMMARY_H_
#define PIAUDIT_APP_VERDICT_SUMMARY_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "evidence/evidence.h"
#include "knowledge/messages.h"
#include "report/report_input.h"
#include "rules/baseline.h"
#include "rules/verdict.h"

namespace CLI {
class App;
}  // namespace CLI

namespace piaudit::app {

// `baseline` (may be null) adds the suppressed count and one line per stale or expired entry.
// Item titles are shown in `lang` (the reports' --lang; from data/items.yaml); the verdict words
// stay the fixed tokens scripts look for ("VIOLATION (likely)", "compliant").
void PrintVerdictSummary(const evidence::AppEvidence& e, std::span<const rules::ItemResult> items,
                         const std::vector<std::string>& written,
                         const rules::BaselineOutcome* baseline = nullptr,
                         knowledge::Lang lang = knowledge::Lang::kEn);

// --fail-on: the weakest violation that fails the gate, for all items and per item.
//   "likely" | "confirmed" | "never", optionally followed by ",ITEM=LEVEL" overrides:
//   "likely,IM-3.1=confirmed,IM-1.4=never"; an override alone ("IM-1.4=never") keeps "likely".
enum class FailLevel : uint8_t { kConfirmed, kLikely, kNever };
struct FailOn {
  FailLevel all = FailLevel::kLikely;
  std::map<std::string, FailLevel, std::less<>> items;  // item id -> its own level
};
// kInvalidInput naming the unknown level or item id (a usage error for the commands).
Result<FailOn> ParseFailOn(std::string_view spec);
inline constexpr char kFailOnHelp[] =
    "exit 1 when a violation not accepted by --baseline is at least this strong: confirmed, "
    "likely or never, then optional per-item overrides, e.g. likely,IM-3.1=confirmed,IM-1.4=never";

// kExitFindings when a finding that is a violation, not suppressed by a baseline, reaches the
// level --fail-on sets for its item.
int ExitCodeForFindings(std::span<const rules::ItemResult> items, const FailOn& fail_on);

// The baseline options of scan and judge: reads --baseline before the work starts (a bad file
// is exit 3 with one line on stderr, before anything is written), then marks the findings and
// writes --write-baseline after it. `command` names the command in messages.
class BaselineStep {
 public:
  // kExitOk, or kExitBadInput after printing the error.
  int Load(const char* command, const std::string& path);
  // Marks the findings (no-op without --baseline); returns the outcome for the reports, or null.
  const rules::BaselineOutcome* Apply(std::span<rules::ItemResult> items, std::string_view today);
  // kExitOk, or kExitInternal after printing why the file could not be written.
  int Write(const char* command, const std::string& path, std::span<const rules::ItemResult> items,
            std::string_view today) const;

 private:
  std::optional<rules::Baseline> baseline_;
  std::optional<rules::BaselineOutcome> outcome_;
};

// The report options scan and judge share, registered once by AddReportFlags.
struct ReportFlags {
  std::string out_dir = "piaudit-report";
  std::string formats = "json,sarif,html";
  std::string fail_on = "likely";
  std::string baseline;
  std::string write_baseline;
  std::string kb_dir;
  std::string lang = "zh";  // --lang: the language of report.html / report.pdf
};
// -o/--out, --format (described by `format_help`), --fail-on, --baseline, --write-baseline, --kb,
// --lang.
void AddReportFlags(CLI::App* cmd, const char* format_help, ReportFlags* flags);

// What scan and judge check before any work: the report formats, the exit policy and the baseline.
struct ReportGate {
  std::set<std::string> formats;
  FailOn fail_on;
  BaselineStep baseline;
  knowledge::Lang lang = knowledge::Lang::kZh;
};
// kExitOk with *out filled; kExitUsage (bad --format, --fail-on or --lang, or pdf asked for
// without Chromium) or kExitBadInput (bad --baseline) after printing one line that starts with
// "piaudit <command>: " and says what to do.
int PrepareReportGate(const char* command, const ReportFlags& flags, ReportGate* out);

// RFC 3339 UTC time for `generated_at`: $SOURCE_DATE_EPOCH when set (reproducible output, the
// reproducible-builds convention), else now.
std::string GeneratedAt();

// An input file for the report's cover: its path and SHA-256 (empty hash when unreadable).
report::InputFile DescribeInput(std::string role, const std::string& path);

}  // namespace piaudit::app

#endif  // PIAUDIT_APP_VERDICT_SUMMARY_H_
