// Tests for reading SDK version strings (src/analysis/sdk_version.h): dex files built at test time
// (checked by dexdump first) with a version in a static field's initial value, in <clinit>, in a
// method, in a library BuildConfig; META-INF/*.version files in a test-built APK; hostile values;
// and, on the shared corpus, every version read agrees with what dexdump / unzip show.
#include "analysis/sdk_version.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "analysis/app_code.h"
#include "base/byte_span.h"
#include "base/limits.h"
#include "container/zip_archive.h"
#include "dex/dex_file.h"
#include "knowledge/knowledge_base.h"
#include "support/apk_fixture.h"
#include "support/dex_builder.h"

namespace piaudit::analysis {
namespace {

using knowledge::PrefixQuality;
using knowledge::Sdk;
using knowledge::SdkVersionLocation;
using testing::DexBuilder;
using testing::kAccPublic;
using testing::kAccStatic;

constexpr char kVersionField[] = "Lcom/vendor/sdk/SdkInfo;->SDK_VERSION:Ljava/lang/String;";

Sdk VendorSdk() {
  Sdk s;
  s.id = "vendor";
  s.en = "Vendor SDK";
  s.category = "push";
  s.prefixes.push_back({"com.vendor.sdk", PrefixQuality::kDistinct, false});
  return s;
}

SdkVersionLocation Ref(std::string ref) {
  SdkVersionLocation loc;
  loc.ref = std::move(ref);
  loc.source = "test";
  return loc;
}

SdkVersionLocation MetaInf(std::string pattern) {
  SdkVersionLocation loc;
  loc.meta_inf = std::move(pattern);
  loc.source = "test";
  return loc;
}

// Builds `b`, checks it with dexdump, opens it; the bytes live in *keep.
dex::DexFile OpenBuilt(const DexBuilder& b, std::vector<uint8_t>* keep) {
  const std::string dir = testing::MakeTempDir("sdkver");
  auto bytes = testing::WriteAndVerifyDex(b, dir + "/classes.dex");
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  *keep = bytes.ok() ? *bytes : std::vector<uint8_t>();
  auto dex = dex::DexFile::Open(ByteSpan(keep->data(), keep->size()), "classes.dex", Limits());
  EXPECT_TRUE(dex.ok()) << dex.status().ToString();
  return std::move(dex).value();
}

// The version ReadSdkVersions gives `sdk` (a finding whose code is present) in `dex`.
SdkVersionReading Read(const Sdk& sdk, const dex::DexFile& dex,
                       const std::vector<MetaInfVersionFile>& meta_inf = {},
                       std::vector<std::string> app_packages = {"com.example.app"}) {
  std::vector<SdkFinding> findings(1);
  findings[0].sdk = &sdk;
  findings[0].presence = Presence::kCode;
  const dex::DexFile* dexes[] = {&dex};
  ReadSdkVersions(dexes, meta_inf, app_packages, &findings);
  return findings[0].version;
}

// A class of the SDK with some code (the finding stands on code).
void AddSdkCode(DexBuilder* b) {
  b->AddClass("Lcom/vendor/sdk/Push;")
      .AddMethod("init", "()V", kAccPublic | kAccStatic, 0)
      .ReturnVoid();
}

TEST(CleanVersionTest, KeepsPlausibleVersionsOnly) {
  EXPECT_EQ(CleanVersion("9.2.1"), "9.2.1");
  EXPECT_EQ(CleanVersion(" 22.6.0\n"), "22.6.0");
  EXPECT_EQ(CleanVersion("android 5.3.1"), "android 5.3.1");
  EXPECT_EQ(CleanVersion(""), "");
  EXPECT_EQ(CleanVersion("release"), "");  // no digit: not a version
  EXPECT_EQ(CleanVersion("1.0\x01"), "");
  EXPECT_EQ(CleanVersion("1.0\xe4\xb8\xad"), "");  // not ASCII
  EXPECT_EQ(CleanVersion(std::string(kMaxSdkVersionBytes, '1')),
            std::string(kMaxSdkVersionBytes, '1'));
  EXPECT_EQ(CleanVersion(std::string(kMaxSdkVersionBytes + 1, '1')), "");
}

TEST(SdkVersionTest, StaticFieldInitialValue) {
  DexBuilder b;
  AddSdkCode(&b);
  b.AddClass("Lcom/vendor/sdk/SdkInfo;")
      .AddStaticStringField("AAA_OTHER", "not this one")
      .AddStaticStringField("SDK_VERSION", "9.2.1")
      .AddField("counter", "I", kAccPublic | kAccStatic);
  std::vector<uint8_t> keep;
  dex::DexFile dex = OpenBuilt(b, &keep);
  Sdk sdk = VendorSdk();
  sdk.version = {Ref(kVersionField)};
  SdkVersionReading v = Read(sdk, dex);
  EXPECT_EQ(v.version, "9.2.1");
  EXPECT_EQ(v.how, "field");
  EXPECT_EQ(v.file, "classes.dex");
  EXPECT_EQ(v.location, kVersionField);
}

TEST(SdkVersionTest, ConstantStoredByStaticInitializer) {
  DexBuilder b;
  AddSdkCode(&b);
  auto& c = b.AddClass("Lcom/vendor/sdk/SdkInfo;");
  c.AddField("SDK_VERSION", "Ljava/lang/String;", kAccPublic | kAccStatic);
  c.AddStaticInitializer(1).ConstString(0, "3.4.0").SputObject(0, kVersionField).ReturnVoid();
  std::vector<uint8_t> keep;
  dex::DexFile dex = OpenBuilt(b, &keep);
  Sdk sdk = VendorSdk();
  sdk.version = {Ref(kVersionField)};
  EXPECT_EQ(Read(sdk, dex).version, "3.4.0");
}

TEST(SdkVersionTest, StaticInitializerThatComputesTheValueGivesNothing) {
  DexBuilder b;
  AddSdkCode(&b);
  auto& c = b.AddClass("Lcom/vendor/sdk/SdkInfo;");
  c.AddField("SDK_VERSION", "Ljava/lang/String;", kAccPublic | kAccStatic);
  // The constant is replaced by a call's result before it is stored: not the version.
  c.AddStaticInitializer(1)
      .ConstString(0, "3.4.0")
      .InvokeStatic("Lcom/vendor/sdk/Push;->load()Ljava/lang/String;", {})
      .MoveResultObject(0)
      .SputObject(0, kVersionField)
      .ReturnVoid();
  std::vector<uint8_t> keep;
  dex::DexFile dex = OpenBuilt(b, &keep);
  Sdk sdk = VendorSdk();
  sdk.version = {Ref(kVersionField)};
  EXPECT_EQ(Read(sdk, dex).version, "");
}

TEST(SdkVersionTest, MethodReturningAConstant) {
  constexpr char kGetter[] = "Lcom/vendor/sdk/Push;->getVersion()Ljava/lang/String;";
  constexpr char kBranchy[] = "Lcom/vendor/sdk/Push;->getName()Ljava/lang/String;";
  DexBuilder b;
  auto& c = b.AddClass("Lcom/vendor/sdk/Push;");
  c.AddMethod("getVersion", "()Ljava/lang/String;", kAccPublic | kAccStatic, 1)
      .ConstStringJumbo(0, "5.0.7")
      .ReturnObject(0);
  c.AddMethod("getName", "()Ljava/lang/String;", kAccPublic | kAccStatic, 1)
      .Const4(0, 0)
      .IfEqz(0, "other")
      .ConstString(0, "1.0")
      .ReturnObject(0)
      .Label("other")
      .ConstString(0, "2.0")
      .ReturnObject(0);
  std::vector<uint8_t> keep;
  dex::DexFile dex = OpenBuilt(b, &keep);
  Sdk sdk = VendorSdk();
  sdk.version = {Ref(kBranchy), Ref(kGetter)};  // the first that yields wins
  SdkVersionReading v = Read(sdk, dex);
  EXPECT_EQ(v.version, "5.0.7");
  EXPECT_EQ(v.how, "method");
  EXPECT_EQ(v.location, kGetter);
  sdk.version = {Ref(kBranchy)};
  EXPECT_EQ(Read(sdk, dex).version, "");
}

TEST(SdkVersionTest, LibraryBuildConfigFallbackButNotTheAppsOwn) {
  DexBuilder b;
  AddSdkCode(&b);
  b.AddClass("Lcom/vendor/sdk/BuildConfig;").AddStaticStringField("VERSION_NAME", "7.1.2");
  std::vector<uint8_t> keep;
  dex::DexFile dex = OpenBuilt(b, &keep);
  Sdk sdk = VendorSdk();  // no version location: the generic fallback
  SdkVersionReading v = Read(sdk, dex);
  EXPECT_EQ(v.version, "7.1.2");
  EXPECT_EQ(v.how, "build-config");
  EXPECT_EQ(v.location, "Lcom/vendor/sdk/BuildConfig;->VERSION_NAME:Ljava/lang/String;");
  // An app whose own package holds the prefix: that BuildConfig is the app's version.
  EXPECT_EQ(Read(sdk, dex, {}, {"com.vendor"}).version, "");
  // A finding that does not stand on code gets no fallback.
  std::vector<SdkFinding> findings(1);
  findings[0].sdk = &sdk;
  findings[0].presence = Presence::kReferenced;
  const dex::DexFile* dexes[] = {&dex};
  std::vector<std::string> app = {"com.example.app"};
  ReadSdkVersions(dexes, {}, app, &findings);
  EXPECT_EQ(findings[0].version.version, "");
}

TEST(SdkVersionTest, HostileValuesAreNotVersions) {
  DexBuilder b;
  AddSdkCode(&b);
  b.AddClass("Lcom/vendor/sdk/SdkInfo;")
      .AddStaticStringField("HUGE", std::string(100000, '9'))
      .AddStaticStringField("SDK_VERSION", "1.0\x07\x1b[31m");
  std::vector<uint8_t> keep;
  dex::DexFile dex = OpenBuilt(b, &keep);
  Sdk sdk = VendorSdk();
  sdk.version = {Ref("Lcom/vendor/sdk/SdkInfo;->HUGE:Ljava/lang/String;"), Ref(kVersionField)};
  EXPECT_EQ(Read(sdk, dex).version, "");
  std::vector<MetaInfVersionFile> files = {{"META-INF/vendor_sdk.version", "\x01\x02"}};
  sdk.version = {MetaInf("vendor_sdk.version")};
  EXPECT_EQ(Read(sdk, dex, files).version, "");
}

TEST(SdkVersionTest, TruncatedStaticValuesDoNotCrash) {
  DexBuilder b;
  AddSdkCode(&b);
  b.AddClass("Lcom/vendor/sdk/SdkInfo;").AddStaticStringField("SDK_VERSION", "9.2.1");
  std::vector<uint8_t> keep;
  dex::DexFile good = OpenBuilt(b, &keep);
  Sdk sdk = VendorSdk();
  sdk.version = {Ref(kVersionField)};
  ASSERT_EQ(Read(sdk, good).version, "9.2.1");
  // Every single-byte corruption of the file reads as some version or none, never a crash.
  const size_t n = keep.size();
  for (size_t i = 0x70; i < n; i += 7) {
    std::vector<uint8_t> bad = keep;
    bad[i] ^= 0xff;
    auto dex = dex::DexFile::Open(ByteSpan(bad.data(), bad.size()), "classes.dex", Limits());
    if (!dex.ok()) continue;
    const std::string v = Read(sdk, *dex).version;
    EXPECT_LE(v.size(), kMaxSdkVersionBytes);
  }
}

TEST(SdkVersionTest, MetaInfVersionFileOfATestBuiltApk) {
  testing::ApkSpec spec;
  spec.manifest_xml =
      R"(<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.example.app"><application/></manifest>)";
  spec.extra_files["META-INF/com.google.android.gms_play-services-ads.version"] = "22.6.0\n";
  spec.extra_files["META-INF/androidx.core_core.version"] = "1.9.0\n";
  spec.extra_files["META-INF/huge.version"] = std::string(4096, '1');
  spec.extra_files["META-INF/sub/dir.version"] = "1.0\n";
  spec.sign = false;
  auto apk = testing::BuildApk(spec, "metainf");
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  auto bytes = testing::ReadFile(*apk);
  ASSERT_TRUE(bytes.ok());
  auto zip = container::ZipArchive::Open(ByteSpan(*bytes), *apk, Limits(), nullptr);
  ASSERT_TRUE(zip.ok()) << zip.status().ToString();
  std::vector<MetaInfVersionFile> files = CollectMetaInfVersionFiles(*zip);
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(f.name);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{
                       "META-INF/androidx.core_core.version",
                       "META-INF/com.google.android.gms_play-services-ads.version"}));

  DexBuilder b;
  AddSdkCode(&b);
  std::vector<uint8_t> keep;
  dex::DexFile dex = OpenBuilt(b, &keep);
  Sdk sdk = VendorSdk();
  sdk.version = {MetaInf("com.google.android.gms_play-services-ads*.version")};
  SdkVersionReading v = Read(sdk, dex, files);
  EXPECT_EQ(v.version, "22.6.0");
  EXPECT_EQ(v.how, "meta-inf");
  EXPECT_EQ(v.file, "META-INF/com.google.android.gms_play-services-ads.version");
}

