// `piaudit diff` and `piaudit scan --previous` through the real binary (issue 14), on pairs of
// apps built from source at test time (aapt, the test DEX builder, apksigner): one update widens
// collection (a new SDK package and a dangerous permission) and keeps the policy, one widens it
// and updates the policy (with an update notice in its strings), one narrows it; a build signed
// with another key and another package for the lineage check; a build whose key was rotated
// (v3 proof-of-rotation from the fixtures' key to a new one) and a forged copy of it whose lineage
// does not verify; and every corpus APK against itself, which must show no change.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "support/apk_fixture.h"
#include "support/dex_builder.h"
#include "support/rotated_apk.h"

namespace piaudit::testing {
namespace {

using json = nlohmann::json;

constexpr char kBin[] = PIAUDIT_BINARY_DIR "/tools/piaudit/piaudit";

// The policy of 1.0: location for the weather, nothing about devices or push.
constexpr char kOldPolicy[] = R"(隐私政策
更新日期：2026年1月1日
一、我们如何收集和使用您的个人信息
在您使用天气功能时，我们会收集您的位置信息，用于展示当地天气。
二、联系我们
如有投诉，请发送邮件至 privacy@example.com ，我们将在15个工作日内答复。
)";

// The policy of 2.0 that describes the new push SDK and what it reads.
constexpr char kNewPolicy[] = R"(隐私政策
更新日期：2026年6月1日
一、我们如何收集和使用您的个人信息
在您使用天气功能时，我们会收集您的位置信息，用于展示当地天气。
我们使用极光推送SDK（深圳市和讯华谷信息技术有限公司）向您发送通知，该SDK会收集设备标识符（IMEI、Android ID），用于推送消息。
二、权限说明
电话权限：用于识别设备以发送推送。
三、联系我们
如有投诉，请发送邮件至 privacy@example.com ，我们将在15个工作日内答复。
)";

CommandResult Piaudit(const std::string& args) {
  return RunCommand("SOURCE_DATE_EPOCH=1765000000 " + std::string(kBin) + " " + args);
}

std::string Manifest(const std::string& package, int version_code, bool with_push) {
  std::string m =
      R"(<manifest xmlns:android="http://schemas.android.com/apk/res/android" package=")" +
      package + R"(" android:versionCode=")" + std::to_string(version_code) +
      R"(" android:versionName=")" + std::to_string(version_code) + R"(.0">
  <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="30"/>
  <uses-permission android:name="android.permission.INTERNET"/>
  <uses-permission android:name="android.permission.ACCESS_COARSE_LOCATION"/>)";
  if (with_push)
    m += R"(
  <uses-permission android:name="android.permission.READ_PHONE_STATE"/>)";
  m += R"(
  <application android:label="@string/app_name" android:name=".App">)";
  if (with_push) m += R"(<meta-data android:name="JPUSH_APPKEY" android:value="abc"/>)";
  return m + "</application></manifest>";
}

// The app: an Application whose onCreate calls a helper; with push, the helper is the JPush SDK's
// entry class and reads the IMEI.
Result<std::string> BuildVersion(const std::string& name, const std::string& package,
                                 int version_code, bool with_push, bool sign,
                                 const std::string& extra_strings = "") {
  DexBuilder dex;
  auto& app = dex.AddClass("Lcom/example/weather/App;", "Landroid/app/Application;");
  app.AddConstructor("()V", 1)
      .InvokeDirect("Landroid/app/Application;-><init>()V", {0})
      .ReturnVoid();
  const std::string helper =
      with_push ? "Lcn/jpush/android/api/JPushInterface;" : "Lcom/example/weather/Weather;";
  app.AddMethod("onCreate", "()V", kAccPublic, 1)
      .InvokeSuper("Landroid/app/Application;->onCreate()V", {0})
      .InvokeStatic(helper + "->init(Landroid/content/Context;)V", {0})
      .ReturnVoid();
  auto& h = dex.AddClass(helper);
  auto& init = h.AddMethod("init", "(Landroid/content/Context;)V", kAccPublic | kAccStatic, 2);
  if (with_push) {
    init.Const4(0, 0).InvokeVirtual(
        "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;", {0});
  }
  init.ReturnVoid();
  ApkSpec spec;
  spec.manifest_xml = Manifest(package, version_code, with_push);
  spec.resources["values/strings.xml"] =
      "<resources><string name=\"app_name\">Weather</string>" + extra_strings + "</resources>";
  spec.sign = sign;
  const std::string dir = MakeTempDir("dex-" + name);
  ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, WriteAndVerifyDex(dex, dir + "/classes.dex"));
  spec.extra_files["classes.dex"] = std::string(bytes.begin(), bytes.end());
  return BuildApk(spec, name);
}

