// MUTF-8 <-> UTF-8. See mutf8.h for the two differences that matter (C0 80, surrogate pairs).
#include "dex/mutf8.h"

#include <cstdint>
#include <cstdio>
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

std::optional<Mutf8Error> CheckMutf8(std::string_view data, uint32_t utf16_size) {
  // Fast path, the common case: ASCII without NUL (data holds none) is one unit per byte.
  if (data.size() == utf16_size && IsAscii(data)) return std::nullopt;
  auto fail = [](size_t offset, std::string message) {
    return std::optional<Mutf8Error>(Mutf8Error{offset, std::move(message)});
  };
  auto hex = [](uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%x", v);
    return std::string(buf);
  };
  // ART reads on past `data` into the NUL; here the end of `data` stands for that NUL byte, so a
  // missing continuation byte reads as 0x00 and fails its check, as in ART.
  auto byte_at = [&](size_t i) -> uint8_t {
    return i < data.size() ? static_cast<uint8_t>(data[i]) : 0;
  };
  size_t i = 0;
  for (uint32_t unit = 0; unit < utf16_size; ++unit) {
    if (i >= data.size()) {
      return fail(i, "string data shorter than indicated utf16_size " + hex(utf16_size));
    }
    const size_t start = i;
    const uint8_t b0 = byte_at(i++);
    switch (b0 >> 4) {
      case 0x0:
      case 0x1:
      case 0x2:
      case 0x3:
      case 0x4:
      case 0x5:
      case 0x6:
      case 0x7:
        break;  // 0xxxxxxx (never 0 here: `data` ends at the first NUL)
      case 0x8:
      case 0x9:
      case 0xa:
      case 0xb:
      case 0xf:
        // 10xxxxxx is a continuation byte; 1111xxxx is standard UTF-8's 4-byte form, which MUTF-8
        // writes as a surrogate pair instead.
        return fail(start, "illegal start byte " + hex(b0) + " in string data");
      case 0xc:
      case 0xd: {
        const uint8_t b1 = byte_at(i++);
        if ((b1 & 0xc0) != 0x80) {
          return fail(i - 1, "illegal continuation byte " + hex(b1) + " in string data");
        }
        const uint32_t value = ((b0 & 0x1fu) << 6) | (b1 & 0x3fu);
        if (value != 0 && value < 0x80) {
          return fail(start, "illegal representation for value " + hex(value) +
                                 " in string data (overlong)");
        }
        break;
      }
      case 0xe: {
        const uint8_t b1 = byte_at(i++);
        if ((b1 & 0xc0) != 0x80) {
          return fail(i - 1, "illegal continuation byte " + hex(b1) + " in string data");
        }
        const uint8_t b2 = byte_at(i++);
        if ((b2 & 0xc0) != 0x80) {
          return fail(i - 1, "illegal continuation byte " + hex(b2) + " in string data");
        }
        const uint32_t value = ((b0 & 0x0fu) << 12) | ((b1 & 0x3fu) << 6) | (b2 & 0x3fu);
        if (value < 0x800) {
          return fail(start, "illegal representation for value " + hex(value) +
                                 " in string data (overlong)");
        }
        break;
      }
    }
  }
  if (i < data.size()) {
    return fail(i, "string longer than indicated utf16_size " + hex(utf16_size));
  }
  return std::nullopt;
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
