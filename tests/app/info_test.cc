// `piaudit info`: the JSON schema shape (piaudit.info/1), agreement with aapt on the corpus, a
// fixture APK carrying secondary code and a native library, and the one-line error with exit 3
// for inputs that are not APKs (no manifest, truncated, not a zip). Driven in-process through
// RegisterInfoCommand; stdout/stderr captured by GoogleTest.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "apk/apk_facts.h"
#include "app/commands.h"
#include "report/info_json.h"
#include "support/apk_fixture.h"

namespace piaudit::app {
namespace {

using piaudit::testing::ApkSpec;
using piaudit::testing::BuildApk;
using piaudit::testing::CorpusApks;
using piaudit::testing::MakeTempDir;
using piaudit::testing::ReadFile;
using piaudit::testing::RunCommand;
using piaudit::testing::ShellQuote;
using piaudit::testing::WriteFile;

struct InfoRun {
  int exit_code;
  std::string out, err;
};

InfoRun RunInfo(std::vector<std::string> args) {
  CLI::App cli;
  int exit_code = -1;
  RegisterInfoCommand(cli, &exit_code);
  args.insert(args.begin(), "info");
  std::vector<std::string> rev(args.rbegin(), args.rend());
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  try {
    cli.parse(rev);
  } catch (const CLI::ParseError& e) {
    exit_code = kExitUsage;
  }
  InfoRun r;
  r.out = ::testing::internal::GetCapturedStdout();
  r.err = ::testing::internal::GetCapturedStderr();
  r.exit_code = exit_code;
  return r;
}

const char* kKeys[] = {"schema",
                       "package",
                       "version_code",
                       "version_name",
                       "min_sdk",
                       "target_sdk",
                       "permissions",
                       "implied_permissions",
                       "declared_permissions",
                       "components",
                       "application",
                       "meta_data",
                       "signers",
                       "signature_schemes",
                       "native_libs",
                       "label",
                       "launcher_activity",
                       "files",
                       "diagnostics",
                       "dex_files"};

void ExpectOneLineError(const InfoRun& r, const std::string& file) {
  EXPECT_EQ(r.exit_code, kExitBadInput);
  EXPECT_TRUE(r.out.empty()) << r.out;
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;  // exactly one line
  EXPECT_NE(r.err.find(file), std::string::npos) << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(\+0x[0-9a-f]+: )"))) << r.err;  // offset
}

TEST(InfoTest, CorpusJsonMatchesAapt) {
  if (CorpusApks().empty()) GTEST_SKIP() << "corpus not found at " << PIAUDIT_CORPUS_DIR;
  int checked = 0;
  for (const std::string& apk : CorpusApks()) {
    InfoRun r = RunInfo({apk, "--format", "json"});
    auto badging = RunCommand("aapt dump badging " + ShellQuote(apk) + " 2>/dev/null");
    if (badging.exit_code != 0) {
      // aapt cannot read it either (e.g. no manifest): we must fail cleanly.
      ExpectOneLineError(r, apk);
      continue;
    }
    ASSERT_EQ(r.exit_code, kExitOk) << apk << ": " << r.err;
    nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << apk;
    for (const char* k : kKeys) EXPECT_TRUE(j.contains(k)) << apk << " lacks " << k;
    EXPECT_EQ(j["schema"], "piaudit.info/1");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(badging.out, m, std::regex("package: name='([^']*)'")));
    EXPECT_EQ(j["package"], std::string(m[1])) << apk;
    if (std::regex_search(badging.out, m, std::regex("launchable-activity: name='([^']*)'"))) {
      EXPECT_EQ(j["launcher_activity"], std::string(m[1])) << apk;
    }
    if (std::regex_search(badging.out, m, std::regex("application-label:'([^']*)'"))) {
      EXPECT_EQ(j["label"][""], std::string(m[1])) << apk;
    }
    if (RunCommand("which apksigner >/dev/null").exit_code == 0) {
      auto certs = RunCommand("apksigner verify --print-certs " + ShellQuote(apk) + " 2>/dev/null");
      if (std::regex_search(certs.out, m,
                            std::regex("certificate SHA-256 digest: ([0-9a-f]{64})"))) {
        ASSERT_FALSE(j["signers"].empty()) << apk;
        EXPECT_EQ(j["signers"][0]["sha256"], std::string(m[1])) << apk;
      }
    }
    // Text format works on the same input.
    InfoRun t = RunInfo({apk});
    EXPECT_EQ(t.exit_code, kExitOk);
    EXPECT_NE(t.out.find(j["package"].get<std::string>()), std::string::npos);
    ++checked;
  }
  EXPECT_GT(checked, 5);
}

TEST(InfoTest, FixtureWithSecondaryCodeAndNativeLib) {
  if (RunCommand("aapt version").exit_code != 0) GTEST_SKIP() << "aapt not installed";
  ApkSpec spec;
  spec.manifest_xml = R"(<manifest xmlns:android="http://schemas.android.com/apk/res/android"
      package="com.example.info" android:versionCode="3" android:versionName="0.3">
    <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="29" />
    <uses-permission android:name="android.permission.READ_PHONE_STATE" />
    <application android:label="@string/app_name" android:debuggable="true">
      <meta-data android:name="JPUSH_APPKEY" android:value="abcdef0123456789abcdef01" />
      <activity android:name=".Main">
        <intent-filter>
          <action android:name="android.intent.action.MAIN" />
          <category android:name="android.intent.category.LAUNCHER" />
        </intent-filter>
      </activity>
    </application>
  </manifest>)";
  spec.resources["values/strings.xml"] =
      R"(<resources><string name="app_name">Info</string></resources>)";
  spec.resources["values-zh-rCN/strings.xml"] =
      "<resources><string name=\"app_name\">\xe4\xbf\xa1\xe6\x81\xaf</string></resources>";
  std::string dex("dex\n035\0", 8);
  dex.resize(112, '\0');
  spec.extra_files["assets/plugin.bin"] = dex;
  spec.extra_files["lib/arm64-v8a/libfoo.so"] = std::string(
                                                    "\x7f"
                                                    "ELF",
                                                    4) +
                                                std::string(60, '\0');
  auto apk = BuildApk(spec, "info_fixture");
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  InfoRun r = RunInfo({*apk, "--format", "json"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["package"], "com.example.info");
  EXPECT_EQ(j["version_code"], 3);
  EXPECT_EQ(j["label"][""], "Info");
  EXPECT_EQ(j["label"]["zh-CN"], "\xe4\xbf\xa1\xe6\x81\xaf");
  EXPECT_EQ(j["launcher_activity"], "com.example.info.Main");
  EXPECT_EQ(j["application"]["debuggable"], true);
  ASSERT_EQ(j["meta_data"].size(), 1u);
  EXPECT_EQ(j["meta_data"][0]["name"], "JPUSH_APPKEY");
  EXPECT_TRUE(j["native_libs"].contains("arm64-v8a")) << j["native_libs"].dump();
  bool found_plugin = false;
  for (const auto& f : j["files"]) {
    if (f["path"] == "assets/plugin.bin") {
      found_plugin = true;
      EXPECT_EQ(f["type"], "dex");
      EXPECT_EQ(f["code"], true);
    }
  }
  EXPECT_TRUE(found_plugin) << j["files"].dump();
  ASSERT_FALSE(j["signers"].empty());
  EXPECT_EQ(j["signers"][0]["sha256"].get<std::string>().size(), 64u);
  EXPECT_TRUE(j["signature_schemes"]["v2"]["verified"].get<bool>());
}

// A v1-only APK whose entry was changed after signing: the signature over the manifest still
// verifies, so without --verify-entries v1 is reported verified with entries_checked false (and
// the text says the entries were not hashed); with it, v1 fails as Android would fail it.
TEST(InfoTest, V1EntriesAreHashedOnRequest) {
  if (RunCommand("aapt version").exit_code != 0) GTEST_SKIP() << "aapt not installed";
  ApkSpec spec;
  spec.manifest_xml = R"(<manifest xmlns:android="http://schemas.android.com/apk/res/android"
      package="com.example.v1only" android:versionCode="1" android:versionName="1">
    <uses-sdk android:minSdkVersion="14" android:targetSdkVersion="23" />
    <application android:label="v1" />
  </manifest>)";
  spec.extra_files["assets/readme.txt"] = "signed text\n";
  spec.sign = false;
  auto unsigned_apk = BuildApk(spec, "v1only");
  ASSERT_TRUE(unsigned_apk.ok()) << unsigned_apk.status().ToString();
  auto key = piaudit::testing::TestSigningKey();
  ASSERT_TRUE(key.ok());
  const std::string dir = MakeTempDir("v1only");
  const std::string apk = dir + "/v1only.apk", tampered = dir + "/tampered.apk";
  auto r = RunCommand("apksigner sign --key " + ShellQuote(key->first) + " --cert " +
                      ShellQuote(key->second) +
                      " --v1-signing-enabled true --v2-signing-enabled false"
                      " --v3-signing-enabled false --out " +
                      ShellQuote(apk) + " " + ShellQuote(*unsigned_apk) + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  r = RunCommand("cp " + ShellQuote(apk) + " " + ShellQuote(tampered) + " && cd " +
                 ShellQuote(dir) + " && mkdir -p assets && echo changed > assets/readme.txt &&" +
                 " zip -q " + ShellQuote(tampered) + " assets/readme.txt 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;

  auto v1 = [](const InfoRun& run) {
    EXPECT_EQ(run.exit_code, kExitOk) << run.err;
    return nlohmann::json::parse(run.out)["signature_schemes"]["v1"];
  };
  nlohmann::json intact = v1(RunInfo({apk, "--format", "json", "--verify-entries"}));
  EXPECT_TRUE(intact["verified"].get<bool>());
  EXPECT_TRUE(intact["entries_checked"].get<bool>());

  nlohmann::json quick = v1(RunInfo({tampered, "--format", "json"}));
  EXPECT_TRUE(quick["verified"].get<bool>());
  EXPECT_FALSE(quick["entries_checked"].get<bool>());
  EXPECT_NE(RunInfo({tampered}).out.find("v1 verified (entries not hashed)"), std::string::npos);

  nlohmann::json full = v1(RunInfo({tampered, "--format", "json", "--verify-entries"}));
  EXPECT_FALSE(full["verified"].get<bool>());
  EXPECT_TRUE(full["entries_checked"].get<bool>());
  EXPECT_NE(full["errors"].dump().find("not matching"), std::string::npos) << full.dump();
}

TEST(InfoTest, BadInputsGiveOneLineErrorAndExit3) {
  std::string dir = MakeTempDir("info_bad");
  // Not a zip at all.
  std::string text = dir + "/text.apk";
  ASSERT_TRUE(WriteFile(text, std::string(4096, 'x')).ok());
  ExpectOneLineError(RunInfo({text, "--format", "json"}), text);
  // A zip without a manifest.
  std::string nomanifest = dir + "/nomanifest.apk";
  ASSERT_EQ(
      RunCommand("cd " + ShellQuote(dir) + " && echo hi > a.txt && zip -q nomanifest.apk a.txt")
          .exit_code,
      0);
  InfoRun r = RunInfo({nomanifest});
  ExpectOneLineError(r, nomanifest);
  EXPECT_NE(r.err.find("AndroidManifest.xml"), std::string::npos);
  // A real APK cut in half: the central directory is gone.
  if (!CorpusApks().empty()) {
    auto bytes = ReadFile(CorpusApks().back());
    ASSERT_TRUE(bytes.ok());
    std::string cut = dir + "/cut.apk";
    ASSERT_TRUE(WriteFile(cut, bytes->substr(0, bytes->size() / 2)).ok());
    ExpectOneLineError(RunInfo({cut}), cut);
  }
  // A missing file is an I/O failure, still exit 3 with the path.
  InfoRun missing = RunInfo({dir + "/missing.apk"});
  EXPECT_EQ(missing.exit_code, kExitBadInput);
  EXPECT_NE(missing.err.find("missing.apk"), std::string::npos);
  // Usage error: unknown format.
  EXPECT_EQ(RunInfo({text, "--format", "xml"}).exit_code, kExitUsage);
}

}  // namespace
}  // namespace piaudit::app
