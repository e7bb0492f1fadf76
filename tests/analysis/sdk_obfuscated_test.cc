// Tests for obfuscated-SDK feature matching (src/analysis/obfuscated_sdk.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/obfuscated_sdk.h"

namespace piaudit::analysis {
namespace {

std::vector<knowledge::Sdk> Catalogue() {
  knowledge::Sdk getui;
  getui.id = "getui";
  getui.prefixes = {{"com.igexin", knowledge::PrefixQuality::kDistinct, false}};
  getui.features.strings = {"GetuiSdk", "sdk.open.phone.igexin.com", "PushService_getui"};
  getui.features.hosts = {"igexin.com"};
  getui.features.class_suffixes = {"GTIntentService"};
  knowledge::Sdk other;
  other.id = "other";
  other.features.strings = {"OtherTag"};
  return {getui, other};
}

TEST(ObfuscatedSdkTest, MatchesRenamedCodeAndNamesThePackage) {
  std::vector<knowledge::Sdk> sdks = Catalogue();
  SdkCatalog cat(sdks, {});
  EXPECT_EQ(cat.feature_strings().count("GetuiSdk"), 1u);
  std::vector<StringSighting> strings = {{"GetuiSdk", "Lcom/a/b/c;"},
                                         {"PushService_getui", "Lcom/a/b/d;"}};
  std::vector<HostRecord> hosts(1);
  hosts[0].host = "sdk.open.phone.igexin.com";
  hosts[0].first = {"dex", "classes.dex", "Lcom/a/b/c;->a()V"};
  std::vector<std::string> classes = {"Lcom/a/b/c;", "Lcom/a/b/d;", "Lcom/app/GTIntentService;"};
  std::vector<ObfuscatedMatch> m =
      MatchObfuscatedSdks(cat, strings, hosts, classes, {}, /*already_found=*/{});
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].sdk->id, "getui");
  EXPECT_EQ(m[0].hits.size(), 4u);  // 2 strings, 1 host, 1 class
  EXPECT_EQ(m[0].features_declared, 5u);
  EXPECT_EQ(m[0].strength, Strength::kMedium);  // never strong
  EXPECT_EQ(m[0].packages, (std::vector<std::string>{"com.a.b", "com.app"}));
}

TEST(ObfuscatedSdkTest, OneFeatureIsWeakAndFoundSdksAreSkipped) {
  std::vector<knowledge::Sdk> sdks = Catalogue();
  SdkCatalog cat(sdks, {});
  std::vector<StringSighting> strings = {{"OtherTag", ""}, {"GetuiSdk", "Lx/y;"}};
  std::vector<ObfuscatedMatch> m = MatchObfuscatedSdks(cat, strings, {}, {}, {}, {"getui"});
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].sdk->id, "other");
  EXPECT_EQ(m[0].strength, Strength::kWeak);
  EXPECT_EQ(m[0].hits[0].where, "string pool");
  EXPECT_TRUE(MatchObfuscatedSdks(cat, {}, {}, {}, {}, {}).empty());
}

}  // namespace
}  // namespace piaudit::analysis