// Signs an aligned unsigned APK with a key of its own (not the fixtures' shared test key).
Result<std::string> SignWithOtherKey(const std::string& unsigned_apk) {
  const std::string dir = MakeTempDir("otherkey");
  CommandResult r = RunCommand(
      "cd " + ShellQuote(dir) +
      " && openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj '/CN=someone else' "
      "-keyout key.pem -out cert.pem 2>&1 && openssl pkcs8 -topk8 -nocrypt -outform DER "
      "-in key.pem -out key.pk8 && apksigner sign --key key.pk8 --cert cert.pem --out signed.apk " +
      ShellQuote(unsigned_apk));
  if (r.exit_code != 0) return InternalError("signing with another key failed: " + r.out);
  return dir + "/signed.apk";
}

std::string WritePolicy(const std::string& name, const std::string& text) {
  const std::string path = MakeTempDir("policy") + "/" + name;
  EXPECT_TRUE(WriteFile(path, text).ok());
  return path;
}

const json* FindChange(const json& changes, const std::string& area, const std::string& subject) {
  for (const json& c : changes) {
    if (c["area"] == area && c["subject"] == subject) return &c;
  }
  return nullptr;
}

json Item(const json& report, const std::string& id) {
  for (const json& item : report["items"]) {
    if (item["id"] == id) return item;
  }
  ADD_FAILURE() << "no " << id;
  return json::object();
}

class VersionPairTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (RunCommand(std::string("test -x ") + kBin).exit_code != 0) {
      skip_ = "piaudit binary not built at " + std::string(kBin);
      return;
    }
    auto v1 = BuildVersion("weather-1", "com.example.weather", 1, false, true);
    auto v2 = BuildVersion("weather-2", "com.example.weather", 2, true, true);
    auto v2_notice = BuildVersion("weather-2n", "com.example.weather", 2, true, true,
                                  "<string name=\"update_title\">隐私政策更新提示</string>");
    auto v3 = BuildVersion("weather-3", "com.example.weather", 3, false, true);
    auto v2_unsigned = BuildVersion("weather-2u", "com.example.weather", 2, true, false);
    auto other_package = BuildVersion("other-2", "com.example.other", 2, true, true);
    for (const auto* r : {&v1, &v2, &v2_notice, &v3, &v2_unsigned, &other_package}) {
      ASSERT_TRUE(r->ok()) << r->status().ToString();
    }
    auto other_key = SignWithOtherKey(*v2_unsigned);
    ASSERT_TRUE(other_key.ok()) << other_key.status().ToString();
    // Key rotation: v1 is signed by the fixtures' key; 2.0 by a new key whose lineage the old
    // key signed, and a forged 2.0 whose lineage the old key did not sign.
    auto old_key = TestSigningKey();
    auto new_key = MakeTestKey("/CN=weather rotated/O=example");
    ASSERT_TRUE(old_key.ok() && new_key.ok());
    auto rotated =
        SignRotated(*v2_unsigned, TestKey{old_key->first, old_key->second, ""}, *new_key);
    ASSERT_TRUE(rotated.ok()) << rotated.status().ToString();
    auto forged = ForgeLineageSignature(*rotated, *new_key);
    ASSERT_TRUE(forged.ok()) << forged.status().ToString();
    v2_rotated_ = new std::string(*rotated);
    v2_forged_ = new std::string(*forged);
    new_cert_ = new std::string(new_key->cert);
    v1_ = new std::string(*v1);
    v2_ = new std::string(*v2);
    v2_notice_ = new std::string(*v2_notice);
    v3_ = new std::string(*v3);
    v2_other_key_ = new std::string(*other_key);
    other_package_ = new std::string(*other_package);
    old_policy_ = new std::string(WritePolicy("old.txt", kOldPolicy));
    new_policy_ = new std::string(WritePolicy("new.txt", kNewPolicy));
  }
  void SetUp() override {
    if (!skip_.empty()) GTEST_SKIP() << skip_;
  }
  static json DiffJson(const std::string& args) {
    CommandResult r = Piaudit("diff " + args + " --format json");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    json j = json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    return j;
  }
  // scan NEW --previous OLD into a fresh directory; returns it.
  static std::string ScanWithPrevious(const std::string& current, const std::string& policy,
                                      const std::string& previous,
                                      const std::string& previous_policy) {
    const std::string out = MakeTempDir("scan-pair");
    CommandResult r =
        Piaudit("scan " + ShellQuote(current) + " --policy " + ShellQuote(policy) + " --previous " +
                ShellQuote(previous) + " --previous-policy " + ShellQuote(previous_policy) +
                " --format json,sarif,html,evidence --fail-on never -o " + ShellQuote(out));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    return out;
  }
  static json ReadJson(const std::string& path) {
    auto text = ReadFile(path);
    EXPECT_TRUE(text.ok()) << path;
    return json::parse(text.ok() ? *text : "", nullptr, false);
  }

  static inline std::string skip_;
  static inline std::string* v1_ = nullptr;
  static inline std::string* v2_ = nullptr;
  static inline std::string* v2_notice_ = nullptr;
  static inline std::string* v3_ = nullptr;
  static inline std::string* v2_other_key_ = nullptr;
  static inline std::string* other_package_ = nullptr;
  static inline std::string* v2_rotated_ = nullptr;
  static inline std::string* v2_forged_ = nullptr;
  static inline std::string* new_cert_ = nullptr;
  static inline std::string* old_policy_ = nullptr;
  static inline std::string* new_policy_ = nullptr;
};

