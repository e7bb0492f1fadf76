// The result model of the 31 rules: verdicts, strengths, findings and one result per item.
//
// A verdict never claims more than its evidence. From the APK alone nothing is `confirmed` (code
// may be dead, a policy may exist outside the APK), so static reachability and a missing bundled
// policy are `likely`; a privacy policy given by the user confirms what its own text says or
// leaves out. When the evidence cannot decide, the verdict says what is needed instead:
// needs-dynamic (what to record while the app runs) or needs-manual (what a person must check).
//
// Item verdict = the strongest of its findings, in this order (strongest first):
//   violation/confirmed > violation/likely > needs-dynamic > needs-manual > compliant >
//   not-applicable.
// So an item is `compliant` only when every one of its findings is, and an unresolved part is
// never hidden behind a resolved one.
#ifndef PIAUDIT_RULES_VERDICT_H_
#define PIAUDIT_RULES_VERDICT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "evidence/evidence.h"
#include "knowledge/messages.h"

namespace piaudit::rules {

enum class Verdict : uint8_t {
  kViolation,
  kCompliant,
  kNeedsDynamic,
  kNeedsManual,
  kNotApplicable,
};
// "violation", "compliant", "needs-dynamic", "needs-manual", "not-applicable".
std::string_view VerdictName(Verdict v);

// Only violations carry a strength; every other verdict has kNone.
enum class Strength : uint8_t { kNone, kLikely, kConfirmed };
std::string_view StrengthName(Strength s);  // "none", "likely", "confirmed"

// Rank used to pick an item's verdict: higher is stronger (see the file comment).
int VerdictRank(Verdict v, Strength s);

// A finding accepted once by a person through a baseline (rules/baseline.h): it stays in every
// report, marked, and no longer counts for the exit code. Never set by a rule.
struct Suppression {
  std::string justification;  // the human reason, never empty
  std::string by;             // who accepted it
  std::string date;           // YYYY-MM-DD, when
  std::string expires;        // YYYY-MM-DD or empty: after it the finding counts again
  std::string baseline_file;  // where the entry came from
  int line = 0;               // 1-based line of the entry in that file
};

struct Finding {
  std::string item_id;   // "IM-2.1"
  std::string title_zh;  // rule text from the knowledge base
  std::string title_en;
  Verdict verdict = Verdict::kNeedsManual;
  Strength strength = Strength::kNone;
  std::string owner = "app";  // "app" or the SDK id responsible
  // What the finding is about, stable for diffing: a PI type id, SDK id, permission, right
  // ("deletion"), or empty for the item as a whole.
  std::string subject;
  std::string message;      // one or two sentences: what was decided and from what
  std::string needed;       // needs-dynamic / needs-manual: what to record or check
  std::string remediation;  // one line
  // The same three texts as message ids with their arguments (data/messages.yaml): what a rule
  // sets. EvaluateAll renders them into the English fields above and the Chinese ones below, so
  // a report can show either language and report.json carries both.
  knowledge::MessageText message_text;
  knowledge::MessageText needed_text;
  knowledge::MessageText remediation_text;
  std::string message_zh;
  std::string needed_zh;
  std::string remediation_zh;
  std::vector<evidence::EvidenceRef> evidence;
  std::optional<Suppression> suppression;  // set by ApplyBaseline, never by a rule
};

// The stable id of a finding: the first 16 hex digits of SHA-256("item|owner|subject"). What a
// baseline names, so it survives rescans (messages and evidence may change; the three keys do
// not). Two findings of one item with the same owner and subject share it, and are accepted
// together: they are the same thing found twice.
std::string FindingId(std::string_view item_id, std::string_view owner, std::string_view subject);

struct ItemResult {
  std::string id;        // "IM-1.1"
  std::string category;  // "IM-1"
  std::string category_zh;
  std::string category_en;
  std::string title_zh;
  std::string title_en;
  std::vector<std::string> evidence_kinds;  // S, P, D, N, V, M (knowledge base)
  Verdict verdict = Verdict::kNeedsManual;
  Strength strength = Strength::kNone;
  std::vector<Finding> findings;  // never empty
};

}  // namespace piaudit::rules

#endif  // PIAUDIT_RULES_VERDICT_H_
