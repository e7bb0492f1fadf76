// Tests for policy/extract.cc scanners.
#include "policy/extract.h"

#include <gtest/gtest.h>

#include "knowledge/policy_data.h"
#include "policy/segmenter.h"

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

std::vector<std::u32string> Words(const knowledge::PolicyLexiconData& d, const char* list) {
  std::vector<std::u32string> out;
  for (const std::string& w : d.List(list)) out.push_back(ToU32(w));
  return out;
}

TEST(ExtractTest, CompaniesAndPaths) {
  // The words of data/policy/lexicon.yaml (company_suffixes, company_lead_words, path_starts).
  auto data = knowledge::LoadPolicyLexicon(PIAUDIT_DATA_DIR, nullptr);
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  const auto suffixes = Words(*data, "company_suffixes");
  const auto lead = Words(*data, "company_lead_words");
  const auto starts = Words(*data, "path_starts");
  auto c = FindCompanies(U"由北京某某科技有限公司提供", suffixes, lead);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].value, "北京某某科技有限公司");
  c = FindCompanies(U"与某某网络股份有限公司合作；由某某集团提供", suffixes, lead);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].value, "某某网络股份有限公司");
  EXPECT_EQ(c[1].value, "某某集团");
  auto p =
      FindInAppPaths(U"您可以通过“设置-账号与安全-注销账号”注销，或在我的>设置>隐私中关闭", starts);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].value, "设置-账号与安全-注销账号");
  EXPECT_EQ(p[1].value, "我的-设置-隐私中关闭");
  // Other words, other matches: the lists are data.
  const std::vector<std::u32string> gmbh = {U"GmbH"};
  c = FindCompanies(U"由BeispielGmbH提供", gmbh, lead);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].value, "BeispielGmbH");
  c = FindCompanies(U"由BeispielGmbH提供", gmbh, {});  // no lead words: 由 stays
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].value, "由BeispielGmbH");
  EXPECT_TRUE(FindInAppPaths(U"设置-账号", std::vector<std::u32string>{U"首页"}).empty());
}

}  // namespace
// 自然日 are calendar days ("15个自然日内" was read as no quantity at all).
TEST(ExtractTest, NaturalDays) {
  auto q = FindTimeQuantities(U"我们将在15个自然日内答复");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].amount, 15u);
  EXPECT_EQ(q[0].unit, TimeUnit::kDays);
}

// A segment cut by the length bound in the middle of prose is no menu item.
TEST(ExtractTest, PathsAreNotProse) {
  std::vector<std::u32string> starts = {U"隐私", U"我"};
  EXPECT_TRUE(
      FindInAppPaths(U"如您对本《隐私政策》及其相关事宜有任何问题请与我们联系", starts).empty());
  EXPECT_TRUE(
      FindInAppPaths(U"我们需要/可能收集和使用您的下列个人信息用以向您提供", starts).empty());
}

TEST(ExtractTest, PostalAddressesWithoutCue) {
  auto m = FindPostalAddresses(U"发送邮件至a@b.cn；某某省某某市某某区某某路10号某某大厦；",
                               U"市区路号楼街省");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].value, "某某省某某市某某区某某路10号某某大厦");
  // A number and 号 without a place is no address (an ICP record number).
  EXPECT_TRUE(FindPostalAddresses(U"京ICP备14053202号", U"市区路号楼街省").empty());
}

}  // namespace piaudit::policy
