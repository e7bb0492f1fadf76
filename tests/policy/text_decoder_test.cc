// Tests for policy/text_decoder.cc: every detection branch and hostile bytes.
#include "policy/text_decoder.h"

#include <gtest/gtest.h>
#include <unicode/ucnv.h>

#include <random>
#include <string>
#include <vector>

namespace piaudit::policy {
namespace {

// Encodes UTF-8 text into `charset` with ICU, so the tests need no binary fixtures.
std::string Encode(const std::string& utf8, const char* charset) {
  UErrorCode err = U_ZERO_ERROR;
  std::string out(utf8.size() * 4 + 16, '\0');
  int32_t n = ucnv_convert(charset, "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                           utf8.data(), static_cast<int32_t>(utf8.size()), &err);
  EXPECT_TRUE(U_SUCCESS(err)) << u_errorName(err);
  out.resize(n);
  return out;
}

const std::string kText = "我们会收集您的手机号码。We collect your phone number.";

TEST(TextDecoderTest, Utf8WithAndWithoutBom) {
  auto r = DecodeText(ByteSpan(kText));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->utf8, kText);
  EXPECT_EQ(r->encoding.name, "UTF-8");
  EXPECT_FALSE(r->encoding.bom);
  std::string bom = "\xEF\xBB\xBF" + kText;
  auto b = DecodeText(ByteSpan(bom));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->utf8, kText);  // BOM removed: offsets start at the first character
  EXPECT_TRUE(b->encoding.bom);
}

TEST(TextDecoderTest, Gb18030) {
  std::string gbk = Encode(kText, "GBK");
  ASSERT_NE(gbk, kText);
  auto r = DecodeText(ByteSpan(gbk));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->encoding.name, "GB18030");
  EXPECT_EQ(r->utf8, kText);
}

TEST(TextDecoderTest, Utf16BothEndiansWithAndWithoutBom) {
  for (const char* cs : {"UTF-16LE", "UTF-16BE"}) {
    std::string u16 = Encode(kText, cs);
    auto r = DecodeText(ByteSpan(u16));
    ASSERT_TRUE(r.ok()) << cs;
    EXPECT_EQ(r->encoding.name, cs);
    EXPECT_FALSE(r->encoding.bom);
    EXPECT_EQ(r->utf8, kText) << cs;
    std::string bom = std::string(cs)[6] == 'L' ? std::string("\xFF\xFE") : std::string("\xFE\xFF");
    auto b = DecodeText(ByteSpan(bom + u16));
    ASSERT_TRUE(b.ok());
    EXPECT_TRUE(b->encoding.bom);
    EXPECT_EQ(b->utf8, kText);
  }
}

TEST(TextDecoderTest, InvalidBytesBecomeReplacementCharacters) {
  // Mostly valid UTF-8 with a few broken bytes and NULs: stays UTF-8, each bad byte is U+FFFD.
  std::string s = kText + kText + std::string("\xC3\x28\x00\xFF", 4) + kText;
  auto r = DecodeText(ByteSpan(s));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->encoding.name, "UTF-8");
  EXPECT_GE(r->encoding.replacement_chars, 3u);
  std::string clean;
  EXPECT_EQ(SanitizeUtf8(r->utf8, &clean), 0u);  // output is valid UTF-8 without NUL
  EXPECT_EQ(r->utf8.find('\0'), std::string::npos);
}

TEST(TextDecoderTest, RandomBytesNeverFail) {
  std::string s;
  uint32_t x = 12345;
  for (int i = 0; i < 100000; ++i) {
    x = x * 1103515245 + 12345;
    s.push_back(static_cast<char>(x >> 16));
  }
  auto r = DecodeText(ByteSpan(s));
  ASSERT_TRUE(r.ok());
  std::string clean;
  EXPECT_EQ(SanitizeUtf8(r->utf8, &clean), 0u);
}

// SanitizeUtf8's fast paths (8 ASCII bytes at a time, 3-byte CJK sequences) against the rule
// written out from Unicode's table of well-formed byte sequences (Table 3-7): a byte that does
// not start a well-formed sequence, and NUL, become U+FFFD, one per byte.
TEST(TextDecoderTest, SanitizeMatchesTheWellFormedTable) {
  auto well_formed = [](const std::string& s, size_t i) -> size_t {
    auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const size_t left = s.size() - i;
    const unsigned char c = b(i);
    auto in = [](unsigned char x, unsigned char lo, unsigned char hi) {
      return x >= lo && x <= hi;
    };
    if (c <= 0x7F) return c == 0 ? 0 : 1;
    if (in(c, 0xC2, 0xDF)) return left >= 2 && in(b(i + 1), 0x80, 0xBF) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
      if (left < 3 || !in(b(i + 2), 0x80, 0xBF)) return 0;
      const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
      return in(b(i + 1), lo, hi) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
      if (left < 4 || !in(b(i + 2), 0x80, 0xBF) || !in(b(i + 3), 0x80, 0xBF)) return 0;
      const unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
      return in(b(i + 1), lo, hi) ? 4 : 0;
    }
    return 0;
  };
  const std::vector<std::string> pieces = {"a",
                                           "policy text ",
                                           "\x00",
                                           "我",
                                           "\xC3\xA9",
                                           "\xF0\x9F\x98\x80",
                                           "\xED\xA0\x80",
                                           "\xE0\x80\x80",
                                           "\xC0\xAF",
                                           "\xFF",
                                           "\x80",
                                           "\xE4\xB8",
                                           "\xF4\x90\x80\x80",
                                           "\xEF\xBF\xBD"};
  std::mt19937 rng(5);
  int replaced_total = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string in;
    const int parts = 1 + static_cast<int>(rng() % 24);
    for (int k = 0; k < parts; ++k) {
      const std::string& piece = pieces[rng() % pieces.size()];
      in += piece == "\x00" ? std::string(1, '\0') : piece;
    }
    std::string want;
    uint32_t bad = 0;
    for (size_t i = 0; i < in.size();) {
      const size_t n = well_formed(in, i);
      if (n == 0) {
        want += "\xEF\xBF\xBD";
        ++bad;
        ++i;
      } else {
        want += in.substr(i, n);
        i += n;
      }
    }
    std::string got;
    ASSERT_EQ(SanitizeUtf8(in, &got), bad) << round;
    ASSERT_EQ(got, want) << round;
    replaced_total += static_cast<int>(bad);
  }
  EXPECT_GT(replaced_total, 1000) << "the random inputs must exercise the replacement path";
}

TEST(TextDecoderTest, CountCodePoints) {
  EXPECT_EQ(CountCodePoints("a我😀"), 3u);
  EXPECT_EQ(CountCodePoints(""), 0u);
}

}  // namespace
}  // namespace piaudit::policy
