// `piaudit code`: the piaudit.code/1 keys on every corpus APK, SDK/host/secondary-code/policy-URL
// attribution on a fixture APK built at test time (aapt + DexBuilder), a packed fixture reported
// with code_visible false, a corrupt classes.dex reported in diagnostics while the rest goes on,
// the call-graph output, and the one-line error with exit 3 for inputs that are not APKs. Driven
// in-process through RegisterCodeCommand; stdout/stderr captured by GoogleTest.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "app/commands.h"
#include "support/apk_fixture.h"
#include "support/dex_builder.h"

namespace piaudit::app {
namespace {

using nlohmann::json;
using piaudit::testing::ApkSpec;
using piaudit::testing::BuildApk;
using piaudit::testing::CorpusApks;
using piaudit::testing::DexBuilder;
using piaudit::testing::MakeTempDir;
using piaudit::testing::ReadFile;
using piaudit::testing::RunCommand;
using piaudit::testing::ShellQuote;
using piaudit::testing::WriteFile;

struct CodeRun {
  int exit_code;
  std::string out, err;
};

CodeRun RunCode(std::vector<std::string> args) {
  CLI::App cli;
  int exit_code = -1;
  RegisterCodeCommand(cli, &exit_code);
  args.insert(args.begin(), "code");
  args.push_back("--kb");
  args.push_back(PIAUDIT_DATA_DIR);
  std::vector<std::string> rev(args.rbegin(), args.rend());
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  try {
    cli.parse(rev);
  } catch (const CLI::ParseError&) {
    exit_code = kExitUsage;
  }
  CodeRun r;
  r.out = ::testing::internal::GetCapturedStdout();
  r.err = ::testing::internal::GetCapturedStderr();
  r.exit_code = exit_code;
  return r;
}

std::string Bytes(const std::vector<uint8_t>& v) { return std::string(v.begin(), v.end()); }

void ExpectSchema(const json& j, const std::string& what) {
  EXPECT_EQ(j.value("schema", ""), "piaudit.code/1") << what;
  for (const char* key : {"dex_files", "sdks", "packer", "consent_gate", "sensitive_calls", "hosts",
                          "secondary_code", "policy_urls", "diagnostics"}) {
    EXPECT_TRUE(j.contains(key)) << what << ": missing " << key;
  }
  ASSERT_TRUE(j["dex_files"].is_array()) << what;
  for (const json& d : j["dex_files"])
    for (const char* key : {"name", "classes", "methods", "method_ids", "fields"})
      EXPECT_TRUE(d.contains(key)) << what << ": dex_files[] missing " << key;
  for (const json& s : j["sdks"])
    for (const char* key : {"id", "name", "evidence", "strength"})
      EXPECT_TRUE(s.contains(key)) << what << ": sdks[] missing " << key;
  for (const json& c : j["sensitive_calls"]) {
    for (const char* key :
         {"api", "pi_type", "caller", "owner", "startup", "before_consent", "chain"})
      EXPECT_TRUE(c.contains(key)) << what << ": sensitive_calls[] missing " << key;
    std::string bc = c.value("before_consent", "");
    EXPECT_TRUE(bc == "likely" || bc == "no" || bc == "unknown") << bc;
    EXPECT_TRUE(c["startup"].is_boolean());
  }
  EXPECT_TRUE(j["packer"].is_null() || j["packer"].is_object());
  EXPECT_TRUE(j["consent_gate"].is_null() || j["consent_gate"].is_object());
}

void ExpectOneLineError(const CodeRun& r, const std::string& file) {
  EXPECT_EQ(r.exit_code, kExitBadInput);
  EXPECT_TRUE(r.out.empty()) << r.out;
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;  // exactly one line
  EXPECT_NE(r.err.find(file), std::string::npos) << r.err;
}

TEST(CodeCommandTest, EveryCorpusApkCompletesWithTheSchemaKeys) {
  std::vector<std::string> apks = CorpusApks();
  if (apks.empty()) GTEST_SKIP() << "shared corpus not found at " << PIAUDIT_CORPUS_DIR;
  size_t ok = 0;
  for (const std::string& apk : apks) {
    CodeRun r = RunCode({apk, "--format", "json"});
    if (r.exit_code == kExitBadInput) {  // not an APK (e.g. no manifest): one clear line
      ExpectOneLineError(r, apk);
      continue;
    }
    ASSERT_EQ(r.exit_code, kExitOk) << apk << ": " << r.err;
    json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(j.is_discarded()) << apk;
    ExpectSchema(j, apk);
    EXPECT_FALSE(j["dex_files"].empty()) << apk;
    ++ok;
  }
  EXPECT_GE(ok, apks.size() / 2) << "most corpus APKs must be analysable";
}

const char* kManifest = R"(<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.example.codeapp">
  <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="30"/>
  <application android:label="Code">
    <meta-data android:name="JPUSH_APPKEY" android:value="abc123"/>
    <activity android:name=".MainActivity" android:exported="true">
      <intent-filter>
        <action android:name="android.intent.action.MAIN"/>
        <category android:name="android.intent.category.LAUNCHER"/>
      </intent-filter>
    </activity>
  </application>
</manifest>
)";

std::vector<uint8_t> AppDex() {
  DexBuilder b;
  auto& sdk = b.AddClass("Lcn/jpush/android/api/JPushInterface;");
  sdk.AddMethod("init", "(Landroid/content/Context;)V", testing::kAccPublic | testing::kAccStatic,
                3)
      .ConstString(0, "https://stats.jpush.cn/v3/report")
      .ReturnVoid();
  auto& main = b.AddClass("Lcom/example/codeapp/MainActivity;", "Landroid/app/Activity;");
  main.AddMethod("onCreate", "(Landroid/os/Bundle;)V", testing::kAccPublic, 3)
      .InvokeSuper("Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V", {1, 2})
      .ConstString(0, "https://www.example.com/legal/privacy.html")
      .InvokeStatic("Lcn/jpush/android/api/JPushInterface;->init(Landroid/content/Context;)V", {1})
      .ReturnVoid();
  return b.Build();
}

std::vector<uint8_t> PluginDex() {
  DexBuilder b;
  auto& c = b.AddClass("Lcom/example/plugin/Entry;");
  c.AddMethod("run", "()V", testing::kAccPublic | testing::kAccStatic, 1)
      .ConstString(0, "https://plugin.example.net/api")
      .ReturnVoid();
  return b.Build();
}

// Issue 17: each SDK says what it stands on, and only an SDK whose code is present owns calls.
// The fixture carries the Google advertising-ID client (its own catalogue entry, not AdMob) with
// code, a ByteDance class under Pangle's broad prefix only, an interface of the WeChat SDK (no
// code), and a reference to AppsFlyer's API that no class defines.
TEST(CodeCommandTest, SdkPresenceAndOwnersOfCalls) {
  constexpr char kImei[] = "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;";
  DexBuilder b;
  b.AddClass("Lcom/google/android/gms/ads/identifier/AdvertisingIdClient;")
      .AddMethod("read", "()V", testing::kAccPublic | testing::kAccStatic, 1)
      .InvokeVirtual(kImei, {0})
      .ReturnVoid();
  b.AddClass("Lcom/bytedance/tools/Helper;")
      .AddMethod("read", "()V", testing::kAccPublic | testing::kAccStatic, 1)
      .InvokeVirtual(kImei, {0})
      .ReturnVoid();
  b.AddClass("Lcom/tencent/mm/opensdk/openapi/IWXAPI;", "Ljava/lang/Object;",
             testing::kAccPublic | testing::kAccInterface | testing::kAccAbstract)
      .AddMethod("isWXAppInstalled", "()Z", testing::kAccPublic | testing::kAccAbstract, 0);
  b.AddClass("Lcom/example/codeapp/MainActivity;", "Landroid/app/Activity;")
      .AddMethod("onCreate", "(Landroid/os/Bundle;)V", testing::kAccPublic, 2)
      .InvokeStatic("Lcom/appsflyer/AppsFlyerLib;->getInstance()Lcom/appsflyer/AppsFlyerLib;", {})
      .ReturnVoid();
  ApkSpec spec;
  spec.manifest_xml = kManifest;
  spec.extra_files["classes.dex"] = Bytes(b.Build());
  spec.sign = false;
  Result<std::string> apk = BuildApk(spec, "code_presence");
  if (!apk.ok()) GTEST_SKIP() << "fixture tools unavailable: " << apk.status().ToString();
  CodeRun r = RunCode({*apk, "--format", "json"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  json j = json::parse(r.out);
  std::map<std::string, std::string> presence;
  for (const json& s : j["sdks"]) presence[s["id"]] = s["presence"];
  EXPECT_EQ(presence["gms-ads-identifier"], "code") << j["sdks"].dump();
  EXPECT_EQ(presence.count("admob"), 0u) << j["sdks"].dump();
  EXPECT_EQ(presence["pangle"], "referenced") << j["sdks"].dump();
  EXPECT_EQ(presence["wechat-open"], "referenced") << j["sdks"].dump();
  EXPECT_EQ(presence["appsflyer"], "referenced") << j["sdks"].dump();
  EXPECT_EQ(presence["jpush"], "declared") << j["sdks"].dump();  // JPUSH_APPKEY only
  size_t seen = 0;
  for (const json& c : j["sensitive_calls"]) {
    std::string caller = c["caller"];
    if (caller.starts_with("Lcom/google/android/gms/ads/identifier/")) {
      EXPECT_EQ(c["owner"], "gms-ads-identifier") << c.dump();
      ++seen;
    }
    if (caller.starts_with("Lcom/bytedance/")) {
      EXPECT_EQ(c["owner"], "app") << c.dump();  // Pangle's code is not there
      ++seen;
    }
  }
  EXPECT_EQ(seen, 2u) << j["sensitive_calls"].dump();
}

TEST(CodeCommandTest, FixtureSdksHostsPolicyUrlsAndSecondaryCode) {
  std::vector<uint8_t> dex = AppDex();
  std::vector<uint8_t> plugin = PluginDex();
  ASSERT_FALSE(dex.empty());
  ASSERT_FALSE(plugin.empty());
  ApkSpec spec;
  spec.manifest_xml = kManifest;
  spec.extra_files["classes.dex"] = Bytes(dex);
  spec.extra_files["assets/plugin.dex"] = Bytes(plugin);
  spec.extra_files["assets/config.json"] = R"({"endpoint": "https://cfg.example.org/v1"})";
  // A jar holding a dex, as plugin frameworks ship them.
  std::string dir = MakeTempDir("code_jar");
  ASSERT_TRUE(WriteFile(dir + "/classes.dex", Bytes(plugin)).ok());
  ASSERT_EQ(RunCommand("cd " + ShellQuote(dir) + " && zip -q plugin.jar classes.dex").exit_code, 0);
  Result<std::string> jar = ReadFile(dir + "/plugin.jar");
  ASSERT_TRUE(jar.ok());
  spec.extra_files["assets/plugin.jar"] = *jar;
  Result<std::string> apk = BuildApk(spec, "code_fixture");
  if (!apk.ok()) GTEST_SKIP() << "fixture tools unavailable: " << apk.status().ToString();

  CodeRun r = RunCode({*apk, "--format", "json"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  json j = json::parse(r.out);
  ExpectSchema(j, *apk);

  ASSERT_EQ(j["dex_files"].size(), 3u) << j["dex_files"].dump();
  EXPECT_EQ(j["dex_files"][0]["name"], "classes.dex");
  EXPECT_EQ(j["dex_files"][0]["classes"], 2);
  EXPECT_EQ(j["dex_files"][0]["methods"], 2);
  EXPECT_EQ(j["dex_files"][1]["name"], "assets/plugin.dex");

  const json* jpush = nullptr;
  for (const json& s : j["sdks"])
    if (s["id"] == "jpush") jpush = &s;
  ASSERT_NE(jpush, nullptr) << j["sdks"].dump();
  EXPECT_EQ((*jpush)["strength"], "strong");
  std::set<std::string> kinds;
  for (const json& e : (*jpush)["evidence"]) kinds.insert(e["kind"].get<std::string>());
  EXPECT_TRUE(kinds.count("prefix") && kinds.count("meta-data") && kinds.count("host"))
      << (*jpush)["evidence"].dump();

  bool saw_jpush_host = false, saw_plugin_host = false, saw_asset_host = false;
  for (const json& h : j["hosts"]) {
    if (h["host"] == "stats.jpush.cn") {
      saw_jpush_host = true;
      EXPECT_EQ(h["owners"], json::array({"jpush"})) << h.dump();
      EXPECT_EQ(h["first"]["file"], "classes.dex");
    }
    if (h["host"] == "plugin.example.net") saw_plugin_host = true;
    if (h["host"] == "cfg.example.org") {
      saw_asset_host = true;
      EXPECT_EQ(h["first"]["source"], "asset");
    }
  }
  EXPECT_TRUE(saw_jpush_host && saw_plugin_host && saw_asset_host) << j["hosts"].dump();

  bool saw_policy = false;
  for (const json& u : j["policy_urls"]) {
    if (u["url"] == "https://www.example.com/legal/privacy.html") {
      saw_policy = true;
      EXPECT_EQ(u["owners"], json::array({"app"}));
    }
  }
  EXPECT_TRUE(saw_policy) << j["policy_urls"].dump();

  ASSERT_EQ(j["secondary_code"].size(), 2u) << j["secondary_code"].dump();
  std::set<std::string> analysed;
  for (const json& sc : j["secondary_code"]) {
    EXPECT_TRUE(sc["analysed"].get<bool>()) << sc.dump();
    for (const json& d : sc["dex_files"]) analysed.insert(d.get<std::string>());
  }
  EXPECT_TRUE(analysed.count("assets/plugin.dex") &&
              analysed.count("assets/plugin.jar!classes.dex"))
      << j["secondary_code"].dump();
  EXPECT_TRUE(j["packer"].is_null());

  // Every sensitive call made from JPush's classes is attributed to it.
  for (const json& c : j["sensitive_calls"]) {
    std::string caller = c["caller"];
    if (caller.starts_with("Lcn/jpush/")) EXPECT_EQ(c["owner"], "jpush");
    if (caller.starts_with("Lcom/example/")) EXPECT_EQ(c["owner"], "app");
  }

  CodeRun dot = RunCode({*apk, "--callgraph", "dot"});
  EXPECT_EQ(dot.exit_code, kExitOk);
  EXPECT_EQ(dot.out.rfind("digraph callgraph {", 0), 0u) << dot.out;
  CodeRun cg = RunCode({*apk, "--callgraph", "json"});
  ASSERT_EQ(cg.exit_code, kExitOk);
  json g = json::parse(cg.out);
  EXPECT_TRUE(g["nodes"].is_array() && g["edges"].is_array());
  CodeRun text = RunCode({*apk});
  EXPECT_EQ(text.exit_code, kExitOk);
  EXPECT_NE(text.out.find("jpush"), std::string::npos);
}

TEST(CodeCommandTest, PackedAppIsNeverReportedClean) {
  DexBuilder b;
  b.AddClass("Lcom/stub/StubApp;", "Landroid/app/Application;");
  ApkSpec spec;
  spec.manifest_xml = R"(<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.example.packed">
  <application android:name="com.stub.StubApp" android:label="Packed"/>
</manifest>
)";
  spec.extra_files["classes.dex"] = Bytes(b.Build());
  spec.extra_files["assets/libjiagu.so"] = std::string(
                                               "\x7f"
                                               "ELF",
                                               4) +
                                           std::string(60, '\0');
  Result<std::string> apk = BuildApk(spec, "code_packed");
  if (!apk.ok()) GTEST_SKIP() << "fixture tools unavailable: " << apk.status().ToString();
  CodeRun r = RunCode({*apk, "--format", "json"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  json j = json::parse(r.out);
  ExpectSchema(j, *apk);
  ASSERT_TRUE(j["packer"].is_object()) << r.out;
  EXPECT_EQ(j["packer"]["id"], "qihoo-jiagu");
  EXPECT_FALSE(j["packer"]["code_visible"].get<bool>());
  EXPECT_FALSE(j["code_visible"].get<bool>());
  EXPECT_GE(j["packer"]["evidence"].size(), 2u);
}

TEST(CodeCommandTest, CorruptDexIsADiagnosticAndTheRestGoesOn) {
  std::string garbage = "dex\n035";
  garbage.push_back('\0');
  garbage += std::string(200, '\xff');
  ApkSpec spec;
  spec.manifest_xml = kManifest;
  spec.extra_files["classes.dex"] = garbage;
  spec.extra_files["assets/config.json"] = R"({"u": "https://cfg.example.org/v1"})";
  Result<std::string> apk = BuildApk(spec, "code_bad_dex");
  if (!apk.ok()) GTEST_SKIP() << "fixture tools unavailable: " << apk.status().ToString();
  CodeRun r = RunCode({*apk, "--format", "json"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  json j = json::parse(r.out);
  ExpectSchema(j, *apk);
  ASSERT_EQ(j["dex_files"].size(), 1u);
  EXPECT_FALSE(j["dex_files"][0].value("error", "").empty());
  bool named = false;
  for (const json& d : j["diagnostics"]) {
    std::string text = d.value("text", "");
    if (text.find("classes.dex") != std::string::npos && text.find("+0x") != std::string::npos)
      named = true;
  }
  EXPECT_TRUE(named) << j["diagnostics"].dump();
  // Manifest evidence still names the SDK, and asset URLs are still collected.
  bool jpush = false;
  for (const json& s : j["sdks"]) jpush |= s["id"] == "jpush";
  EXPECT_TRUE(jpush);
  EXPECT_FALSE(j["hosts"].empty());
}

TEST(CodeCommandTest, NotAnApkGivesOneLineAndExit3) {
  std::string dir = MakeTempDir("code_bad");
  std::string text = dir + "/text.apk";
  ASSERT_TRUE(WriteFile(text, std::string(4096, 'x')).ok());
  ExpectOneLineError(RunCode({text, "--format", "json"}), text);
  CodeRun missing = RunCode({dir + "/missing.apk"});
  EXPECT_EQ(missing.exit_code, kExitBadInput);
  EXPECT_EQ(RunCode({text, "--format", "xml"}).exit_code, kExitUsage);
}

}  // namespace
}  // namespace piaudit::app
