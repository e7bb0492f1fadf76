#include "runtime/screen_facts.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <string_view>

#include "base/ascii.h"

namespace piaudit::runtime {
namespace {

using knowledge::WordList;
using trace::UiHierarchy;
using trace::UiNode;

// How far up a label looks for the clickable view that holds it (TextView in a clickable row).
constexpr int kClickableAncestorLevels = 2;
// Nodes looked at around one check box for its label: a row has a handful; the bound keeps a
// hostile screen of 100k boxes under one parent linear.
constexpr int32_t kMaxRowNodes = 256;

bool HasAny(std::string_view lowered, const std::vector<std::string>& words) {
  for (const std::string& w : words) {
    if (lowered.find(w) != std::string_view::npos) return true;
  }
  return false;
}

bool HasBounds(const UiNode& n) {
  return n.left != 0 || n.top != 0 || n.right != 0 || n.bottom != 0;
}

// A node with bounds of no area is not on screen; one without bounds may be.
bool Visible(const UiNode& n) { return !HasBounds(n) || (n.right > n.left && n.bottom > n.top); }

class Screen {
 public:
  Screen(const UiHierarchy& h, const knowledge::ScreenWords& w) : h_(h), w_(w) {
    label_.reserve(h.nodes.size());
    lowered_.reserve(h.nodes.size());
    for (const UiNode& n : h.nodes) {
      const std::string& label = !n.text.empty() ? n.text : n.content_desc;
      label_.push_back(&label);
      lowered_.push_back(Visible(n) ? AsciiLower(label) : std::string());
    }
  }

  ScreenFacts Compute() {
    ScreenFacts f;
    size_t visible_chars = 0;
    bool names_policy = false;
    bool policy_title = false;
    bool web_view = false;
    const size_t title_max = 2 * static_cast<size_t>(w_.button_max_chars.value);
    for (size_t i = 0; i < h_.nodes.size(); ++i) {
      const UiNode& n = h_.nodes[i];
      if (!Visible(n)) continue;
      web_view |= n.class_name.find("WebView") != std::string::npos;
      const std::string& low = lowered_[i];
      if (low.empty()) continue;
      const size_t chars = CountCodePoints(*label_[i]);
      visible_chars += chars;
      const bool policy = HasAny(low, w_.policy_names.words);
      names_policy |= policy;
      if (policy && chars <= title_max) policy_title = true;
      const int32_t tap = ClickableSelfOrAncestor(static_cast<int32_t>(i));
      if (policy && !f.policy_link && tap >= 0) {
        f.policy_link = At(static_cast<int32_t>(i), tap);
      }
      const bool buttonish = tap >= 0 || n.class_name.find("Button") != std::string::npos;
      if (buttonish && chars <= w_.button_max_chars.value && !n.checkable) {
        if (HasAny(low, w_.refuse_buttons.words)) {
          f.refuse_buttons.push_back(At(static_cast<int32_t>(i), tap));
        } else if (HasAny(low, w_.agree_buttons.words)) {
          f.agree_buttons.push_back(At(static_cast<int32_t>(i), tap));
        }
      }
      if (HasAny(low, w_.purpose.words)) {
        PurposeText p;
        for (const knowledge::PermissionGroupWords& g : w_.permission_groups) {
          if (HasAny(low, g.words)) p.groups.push_back(g.group);
        }
        if (!p.groups.empty()) {
          p.where = At(static_cast<int32_t>(i), -1);
          f.purpose_texts.push_back(std::move(p));
        }
      }
    }
    f.is_consent_screen = names_policy && !f.agree_buttons.empty();
    if (!f.is_consent_screen) {  // "退出登录" on a settings screen is no refusal of consent
      f.agree_buttons.clear();
      f.refuse_buttons.clear();
    }
    f.shows_policy = policy_title && (visible_chars >= w_.policy_min_chars.value || web_view);
    for (size_t i = 0; i < h_.nodes.size(); ++i) {
      if (f.prechecked_consent && f.unchecked_consent) break;
      const UiNode& n = h_.nodes[i];
      if (!n.checkable || !Visible(n)) continue;
      std::optional<ScreenText>& slot = n.checked ? f.prechecked_consent : f.unchecked_consent;
      if (slot) continue;
      const int32_t label = ConsentLabel(static_cast<int32_t>(i));
      if (label < 0) continue;
      ScreenText t = At(static_cast<int32_t>(i), -1);
      t.text = *label_[label];
      slot = std::move(t);
    }
    return f;
  }

 private:
  // The node itself or one of its nearest ancestors that is clickable; -1 when none is.
  int32_t ClickableSelfOrAncestor(int32_t i) const {
    for (int level = 0; i >= 0 && level <= kClickableAncestorLevels; ++level) {
      if (h_.nodes[i].clickable) return i;
      i = h_.nodes[i].parent;
    }
    return -1;
  }