TEST_F(VersionPairTest, WidenedWithTheSamePolicy) {
  const json d = DiffJson(ShellQuote(*v1_) + " " + ShellQuote(*v2_) + " --old-policy " +
                          ShellQuote(*old_policy_) + " --policy " + ShellQuote(*old_policy_));
  EXPECT_EQ(d["schema"], "piaudit.diff/1");
  EXPECT_EQ(d["previous"]["version_code"], 1);
  EXPECT_EQ(d["current"]["version_code"], 2);
  EXPECT_TRUE(d["same_lineage"].get<bool>());
  EXPECT_TRUE(d["policy_unchanged"].get<bool>());
  const json* perm = FindChange(d["changes"], "permission", "android.permission.READ_PHONE_STATE");
  ASSERT_NE(perm, nullptr) << d.dump(1);
  EXPECT_EQ((*perm)["kind"], "added");
  EXPECT_TRUE((*perm)["dangerous"].get<bool>());
  EXPECT_TRUE((*perm)["widens"].get<bool>());
  EXPECT_FALSE((*perm)["current_refs"].empty());
  const json* sdk = FindChange(d["changes"], "sdk", "jpush");
  ASSERT_NE(sdk, nullptr) << d.dump(1);
  EXPECT_TRUE((*sdk)["widens"].get<bool>());
  EXPECT_NE(FindChange(d["changes"], "pi_type", "imei"), nullptr) << d.dump(1);
  EXPECT_GE(d["summary"]["widening"].get<int>(), 3);

  // scan --previous: IM-2.2 likely, the section in every report, and judge re-judges it.
  const std::string out = ScanWithPrevious(*v2_, *old_policy_, *v1_, *old_policy_);
  const json report = ReadJson(out + "/report.json");
  const json im22 = Item(report, "IM-2.2");
  EXPECT_EQ(im22["verdict"], "violation") << im22.dump(1);
  EXPECT_EQ(im22["strength"], "likely");
  ASSERT_TRUE(report.contains("changes_since"));
  EXPECT_EQ(report["changes_since"]["previous"]["version_code"], 1);
  EXPECT_NE(FindChange(report["changes_since"]["changes"], "sdk", "jpush"), nullptr);
  EXPECT_EQ(Item(report, "IM-4.3")["verdict"], "needs-dynamic");

  const json sarif = ReadJson(out + "/report.sarif");
  bool sarif_has_changes = false;
  for (const json& r : sarif["runs"][0]["results"]) {
    if (r["ruleId"] == "IM-2.2" && r["properties"].contains("changes_since")) {
      sarif_has_changes =
          r["properties"]["changes_since"]["previous_version_code"] == 1 &&
          FindChange(r["properties"]["changes_since"]["changes"], "sdk", "jpush") != nullptr;
    }
  }
  EXPECT_TRUE(sarif_has_changes);
  auto html = ReadFile(out + "/report.html");
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find("<section id=\"changes\">"), std::string::npos);
  EXPECT_NE(html->find("与上一版本 1.0 (versionCode 1) 相比的变化"), std::string::npos);

  const std::string judged = MakeTempDir("judge-pair");
  CommandResult j = Piaudit("judge " + ShellQuote(out + "/evidence.json") +
                            " --format json --fail-on never -o " + ShellQuote(judged));
  ASSERT_EQ(j.exit_code, 0) << j.out;
  EXPECT_EQ(Item(ReadJson(judged + "/report.json"), "IM-2.2")["verdict"], "violation");
}

