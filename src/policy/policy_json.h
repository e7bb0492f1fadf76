// The "piaudit.policy/1" JSON document of a PolicyAnalysis (docs/schemas/policy.md).
#ifndef PIAUDIT_POLICY_POLICY_JSON_H_
#define PIAUDIT_POLICY_POLICY_JSON_H_

#include <nlohmann/json.hpp>

#include "policy/policy_analysis.h"

namespace piaudit::policy {

inline constexpr const char* kPolicySchema = "piaudit.policy/1";

// include_text: also emit the decoded text (large); sentences carry offsets only otherwise.
nlohmann::json PolicyToJson(const PolicyAnalysis& a, bool include_text = false);

}  // namespace piaudit::policy

#endif  // PIAUDIT_POLICY_POLICY_JSON_H_