// Every version read on a corpus APK is what dexdump (or unzip, for META-INF) shows there.
TEST(SdkVersionCorpusTest, VersionsMatchDexdump) {
  const std::vector<std::string> apks = testing::CorpusApks();
  if (apks.empty()) GTEST_SKIP() << "shared corpus absent (PIAUDIT_CORPUS_DIR)";
  auto kb = knowledge::KnowledgeBase::Load(PIAUDIT_DATA_DIR, nullptr);
  ASSERT_TRUE(kb.ok()) << kb.status().ToString();
  CodeOptions options;
  options.analyze_calls = false;
  size_t findings = 0, versions = 0;
  for (const std::string& apk : apks) {
    auto report = BuildCodeReport(apk, *kb, options);
    if (!report.ok()) continue;
    for (const SdkFinding& f : report->sdks) {
      ++findings;
      if (f.version.version.empty()) continue;
      ++versions;
      SCOPED_TRACE(apk + ": " + f.sdk->id + " " + f.version.location);
      if (f.version.how == "meta-inf") {
        auto r = testing::RunCommand("unzip -p " + testing::ShellQuote(apk) + " " +
                                     testing::ShellQuote(f.version.file));
        ASSERT_EQ(r.exit_code, 0) << r.out;
        EXPECT_EQ(CleanVersion(r.out), f.version.version);
        continue;
      }
      const std::string dir = testing::MakeTempDir("sdkver-corpus");
      auto r =
          testing::RunCommand("cd " + testing::ShellQuote(dir) + " && unzip -o -q " +
                              testing::ShellQuote(apk) + " " + testing::ShellQuote(f.version.file) +
                              " && dexdump -d " + testing::ShellQuote(f.version.file));
      ASSERT_EQ(r.exit_code, 0) << r.out.substr(0, 2000);
      const std::string cls = f.version.location.substr(0, f.version.location.find("->"));
      const size_t at = r.out.find("Class descriptor  : '" + cls + "'");
      ASSERT_NE(at, std::string::npos);
      const size_t end = r.out.find("Class descriptor", at + 1);
      const std::string body = r.out.substr(at, end == std::string::npos ? end : end - at);
      if (f.version.how == "method") {
        EXPECT_NE(body.find(", \"" + f.version.version + "\""), std::string::npos);
      } else {
        const std::string field = f.version.location.substr(
            f.version.location.find("->") + 2,
            f.version.location.find(':') - f.version.location.find("->") - 2);
        const size_t name = body.find("name          : '" + field + "'");
        ASSERT_NE(name, std::string::npos);
        // The field's initial value, or the constant <clinit> stores into it.
        const size_t value = body.find("value", name);
        const size_t eol = value == std::string::npos ? value : body.find('\n', value);
        const bool initial =
            value != std::string::npos &&
            body.substr(value, eol - value).find("\"" + f.version.version + "\"") !=
                std::string::npos;
        const bool stored = body.find(", \"" + f.version.version + "\"") != std::string::npos &&
                            body.find("." + field + ":Ljava/lang/String;") != std::string::npos;
        EXPECT_TRUE(initial || stored);
      }
    }
  }
  std::printf("corpus: %zu of %zu SDK findings have a version\n", versions, findings);
}

}  // namespace
}  // namespace piaudit::analysis
