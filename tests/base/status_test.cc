#include "base/status.h"

#include <gtest/gtest.h>

namespace piaudit {
namespace {

TEST(StatusTest, OkIsCheapAndEmpty) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(StatusTest, FormatsFileOffsetStructure) {
  Status s = InvalidInput("proto_idx 9001 >= proto_ids_size 4410")
                 .At("classes2.dex", "method_ids[812]", 0x1a2c);
  EXPECT_EQ(s.ToString(),
            "classes2.dex+0x1a2c: method_ids[812]: proto_idx 9001 >= proto_ids_size 4410");
  s.InFile("app.apk");
  EXPECT_EQ(s.file(), "app.apk!classes2.dex");
}

TEST(StatusTest, ShiftOffsetMovesIntoEnclosingSpan) {
  Status s = Truncated("short").AtOffset("header", 4);
  s.ShiftOffset(100);
  EXPECT_EQ(*s.offset(), 104u);
}

Result<int> Half(int x) {
  if (x % 2) return InvalidInput("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  ASSIGN_OR_RETURN(int h, Half(x));
  ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(StatusTest, EveryCodeHasAName) {
  for (int c = 0; c <= static_cast<int>(StatusCode::kCancelled); ++c) {
    EXPECT_NE(StatusCodeName(static_cast<StatusCode>(c)), "unknown") << c;
  }
  EXPECT_EQ(DeadlineExceeded("late").code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(Cancelled("gone").code(), StatusCode::kCancelled);
}

TEST(ResultTest, PropagatesErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "odd");
}

TEST(ResultTest, OkStatusBecomesInternalError) {
  Result<int> r{Status()};
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace piaudit
