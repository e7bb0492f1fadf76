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

TEST(Mutf8Test, RoundTripsMixedText) {
  const std::string utf8 = std::string("x\0\xe4\xb8\xad\xf0\x9f\x98\x80y", 10);
  std::string back;
  EXPECT_TRUE(AppendMutf8AsUtf8(Utf8ToMutf8(utf8), &back));
  EXPECT_EQ(back, utf8);
}

}  // namespace
}  // namespace piaudit::dex
