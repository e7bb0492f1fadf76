// Tests for SDK attribution (src/analysis/sdk_catalog.h, sdk_detect.h) over a small catalogue
// written in C++, so the rules are tested independently of data/sdks.
#include "analysis/sdk_detect.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "analysis/sdk_catalog.h"

namespace piaudit::analysis {
namespace {

using knowledge::PrefixQuality;
using knowledge::Sdk;

Sdk MakeSdk(std::string id, std::vector<std::pair<std::string, PrefixQuality>> prefixes) {
  Sdk s;
  s.id = std::move(id);
  s.en = s.id + " SDK";
  s.category = "push";
  for (auto& [p, q] : prefixes) s.prefixes.push_back({p, q, false});
  return s;
}

std::vector<Sdk> Catalogue() {
  std::vector<Sdk> sdks;
  Sdk jpush = MakeSdk("jpush", {{"cn.jpush.android", PrefixQuality::kDistinct},
                                {"cn.jiguang", PrefixQuality::kShared}});
  jpush.meta_data = {"JPUSH_APPKEY"};
  jpush.native_libs = {"libjcore*.so"};
  jpush.hosts = {"*.jpush.cn"};
  jpush.components = {"cn.jpush.android.service.PushService"};
  sdks.push_back(jpush);
  Sdk jverify = MakeSdk("jiguang-jverify", {{"cn.jiguang.verifysdk", PrefixQuality::kDistinct},
                                            {"cn.jiguang", PrefixQuality::kShared}});
  sdks.push_back(jverify);
  Sdk wechat = MakeSdk("wechat", {{"com.tencent.mm.opensdk", PrefixQuality::kDistinct}});
  wechat.components = {".wxapi.WXEntryActivity"};
  sdks.push_back(wechat);
  Sdk umeng = MakeSdk("umeng-analytics", {{"com.umeng.analytics", PrefixQuality::kDistinct},
                                          {"com.umeng", PrefixQuality::kBroad}});
  umeng.hosts = {"alog.umeng.com", "*.umeng.com"};
  umeng.assets = {"umeng_*.json"};
  sdks.push_back(umeng);
  return sdks;
}

const SdkFinding* Find(const std::vector<SdkFinding>& f, std::string_view id) {
  for (const SdkFinding& x : f)
    if (x.sdk->id == id) return &x;
  return nullptr;
}

TEST(SdkCatalogTest, LongestPrefixOnPackageBoundary) {
  std::vector<Sdk> sdks = Catalogue();
  SdkCatalog cat(sdks, {});
  const PrefixOwners* p = cat.MatchClass("cn.jiguang.verifysdk.api.Foo");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->prefix, "cn.jiguang.verifysdk");
  p = cat.MatchClass("cn.jiguang.core.Bar$1");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->prefix, "cn.jiguang");
  EXPECT_EQ(p->sdks.size(), 2u);
  EXPECT_EQ(cat.MatchClass("cn.jiguangx.Foo"), nullptr);  // not a package boundary
  EXPECT_EQ(cat.MatchClass("com.example.Main"), nullptr);
}

TEST(SdkCatalogTest, GlobsComponentsHostsAndDescriptors) {
  std::vector<Sdk> sdks = Catalogue();
  SdkCatalog cat(sdks, {});
  EXPECT_TRUE(GlobMatch("libjcore*.so", "libjcore221.so"));
  EXPECT_FALSE(GlobMatch("libjcore*.so", "libjcore221.so.bak"));
  EXPECT_EQ(cat.MatchNativeLib("lib/arm64-v8a/libjcore300.so").size(), 1u);
  EXPECT_EQ(cat.MatchComponent("com.app.wxapi.WXEntryActivity").size(), 1u);
  EXPECT_TRUE(cat.MatchComponent("com.app.WXEntryActivity").empty());
  std::vector<HostMatch> h = cat.MatchHost("a.stats.jpush.cn");
  ASSERT_EQ(h.size(), 1u);
  EXPECT_TRUE(h[0].vendor_level);
  h = cat.MatchHost("alog.umeng.com");
  ASSERT_EQ(h.size(), 1u);
  EXPECT_FALSE(h[0].vendor_level);
  EXPECT_TRUE(cat.MatchHost("notjpush.cn").empty());
  EXPECT_EQ(DotClassName("Lcn/jpush/A$B;"), "cn.jpush.A$B");
}

