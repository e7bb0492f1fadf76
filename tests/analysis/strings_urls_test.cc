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

TEST(PolicyUrlWordsTest, PrivacyAgreementAndLicenceWordsAreKeptApart) {
  const knowledge::ConsentWords& w = test::TestKb().consent_words();  // data/consent_words.yaml
  auto words = [&](std::string_view url, std::string_view context) {
    PolicyUrlWords out;
    MatchPolicyUrlWords(w, *ParseUrl(url), context, &out);
    return out;
  };
  EXPECT_EQ(words("https://x.com/static/privacy.html", "").privacy_in_url, "privacy");
  EXPECT_EQ(words("https://x.com/static/YSZC.html", "").privacy_in_url, "yszc");
  EXPECT_EQ(words("https://x.com/p/123", "《隐私政策》").privacy_in_text, "隐私");
  // "agreement" and "terms" name a user agreement, not the privacy policy.
  PolicyUrlWords agreement = words("https://x.com/user_agreement", "《用户协议》");
  EXPECT_EQ(agreement.privacy_in_url, "");
  EXPECT_EQ(agreement.privacy_in_text, "");
  EXPECT_EQ(agreement.agreement_in_url, "agreement");
  EXPECT_EQ(agreement.agreement_in_text, "协议");
  // A licence path is a licence (it used to be a policy word: "/license").
  EXPECT_EQ(words("http://benalman.com/about/license/", "").licence, "license");
  EXPECT_EQ(words("http://www.apache.org/licenses/LICENSE-2.0", "").licence, "license");
  EXPECT_FALSE(words("https://x.com/api/v1/upload", "upload").Any());
  EXPECT_FALSE(words("https://x.com/p/1", "PRIVACY?").privacy_in_text.empty());
  EXPECT_TRUE(words("https://x.com/p/1", "privAcy").privacy_in_text.empty());  // exact list
}

TEST(PolicyUrlWordsTest, TextAroundStopsAtNeighbouringUrls) {
  const std::string two =
      "《隐私政策》https://a.example.com/p/1 《用户协议》https://b.example.com/p/2 end";
  EXPECT_EQ(TextAround(two, "https://a.example.com/p/1"), "《隐私政策》  《用户协议》");
  EXPECT_EQ(TextAround(two, "https://b.example.com/p/2"), " 《用户协议》  end");
  EXPECT_EQ(TextAround("no url here", "https://c.example.com"), "no url here");
}

// One URL as the collector records it, judged for the app `package`.
UrlRecord Judged(std::string_view url, std::string_view context, const SiteLocation& where,
                 std::string_view owner, const std::string& package = "com.example.app",
                 std::string sdk_host = "") {
  UrlCollector c(test::TestKb().consent_words());
  EXPECT_TRUE(c.Add(url, context, where, owner));
  std::vector<UrlRecord> urls = c.Urls();
  PolicyUrlSite site;
  site.app_packages = {package};
  site.sdk_of_host = [sdk_host](std::string_view host) {
    return !sdk_host.empty() && host.ends_with(sdk_host) ? std::string("umeng") : std::string();
  };
  JudgePolicyUrls(site, &urls);
  return urls.at(0);
}

const SiteLocation kAppCode{"dex", "classes.dex", "Lcom/example/app/About;->onClick()V"};
const SiteLocation kJqueryAsset{"asset", "assets/www/js/jquery.ba-bbq.js", "+0x2f1"};

TEST(JudgePolicyUrlsTest, LicenceUrlsAreListedNeverTrusted) {
  // issue 13: jquery's licence URL and the Apache licence made policy.source url_found.
  UrlRecord jquery = Judged("http://benalman.com/about/license/",
                            "Copyright (c) 2010 \"Cowboy\" Ben Alman; Dual licensed under the MIT "
                            "and GPL licenses. http://benalman.com/about/license/",
                            kJqueryAsset, "");
  EXPECT_FALSE(jquery.policy_candidate);
  EXPECT_TRUE(jquery.policy_listed);
  EXPECT_NE(jquery.policy_rejected.find("licence"), std::string::npos) << jquery.policy_rejected;
  // Even in the app's own code, beside a privacy word, a licence is a licence.
  UrlRecord apache =
      Judged("http://www.apache.org/licenses/LICENSE-2.0",
             "Licensed under the Apache License; privacy: see the policy", kAppCode, "app");
  EXPECT_FALSE(apache.policy_candidate);
  EXPECT_NE(apache.policy_rejected.find("'license' in the path"), std::string::npos)
      << apache.policy_rejected;
}