// Recordings of both versions written by the test (issue 14, runtime part): the user denied
// READ_PHONE_STATE... in 1.0; 2.0 comes back with it granted without a prompt (IM-3.5 confirmed),
// reads the IMEI with no notice at all (IM-2.2 confirmed), and stops when the user refuses its new
// permission (IM-4.3 likely). The negative: 2.0 asks nothing again and shows its notice first.
TEST_F(VersionPairTest, RecordingsOfBothVersionsDecideTheRuntimeItems) {
  const std::string dir = MakeTempDir("pair-traces");
  auto write = [&](const std::string& name, const std::string& body) {
    const std::string path = dir + "/" + name;
    EXPECT_TRUE(WriteFile(path, body).ok());
    return path;
  };
  const std::string session =
      R"J({"type":"session","schema":"piaudit.trace/1","package":"com.example.weather"})J"
      "\n";
  const std::string old_run = write(
      "v1.jsonl",
      session +
          R"J({"t":"2026-12-01T08:00:00Z","type":"permission_result","permission":"android.permission.ACCESS_COARSE_LOCATION","granted":false})J"
          "\n");
  const std::string bad_run = write(
      "v2.jsonl",
      session +
          R"J({"t":"2026-12-06T08:00:00Z","type":"lifecycle","event":"first_start"})J"
          "\n"
          R"J({"t":"2026-12-06T08:00:01Z","type":"permission_result","permission":"android.permission.ACCESS_COARSE_LOCATION","granted":true})J"
          "\n"
          R"J({"t":"2026-12-06T08:00:02Z","type":"api","api":"android.telephony.TelephonyManager.getDeviceId","result":"861234567890123","stack":["android.telephony.TelephonyManager.getDeviceId(TelephonyManager.java:1)","com.example.weather.App.onCreate(App.java:3)"]})J"
          "\n"
          R"J({"t":"2026-12-06T08:00:03Z","type":"permission_result","permission":"android.permission.READ_PHONE_STATE","granted":false})J"
          "\n"
          R"J({"t":"2026-12-06T08:00:04Z","type":"lifecycle","event":"stop"})J"
          "\n");
  const std::string good_run =
      write("v2-good.jsonl",
            session + R"J({"t":"2026-12-06T08:00:00Z","type":"lifecycle","event":"first_start"})J"
                      "\n"
                      R"J({"t":"2026-12-06T08:00:01Z","type":"consent","action":"shown"})J"
                      "\n"
                      R"J({"t":"2026-12-06T08:00:05Z","type":"consent","action":"accepted"})J"
                      "\n");
  auto scan = [&](const std::string& current_trace) {
    const std::string out = MakeTempDir("scan-traces");
    CommandResult r =
        Piaudit("scan " + ShellQuote(*v2_) + " --policy " + ShellQuote(*old_policy_) + " --trace " +
                ShellQuote(current_trace) + " --previous " + ShellQuote(*v1_) +
                " --previous-policy " + ShellQuote(*old_policy_) + " --previous-trace " +
                ShellQuote(old_run) + " --format json --fail-on never -o " + ShellQuote(out));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    return ReadJson(out + "/report.json");
  };
  const json bad = scan(bad_run);
  EXPECT_EQ(Item(bad, "IM-3.5")["verdict"], "violation") << Item(bad, "IM-3.5").dump(1);
  EXPECT_EQ(Item(bad, "IM-3.5")["strength"], "confirmed");
  EXPECT_EQ(Item(bad, "IM-2.2")["strength"], "confirmed") << Item(bad, "IM-2.2").dump(1);
  EXPECT_EQ(Item(bad, "IM-4.3")["verdict"], "violation") << Item(bad, "IM-4.3").dump(1);
  EXPECT_NE(FindChange(bad["changes_since"]["changes"], "permission_state",
                       "android.permission.ACCESS_COARSE_LOCATION"),
            nullptr);
  const json good = scan(good_run);
  EXPECT_NE(Item(good, "IM-3.5")["verdict"], "violation");
  EXPECT_EQ(Item(good, "IM-2.2")["strength"], "likely");
  EXPECT_NE(Item(good, "IM-4.3")["verdict"], "violation");
}

