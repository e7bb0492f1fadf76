// What the app's compiled layouts show: the text of every view (for the consent-gate search of
// the code analysis) and consent checkboxes that are ticked by default (IM-3.4).
//
// Layouts are found by content, not by path: every res/**.xml entry that parses as binary XML is
// read (resource shrinkers rename res/layout/x.xml to res/a0.xml), bounded by a count and a size.
#ifndef PIAUDIT_APK_LAYOUT_FACTS_H_
#define PIAUDIT_APK_LAYOUT_FACTS_H_

#include <string>
#include <vector>

#include "apk/apk_facts.h"
#include "apk/resource_strings.h"
#include "knowledge/word_lists.h"

namespace piaudit::apk {

// A CheckBox/Switch/RadioButton/ToggleButton with android:checked="true" whose own text or a
// sibling's text reads like consent to a privacy policy or user agreement.
struct PrecheckedConsentBox {
  std::string file;     // "res/layout/activity_login.xml"
  std::string element;  // "CheckBox", "androidx.appcompat.widget.AppCompatCheckBox"
  std::string view_id;  // "@0x7f08001a" or the resource name when known
  std::string text;     // the consent text next to it (UNTRUSTED)
  uint32_t line = 0;    // line in the source XML, from the binary XML node
  uint64_t offset = 0;  // byte offset of the element chunk in the entry
};

struct LayoutFacts {
  ResourceStrings strings;  // layouts with view ids and texts; app string resources
  std::vector<PrecheckedConsentBox> prechecked;
  uint32_t layouts_read = 0;
  uint32_t layouts_skipped = 0;  // over the count/size budget or unparseable (see diagnostics)
};

// Reads every compiled XML resource of `facts` (bounded) and the app's string resources. A ticked
// box is a consent box when its text or a sibling's has a consent_text word of `words`
// (data/consent_words.yaml, KnowledgeBase::consent_words()). Problems go to facts.diagnostics;
// never fails.
LayoutFacts ReadLayoutFacts(ApkFacts& facts, const knowledge::ConsentWords& words,
                            const Limits& limits);

// True when `text` reads like consent to a privacy policy or user agreement (zh or en): it has a
// word of words.consent_text (matched exactly).
bool LooksLikeConsentText(const knowledge::ConsentWords& words, std::string_view text);

}  // namespace piaudit::apk

#endif  // PIAUDIT_APK_LAYOUT_FACTS_H_
