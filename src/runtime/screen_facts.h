// Facts about one screen of the running app, read from its uiautomator dump: is it the consent
// dialog and where are its buttons (IM-1.2), is a consent box ticked before the user touches it
// (IM-3.4), does it link to or show the privacy policy (IM-1.3), and does it state why a
// permission is needed (IM-2.3). The words come from data/runtime/screen_words.yaml; the rules
// here only say where on the screen they must appear (docs/schemas/trace-ui-formats.md).
//
// Only what the dump shows counts: text drawn into a WebView or an image is invisible to
// uiautomator, so a fact that is false may only mean the screen did not expose its text.
#ifndef PIAUDIT_RUNTIME_SCREEN_FACTS_H_
#define PIAUDIT_RUNTIME_SCREEN_FACTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "knowledge/screen_words.h"
#include "trace/ui_hierarchy.h"

namespace piaudit::runtime {

// A text on the screen and where: the node that carries it and the bounds of the node a user
// taps (a clickable ancestor's, for a label inside a clickable row).
struct ScreenText {
  std::string text;
  int32_t node = -1;  // index into UiHierarchy::nodes
  int32_t left = 0;
  int32_t top = 0;
  int32_t right = 0;
  int32_t bottom = 0;
};

struct PurposeText {
  ScreenText where;
  std::vector<std::string> groups;  // permission groups it names ("location", "camera")
};

struct ScreenFacts {
  // Names the privacy policy or user agreement and offers a button that accepts.
  bool is_consent_screen = false;
  // Its buttons (short tappable texts); both empty when the screen is not a consent screen.
  std::vector<ScreenText> agree_buttons;
  std::vector<ScreenText> refuse_buttons;
  // A ticked check box whose own text or same-row text speaks of consent or the policy (IM-3.4);
  // `text` is that text and the bounds are the box's.
  std::optional<ScreenText> prechecked_consent;
  // The same kind of box, not ticked.
  std::optional<ScreenText> unchecked_consent;
  // The first tappable text naming the policy (a settings entry, a link in a dialog); the bounds
  // are those of the view a user taps.
  std::optional<ScreenText> policy_link;
  // A title naming the policy over a long text (or a WebView): the screen shows the policy.
  bool shows_policy = false;
  // Texts stating a purpose together with a permission's name.
  std::vector<PurposeText> purpose_texts;
};

ScreenFacts ComputeScreenFacts(const trace::UiHierarchy& screen,
                               const knowledge::ScreenWords& words);

// What a report shows of a screen (the hierarchy excerpt): the texts and content descriptions of
// its visible nodes in document order, each once, trimmed, cut at `max_bytes` on a character
// boundary, at most `max_count` of them.
inline constexpr size_t kScreenTextsKept = 40;
inline constexpr size_t kScreenTextBytes = 200;
std::vector<std::string> VisibleTexts(const trace::UiHierarchy& screen,
                                      size_t max_count = kScreenTextsKept,
                                      size_t max_bytes = kScreenTextBytes);

// Screenshots a recording may name, recognised by their first bytes (never by the file name):
// "image/png" or "image/jpeg"; "" for anything else.
std::string_view ScreenshotMimeType(std::string_view head);
// A screenshot larger than this is not kept (a phone's full-screen PNG is 0.2-3 MB).
inline constexpr uint64_t kMaxScreenshotBytes = 4u << 20;

// `relative` (a name from a recording) inside `folder`: nullopt when it is absolute, has a ".."
// part, or resolves (through symbolic links) outside the folder, so a recording cannot make
// piaudit read or show files elsewhere.
std::optional<std::string> PathInsideFolder(const std::string& folder, std::string_view relative);

}  // namespace piaudit::runtime

#endif  // PIAUDIT_RUNTIME_SCREEN_FACTS_H_