TEST(SdkDetectTest, EvidenceKindsAndStrength) {
  std::vector<Sdk> sdks = Catalogue();
  SdkCatalog cat(sdks, {});
  AppSignals app;
  app.package = "com.example.app";
  app.meta_data_keys = {"JPUSH_APPKEY", "UNRELATED"};
  app.native_libs = {"lib/arm64-v8a/libjcore300.so", "lib/armeabi-v7a/libjcore300.so"};
  app.components = {"com.example.app.wxapi.WXEntryActivity"};
  app.assets = {"assets/umeng_config.json"};
  std::vector<std::string> classes = {"Lcn/jpush/android/api/JPushInterface;",
                                      "Lcn/jpush/android/service/PushService;",
                                      "Lcn/jiguang/core/A;",
                                      "Lcom/example/app/MainActivity;",
                                      "Lcom/umeng/commonsdk/UMConfigure;",
                                      "Lcom/example/app/wxapi/WXEntryActivity;"};
  std::vector<HostRecord> hosts(1);
  hosts[0].host = "stats.jpush.cn";
  hosts[0].first = {"dex", "classes.dex", "Lcn/jiguang/core/A;->a()V"};

  std::vector<SdkFinding> f = DetectSdks(cat, app, classes, hosts);
  const SdkFinding* jpush = Find(f, "jpush");
  ASSERT_NE(jpush, nullptr);
  EXPECT_EQ(jpush->strength, Strength::kStrong);
  std::vector<std::string> kinds;
  for (const SdkEvidence& e : jpush->evidence) kinds.push_back(e.kind);
  for (const char* k : {"prefix", "meta-data", "native-lib", "host"})
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), k), kinds.end()) << k;
  // libjcore in two ABIs is one piece of evidence.
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "native-lib"), 1);
  EXPECT_EQ(jpush->classes, 3u);  // 2 distinct + 1 under the shared cn.jiguang
  bool saw_count = false;
  for (const SdkEvidence& e : jpush->evidence)
    saw_count |= e.detail == "cn.jpush.android (2 classes)";
  EXPECT_TRUE(saw_count);

  // The shared prefix went to jpush (which has other evidence), not to jverify.
  EXPECT_EQ(Find(f, "jiguang-jverify"), nullptr);

  // WeChat: only the app-package component suffix -> strong (a component).
  const SdkFinding* wx = Find(f, "wechat");
  ASSERT_NE(wx, nullptr);
  EXPECT_EQ(wx->strength, Strength::kStrong);

  // Umeng: broad prefix (weak) + asset (medium): medium, since only one kind is medium.
  const SdkFinding* um = Find(f, "umeng-analytics");
  ASSERT_NE(um, nullptr);
  EXPECT_EQ(um->strength, Strength::kMedium);
  EXPECT_EQ(um->classes, 1u);
}

TEST(SdkDetectTest, SharedPrefixAloneIsWeakAndVendorLevel) {
  std::vector<Sdk> sdks = Catalogue();
  SdkCatalog cat(sdks, {});
  AppSignals app;
  app.package = "com.example";
  std::vector<std::string> classes = {"Lcn/jiguang/core/A;", "Lcn/jiguang/core/B;"};
  std::vector<SdkFinding> f = DetectSdks(cat, app, classes, {});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].sdk->id, "jpush");  // first declared owner
  EXPECT_EQ(f[0].strength, Strength::kWeak);
  ASSERT_FALSE(f[0].evidence.empty());
  EXPECT_NE(f[0].evidence[0].detail.find("vendor-level"), std::string::npos);
  EXPECT_NE(f[0].evidence[0].detail.find("jiguang-jverify"), std::string::npos);
}