TEST_F(VersionPairTest, WidenedWithAnUpdatedPolicyAndANotice) {
  const json d = DiffJson(ShellQuote(*v1_) + " " + ShellQuote(*v2_notice_) + " --old-policy " +
                          ShellQuote(*old_policy_) + " --policy " + ShellQuote(*new_policy_));
  EXPECT_FALSE(d["policy_unchanged"].get<bool>());
  EXPECT_NE(FindChange(d["changes"], "policy_text", "policy"), nullptr) << d.dump(1);
  EXPECT_NE(FindChange(d["changes"], "policy_statement", "更新日期：2026年6月1日"), nullptr)
      << d.dump(1);
  EXPECT_NE(FindChange(d["changes"], "policy_third_party", "jpush"), nullptr) << d.dump(1);
  EXPECT_NE(FindChange(d["changes"], "change_notice", "string/update_title"), nullptr) << d.dump(1);

  const std::string out = ScanWithPrevious(*v2_notice_, *new_policy_, *v1_, *old_policy_);
  const json im22 = Item(ReadJson(out + "/report.json"), "IM-2.2");
  EXPECT_EQ(im22["verdict"], "needs-dynamic") << im22.dump(1);
}

TEST_F(VersionPairTest, NarrowedIsCompliant) {
  const json d = DiffJson(ShellQuote(*v2_) + " " + ShellQuote(*v3_) + " --old-policy " +
                          ShellQuote(*new_policy_) + " --policy " + ShellQuote(*new_policy_));
  const json* perm = FindChange(d["changes"], "permission", "android.permission.READ_PHONE_STATE");
  ASSERT_NE(perm, nullptr) << d.dump(1);
  EXPECT_EQ((*perm)["kind"], "removed");
  EXPECT_FALSE((*perm)["previous_refs"].empty());
  EXPECT_EQ(d["summary"]["widening"], 0);

  const std::string out = ScanWithPrevious(*v3_, *new_policy_, *v2_, *new_policy_);
  const json report = ReadJson(out + "/report.json");
  EXPECT_EQ(Item(report, "IM-2.2")["verdict"], "compliant") << Item(report, "IM-2.2").dump(1);
  EXPECT_EQ(Item(report, "IM-4.3")["verdict"], "compliant");
}

TEST_F(VersionPairTest, AnotherSignerOrPackageIsAnErrorUnlessForced) {
  CommandResult key = Piaudit("diff " + ShellQuote(*v1_) + " " + ShellQuote(*v2_other_key_));
  EXPECT_EQ(key.exit_code, 2) << key.out;
  EXPECT_NE(key.out.find("different signing lineage"), std::string::npos) << key.out;
  CommandResult package = Piaudit("diff " + ShellQuote(*v1_) + " " + ShellQuote(*other_package_));
  EXPECT_EQ(package.exit_code, 2) << package.out;
  EXPECT_NE(package.out.find("com.example.other"), std::string::npos) << package.out;
  CommandResult scan = Piaudit("scan " + ShellQuote(*v2_other_key_) + " --previous " +
                               ShellQuote(*v1_) + " -o " + ShellQuote(MakeTempDir("scan-key")));
  EXPECT_EQ(scan.exit_code, 2) << scan.out;

  const json forced = DiffJson(ShellQuote(*v1_) + " " + ShellQuote(*v2_other_key_) + " --force");
  EXPECT_TRUE(forced["forced"].get<bool>());
  EXPECT_FALSE(forced["same_lineage"].get<bool>());
  EXPECT_TRUE(forced["same_package"].get<bool>());
}

std::string CertSha256(const std::string& pem) {
  return RunCommand("openssl x509 -in " + ShellQuote(pem) +
                    " -outform DER | openssl dgst -sha256 -r")
      .out.substr(0, 64);
}

