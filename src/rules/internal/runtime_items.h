// Findings from recordings of the app running (items_runtime.cc).
#ifndef PIAUDIT_RULES_INTERNAL_RUNTIME_ITEMS_H_
#define PIAUDIT_RULES_INTERNAL_RUNTIME_ITEMS_H_

#include <string_view>
#include <vector>

#include "rules/internal/context.h"

namespace piaudit::rules::internal {

// Adds to (and, where the recording answers the whole question, replaces) the static findings of
// item `id` from AppEvidence::runtime. Without runtime facts it does nothing.
void ApplyRuntime(const RuleContext& c, std::string_view id, std::vector<Finding>* out);

// The first lifecycle `crash` or `stop` within `seconds` (data/thresholds.yaml
// runtime_stop_after_refusal_seconds) at or after `t` ms, or null: the app closed by a refusal.
const evidence::RuntimeEventFact* StopAfterRefusal(const evidence::RuntimeFacts& r, int64_t t,
                                                   double seconds);

}  // namespace piaudit::rules::internal

#endif  // PIAUDIT_RULES_INTERNAL_RUNTIME_ITEMS_H_