TEST(JudgePolicyUrlsTest, SdkHostsSdkCodeAndAgreementsAreNotThePolicy) {
  UrlRecord sdk_config = Judged("https://ulogs.umeng.com/privacy/config", "", kAppCode, "app",
                                "com.example.app", "umeng.com");
  EXPECT_FALSE(sdk_config.policy_candidate);
  EXPECT_NE(sdk_config.policy_rejected.find("SDK umeng"), std::string::npos);
  UrlRecord sdk_code = Judged("https://sdk.example.io/privacy.html", "",
                              {"dex", "classes.dex", "Lcn/jpush/A;->b()V"}, "jpush");
  EXPECT_FALSE(sdk_code.policy_candidate);
  EXPECT_NE(sdk_code.policy_rejected.find("only by SDK code (jpush)"), std::string::npos);
  UrlRecord terms =
      Judged("https://www.example.com/user_agreement.html", "《用户协议》", kAppCode, "app");
  EXPECT_FALSE(terms.policy_candidate);
  EXPECT_TRUE(terms.policy_listed);
  EXPECT_NE(terms.policy_rejected.find("user agreement"), std::string::npos);
  // Not policy-like at all: neither a candidate nor listed.
  UrlRecord api = Judged("https://api.example.com/v1/upload", "upload", kAppCode, "app");
  EXPECT_FALSE(api.policy_candidate);
  EXPECT_FALSE(api.policy_listed);
}

TEST(JudgePolicyUrlsTest, CandidatesCarryTheirEvidence) {
  // Privacy word in the URL, the app's host, the app's code: 4 points.
  UrlRecord own = Judged("https://www.example.com/privacy.html", "", kAppCode, "app");
  EXPECT_TRUE(own.policy_candidate) << own.policy_rejected;
  EXPECT_EQ(own.policy_score, 4);
  ASSERT_EQ(own.policy_reasons.size(), 3u);
  EXPECT_EQ(own.policy_reasons[0], "'privacy' in the URL");
  EXPECT_EQ(own.policy_reasons[1], "host of the app (www.example.com ~ com.example.app)");
  EXPECT_NE(own.policy_reasons[2].find("app's own code"), std::string::npos);
  // Link text in the app's code: 3 points.
  UrlRecord linked = Judged("https://h5.other.cn/p/123",
                            "请阅读《隐私政策》https://h5.other.cn/p/123", kAppCode, "app");
  EXPECT_TRUE(linked.policy_candidate) << linked.policy_rejected;
  EXPECT_EQ(linked.policy_score, 3);
  // A privacy word alone, in a bundled file, on nobody's host: listed, not trusted.
  UrlRecord loose = Judged("https://cdn.other.net/privacy.html", "", kJqueryAsset, "");
  EXPECT_FALSE(loose.policy_candidate);
  EXPECT_TRUE(loose.policy_listed);
  EXPECT_NE(loose.policy_rejected.find("too little evidence"), std::string::npos);
  // An agreement URL stays one although a privacy word is near it.
  UrlRecord next_to_policy =
      Judged("https://www.example.com/terms.html",
             "《隐私政策》与 https://www.example.com/terms.html", kAppCode, "app");
  EXPECT_FALSE(next_to_policy.policy_candidate);
  EXPECT_NE(next_to_policy.policy_rejected.find("'terms' in the URL"), std::string::npos)
      << next_to_policy.policy_rejected;
  // The URL's own words are not link text as well (that would make any such URL 4 points).
  UrlRecord self = Judged("https://cdn.other.net/privacy.html",
                          "url = \"https://cdn.other.net/privacy.html\";", kJqueryAsset, "");
  EXPECT_FALSE(self.policy_candidate);
  EXPECT_EQ(self.policy_score, 2);
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