TEST_F(VersionPairTest, ARotatedKeyWithAVerifiedLineageIsTheSameApp) {
  const json d = DiffJson(ShellQuote(*v1_) + " " + ShellQuote(*v2_rotated_));
  EXPECT_TRUE(d["same_lineage"].get<bool>()) << d.dump(1);
  EXPECT_FALSE(d["forced"].get<bool>());
  EXPECT_EQ(d["lineage"], "rotated");
  ASSERT_EQ(d["previous"]["signer_sha256"].size(), 1u);
  EXPECT_EQ(d["lineage_from"], d["previous"]["signer_sha256"][0]);
  EXPECT_EQ(d["lineage_to"], CertSha256(*new_cert_));
  EXPECT_NE(FindChange(d["changes"], "permission", "android.permission.READ_PHONE_STATE"), nullptr);
  // The same pair as text, and a pair that shares its certificate says so.
  CommandResult text = Piaudit("diff " + ShellQuote(*v1_) + " " + ShellQuote(*v2_rotated_));
  ASSERT_EQ(text.exit_code, 0) << text.out;
  EXPECT_NE(
      text.out.find("signer: key rotated from " + d["lineage_from"].get<std::string>() + " to " +
                    d["lineage_to"].get<std::string>() + " (proof-of-rotation verified)"),
      std::string::npos)
      << text.out;
  EXPECT_EQ(DiffJson(ShellQuote(*v1_) + " " + ShellQuote(*v2_))["lineage"], "same_certificate");

  // scan --previous: report.json says it, and lists the new signer's lineage.
  const std::string out = ScanWithPrevious(*v2_rotated_, *new_policy_, *v1_, *old_policy_);
  const json report = ReadJson(out + "/report.json");
  EXPECT_EQ(report["changes_since"]["lineage"], "rotated") << report["changes_since"].dump(1);
  EXPECT_TRUE(report["changes_since"]["same_lineage"].get<bool>());
  const json& signer = report["app"]["signers"][0];
  EXPECT_TRUE(signer["lineage_verified"].get<bool>()) << signer.dump(1);
  ASSERT_EQ(signer["lineage"].size(), 2u);
  EXPECT_EQ(signer["lineage"][0], d["lineage_from"]);
  EXPECT_EQ(signer["lineage"][1], d["lineage_to"]);
  auto html = ReadFile(out + "/report.html");
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find(d["lineage_to"].get<std::string>()), std::string::npos);

  // Back to the old key: the same developer, but a signer downgrade, said as such.
  const json back = DiffJson(ShellQuote(*v2_rotated_) + " " + ShellQuote(*v1_));
  EXPECT_EQ(back["lineage"], "rolled_back") << back.dump(1);
  EXPECT_TRUE(back["same_lineage"].get<bool>());
  EXPECT_EQ(back["lineage_from"], d["lineage_to"]);
  EXPECT_EQ(back["lineage_to"], d["lineage_from"]);
  CommandResult back_text = Piaudit("diff " + ShellQuote(*v2_rotated_) + " " + ShellQuote(*v1_));
  EXPECT_NE(back_text.out.find("signer: ROLLED BACK from "), std::string::npos) << back_text.out;
}

TEST_F(VersionPairTest, AForgedLineageIsNotTheSameApp) {
  CommandResult r = Piaudit("diff " + ShellQuote(*v1_) + " " + ShellQuote(*v2_forged_));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("different signing lineage"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("proof-of-rotation names the previous certificate but does NOT verify"),
            std::string::npos)
      << r.out;
  CommandResult scan = Piaudit("scan " + ShellQuote(*v2_forged_) + " --previous " +
                               ShellQuote(*v1_) + " -o " + ShellQuote(MakeTempDir("scan-forged")));
  EXPECT_EQ(scan.exit_code, 2) << scan.out;
  const json forced = DiffJson(ShellQuote(*v1_) + " " + ShellQuote(*v2_forged_) + " --force");
  EXPECT_TRUE(forced["forced"].get<bool>());
  EXPECT_FALSE(forced["same_lineage"].get<bool>());
  EXPECT_EQ(forced["lineage"], "none");
  // `piaudit info` lists the claimed lineage and says it does not verify.
  CommandResult info = Piaudit("info " + ShellQuote(*v2_forged_) + " --format json");
  ASSERT_EQ(info.exit_code, 0) << info.out;
  const json facts = json::parse(info.out, nullptr, false);
  ASSERT_FALSE(facts.is_discarded()) << info.out;
  ASSERT_EQ(facts["signers"].size(), 1u) << info.out;
  EXPECT_FALSE(facts["signers"][0]["lineage_verified"].get<bool>());
  ASSERT_EQ(facts["signers"][0]["lineage"].size(), 2u);
  EXPECT_FALSE(facts["signers"][0]["lineage"][1]["signed_by_previous"].get<bool>());
  CommandResult good = Piaudit("info " + ShellQuote(*v2_rotated_));
  EXPECT_NE(good.out.find("proof-of-rotation (verified):"), std::string::npos) << good.out;
}

