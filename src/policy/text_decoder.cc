// Encoding detection and conversion; see text_decoder.h for the order of the guesses and why.
#include "policy/text_decoder.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>

#include <cstring>
#include <memory>
#include <vector>

#include "base/huge_pages.h"
#include "base/utf8.h"

namespace piaudit::policy {
namespace {

// Length of the valid UTF-8 sequence at p (1..4), or 0 when invalid (overlong, surrogate, >
// U+10FFFF, truncated). Written out instead of using ICU so SanitizeUtf8 stays a tight loop.
size_t ValidUtf8Len(const uint8_t* p, size_t left) {
  uint8_t c = p[0];
  if (c < 0x80) return 1;
  if (c < 0xC2) return 0;
  if (c < 0xE0) return (left >= 2 && (p[1] & 0xC0) == 0x80) ? 2 : 0;
  if (c < 0xF0) {
    if (left < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && p[1] < 0xA0) return 0;   // overlong
    if (c == 0xED && p[1] >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c < 0xF5) {
    if (left < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
      return 0;
    if (c == 0xF0 && p[1] < 0x90) return 0;
    if (c == 0xF4 && p[1] >= 0x90) return 0;
    return 4;
  }
  return 0;
}

// The length of a well-formed piece at p that needs no full check: 8 ASCII bytes without NUL,
// one ASCII byte other than NUL, or a 3-byte sequence whose lead byte allows any continuation
// (E1-EC, EE-EF: all of CJK); 0 when ValidUtf8Len must decide. What policies are made of.
inline size_t FastWellFormed(const uint8_t* p, size_t left) {
  if (left >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    const bool ascii = (w & 0x8080808080808080ull) == 0;
    const bool has_nul = ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull) != 0;
    if (ascii && !has_nul) return 8;
  }
  if (*p != 0 && *p < 0x80) return 1;
  if (left >= 3 && *p >= 0xE1 && *p <= 0xEF && *p != 0xED && (p[1] & 0xC0) == 0x80 &&
      (p[2] & 0xC0) == 0x80)
    return 3;
  return 0;
}

bool IsValidUtf8(ByteSpan s) {
  const uint8_t* p = s.data();
  size_t left = s.size();
  while (left > 0) {
    size_t n = FastWellFormed(p, left);
    if (n == 0) n = ValidUtf8Len(p, left);
    if (n == 0) return false;
    p += n;
    left -= n;
  }
  return true;
}

// UTF-16 without BOM: text in the BMP that is mostly ASCII or CJK punctuation has many zero high
// bytes. Require NULs on one parity in at least 20% of the code units and almost none on the other.
const char* GuessUtf16(ByteSpan s) {
  if (s.size() < 4) return nullptr;
  size_t units = s.size() / 2;
  size_t even0 = 0, odd0 = 0;
  for (size_t i = 0; i + 1 < s.size(); i += 2) {
    if (s[i] == 0) ++even0;
    if (s[i + 1] == 0) ++odd0;
  }
  if (odd0 * 5 >= units && even0 * 50 <= units) return "UTF-16LE";
  if (even0 * 5 >= units && odd0 * 50 <= units) return "UTF-16BE";
  return nullptr;
}

Result<DecodedText> Convert(ByteSpan s, const char* charset, bool bom) {
  UErrorCode err = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> conv(ucnv_open(charset, &err), &ucnv_close);
  if (U_FAILURE(err)) return InternalError(std::string("ICU has no converter for ") + charset);
  // Substitute U+FFFD for invalid input (the default substitutes the codepage's own sub char).
  ucnv_setToUCallBack(conv.get(), UCNV_TO_U_CALLBACK_SUBSTITUTE, nullptr, nullptr, nullptr, &err);
  std::vector<UChar> u16;
  // Every input byte yields at most one UTF-16 unit except 4-byte GB18030 (2 units for 4 bytes).
  if (s.size() > (SIZE_MAX / sizeof(UChar)) - 16) return LimitExceeded("policy too large");
  u16.resize(s.size() + 16);
  err = U_ZERO_ERROR;
  int32_t n =
      ucnv_toUChars(conv.get(), u16.data(), static_cast<int32_t>(u16.size()),
                    reinterpret_cast<const char*>(s.data()), static_cast<int32_t>(s.size()), &err);
  if (U_FAILURE(err) || n < 0) {
    return InvalidInput(std::string("cannot decode as ") + charset + ": " + u_errorName(err))
        .AtOffset("text", 0);
  }
  DecodedText out;
  out.encoding.name = charset;
  out.encoding.bom = bom;
  // UTF-16 -> UTF-8, lone surrogates and NUL become U+FFFD.
  std::string& o = out.utf8;
  o.reserve(static_cast<size_t>(n) * 3);
  uint32_t bad = 0;
  for (int32_t i = 0; i < n; ++i) {
    uint32_t c = u16[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && u16[i + 1] >= 0xDC00 && u16[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (u16[i + 1] - 0xDC00);
      ++i;
    } else if ((c >= 0xD800 && c <= 0xDFFF) || c == 0) {
      c = 0xFFFD;
    }
    if (c == 0xFFFD) ++bad;
    AppendUtf8(c, &o);
  }
  out.encoding.replacement_chars = bad;
  return out;
}

}  // namespace

uint32_t SanitizeUtf8(std::string_view in, std::string* out) {
  out->clear();
  out->reserve(in.size());
  AdviseHugePages(out->data(), out->capacity());
  const uint8_t* p = reinterpret_cast<const uint8_t*>(in.data());
  const uint8_t* run = p;  // start of the current run of valid bytes, copied in one append
  size_t left = in.size();
  uint32_t bad = 0;
  while (left > 0) {
    if (const size_t fast = FastWellFormed(p, left); fast > 0) {
      p += fast;
      left -= fast;
      continue;
    }
    size_t n = ValidUtf8Len(p, left);
    if (n == 0 || (n == 1 && p[0] == 0)) {
      out->append(reinterpret_cast<const char*>(run), p - run);
      out->append("\xEF\xBF\xBD");
      ++bad;
      n = 1;
      run = p + 1;
    }
    p += n;
    left -= n;
  }
  out->append(reinterpret_cast<const char*>(run), p - run);
  return bad;
}

uint32_t CountCodePoints(std::string_view utf8) {
  uint32_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

Result<DecodedText> DecodeText(ByteSpan raw) {
  if (raw.size() > static_cast<size_t>(INT32_MAX) / 2) {
    return LimitExceeded("policy of " + std::to_string(raw.size()) + " bytes exceeds 1 GiB")
        .AtOffset("text", 0);
  }
  if (raw.size() >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF) {
    DecodedText out;
    out.encoding = {"UTF-8", true, 0};
    out.encoding.replacement_chars = SanitizeUtf8(raw.From(3).AsStringView(), &out.utf8);
    return out;
  }
  if (raw.size() >= 2 && raw[0] == 0xFF && raw[1] == 0xFE)
    return Convert(raw.From(2), "UTF-16LE", true);
  if (raw.size() >= 2 && raw[0] == 0xFE && raw[1] == 0xFF)
    return Convert(raw.From(2), "UTF-16BE", true);
  if (const char* u16 = GuessUtf16(raw)) return Convert(raw, u16, false);
  if (IsValidUtf8(raw)) {
    DecodedText out;
    out.encoding = {"UTF-8", false, 0};
    out.encoding.replacement_chars = SanitizeUtf8(raw.AsStringView(), &out.utf8);
    return out;
  }
  // Mostly-UTF-8 with a few broken bytes (under 1 per 20 bytes of valid multi-byte text) (a
  // truncated download) is still UTF-8: GB18030 would turn every multi-byte character into
  // mojibake. Count how much of the input decodes as UTF-8.
  size_t good = 0, bad = 0;
  const uint8_t* p = raw.data();
  size_t left = raw.size();
  while (left > 0) {
    size_t n = ValidUtf8Len(p, left);
    if (n == 0) {
      ++bad;
      n = 1;
    } else if (n > 1) {
      good += n;
    }
    p += n;
    left -= n;
  }
  if (good > 0 && bad * 20 < good) {
    DecodedText out;
    out.encoding = {"UTF-8", false, 0};
    out.encoding.replacement_chars = SanitizeUtf8(raw.AsStringView(), &out.utf8);
    return out;
  }
  return Convert(raw, "GB18030", false);
}

}  // namespace piaudit::policy
