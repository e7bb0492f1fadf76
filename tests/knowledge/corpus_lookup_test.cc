// SDK lookups on the real APKs of the shared corpus. Class names are listed with Debian's
// `unzip` and `dexdump` (independent of piaudit's own dex parser), and the expectations are what
// those APKs were seen to contain (see the comments), not guesses about the apps.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "knowledge/knowledge_base.h"

namespace piaudit::knowledge {
namespace {

namespace fs = std::filesystem;

std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find('\n', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

class CorpusLookupTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto kb = KnowledgeBase::Load(PIAUDIT_DATA_DIR, nullptr);
    ASSERT_TRUE(kb.ok()) << kb.status().ToString();
    kb_ = new KnowledgeBase(std::move(kb).value());
  }
  static void TearDownTestSuite() {
    delete kb_;
    kb_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(kb_, nullptr);
    apks_ = fs::path(PIAUDIT_CORPUS_DIR) / "apks";
    if (!fs::is_directory(apks_)) GTEST_SKIP() << "corpus not found at " << apks_;
    if (Shell("command -v dexdump >/dev/null 2>&1 && command -v unzip >/dev/null 2>&1 && echo y")
            .empty()) {
      GTEST_SKIP() << "dexdump and unzip are needed to list class names (apt install dexdump "
                      "unzip)";
    }
    tmp_ = fs::temp_directory_path() / ("piaudit_corpus_" + std::to_string(::getpid()));
    fs::create_directories(tmp_);
  }
  void TearDown() override {
    if (!tmp_.empty()) fs::remove_all(tmp_);
  }

  fs::path Apk(const std::string& name) {
    const fs::path p = apks_ / name;
    if (!fs::exists(p)) ADD_FAILURE() << "missing corpus APK " << p;
    return p;
  }
  std::vector<std::string> Entries(const fs::path& apk) {
    return Lines(Shell("unzip -Z1 " + Quote(apk.string()) + " 2>/dev/null"));
  }
  // Extracts every classes*.dex to tmp_ and returns their paths.
  std::vector<fs::path> Dexes(const fs::path& apk) {
    std::vector<fs::path> out;
    for (const std::string& e : Entries(apk)) {
      if (e.rfind("classes", 0) != 0 || e.size() < 4 || e.substr(e.size() - 4) != ".dex") continue;
      const fs::path d = tmp_ / (apk.stem().string() + "." + e);
      Shell("unzip -p " + Quote(apk.string()) + " " + Quote(e) + " > " + Quote(d.string()));
      out.push_back(d);
    }
    return out;
  }
  // Class descriptors as dexdump prints them: "Lcom/foo/Bar;".
  std::vector<std::string> Classes(const fs::path& apk) {
    std::vector<std::string> out;
    for (const fs::path& d : Dexes(apk)) {
      for (const std::string& l : Lines(
               Shell("dexdump " + Quote(d.string()) + " 2>/dev/null | grep 'Class descriptor'"))) {
        const size_t a = l.find('\'');
        const size_t b = l.rfind('\'');
        if (a != std::string::npos && b > a) out.push_back(l.substr(a + 1, b - a - 1));
      }
    }
    return out;
  }
  // SDK id -> number of classes attributed (first owner of the matched prefix).
  std::map<std::string, int> Histogram(const std::vector<std::string>& classes) {
    std::map<std::string, int> h;
    for (const std::string& c : classes) {
      if (const SdkKeyOwners* o = kb_->MatchClassPrefix(c)) ++h[o->sdks.front()->id];
    }
    return h;
  }