TEST_F(VersionPairTest, TextFormatListsEachChangeWithItsSides) {
  CommandResult r = Piaudit("diff " + ShellQuote(*v1_) + " " + ShellQuote(*v2_));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("+ permission android.permission.READ_PHONE_STATE [dangerous, widens]"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("      current: manifest AndroidManifest.xml"), std::string::npos) << r.out;
  EXPECT_EQ(
      Piaudit("diff " + ShellQuote(*v1_) + " " + ShellQuote(*v2_) + " --format xml").exit_code, 2);
}

// Every corpus APK against itself: no change at all.
TEST_F(VersionPairTest, CorpusSelfDiffIsEmpty) {
  const std::vector<std::string> apks = CorpusApks();
  if (apks.empty())
    GTEST_SKIP() << "shared corpus absent (PIAUDIT_CORPUS_DIR=" PIAUDIT_CORPUS_DIR ")";
  int compared = 0;
  for (const std::string& apk : apks) {
    const auto start = std::chrono::steady_clock::now();
    CommandResult r =
        Piaudit("diff " + ShellQuote(apk) + " " + ShellQuote(apk) + " --format json 2>&1");
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (r.exit_code == 3) {  // not an installable APK (e.g. no manifest): nothing to compare
      std::printf("  %s: unreadable, skipped\n", apk.c_str());
      continue;
    }
    ASSERT_EQ(r.exit_code, 0) << apk << ": " << r.out;
    const json d = json::parse(r.out, nullptr, false);
    ASSERT_FALSE(d.is_discarded()) << apk << ": " << r.out;
    EXPECT_TRUE(d["changes"].empty()) << apk << ": " << d["changes"].dump(1);
    EXPECT_TRUE(d["same_lineage"].get<bool>() || d["previous"]["signer_sha256"].empty()) << apk;
    std::printf("  %s: no change (%.0f ms)\n", apk.c_str(), ms);
    ++compared;
  }
  EXPECT_GT(compared, 0);
}

// The same app with the Getui push SDK, whose PushBuildConfig holds its version (data/sdks
// push.yaml `version`): "" builds it without that constant.
Result<std::string> BuildWithGetui(const std::string& name, int version_code,
                                   const std::string& sdk_version) {
  DexBuilder dex;
  auto& app = dex.AddClass("Lcom/example/weather/App;", "Landroid/app/Application;");
  app.AddConstructor("()V", 1)
      .InvokeDirect("Landroid/app/Application;-><init>()V", {0})
      .ReturnVoid();
  app.AddMethod("onCreate", "()V", kAccPublic, 1)
      .InvokeSuper("Landroid/app/Application;->onCreate()V", {0})
      .InvokeStatic("Lcom/igexin/sdk/PushManager;->initialize(Landroid/content/Context;)V", {0})
      .ReturnVoid();
  dex.AddClass("Lcom/igexin/sdk/PushManager;")
      .AddMethod("initialize", "(Landroid/content/Context;)V", kAccPublic | kAccStatic, 1)
      .ReturnVoid();
  auto& config = dex.AddClass("Lcom/igexin/sdk/PushBuildConfig;");
  config.AddStaticStringField("sdk_conf_channelid", "open");
  if (!sdk_version.empty()) config.AddStaticStringField("sdk_conf_version", sdk_version);
  ApkSpec spec;
  spec.manifest_xml = Manifest("com.example.weather", version_code, false);
  spec.resources["values/strings.xml"] =
      "<resources><string name=\"app_name\">Weather</string></resources>";
  const std::string dir = MakeTempDir("dex-" + name);
  ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, WriteAndVerifyDex(dex, dir + "/classes.dex"));
  spec.extra_files["classes.dex"] = std::string(bytes.begin(), bytes.end());
  return BuildApk(spec, name);
}

