// ASCII case folding and code-point counting for names, hosts and word lists. Only the bytes
// 'A'..'Z' change, so UTF-8 text (Chinese) passes through untouched and no locale is consulted.
#ifndef PIAUDIT_BASE_ASCII_H_
#define PIAUDIT_BASE_ASCII_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace piaudit {

inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Code points of well-formed UTF-8 (continuation bytes not counted): characters, not bytes.
inline size_t CountCodePoints(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace piaudit

#endif  // PIAUDIT_BASE_ASCII_H_
