// The "piaudit.policy/1" JSON document of a PolicyAnalysis (docs/schemas/policy.md).
#ifndef PIAUDIT_POLICY_POLICY_JSON_H_
#define PIAUDIT_POLICY_POLICY_JSON_H_

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string_view>

#include "policy/policy_analysis.h"

namespace piaudit::policy {

inline constexpr const char* kPolicySchema = "piaudit.policy/1";

// include_text: also emit the decoded text (large); sentences carry offsets only otherwise.
nlohmann::json PolicyToJson(const PolicyAnalysis& a, bool include_text = false);

// Writes the same document as PolicyToJson(a) with "source" added, streaming: one array element
// at a time, so memory stays bounded by the analysis itself (no DOM, no dumped string). Returns
// false when writing failed (disk full, closed pipe).
bool WritePolicyJson(const PolicyAnalysis& a, std::string_view source, std::FILE* out);

}  // namespace piaudit::policy

#endif  // PIAUDIT_POLICY_POLICY_JSON_H_