// An SDK in both versions: an upgrade is listed with both version strings and where each was
// read; the same version is no change; a version read on one side only is "unknown".
TEST_F(VersionPairTest, SdkUpgradeIsListedWithBothVersions) {
  auto old_sdk = BuildWithGetui("getui-1", 1, "2.13.0.0");
  auto new_sdk = BuildWithGetui("getui-2", 2, "2.14.1.0");
  auto same_sdk = BuildWithGetui("getui-2s", 2, "2.13.0.0");
  auto no_version = BuildWithGetui("getui-2u", 2, "");
  for (const auto* r : {&old_sdk, &new_sdk, &same_sdk, &no_version}) {
    ASSERT_TRUE(r->ok()) << r->status().ToString();
  }
  const json up = DiffJson(ShellQuote(*old_sdk) + " " + ShellQuote(*new_sdk));
  const json* c = FindChange(up["changes"], "sdk", "getui");
  ASSERT_NE(c, nullptr) << up["changes"].dump(1);
  EXPECT_EQ((*c)["kind"], "changed");
  EXPECT_EQ((*c)["version_change"], "upgraded");
  EXPECT_EQ((*c)["before"], "2.13.0.0");
  EXPECT_EQ((*c)["after"], "2.14.1.0");
  ASSERT_FALSE((*c)["previous_refs"].empty());
  ASSERT_FALSE((*c)["current_refs"].empty());
  EXPECT_EQ((*c)["previous_refs"][0]["location"],
            "Lcom/igexin/sdk/PushBuildConfig;->sdk_conf_version:Ljava/lang/String;");
  EXPECT_EQ((*c)["current_refs"][0]["file"], "classes.dex");

  const json down = DiffJson(ShellQuote(*new_sdk) + " " + ShellQuote(*old_sdk));
  ASSERT_NE(FindChange(down["changes"], "sdk", "getui"), nullptr);
  EXPECT_EQ((*FindChange(down["changes"], "sdk", "getui"))["version_change"], "downgraded");

  const json same = DiffJson(ShellQuote(*old_sdk) + " " + ShellQuote(*same_sdk));
  EXPECT_EQ(FindChange(same["changes"], "sdk", "getui"), nullptr) << same["changes"].dump(1);

  const json unknown = DiffJson(ShellQuote(*old_sdk) + " " + ShellQuote(*no_version));
  const json* u = FindChange(unknown["changes"], "sdk", "getui");
  ASSERT_NE(u, nullptr) << unknown["changes"].dump(1);
  EXPECT_EQ((*u)["version_change"], "unknown");
  EXPECT_EQ((*u)["before"], "2.13.0.0");
  EXPECT_EQ((*u)["after"], "unknown");

  CommandResult text = Piaudit("diff " + ShellQuote(*old_sdk) + " " + ShellQuote(*new_sdk));
  EXPECT_NE(text.out.find("~ sdk getui upgraded: 2.13.0.0 -> 2.14.1.0"), std::string::npos)
      << text.out;
  // `piaudit code` says the version and where it was read.
  CommandResult code = Piaudit("code " + ShellQuote(*new_sdk) + " --format json");
  ASSERT_EQ(code.exit_code, 0) << code.out;
  const json cj = json::parse(code.out, nullptr, false);
  ASSERT_FALSE(cj.is_discarded()) << code.out;
  bool seen = false;
  for (const json& sdk : cj["sdks"]) {
    if (sdk["id"] != "getui") continue;
    seen = true;
    EXPECT_EQ(sdk["version"], "2.14.1.0");
    EXPECT_EQ(sdk["version_source"]["how"], "field");
  }
  EXPECT_TRUE(seen) << code.out;
}

// --timeout covers the previous version's scan too, and --timings lists its phases.
TEST_F(VersionPairTest, TimingsListThePreviousScanAndTheDeadlineCoversIt) {
  const std::string out = MakeTempDir("scan-timings");
  CommandResult r =
      Piaudit("scan " + ShellQuote(*v2_) + " --previous " + ShellQuote(*v1_) +
              " --timings --fail-on never --format json -o " + ShellQuote(out) + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("timing: previous: code"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("timing: previous: compare"), std::string::npos) << r.out;
  const size_t previous = r.out.find("timing: previous:");
  const size_t reports = r.out.find("timing: reports");
  ASSERT_NE(reports, std::string::npos) << r.out;
  EXPECT_LT(previous, reports) << r.out;
  // A deadline too short for two scans stops the command (exit 5), whichever scan it hits.
  CommandResult stopped = Piaudit("scan " + ShellQuote(*v2_) + " --previous " + ShellQuote(*v1_) +
                                  " --timeout 0.000001 --format json -o " +
                                  ShellQuote(MakeTempDir("scan-stopped")) + " 2>&1");
  EXPECT_EQ(stopped.exit_code, 5) << stopped.out;
}

}  // namespace
}  // namespace piaudit::testing
