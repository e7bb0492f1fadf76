#include "base/byte_span.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace piaudit {
namespace {

TEST(ByteSpanTest, SliceRejectsOverflowingRanges) {
  std::vector<uint8_t> b(16);
  ByteSpan s(b.data(), b.size());
  EXPECT_TRUE(s.Slice(0, 16).has_value());
  EXPECT_FALSE(s.Slice(1, 16).has_value());
  EXPECT_FALSE(s.Slice(17, 0).has_value());
  EXPECT_FALSE(s.Slice(8, SIZE_MAX).has_value());
  EXPECT_FALSE(s.U32At(13).has_value());
  EXPECT_TRUE(s.U32At(12).has_value());
}

TEST(ReaderTest, LittleEndianAndBounds) {
  const uint8_t b[] = {0x01, 0x02, 0x03, 0x04, 0x05};
  Reader r(ByteSpan(b, sizeof b));
  uint32_t v;
  ASSERT_TRUE(r.ReadU32(&v));
  EXPECT_EQ(v, 0x04030201u);
  EXPECT_FALSE(r.ReadU32(&v));
  EXPECT_EQ(r.offset(), 4u);  // a failed read leaves the cursor alone
  uint8_t u8;
  EXPECT_TRUE(r.ReadU8(&u8));
  EXPECT_TRUE(r.AtEnd());
}

TEST(ReaderTest, Leb128) {
  const uint8_t b[] = {0xe5, 0x8e, 0x26, 0x7f, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
  Reader r(ByteSpan(b, sizeof b));
  uint32_t u;
  ASSERT_TRUE(r.ReadUleb128(&u));
  EXPECT_EQ(u, 624485u);
  int32_t s;
  ASSERT_TRUE(r.ReadSleb128(&s));
  EXPECT_EQ(s, -1);
  EXPECT_FALSE(r.ReadUleb128(&u));  // six bytes: longer than any uint32 encoding
}

}  // namespace
}  // namespace piaudit
