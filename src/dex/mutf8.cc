// MUTF-8 <-> UTF-8. See mutf8.h for the two differences that matter (C0 80, surrogate pairs).
#include "dex/mutf8.h"

#include <cstdint>
#include <cstring>

#include "base/utf8.h"

namespace piaudit::dex {
namespace {

constexpr uint32_t kReplacement = 0xfffd;

// Decodes one MUTF-8 unit (1-3 bytes, a UTF-16 code unit) at s[*i]. Returns false (and advances
// one byte) on a malformed sequence.
bool NextUnit(std::string_view s, size_t* i, uint32_t* unit) {
  const uint8_t b0 = static_cast<uint8_t>(s[*i]);
  if (b0 < 0x80) {
    *unit = b0;
    *i += 1;
    return true;
  }
  if ((b0 & 0xe0) == 0xc0) {
    if (s.size() - *i >= 2 && (static_cast<uint8_t>(s[*i + 1]) & 0xc0) == 0x80) {
      *unit = ((b0 & 0x1f) << 6) | (static_cast<uint8_t>(s[*i + 1]) & 0x3f);
      *i += 2;
      return true;
    }
  } else if ((b0 & 0xf0) == 0xe0) {
    if (s.size() - *i >= 3 && (static_cast<uint8_t>(s[*i + 1]) & 0xc0) == 0x80 &&
        (static_cast<uint8_t>(s[*i + 2]) & 0xc0) == 0x80) {
      *unit = ((b0 & 0x0f) << 12) | ((static_cast<uint8_t>(s[*i + 1]) & 0x3f) << 6) |
              (static_cast<uint8_t>(s[*i + 2]) & 0x3f);
      *i += 3;
      return true;
    }
  }
  *i += 1;
  return false;
}

}  // namespace

bool IsAscii(std::string_view s) {
  size_t i = 0;
  // Eight bytes at a time: most dex strings are long ASCII identifiers.
  for (; s.size() - i >= 8; i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (w & 0x8080808080808080ull) return false;
  }
  for (; i < s.size(); ++i) {
    if (static_cast<uint8_t>(s[i]) & 0x80) return false;
  }
  return true;
}

bool AppendMutf8AsUtf8(std::string_view s, std::string* out) {
  bool clean = true;
  size_t i = 0;
  while (i < s.size()) {
    uint32_t unit;
    if (!NextUnit(s, &i, &unit)) {
      AppendUtf8(kReplacement, out);
      clean = false;
      continue;
    }
    if (unit >= 0xd800 && unit <= 0xdbff) {
      // High surrogate: combine with a following low surrogate into one code point.
      size_t j = i;
      uint32_t low;
      if (j < s.size() && NextUnit(s, &j, &low) && low >= 0xdc00 && low <= 0xdfff) {
        AppendUtf8(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00), out);
        i = j;
        continue;
      }
      AppendUtf8(kReplacement, out);
      clean = false;
      continue;
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) {  // lone low surrogate
      AppendUtf8(kReplacement, out);
      clean = false;
      continue;
    }
    AppendUtf8(unit, out);  // includes C0 80 -> U+0000
  }
  return clean;
}

namespace {
// Decodes one UTF-8 code point; invalid bytes give U+FFFD.
uint32_t NextUtf8(std::string_view s, size_t* i) {
  const uint8_t b0 = static_cast<uint8_t>(s[*i]);
  int n = b0 < 0x80             ? 0
          : (b0 & 0xe0) == 0xc0 ? 1
          : (b0 & 0xf0) == 0xe0 ? 2
          : (b0 & 0xf8) == 0xf0 ? 3
                                : -1;
  if (n < 0 || s.size() - *i < static_cast<size_t>(n) + 1) {
    *i += 1;
    return b0 < 0x80 ? b0 : kReplacement;
  }
  uint32_t cp = n == 0 ? b0 : n == 1 ? (b0 & 0x1f) : n == 2 ? (b0 & 0x0f) : (b0 & 0x07);
  for (int k = 1; k <= n; ++k) {
    const uint8_t b = static_cast<uint8_t>(s[*i + k]);
    if ((b & 0xc0) != 0x80) {
      *i += 1;
      return kReplacement;
    }
    cp = (cp << 6) | (b & 0x3f);
  }
  *i += n + 1;
  return cp;
}
}  // namespace

std::string Utf8ToMutf8(std::string_view utf8) {
  std::string out;
  size_t i = 0;
  while (i < utf8.size()) {
    uint32_t cp = NextUtf8(utf8, &i);
    if (cp == 0) {
      out.push_back(static_cast<char>(0xc0));
      out.push_back(static_cast<char>(0x80));
    } else if (cp >= 0x10000) {
      cp -= 0x10000;
      AppendUtf8(0xd800 + (cp >> 10), &out);
      AppendUtf8(0xdc00 + (cp & 0x3ff), &out);
    } else {
      AppendUtf8(cp, &out);
    }
  }
  return out;
}

uint32_t Utf16Length(std::string_view utf8) {
  uint32_t n = 0;
  size_t i = 0;
  while (i < utf8.size()) n += NextUtf8(utf8, &i) >= 0x10000 ? 2 : 1;
  return n;
}

}  // namespace piaudit::dex
