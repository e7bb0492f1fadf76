// Tests for src/dex/mutf8.cc: the two MUTF-8 differences (C0 80, surrogate pairs) and lenient
// handling of malformed input.
#include "dex/mutf8.h"

#include <gtest/gtest.h>

namespace piaudit::dex {
namespace {

std::string Decode(std::string_view m, bool* clean = nullptr) {
  std::string out;
  bool c = AppendMutf8AsUtf8(m, &out);
  if (clean) *clean = c;
  return out;
}

TEST(Mutf8Test, AsciiIsUnchanged) {
  EXPECT_TRUE(IsAscii("Ljava/lang/String;"));
  EXPECT_FALSE(IsAscii("abcdefgh\xc3\xa9"));
  EXPECT_EQ(Decode("hello"), "hello");
}

TEST(Mutf8Test, EmbeddedNulIsC080) {
  bool clean = false;
  EXPECT_EQ(Decode("a\xc0\x80z", &clean), std::string("a\0z", 3));
  EXPECT_TRUE(clean);
  EXPECT_EQ(Utf8ToMutf8(std::string("a\0z", 3)), "a\xc0\x80z");
}

TEST(Mutf8Test, SurrogatePairBecomesOneFourByteSequence) {
  // U+1F600 as MUTF-8: high surrogate D83D, low surrogate DE00, each 3 bytes.
  const std::string mutf8 = "\xed\xa0\xbd\xed\xb8\x80";
  bool clean = false;
  EXPECT_EQ(Decode(mutf8, &clean), "\xf0\x9f\x98\x80");
  EXPECT_TRUE(clean);
  EXPECT_EQ(Utf8ToMutf8("\xf0\x9f\x98\x80"), mutf8);
  EXPECT_EQ(Utf16Length("\xf0\x9f\x98\x80"), 2u);
}

TEST(Mutf8Test, BmpCharactersPassThrough) {
  EXPECT_EQ(Decode("\xe4\xb8\xad\xe6\x96\x87"), "\xe4\xb8\xad\xe6\x96\x87");  // 中文
  EXPECT_EQ(Utf16Length("\xe4\xb8\xad\xe6\x96\x87"), 2u);
}

TEST(Mutf8Test, MalformedBecomesReplacementCharacter) {
  bool clean = true;
  EXPECT_EQ(Decode("\xed\xa0\xbd"
                   "x",
                   &clean),
            "\xef\xbf\xbd"
            "x");  // lone high surrogate
  EXPECT_FALSE(clean);
  EXPECT_EQ(Decode("\xed\xb8\x80", &clean), "\xef\xbf\xbd");  // lone low surrogate
  EXPECT_FALSE(clean);
  EXPECT_EQ(Decode("\xc3", &clean), "\xef\xbf\xbd");  // truncated sequence
  EXPECT_FALSE(clean);
  EXPECT_EQ(Decode("\xff"
                   "a",
                   &clean),
            "\xef\xbf\xbd"
            "a");
}

// CheckMutf8 mirrors ART's DexFileVerifier::CheckIntraStringDataItem case by case.
TEST(Mutf8Test, CheckAcceptsWhatArtAccepts) {
  EXPECT_FALSE(CheckMutf8("", 0).has_value());
  EXPECT_FALSE(CheckMutf8("Ljava/lang/String;", 18).has_value());
  EXPECT_FALSE(CheckMutf8("a\xc0\x80z", 3).has_value());                // NUL as C0 80
  EXPECT_FALSE(CheckMutf8("\xe4\xb8\xad\xe6\x96\x87", 2).has_value());  // BMP
  EXPECT_FALSE(CheckMutf8("\xed\xa0\xbd\xed\xb8\x80", 2).has_value());  // surrogate pair
  EXPECT_FALSE(CheckMutf8("\xed\xa0\xbd", 1).has_value());              // lone: ART accepts
  // The ends of the 2- and 3-byte ranges: U+0080, U+07FF, U+0800, U+FFFF.
  EXPECT_FALSE(CheckMutf8("\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf", 4).has_value());
  EXPECT_FALSE(CheckMutf8(Utf8ToMutf8(std::string("x\0\xf0\x9f\x98\x80", 6)), 4).has_value());
}

TEST(Mutf8Test, CheckRejectsWhatArtRejectsWithTheOffset) {
  struct Case {
    std::string data;
    uint32_t utf16_size;
    size_t offset;
    std::string message_part;
  };
  const Case cases[] = {
      {"ab\xff", 3, 2, "illegal start byte 0xff"},
      {"ab\x80", 3, 2, "illegal start byte 0x80"},            // stray continuation byte
      {"\xf0\x9f\x98\x80", 2, 0, "illegal start byte 0xf0"},  // UTF-8's 4-byte form
      {"a\xc3", 2, 2, "illegal continuation byte 0x0"},       // cut before the NUL
      {"a\xc3z", 2, 2, "illegal continuation byte 0x7a"},
      {"\xe4\xb8z", 1, 2, "illegal continuation byte 0x7a"},
      {"\xc1\x81", 1, 0, "illegal representation for value 0x41"},  // overlong 'A'
      {"\xe0\x81\x81", 1, 0, "illegal representation for value 0x41"},
      {"abc", 4, 3, "shorter than indicated utf16_size 0x4"},
      {"abc", 2, 2, "longer than indicated utf16_size 0x2"},
      {"\xe4\xb8\xad", 3, 3, "shorter than indicated"},  // 3 bytes but one unit
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message_part);
    std::optional<Mutf8Error> e = CheckMutf8(c.data, c.utf16_size);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->offset, c.offset);
    EXPECT_NE(e->message.find(c.message_part), std::string::npos) << e->message;
  }
}

TEST(Mutf8Test, RoundTripsMixedText) {
  const std::string utf8 = std::string("x\0\xe4\xb8\xad\xf0\x9f\x98\x80y", 10);
  std::string back;
  EXPECT_TRUE(AppendMutf8AsUtf8(Utf8ToMutf8(utf8), &back));
  EXPECT_EQ(back, utf8);
}

}  // namespace
}  // namespace piaudit::dex