  static KnowledgeBase* kb_;
  fs::path apks_;
  fs::path tmp_;
};
KnowledgeBase* CorpusLookupTest::kb_ = nullptr;

TEST_F(CorpusLookupTest, BuglyUpgradeDemo) {
  // bugly-upgrade-demo.apk carries Tencent Bugly (219 classes under com.tencent.bugly) and
  // lib/{armeabi,x86}/libBugly.so; its own package com.bugly.upgrade is not an SDK.
  const fs::path apk = Apk("bugly-upgrade-demo.apk");
  const auto classes = Classes(apk);
  ASSERT_GT(classes.size(), 1000u);
  const auto h = Histogram(classes);
  ASSERT_EQ(h.size(), 1u) << "only Bugly is expected";
  EXPECT_GE(h.at("bugly"), 200);
  int libs = 0;
  for (const std::string& e : Entries(apk)) {
    if (e.rfind("lib/", 0) != 0) continue;
    for (const NativeLibMatch& m : kb_->MatchNativeLib(e)) {
      if (m.sdk != nullptr && m.sdk->id == "bugly") ++libs;
    }
  }
  EXPECT_EQ(libs, 2);
}

TEST_F(CorpusLookupTest, JmlinkDemoIsJiguangVendorLevel) {
  // jmlink-demo.apk contains only the demo package cn.jiguang.jmlinkdemo (plus androidx): it
  // lies under the shared JIGUANG prefix cn.jiguang, so the lookup proves the vendor only.
  const auto classes = Classes(Apk("jmlink-demo.apk"));
  ASSERT_FALSE(classes.empty());
  int jiguang = 0;
  for (const std::string& c : classes) {
    const SdkKeyOwners* o = kb_->MatchClassPrefix(c);
    if (o == nullptr) continue;
    EXPECT_EQ(o->key, "cn.jiguang") << c;
    EXPECT_EQ(o->quality, PrefixQuality::kShared) << c;
    std::set<std::string> ids;
    for (const Sdk* s : o->sdks) ids.insert(s->id);
    EXPECT_TRUE(ids.count("jpush")) << c;
    ++jiguang;
  }
  EXPECT_GE(jiguang, 10);
}

TEST_F(CorpusLookupTest, CnzzDemoIsObfuscatedButHasFeatures) {
  // cnzz-demo.apk has the CNZZ SDK renamed to com.a.a.a.a.*: no package prefix matches, but the
  // dex still holds CNZZ's string constants and its collector host, which the catalogue lists
  // as features of `cnzz`.
  const fs::path apk = Apk("cnzz-demo.apk");
  const auto classes = Classes(apk);
  ASSERT_FALSE(classes.empty());
  EXPECT_TRUE(Histogram(classes).empty());
  const auto dexes = Dexes(apk);
  ASSERT_FALSE(dexes.empty());
  std::ifstream in(dexes.front(), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const Sdk* cnzz = kb_->FindSdk("cnzz");
  ASSERT_NE(cnzz, nullptr);
  ASSERT_FALSE(cnzz->features.strings.empty());
  for (const std::string& s : cnzz->features.strings) {
    EXPECT_NE(bytes.find(s), std::string::npos) << s;
  }
  for (const std::string& h : cnzz->features.hosts) {
    ASSERT_NE(bytes.find(h), std::string::npos) << h;
    const SdkKeyOwners* o = kb_->MatchHost(h);
    ASSERT_NE(o, nullptr);
    EXPECT_EQ(o->sdks.front()->id, "cnzz");
  }
  // A different SDK's features are not there.
  for (const std::string& s : kb_->FindSdk("jpush")->features.strings) {
    EXPECT_EQ(bytes.find(s), std::string::npos) << s;
  }
}

TEST_F(CorpusLookupTest, InstapaperAndBlooddonation) {
  // instapaper.apk: Crashlytics/Fabric (com.crashlytics, io.fabric), Firebase Analytics
  // (com.google.android.gms.measurement), Facebook SDK, Firebase IID, and the advertising-ID
  // client (com.google.android.gms.ads.identifier), which is not AdMob (issue 17: it was taken
  // for AdMob, the only AdMob evidence in this app).
  auto h = Histogram(Classes(Apk("instapaper.apk")));
  EXPECT_GE(h["firebase-crashlytics"], 300);
  EXPECT_GE(h["firebase-analytics"], 100);
  EXPECT_GE(h["facebook-sdk"], 100);
  EXPECT_EQ(h.count("admob"), 0u);
  EXPECT_GE(h["gms-ads-identifier"], 1);
  EXPECT_GE(h["firebase-messaging"], 1);
  EXPECT_EQ(h.count("umeng"), 0u);
  // blooddonation.apk: AdMob (com.google.android.gms.ads, com.google.ads), Firebase IID and the
  // advertising-ID client AdMob itself uses.
  h = Histogram(Classes(Apk("blooddonation.apk")));
  EXPECT_GE(h["admob"], 250);
  EXPECT_GE(h["gms-ads-identifier"], 1);
  EXPECT_EQ(h.size(), 3u);
}

TEST_F(CorpusLookupTest, PlainAppsHaveNoSdk) {
  // Small open-source apps without third-party SDKs: nothing may be attributed.
  for (const char* name : {"hello-world.apk", "com.politedroid_4.apk", "a2dp.Vol_137.apk",
                           "com.teleca.jamendo_35.apk", "app-prod-debug.apk"}) {
    const auto classes = Classes(Apk(name));
    EXPECT_FALSE(classes.empty()) << name;
    const auto h = Histogram(classes);
    EXPECT_TRUE(h.empty()) << name << " first: " << (h.empty() ? "" : h.begin()->first);
  }
}

}  // namespace
}  // namespace piaudit::knowledge