// issue 13: Umeng was "strong" from UMENG_APPKEY alone in an app with no Umeng class
// (cnzz-demo.apk): declared, code absent is weak and says so first.
TEST(SdkDetectTest, DeclaredInTheManifestWithCodeAbsentIsWeak) {
  std::vector<Sdk> sdks = Catalogue();
  sdks[0].meta_data = {"JPUSH_APPKEY"};
  SdkCatalog cat(sdks, {});
  AppSignals app;
  app.package = "com.example";
  app.meta_data_keys = {"JPUSH_APPKEY"};
  app.components = {"cn.jpush.android.service.PushService"};
  std::vector<std::string> classes = {"Lcom/example/Main;"};
  std::vector<SdkFinding> f = DetectSdks(cat, app, classes, {});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].sdk->id, "jpush");
  EXPECT_TRUE(f[0].code_absent);
  EXPECT_EQ(f[0].strength, Strength::kWeak);
  ASSERT_FALSE(f[0].evidence.empty());
  EXPECT_EQ(f[0].evidence[0].kind, "code-absent");
  EXPECT_EQ(f[0].evidence[0].detail.rfind("declared, code absent", 0), 0u)
      << f[0].evidence[0].detail;

  // The component's class in the dex is code: strong as before.
  classes.push_back("Lcn/jpush/android/service/PushService;");
  f = DetectSdks(cat, app, classes, {});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_FALSE(f[0].code_absent);
  EXPECT_EQ(f[0].strength, Strength::kStrong);

  // Packed or unread code cannot show the SDK's classes: the manifest is believed.
  classes.pop_back();
  app.code_visible = false;
  f = DetectSdks(cat, app, classes, {});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_FALSE(f[0].code_absent);
  EXPECT_EQ(f[0].strength, Strength::kStrong);
}

TEST(SdkDetectTest, NothingFromAnEmptyApp) {
  std::vector<Sdk> sdks = Catalogue();
  SdkCatalog cat(sdks, {});
  AppSignals app;
  app.package = "com.example";
  std::vector<std::string> classes = {"Lcom/example/Main;", "Landroidx/core/A;"};
  EXPECT_TRUE(DetectSdks(cat, app, classes, {}).empty());
}

// Issue 17: what a finding stands on. Code = classes with code under a distinct (or shared)
// prefix; referenced = the dex only names it (types it refers to, codeless classes, a broad
// prefix); declared = manifest or archive only.
TEST(SdkDetectTest, PresenceSaysWhatAFindingStandsOn) {
  std::vector<Sdk> sdks = Catalogue();
  SdkCatalog cat(sdks, {});
  AppSignals app;
  app.package = "com.example";
  app.meta_data_keys = {"JPUSH_APPKEY"};
  app.assets = {"assets/umeng_config.json"};
  app.code_visible = false;  // keep the manifest-only jpush finding as it is
  std::vector<std::string> classes = {
      "Lcom/example/Main;", "Lcom/tencent/mm/opensdk/openapi/IWXAPI;", "Lcom/umeng/common/Log;"};
  // WeChat's only class is an interface (no code); Umeng only has a broad-prefix class.
  app.codeless_classes = {"Lcom/tencent/mm/opensdk/openapi/IWXAPI;"};
  std::vector<SdkFinding> f = DetectSdks(cat, app, classes, {});
  const SdkFinding* jpush = Find(f, "jpush");
  const SdkFinding* wx = Find(f, "wechat");
  const SdkFinding* um = Find(f, "umeng-analytics");
  ASSERT_NE(jpush, nullptr);
  ASSERT_NE(wx, nullptr);
  ASSERT_NE(um, nullptr);
  EXPECT_EQ(jpush->presence, Presence::kDeclared);
  EXPECT_EQ(wx->presence, Presence::kReferenced);
  EXPECT_EQ(um->presence, Presence::kReferenced);
  EXPECT_EQ(PresenceName(wx->presence), "referenced");

  // The same interface with a method body is code.
  app.codeless_classes.clear();
  f = DetectSdks(cat, app, classes, {});
  EXPECT_EQ(Find(f, "wechat")->presence, Presence::kCode);
  EXPECT_EQ(PresenceName(Presence::kCode), "code");

  // Referenced only: the app calls into jverify's API but defines none of its classes.
  app = AppSignals();
  app.package = "com.example";
  app.referenced_types = {"Lcn/jiguang/verifysdk/api/JVerificationInterface;",
                          "Lcom/example/Other;"};
  std::vector<std::string> only_app = {"Lcom/example/Main;"};
  f = DetectSdks(cat, app, only_app, {});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].sdk->id, "jiguang-jverify");
  EXPECT_EQ(f[0].presence, Presence::kReferenced);
  EXPECT_EQ(f[0].strength, Strength::kWeak);
  ASSERT_FALSE(f[0].evidence.empty());
  EXPECT_EQ(f[0].evidence[0].kind, "reference");
  EXPECT_EQ(f[0].classes, 0u);
  EXPECT_NE(f[0].evidence[0].detail.find("1 types referenced"), std::string::npos)
      << f[0].evidence[0].detail;
}

