// UTF-8 encoding of one code point, shared by every decoder (MUTF-8 in dex, UTF-16 string pools,
// policy text). It encodes exactly what it is given; callers decide what to do with surrogates
// and out-of-range values first (each format has its own rule: dexdump keeps lone surrogates,
// string pools and policies replace them with U+FFFD).
#ifndef PIAUDIT_BASE_UTF8_H_
#define PIAUDIT_BASE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace piaudit {

// REQUIRES: cp <= 0x10ffff
inline void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

// The length of the well-formed UTF-8 sequence at s[i] (a lead byte >= 0x80), or 0 with
// *invalid_length set to the bytes one U+FFFD stands for: an invalid lead byte alone, else the lead
// and the continuation bytes that were still valid (the "maximal subpart" rule of Unicode 3.9,
// which nlohmann's decoder follows too, so every output replaces bad bytes alike). Overlong forms,
// surrogates and code points above U+10FFFF are invalid.
// REQUIRES: i < s.size()
inline size_t WellFormedUtf8Length(std::string_view s, size_t i, size_t* invalid_length) {
  const uint8_t lead = static_cast<uint8_t>(s[i]);
  size_t continuation = 0;
  uint8_t second_min = 0x80, second_max = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    continuation = 1;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    continuation = 2;
    if (lead == 0xe0) second_min = 0xa0;  // overlong
    if (lead == 0xed) second_max = 0x9f;  // surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    continuation = 3;
    if (lead == 0xf0) second_min = 0x90;  // overlong
    if (lead == 0xf4) second_max = 0x8f;  // above U+10FFFF
  } else {
    *invalid_length = 1;  // a continuation byte, C0, C1 or F5..FF
    return 0;
  }
  size_t k = 1;
  for (; k <= continuation && i + k < s.size(); ++k) {
    const uint8_t b = static_cast<uint8_t>(s[i + k]);
    if (b < (k == 1 ? second_min : 0x80) || b > (k == 1 ? second_max : 0xbf)) break;
  }
  if (k == continuation + 1) return k;
  *invalid_length = k;
  return 0;
}

// At most `max_bytes` of `text`, cut back to a code-point boundary, with "…" appended when it was
// cut: for untrusted text kept in evidence and printed in reports.
inline std::string BoundedUtf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "\u2026";
}

}  // namespace piaudit

#endif  // PIAUDIT_BASE_UTF8_H_
