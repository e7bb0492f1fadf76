// Words that say what a screen of an app is for (data/runtime/screen_words.yaml): a consent
// dialog, its agree and refuse buttons, a consent check box, a link to the privacy policy, the
// policy itself, and a permission's stated purpose. runtime/screen_facts.h matches them against
// uiautomator dumps (IM-1.2, IM-1.3, IM-2.3, IM-3.4); docs/schemas/trace-ui-formats.md describes
// the file.
//
// Every list matches by substring. "caseless" lists match ASCII letters in either case and are
// written in lower case; Chinese matches exactly.
#ifndef PIAUDIT_KNOWLEDGE_SCREEN_WORDS_H_
#define PIAUDIT_KNOWLEDGE_SCREEN_WORDS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "knowledge/data_location.h"
#include "knowledge/word_lists.h"

namespace piaudit::knowledge {

// The words of one permission group as a screen names it ("位置", "定位" for location).
struct PermissionGroupWords {
  std::string group;  // "location", "camera", ...
  std::vector<std::string> words;
  std::string source;
  DataLocation where;
};

// A number the matching uses, with where it comes from.
struct ScreenNumber {
  uint32_t value = 0;
  std::string source;
  DataLocation where;
};

struct ScreenWords {
  std::string version;
  // Names of the privacy policy or user agreement: a consent screen's text, a link to the policy,
  // the title of a screen that shows it. Caseless.
  WordList policy_names;
  // Button texts that accept / refuse. A button is a refusal first (不同意 holds 同意). Caseless.
  WordList agree_buttons;
  WordList refuse_buttons;
  // Text beside a consent check box ("我已阅读并同意"). Caseless.
  WordList consent_box;
  // Words that state a purpose ("用于", "以便"). Caseless.
  WordList purpose;
  std::vector<PermissionGroupWords> permission_groups;
  // Longest text (in characters) a button's label has; longer texts are sentences, not buttons.
  ScreenNumber button_max_chars;
  // Characters of visible text that make a screen titled with a policy name show the policy.
  ScreenNumber policy_min_chars;
};

// Loads and validates `data_dir`/runtime/screen_words.yaml. Every problem is reported (the first
// as the Status, with the count of the others), each as "<file>:<line>: <entry>: <problem>".
Result<ScreenWords> LoadScreenWords(const std::string& data_dir);

}  // namespace piaudit::knowledge

#endif  // PIAUDIT_KNOWLEDGE_SCREEN_WORDS_H_
