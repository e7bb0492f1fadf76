// Text the app shows, as the scan resolves it from resources.arsc and the compiled layouts: the
// input of the consent-gate search (analysis/consent_gate.h) and of the bundled-policy search.
// Plain data, owned copies (UNTRUSTED text from the APK).
#ifndef PIAUDIT_APK_RESOURCE_STRINGS_H_
#define PIAUDIT_APK_RESOURCE_STRINGS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "android/arsc.h"

namespace piaudit::apk {

// Default locale first; other locales may be appended as further entries with the same id.
struct ResourceStrings {
  struct String {
    uint32_t id = 0;   // 0x7f...; 0 when unknown
    std::string name;  // "privacy_dialog_text"
    std::string text;
  };
  struct LayoutView {
    uint32_t id = 0;      // android:id, 0 when none
    std::string id_name;  // "btn_agree"
    std::string text;     // android:text resolved, "" when none
  };
  struct Layout {
    uint32_t id = 0;   // R.layout.x
    std::string name;  // "dialog_privacy"
    std::vector<LayoutView> views;
  };
  std::vector<String> strings;
  std::vector<Layout> layouts;
};

// The app package's string resources (type "string", default configuration), at most
// `max_strings` of them (a hostile table may hold millions).
ResourceStrings CollectResourceStrings(const android::ResourceTable& table, size_t max_strings);

}  // namespace piaudit::apk

#endif  // PIAUDIT_APK_RESOURCE_STRINGS_H_
