// Finding the app's privacy-consent gate: the dialog that shows the privacy policy, its "agree"
// handler, and the flag that handler stores and start-up code reads before initialising SDKs.
//
//   dialog evidence  string resources / layouts / const-strings mentioning 隐私政策, 用户协议,
//                    privacy policy ...; methods that use such a const-string or the resource id
//                    of such a string or layout are "dialog methods";
//   agree handler    the onClick of the positive button listener (AlertDialog.Builder
//                    setPositiveButton) or of the click listener set on a view whose layout text
//                    or id says agree (同意 / agree / confirm), in a dialog method's class;
//   flag             the first constant key the handler (or what it calls, within a few calls)
//                    stores as true: put*/set*/save*(..."key", true) or a boolean field write;
//   readers / gates  methods that read that key (get*/is*("key", ...)) or field and branch on
//                    the result (if-eqz / if-nez): calls after the branch are gated.
#ifndef PIAUDIT_ANALYSIS_CONSENT_GATE_H_
#define PIAUDIT_ANALYSIS_CONSENT_GATE_H_

#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analysis/call_graph.h"
#include "analysis/class_hierarchy.h"
#include "analysis/code_analysis.h"
#include "analysis/method_scan.h"

namespace piaudit::analysis {

// Resource ids worth noticing when code loads them as constants: privacy strings and layouts,
// and ids of views whose text or name says agree/disagree (the words: data/consent_words.yaml).
std::unordered_set<uint32_t> InterestingResourceIds(const ResourceStrings& resources,
                                                    const ConsentText& consent);

struct GateAnalysis {
  ConsentGate report;
  std::unordered_map<uint32_t, uint32_t> gates;  // reader method -> branch dex_pc
  std::vector<uint32_t> agree_handlers;          // method ids
  uint32_t handlers_not_searched = 0;  // candidates beyond max_handlers (each costs a BFS)
};

// `consent` holds the privacy, agree and consent-key words. At most `max_handlers` candidate
// handlers are searched for the flag they store (Limits::max_consent_handlers). `stop` (may be
// null) is checked per handler and per fact list; when it fires the result is incomplete and the
// caller must check ShouldStop(stop) and discard it.
GateAnalysis FindConsentGate(const ClassHierarchy& hierarchy, const CallGraph& graph,
                             const ScanFacts& facts, const ResourceStrings& resources,
                             const ConsentText& consent, uint32_t max_handlers,
                             const StopCondition* stop = nullptr);

// At most `max_bytes` of `text`, cut on a UTF-8 character boundary.
std::string Excerpt(std::string_view text, size_t max_bytes = 120);

}  // namespace piaudit::analysis

#endif  // PIAUDIT_ANALYSIS_CONSENT_GATE_H_