// Exodus signatures that are not package names (".sizmek.", ".LigatusManager") are searched
// anywhere in the class name, '.' matching any character; the evidence is weak and never makes
// the SDK the owner of a class.
TEST(SdkDetectTest, ClassPatternsAreWeakAndNeverOwn) {
  EXPECT_TRUE(ClassPatternFound(".sizmek.", "com.foo.sizmek.Ad"));
  EXPECT_TRUE(ClassPatternFound(".LigatusManager", "com.x.LigatusManager"));
  EXPECT_TRUE(ClassPatternFound(".sizmek.", "comXsizmekYAd"));  // regex '.', as Exodus
  EXPECT_FALSE(ClassPatternFound(".sizmek.", "sizmek.Ad"));     // needs a char before
  EXPECT_FALSE(ClassPatternFound(".LigatusManager", "com.x.LigatusManage"));

  std::vector<Sdk> sdks = Catalogue();
  Sdk sizmek;
  sizmek.id = "sizmek";
  sizmek.category = "analytics";
  sizmek.class_patterns = {".sizmek."};
  sdks.push_back(sizmek);
  SdkCatalog cat(sdks, {});
  AppSignals app;
  app.package = "com.example";
  std::vector<std::string> classes = {"Lcom/example/Main;", "Lcom/acme/sizmek/Tracker;",
                                      "Lcom/acme/sizmek/Tracker$1;"};
  std::vector<SdkFinding> f = DetectSdks(cat, app, classes, {});
  const SdkFinding* s = Find(f, "sizmek");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->strength, Strength::kWeak);
  EXPECT_EQ(s->presence, Presence::kCode);
  ASSERT_EQ(s->evidence.size(), 1u);
  EXPECT_EQ(s->evidence[0].kind, "class-pattern");
  EXPECT_NE(s->evidence[0].detail.find("(2 classes)"), std::string::npos) << s->evidence[0].detail;
  OwnerIndex owners(cat, "com.example", {"sizmek"});
  EXPECT_EQ(owners.OwnerOf("Lcom/acme/sizmek/Tracker;"), "app");
}

// A helper package with its own entry under another SDK's prefix takes its classes: the Google
// advertising-ID client under com.google.android.gms.ads is not AdMob (data/sdks/ads.yaml).
TEST(SdkDetectTest, HelperPackageIsNotTheSdkAroundIt) {
  std::vector<Sdk> sdks;
  sdks.push_back(MakeSdk("admob", {{"com.google.android.gms.ads", PrefixQuality::kDistinct}}));
  sdks.push_back(MakeSdk("gms-ads-identifier",
                         {{"com.google.android.gms.ads.identifier", PrefixQuality::kDistinct}}));
  SdkCatalog cat(sdks, {});
  AppSignals app;
  app.package = "com.example";
  std::vector<std::string> classes = {
      "Lcom/google/android/gms/ads/identifier/AdvertisingIdClient;",
      "Lcom/google/android/gms/ads/identifier/AdvertisingIdClient$Info;"};
  std::vector<SdkFinding> f = DetectSdks(cat, app, classes, {});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].sdk->id, "gms-ads-identifier");
  EXPECT_EQ(Find(f, "admob"), nullptr);
}

