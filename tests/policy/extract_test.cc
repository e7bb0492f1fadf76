// Tests for policy/extract.cc scanners.
#include "policy/extract.h"

#include <gtest/gtest.h>

namespace piaudit::policy {
namespace {

TEST(ExtractTest, Numbers) {
  uint32_t v = 0;
  EXPECT_TRUE(ParseNumber(U"十五", &v));
  EXPECT_EQ(v, 15u);
  EXPECT_TRUE(ParseNumber(U"三十", &v));
  EXPECT_EQ(v, 30u);
  EXPECT_TRUE(ParseNumber(U"一百二十", &v));
  EXPECT_EQ(v, 120u);
  EXPECT_TRUE(ParseNumber(U"两", &v));
  EXPECT_EQ(v, 2u);
  EXPECT_TRUE(ParseNumber(U"１５", &v));
  EXPECT_EQ(v, 15u);
  EXPECT_FALSE(ParseNumber(U"五a", &v));
}

TEST(ExtractTest, TimeQuantities) {
  auto q = FindTimeQuantities(
      U"我们将在15个工作日内回复，三十日内处理，30天，48小时内，十五个工作日。2022年6月17日生效，保"
      U"存6个月");
  ASSERT_EQ(q.size(), 6u);
  EXPECT_EQ(q[0].amount, 15u);
  EXPECT_EQ(q[0].unit, TimeUnit::kWorkingDays);
  EXPECT_EQ(q[1].amount, 30u);
  EXPECT_EQ(q[1].unit, TimeUnit::kDays);
  EXPECT_EQ(q[2].unit, TimeUnit::kDays);
  EXPECT_EQ(q[3].amount, 48u);
  EXPECT_EQ(q[3].unit, TimeUnit::kHours);
  EXPECT_EQ(q[4].amount, 15u);
  EXPECT_EQ(q[4].unit, TimeUnit::kWorkingDays);
  EXPECT_EQ(q[5].unit, TimeUnit::kMonths);  // the date 2022年6月17日 is skipped
}

TEST(ExtractTest, EmailsPhonesUrls) {
  std::u32string s =
      U"请发送邮件至Privacy@Example.com或致电400-123-4567、010-12345678、95188，访问https://"
      U"a.example.com/p。";
  auto e = FindEmails(s);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].value, "privacy@example.com");
  auto p = FindPhones(s);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].value, "4001234567");
  EXPECT_EQ(p[1].value, "01012345678");
  EXPECT_EQ(p[2].value, "95188");
  auto u = FindUrls(s);
  ASSERT_EQ(u.size(), 1u);
  EXPECT_EQ(u[0].value, "https://a.example.com/p");
}

TEST(ExtractTest, CompaniesAndPaths) {
  auto c = FindCompanies(U"由北京某某科技有限公司提供");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].value, "北京某某科技有限公司");
  auto p = FindInAppPaths(U"您可以通过“设置-账号与安全-注销账号”注销，或在我的>设置>隐私中关闭");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].value, "设置-账号与安全-注销账号");
  EXPECT_EQ(p[1].value, "我的-设置-隐私中关闭");
}

}  // namespace
}  // namespace piaudit::policy
