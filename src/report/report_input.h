// What every report renderer takes: the evidence of one scan, the 31 item results, and the
// versions that make the report reproducible (tool and knowledge base).
//
// Ownership: ReportInput only points at data owned by the caller; it must outlive the call.
#ifndef PIAUDIT_REPORT_REPORT_INPUT_H_
#define PIAUDIT_REPORT_REPORT_INPUT_H_

#include <span>
#include <string>
#include <vector>

#include "evidence/evidence.h"
#include "knowledge/knowledge_base.h"
#include "knowledge/messages.h"
#include "rules/baseline.h"
#include "rules/verdict.h"

namespace piaudit::report {

inline constexpr char kReportSchema[] = "piaudit.report/1";
inline constexpr char kDiscloseSchema[] = "piaudit.disclose/1";

// A file the judgement read, named on the report's cover with its hash so a reader can tell
// which policy (or evidence record) the verdicts rest on.
struct InputFile {
  std::string role;    // "apk", "policy", "evidence", "baseline"
  std::string path;    // as given on the command line
  std::string sha256;  // lower-case hex; empty when it could not be read
};

struct ReportInput {
  const evidence::AppEvidence* evidence = nullptr;  // REQUIRED
  std::span<const rules::ItemResult> items;         // the 31 results, in order
  // Optional: names (zh/en) of PI types, SDKs and permissions; ids alone are shown without it.
  const knowledge::KnowledgeBase* kb = nullptr;
  std::string tool_version;  // "0.1.0"
  std::string kb_id;         // "piaudit-kb-cn" (defaults to kb->version().id when kb is set)
  std::string kb_version;    // "2026.11.0"
  std::string generated_at;  // ISO-8601 UTC; empty leaves it out (reproducible output)
  // Optional: the baseline applied to `items` (suppressed findings are marked in them); its
  // stale and expired entries are reported as warnings.
  const rules::BaselineOutcome* baseline = nullptr;
  // The language of the reports for people (HTML, PDF). report.json carries both languages and
  // SARIF stays English (its readers are tools and English-language code-review UIs).
  knowledge::Lang lang = knowledge::Lang::kZh;
  std::vector<InputFile> inputs;  // the cover's "inputs used" (optional)
};

}  // namespace piaudit::report

#endif  // PIAUDIT_REPORT_REPORT_INPUT_H_
