// Tests for policy/text_decoder.cc: every detection branch and hostile bytes.
#include "policy/text_decoder.h"

#include <gtest/gtest.h>
#include <unicode/ucnv.h>

#include <string>

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

TEST(TextDecoderTest, CountCodePoints) {
  EXPECT_EQ(CountCodePoints("a我😀"), 3u);
  EXPECT_EQ(CountCodePoints(""), 0u);
}

}  // namespace
}  // namespace piaudit::policy