  // The text carried by `node`, with the bounds of `tap` (or of the node when tap is -1).
  ScreenText At(int32_t node, int32_t tap) const {
    const UiNode& b = h_.nodes[tap >= 0 ? tap : node];
    return ScreenText{*label_[node], node, b.left, b.top, b.right, b.bottom};
  }

  bool IsConsentText(int32_t i) const {
    const std::string& low = lowered_[i];
    return !low.empty() &&
           (HasAny(low, w_.consent_box.words) || HasAny(low, w_.policy_names.words));
  }

  static bool SameRow(const UiNode& a, const UiNode& b) {
    if (!HasBounds(a) || !HasBounds(b)) return true;
    return a.top < b.bottom && b.top < a.bottom;
  }

  // The text that makes check box `box` a consent box: its own, else the nearest one in the same
  // row under its parent, then under its grandparent ("[x] 我已阅读并同意《隐私政策》" is a box
  // and a TextView side by side, sometimes each wrapped in a layout). -1 when none speaks of it.
  int32_t ConsentLabel(int32_t box) const {
    if (IsConsentText(box)) return box;
    int32_t scope = h_.nodes[box].parent;
    for (int level = 0; level < 2 && scope >= 0; ++level, scope = h_.nodes[scope].parent) {
      // Nodes are in document order, so the scope's subtree is the run of deeper nodes after it.
      const int32_t end =
          std::min<int32_t>(static_cast<int32_t>(h_.nodes.size()), scope + 1 + kMaxRowNodes);
      for (int32_t j = scope + 1; j < end; ++j) {
        if (h_.nodes[j].depth <= h_.nodes[scope].depth) break;  // past the scope's subtree
        if (j == box || !IsConsentText(j)) continue;
        if (SameRow(h_.nodes[box], h_.nodes[j])) return j;
      }
    }
    return -1;
  }

  const UiHierarchy& h_;
  const knowledge::ScreenWords& w_;
  std::vector<const std::string*> label_;  // text, else content-desc
  std::vector<std::string> lowered_;       // "" for an invisible node
};

}  // namespace

ScreenFacts ComputeScreenFacts(const trace::UiHierarchy& screen,
                               const knowledge::ScreenWords& words) {
  return Screen(screen, words).Compute();
}

std::vector<std::string> VisibleTexts(const trace::UiHierarchy& screen, size_t max_count,
                                      size_t max_bytes) {
  std::vector<std::string> out;
  std::set<std::string, std::less<>> seen;
  auto add = [&](std::string_view t) {
    while (!t.empty() && (t.front() == ' ' || t.front() == '\n' || t.front() == '\t')) {
      t.remove_prefix(1);
    }
    while (!t.empty() && (t.back() == ' ' || t.back() == '\n' || t.back() == '\t')) {
      t.remove_suffix(1);
    }
    if (t.empty() || out.size() >= max_count) return;
    if (t.size() > max_bytes) {
      size_t cut = max_bytes;
      // Back to the start of a UTF-8 character.
      while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80) --cut;
      t = t.substr(0, cut);
    }
    if (seen.insert(std::string(t)).second) out.emplace_back(t);
  };
  for (const UiNode& n : screen.nodes) {
    if (out.size() >= max_count) break;
    if (!Visible(n)) continue;
    add(n.text);
    add(n.content_desc);
  }
  return out;
}

std::string_view ScreenshotMimeType(std::string_view head) {
  if (head.size() >= 8 && head.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) {
    return "image/png";
  }
  if (head.size() >= 3 && head.substr(0, 3) == std::string_view("\xFF\xD8\xFF", 3)) {
    return "image/jpeg";
  }
  return "";
}

std::optional<std::string> PathInsideFolder(const std::string& folder, std::string_view relative) {
  namespace fs = std::filesystem;
  if (relative.empty() || relative.find('\0') != std::string_view::npos) return std::nullopt;
  const fs::path rel{std::string(relative)};
  if (!rel.is_relative() || rel.has_root_name() || rel.has_root_directory()) return std::nullopt;
  for (const fs::path& part : rel) {
    if (part == "..") return std::nullopt;
  }
  std::error_code ec;
  const fs::path base = fs::weakly_canonical(fs::absolute(folder.empty() ? "." : folder, ec), ec);
  if (ec) return std::nullopt;
  const fs::path full = fs::weakly_canonical(base / rel, ec);
  if (ec) return std::nullopt;
  // A symbolic link inside the folder may still point out of it.
  auto b = base.begin();
  auto f = full.begin();
  for (; b != base.end(); ++b, ++f) {
    if (f == full.end() || *b != *f) return std::nullopt;
  }
  return (fs::path(folder.empty() ? "." : folder) / rel).lexically_normal().string();
}

}  // namespace piaudit::runtime
