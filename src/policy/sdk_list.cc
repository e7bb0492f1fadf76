#include "policy/sdk_list.h"

namespace piaudit::policy {
namespace {

// Keys are field names (第三方SDK名称, 共享的个人信息类型): 12 code points cover them; a longer
// run before a colon is prose.
constexpr size_t kMaxKeyChars = 12;
// A value longer than this is not a field of a list (the data-type field of a real SDK row is
// under 150 code points); it is cut there.
constexpr size_t kMaxValueChars = 300;
// An SDK name (with a parenthesised alias or a list of a vendor's SDKs) fits in 40 code points; a
// longer name value, or one with a comma or full stop, is a sentence after a heading such as
// 广告SDK： ("为了向您展示您感兴趣的广告，我们将…"), not a list row.
constexpr size_t kMaxNameChars = 40;

bool IsKeyStop(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == 0x3000 || c == U'，' || c == U'。' ||
         c == U'；' || c == ';' || c == ',' || c == U'、' || c == '*' || c == '|' || c == '>' ||
         c == '<' || c == '(' || c == ')' || c == U'（' || c == U'）' || c == U'：' || c == ':' ||
         c == '[' || c == ']' || c == U'【' || c == U'】' || c == '_' || c == '#';
}

bool IsTrim(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == 0x3000 || c == '*' || c == '_' || c == '<' ||
         c == '>' || c == '|' || c == U'；' || c == ';' || c == U'，' || c == ',' || c == U'。';
}

bool Contains(std::u32string_view s, const std::vector<std::u32string>& words) {
  for (const std::u32string& w : words)
    if (!w.empty() && s.find(w) != std::u32string_view::npos) return true;
  return false;
}

struct Key {
  uint32_t start = 0;  // of the key text
  uint32_t colon = 0;
  int role = -1;
};

}  // namespace

std::vector<SdkListRecord> FindSdkListRecords(
    std::u32string_view t, const std::array<std::vector<std::u32string>, 5>& role_words,
    const std::vector<std::u32string>& markers, size_t max_records) {
  constexpr int kName = 4;
  std::vector<Key> keys;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] != U'：' && t[i] != ':') continue;
    size_t k = i;
    while (k > 0 && i - k < kMaxKeyChars && !IsKeyStop(t[k - 1])) --k;
    if (k == i || (k > 0 && !IsKeyStop(t[k - 1]))) continue;  // empty, or longer than a key
    const std::u32string_view key = t.substr(k, i - k);
    if (key == U"http" || key == U"https") continue;
    for (int r = 0; r < 5; ++r) {
      if (Contains(key, role_words[r])) {
        keys.push_back({static_cast<uint32_t>(k), static_cast<uint32_t>(i), r});
        break;
      }
    }
  }
  std::vector<SdkListRecord> out;
  SdkListRecord cur;
  int fields = 0;
  bool open = false;
  auto close = [&] {
    if (open && fields >= 2 && out.size() < max_records) out.push_back(cur);
    open = false;
    fields = 0;
    cur = SdkListRecord();
  };
  for (size_t j = 0; j < keys.size(); ++j) {
    const Key& key = keys[j];
    // The value: to the next key, else to the end of the line, at most kMaxValueChars.
    uint32_t vs = key.colon + 1;
    uint32_t limit = static_cast<uint32_t>(std::min(t.size(), vs + kMaxValueChars));
    uint32_t ve = vs;
    const uint32_t next = j + 1 < keys.size() ? keys[j + 1].start : UINT32_MAX;
    while (ve < limit && ve < next && t[ve] != '\n') ++ve;
    // A value may wrap onto the next line of a long record (the corpus texts wrap at ~80).
    if (ve < limit && t[ve] == '\n' && next != UINT32_MAX && next - ve < kMaxValueChars / 2 &&
        next <= limit) {
      bool blank = true;
      for (uint32_t x = ve + 1; x < next && x < t.size(); ++x)
        if (t[x] == '\n') blank = false;
      if (blank) ve = next;
    }
    while (vs < ve && IsTrim(t[vs])) ++vs;
    while (ve > vs && IsTrim(t[ve - 1])) --ve;
    if (key.role == kName) {
      close();
      const std::u32string_view key_text = t.substr(key.start, key.colon - key.start);
      const std::u32string_view name = t.substr(vs, ve - vs);
      if (name.empty() || name.size() > kMaxNameChars ||
          name.find_first_of(U"，。,") != std::u32string_view::npos ||
          !(Contains(key_text, markers) || Contains(name, markers)))
        continue;
      open = true;
      fields = 1;
      cur.fields[kName] = {vs, ve};
      continue;
    }
    if (!open || vs == ve) continue;
    // Records are contiguous: a field far from the previous one belongs to other prose.
    if (cur.fields[key.role].end > cur.fields[key.role].start) continue;  // role seen: keep first
    cur.fields[key.role] = {vs, ve};
    ++fields;
  }
  close();
  return out;
}

}  // namespace piaudit::policy
