// UTF-8 encoding of one code point, shared by every decoder (MUTF-8 in dex, UTF-16 string pools,
// policy text). It encodes exactly what it is given; callers decide what to do with surrogates
// and out-of-range values first (each format has its own rule: dexdump keeps lone surrogates,
// string pools and policies replace them with U+FFFD).
#ifndef PIAUDIT_BASE_UTF8_H_
#define PIAUDIT_BASE_UTF8_H_

#include <cstdint>
#include <string>

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

}  // namespace piaudit

#endif  // PIAUDIT_BASE_UTF8_H_
