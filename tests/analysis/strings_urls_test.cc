// Tests for URL/host recognition, normalisation and collection (src/analysis/strings_urls.h).
#include "analysis/strings_urls.h"

#include <gtest/gtest.h>

#include <string>

#include "analysis_test_util.h"

namespace piaudit::analysis {
namespace {

TEST(ParseUrlTest, NormalisesSchemeHostPortAndDropsQuery) {
  std::optional<UrlParts> u = ParseUrl("HTTPS://Stats.JPush.cn:443/v1/report?id=1#x");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "stats.jpush.cn");
  EXPECT_EQ(u->port, 0u);  // default port dropped
  EXPECT_EQ(u->path, "/v1/report");
  EXPECT_EQ(u->Normalized(), "https://stats.jpush.cn/v1/report");
}

TEST(ParseUrlTest, KeepsNonDefaultPortAndUserinfoIsDropped) {
  std::optional<UrlParts> u = ParseUrl("http://user:pw@10.0.0.1:8080/a");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->host, "10.0.0.1");
  EXPECT_EQ(u->port, 8080u);
  EXPECT_EQ(u->Normalized(), "http://10.0.0.1:8080/a");
}

TEST(ParseUrlTest, RejectsLocalSchemesAndFormatPlaceholders) {
  EXPECT_FALSE(ParseUrl("content://com.android.contacts/data").has_value());
  EXPECT_FALSE(ParseUrl("file:///sdcard/x").has_value());
  EXPECT_FALSE(ParseUrl("https://%s/api").has_value());
  EXPECT_FALSE(ParseUrl("http://").has_value());
}

TEST(BareHostTest, AcceptsHostsRejectsPackagesAndFiles) {
  EXPECT_TRUE(LooksLikeBareHost("stats.jpush.cn"));
  EXPECT_TRUE(LooksLikeBareHost("api.example.com/v2/x"));
  EXPECT_TRUE(LooksLikeBareHost("jpush.cn"));
  EXPECT_FALSE(LooksLikeBareHost("cn.jpush.android"));  // package, last label not a TLD
  EXPECT_FALSE(LooksLikeBareHost("com.tencent.mm"));    // package rooted at a TLD
  EXPECT_FALSE(LooksLikeBareHost("libjcore.so"));       // file name
  EXPECT_FALSE(LooksLikeBareHost("R.string.app"));      // upper case
  EXPECT_FALSE(LooksLikeBareHost("config.json"));
  EXPECT_FALSE(LooksLikeBareHost("1.2.3.4"));  // a version number
  EXPECT_FALSE(LooksLikeBareHost("android.intent.action.VIEW"));
}

TEST(FindUrlsTest, FindsEveryUrlInsideText) {
  std::string text =
      "see https://a.example.com/p1, and http://b.example.cn:81/q?x=1. content://x/y ws://c.io";
  std::vector<std::string_view> urls = FindUrlsInText(text, 10);
  ASSERT_EQ(urls.size(), 3u);
  EXPECT_EQ(urls[0], "https://a.example.com/p1");
  EXPECT_EQ(urls[1], "http://b.example.cn:81/q?x=1");
  EXPECT_EQ(urls[2], "ws://c.io");
  EXPECT_EQ(FindUrlsInText(text, 1).size(), 1u);  // bounded
}

TEST(FindUrlsTest, FindsUtf8AndUtf16InBytes) {
  std::string blob("\x05\x00junk", 6);
  blob += "\x20隐私政策 https://www.example.com/privacy.html";
  blob.push_back('\0');
  std::string u16;
  for (char c : std::string("http://u16.example.org/agreement")) {
    u16.push_back(c);
    u16.push_back('\0');
  }
  blob += std::string("\x00\x00", 2) + u16 + std::string("\x00\x00", 2);
  std::vector<BytesUrlHit> hits =
      FindUrlsInBytes(ByteSpan(reinterpret_cast<const uint8_t*>(blob.data()), blob.size()), 10);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].url, "https://www.example.com/privacy.html");
  EXPECT_NE(hits[0].context.find("隐私"), std::string::npos);
  EXPECT_EQ(hits[1].url, "http://u16.example.org/agreement");
}

TEST(PolicyCandidateTest, PathOrContextNamesAPolicy) {
  const knowledge::ConsentWords& w = test::TestKb().consent_words();  // data/consent_words.yaml
  EXPECT_TRUE(IsPolicyCandidate(w, *ParseUrl("https://x.com/static/privacy.html"), ""));
  EXPECT_TRUE(IsPolicyCandidate(w, *ParseUrl("https://x.com/p/123"), "《隐私政策》"));
  EXPECT_TRUE(IsPolicyCandidate(w, *ParseUrl("https://x.com/user_agreement"), ""));
  EXPECT_TRUE(IsPolicyCandidate(w, *ParseUrl("https://x.com/static/YSZC.html"), ""));
  EXPECT_FALSE(IsPolicyCandidate(w, *ParseUrl("https://x.com/api/v1/upload"), "upload"));
  EXPECT_FALSE(IsPolicyCandidate(w, *ParseUrl("https://x.com/p/1"), "PRIVACY"));  // exact list
}

TEST(UrlCollectorTest, DeduplicatesCountsAndKeepsFirstLocationAndOwners) {
  UrlCollector c(test::TestKb().consent_words());
  SiteLocation a{"dex", "classes.dex", "La/A;->f()V"};
  SiteLocation b{"dex", "classes2.dex", "Lcn/jpush/B;->g()V"};
  EXPECT_TRUE(c.Add("https://Stats.jpush.cn/v1", "", a, "app", 2));
  EXPECT_TRUE(c.Add("https://stats.jpush.cn:443/v1?q", "", b, "jpush"));
  EXPECT_TRUE(c.Add("stats.jpush.cn", "", b, "jpush"));
  EXPECT_FALSE(c.Add("not a url", "", a, "app"));
  EXPECT_FALSE(c.Add("http://schemas.android.com/apk/res/android", "", a, "app"));
  std::vector<UrlRecord> urls = c.Urls();
  ASSERT_EQ(urls.size(), 2u);
  EXPECT_EQ(urls[0].url, "https://stats.jpush.cn/v1");
  EXPECT_EQ(urls[0].count, 3u);
  EXPECT_EQ(urls[0].first.file, "classes.dex");
  EXPECT_EQ(urls[0].owners, (std::vector<std::string>{"app", "jpush"}));
  std::vector<HostRecord> hosts = c.Hosts();
  ASSERT_EQ(hosts.size(), 1u);
  EXPECT_EQ(hosts[0].host, "stats.jpush.cn");
  EXPECT_EQ(hosts[0].count, 4u);
}

TEST(UrlCollectorTest, BoundedDistinctUrls) {
  UrlCollector c(test::TestKb().consent_words(), 2);
  SiteLocation l{"asset", "assets/a.json", ""};
  c.Add("https://a.example.com", "", l, "");
  c.Add("https://b.example.com", "", l, "");
  c.Add("https://c.example.com", "", l, "");
  EXPECT_EQ(c.size(), 2u);
  EXPECT_EQ(c.dropped(), 1u);
}

}  // namespace
}  // namespace piaudit::analysis