TEST(OwnerIndexTest, AppPackageWinsOverShorterSdkPrefix) {
  std::vector<Sdk> sdks = Catalogue();
  SdkCatalog cat(sdks, {});
  OwnerIndex demo(cat, "cn.jiguang.demo");
  EXPECT_EQ(demo.OwnerOf("Lcn/jiguang/demo/MainActivity;"), "app");
  EXPECT_EQ(demo.OwnerOf("Lcn/jiguang/core/A;"), "jpush");
  EXPECT_EQ(demo.OwnerOf("Lcn/jiguang/verifysdk/B;"), "jiguang-jverify");
  EXPECT_EQ(demo.OwnerOf("Lokhttp3/OkHttpClient;"), "app");

  OwnerIndex tencent(cat, "com.tencent");
  EXPECT_EQ(tencent.OwnerOf("com.tencent.mm.opensdk.api.WXAPIFactory"), "wechat");
  EXPECT_EQ(tencent.OwnerOf("com.tencent.Main"), "app");

  // Among owners of a shared prefix, a detected SDK is preferred.
  OwnerIndex preferred(cat, "com.example", {"jiguang-jverify"});
  EXPECT_EQ(preferred.OwnerOf("Lcn/jiguang/core/A;"), "jiguang-jverify");
}

TEST(OwnerIndexTest, LauncherPackageOutsideManifestPackageIsApp) {
  std::vector<Sdk> sdks = Catalogue();
  SdkCatalog cat(sdks, {});
  // Gradle namespace cn.jiguang.jmlinkdemo, applicationId com.jiguang.jmlinkdemo.
  std::vector<std::string> extra =
      AppCodePackages(cat, "com.jiguang.jmlinkdemo", "", "cn.jiguang.jmlinkdemo.MainActivity");
  ASSERT_EQ(extra, (std::vector<std::string>{"cn.jiguang.jmlinkdemo"}));
  // A launcher inside a distinct SDK prefix is not the app's code.
  EXPECT_TRUE(AppCodePackages(cat, "com.game", "", "com.tencent.mm.opensdk.X").empty());

  AppSignals app;
  app.package = "com.jiguang.jmlinkdemo";
  app.extra_packages = extra;
  app.components = {"cn.jiguang.jmlinkdemo.MainActivity"};
  std::vector<std::string> classes = {"Lcn/jiguang/jmlinkdemo/MainActivity;",
                                      "Lcn/jiguang/jmlinkdemo/R;"};
  EXPECT_TRUE(DetectSdks(cat, app, classes, {}).empty());
}

TEST(OwnerIndexTest, InferredPackagesOfRenamedCode) {
  std::vector<Sdk> sdks = Catalogue();
  SdkCatalog cat(sdks, {});
  EXPECT_TRUE(LooksObfuscated("Lcom/a/a/a/a/i;"));
  EXPECT_TRUE(LooksObfuscated("com.a.b.ab$1"));
  EXPECT_FALSE(LooksObfuscated("Lcom/example/MainActivity;"));
  EXPECT_FALSE(LooksObfuscated("Lcom/example/a;"));  // package not renamed

  OwnerIndex owners(cat, "com.example");
  owners.AddInferredPackage("com.a.a.a.a", "umeng-analytics");
  owners.AddInferredPackage("com.example.b", "jpush");  // the app's own code: ignored
  EXPECT_EQ(owners.OwnerOf("Lcom/a/a/a/a/i;"), "umeng-analytics");
  EXPECT_EQ(owners.InferredOwner("Lcom/a/a/a/a/i;"), "umeng-analytics");
  EXPECT_EQ(owners.OwnerOf("Lcom/a/a/a/a/b/c;"), "app");  // sub-packages are not inferred
  EXPECT_EQ(owners.OwnerOf("Lcom/example/b/a;"), "app");
  EXPECT_EQ(owners.OwnerOf("Lcn/jpush/android/A;"), "jpush");
  EXPECT_EQ(owners.InferredOwner("Lcn/jpush/android/A;"), "");
}

}  // namespace
}  // namespace piaudit::analysis
