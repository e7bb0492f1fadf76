// Finds the privacy policy an APK carries when the user gives none: an HTML/text file in assets/
// or res/raw/, or a long string resource. Found by name and, above all, by content (a file named
// "a.html" holding 隐私政策 counts; a file named privacy.html holding a licence does not), and
// never a licence or open-source notice by its name (licenses.html), whatever it quotes.
#ifndef PIAUDIT_APK_POLICY_LOCATE_H_
#define PIAUDIT_APK_POLICY_LOCATE_H_

#include <string>
#include <vector>

#include "apk/apk_facts.h"
#include "knowledge/word_lists.h"

namespace piaudit::apk {

struct BundledPolicy {
  std::string file;  // APK entry ("assets/privacy_policy.html") or "string/<name>"
  bool from_resource_string = false;
  std::string bytes;  // the raw bytes (entry) or UTF-8 text (resource string)
  int score = 0;      // how policy-like (for reports and tie-breaking)
};

// The best bundled policy, or nullopt, scored with words.bundled_policy (data/consent_words.yaml,
// KnowledgeBase::consent_words()). Reads at most a bounded number of candidates, each bounded by
// Limits::max_policy_bytes; problems go to facts.diagnostics.
std::optional<BundledPolicy> LocateBundledPolicy(ApkFacts& facts,
                                                 const std::vector<std::string>& string_resources,
                                                 const knowledge::ConsentWords& words,
                                                 const Limits& limits);

// Scores how much `text` reads like a privacy policy (0 = not at all). Exposed for tests.
int PolicyLikeScore(const knowledge::BundledPolicyWords& words, std::string_view name,
                    std::string_view text);

}  // namespace piaudit::apk

#endif  // PIAUDIT_APK_POLICY_LOCATE_H_
