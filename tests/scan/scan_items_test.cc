// End-to-end pairs per item: for each item the scan decides statically, an app (and policy) built
// here that breaks it and one that keeps it, through the whole pipeline (aapt-built APK, DEX
// builder code, policy analyser, rules) with the bundled knowledge base.
#include <gtest/gtest.h>

#include <algorithm>

#include "scan_fixture.h"

namespace piaudit::testing {
namespace {

using rules::Strength;
using rules::Verdict;

constexpr char kGoodPolicy[] = R"(隐私政策
更新日期：2026年1月1日
一、我们如何收集和使用您的个人信息
在您使用天气功能时，我们会收集您的位置信息，用于展示当地天气。您可以拒绝，拒绝不影响其他功能。
我们使用极光推送SDK（深圳市和讯华谷信息技术有限公司）向您发送通知，该SDK会收集设备标识符（IMEI、Android ID）。
二、权限说明
位置权限：用于获取当地天气。电话权限：用于识别设备以发送推送。
三、您的权利
您可以在"设置-个人信息"中查询、更正和删除您的个人信息，也可以在"设置-账号与安全-注销账号"中注销账号。
您可以在"设置-隐私"中撤回您的授权同意，并可以关闭个性化推荐。
四、联系我们
如您有任何投诉或举报，可发送邮件至 privacy@example.com ，我们将在15个工作日内答复。
)";

// The same policy without rights, with a 30-working-day promise and no SDK disclosure.
constexpr char kBadPolicy[] = R"(隐私政策
更新日期：2026年1月1日
一、我们如何收集和使用您的个人信息
在您使用天气功能时，我们会收集您的位置信息，用于展示当地天气。
我们不会收集您的通讯录信息。
二、联系我们
如您有任何疑问，可发送邮件至 privacy@example.com ，我们将在30个工作日内答复。
)";

std::string WritePolicy(const std::string& name, const std::string& text) {
  std::string path = MakeTempDir("policy") + "/" + name;
  EXPECT_TRUE(WriteFile(path, text).ok());
  return path;
}

scan::ScanResult ScanApk(const std::string& apk, const std::string& policy_text = "",
                         const std::string& app_type = "utility-tools") {
  scan::ScanRequest request;
  request.apk_path = apk;
  if (!policy_text.empty()) request.policy_file = WritePolicy("policy.txt", policy_text);
  request.app_type = app_type;
  return SharedScanner().Scan(request);
}

bool IsViolation(const rules::ItemResult& r) { return r.verdict == Verdict::kViolation; }

TEST(ScanItemsTest, Im31StartupCollectionIsLikelyViolationWithChain) {
  DexBuilder dex;
  AddStartupCall(dex, "Lcom/example/bad/App;", "Lcom/example/bad/Tracker;",
                 "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;");
  ApkSpec spec;
  // INTERNET: what it reads can leave the device (without it a read is not shown to be
  // collection, see the verdict labels' rule 7, and IM-3.1 needs a run instead).
  spec.manifest_xml = Manifest("com.example.bad",
                               Permission("INTERNET") + Permission("READ_PHONE_STATE"), "", ".App");
  auto apk = BuildApp("im31bad", spec, &dex);
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  scan::ScanResult r = ScanApk(*apk, kGoodPolicy);
  const rules::ItemResult& item = Item(r, "IM-3.1");
  ASSERT_TRUE(IsViolation(item)) << rules::VerdictName(item.verdict);
  EXPECT_EQ(item.strength, Strength::kLikely);  // static evidence never confirms
  bool chain_found = false;
  for (const auto& f : item.findings) {
    for (const auto& ref : f.evidence) {
      for (const auto& step : ref.chain) {
        if (step.find("com.example.bad.App.onCreate") != std::string::npos) chain_found = true;
      }
    }
  }
  EXPECT_TRUE(chain_found) << "IM-3.1 finding should carry the chain from App.onCreate";
}

TEST(ScanItemsTest, Im31CollectionOnlyOnUserActionIsNotAStartupViolation) {
  DexBuilder dex;
  auto& act = dex.AddClass("Lcom/example/good/MainActivity;", "Landroid/app/Activity;");
  act.AddConstructor("()V", 1).InvokeDirect("Landroid/app/Activity;-><init>()V", {0}).ReturnVoid();
  act.AddMethod("onClickDevice", "(Landroid/view/View;)V", kAccPublic, 3)
      .Const4(0, 0)
      .InvokeVirtual("Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;", {0})
      .ReturnVoid();
  ApkSpec spec;
  spec.manifest_xml =
      Manifest("com.example.good", Permission("READ_PHONE_STATE"),
               R"(<activity android:name=".MainActivity" android:exported="true"><intent-filter>
          <action android:name="android.intent.action.MAIN"/>
          <category android:name="android.intent.category.LAUNCHER"/></intent-filter></activity>)");
  auto apk = BuildApp("im31good", spec, &dex);
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  scan::ScanResult r = ScanApk(*apk, kGoodPolicy);
  const rules::ItemResult& item = Item(r, "IM-3.1");
  EXPECT_FALSE(IsViolation(item) && item.strength == Strength::kConfirmed);
  for (const auto& f : item.findings) {
    EXPECT_FALSE(f.verdict == Verdict::kViolation && f.subject.find("imei") != std::string::npos &&
                 f.message.find("start-up") != std::string::npos)
        << f.message;
  }
}

TEST(ScanItemsTest, Im34PrecheckedConsentBox) {
  for (bool checked : {true, false}) {
    ApkSpec spec;
    spec.manifest_xml = Manifest("com.example.box", "", "");
    spec.resources["layout/login.xml"] =
        std::string(R"(<LinearLayout xmlns:android="http://schemas.android.com/apk/res/android"
            android:layout_width="match_parent" android:layout_height="match_parent">
          <CheckBox android:id="@+id/agree" android:layout_width="wrap_content"
              android:layout_height="wrap_content" android:checked=")") +
        (checked ? "true" : "false") + R"("
              android:text="我已阅读并同意《隐私政策》"/></LinearLayout>)";
    auto apk = BuildApp(checked ? "im34bad" : "im34good", spec, nullptr);
    ASSERT_TRUE(apk.ok()) << apk.status().ToString();
    scan::ScanResult r = ScanApk(*apk, kGoodPolicy);
    EXPECT_EQ(IsViolation(Item(r, "IM-3.4")), checked) << "checked=" << checked;
    if (checked) {
      ASSERT_FALSE(r.evidence.prechecked_consents.empty());
      EXPECT_EQ(r.evidence.prechecked_consents[0].layout, "res/layout/login.xml");
    }
  }
}

TEST(ScanItemsTest, Im11NoPolicyAnywhereIsLikelyViolation) {
  ApkSpec spec;
  spec.manifest_xml = Manifest("com.example.nopolicy", Permission("CAMERA"), "");
  auto apk = BuildApp("im11bad", spec, nullptr);
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  scan::ScanResult bad = ScanApk(*apk);
  EXPECT_EQ(bad.evidence.policy.source, evidence::PolicySource::kNone);
  EXPECT_TRUE(IsViolation(Item(bad, "IM-1.1")));
  EXPECT_EQ(Item(bad, "IM-1.1").strength, Strength::kLikely);
  scan::ScanResult good = ScanApk(*apk, kGoodPolicy);
  EXPECT_FALSE(IsViolation(Item(good, "IM-1.1")));
}

TEST(ScanItemsTest, Im11BundledPolicyIsFoundInAssets) {
  ApkSpec spec;
  spec.manifest_xml = Manifest("com.example.bundled", "", "");
  spec.extra_files["assets/web/a1.html"] =
      std::string("<html><body><p>") + kGoodPolicy + "</p></body></html>";
  auto apk = BuildApp("bundled", spec, nullptr);
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  scan::ScanResult r = ScanApk(*apk);
  EXPECT_EQ(r.evidence.policy.source, evidence::PolicySource::kBundledAsset);
  EXPECT_EQ(r.evidence.policy.file, "assets/web/a1.html");
  EXPECT_TRUE(r.evidence.policy.analysed);
  EXPECT_FALSE(IsViolation(Item(r, "IM-1.1")));
}

TEST(ScanItemsTest, Im14TraditionalOnlyPolicy) {
  ApkSpec spec;
  spec.manifest_xml = Manifest("com.example.script", "", "");
  auto apk = BuildApp("im14", spec, nullptr);
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  const std::string traditional =
      "隱私政策\n我們會收集您的位置資訊，用於顯示當地天氣。您可以隨時聯繫我們更正或刪除您的個人資料"
      "。"
      "我們將在十五個工作日內回覆您的請求。如您對本政策有任何疑問，請發送電子郵件聯繫我們。";
  EXPECT_TRUE(IsViolation(Item(ScanApk(*apk, traditional), "IM-1.4")));
  EXPECT_FALSE(IsViolation(Item(ScanApk(*apk, kGoodPolicy), "IM-1.4")));
}

TEST(ScanItemsTest, Im61Im63RightsAndTimeLimitsFromPolicyText) {
  ApkSpec spec;
  spec.manifest_xml = Manifest("com.example.rights", "", "");
  auto apk = BuildApp("im61", spec, nullptr);
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  scan::ScanResult bad = ScanApk(*apk, kBadPolicy);
  scan::ScanResult good = ScanApk(*apk, kGoodPolicy);
  // What a given policy's text leaves out is likely, not confirmed: an absence is not a fact read
  // and the function may live in the app.
  EXPECT_TRUE(IsViolation(Item(bad, "IM-6.1")));
  EXPECT_EQ(Item(bad, "IM-6.1").strength, Strength::kLikely);
  EXPECT_FALSE(IsViolation(Item(good, "IM-6.1")));
  EXPECT_TRUE(IsViolation(Item(bad, "IM-6.3")) || IsViolation(Item(bad, "IM-6.5")));
  EXPECT_FALSE(IsViolation(Item(good, "IM-6.3")));
  EXPECT_FALSE(IsViolation(Item(good, "IM-6.5")));
  EXPECT_TRUE(IsViolation(Item(bad, "IM-3.8")));
  EXPECT_FALSE(IsViolation(Item(good, "IM-3.8")));
}

TEST(ScanItemsTest, Im21Im51UndisclosedSdk) {
  DexBuilder dex;
  AddStartupCall(dex, "Lcom/example/sdkapp/App;", "Lcn/jpush/android/api/JPushInterface;",
                 "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;");
  ApkSpec spec;
  spec.manifest_xml =
      Manifest("com.example.sdkapp", Permission("READ_PHONE_STATE"),
               R"(<meta-data android:name="JPUSH_APPKEY" android:value="abc"/>)", ".App");
  auto apk = BuildApp("im21", spec, &dex);
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  scan::ScanResult bad = ScanApk(*apk, kBadPolicy);
  bool jpush_detected = false;
  for (const auto& s : bad.evidence.sdks) jpush_detected |= s.id == "jpush";
  ASSERT_TRUE(jpush_detected);
  auto has_jpush_finding = [](const rules::ItemResult& item) {
    for (const auto& f : item.findings) {
      if (f.verdict == Verdict::kViolation && f.subject == "jpush") return true;
    }
    return false;
  };
  EXPECT_TRUE(has_jpush_finding(Item(bad, "IM-5.1")));
  EXPECT_TRUE(has_jpush_finding(Item(bad, "IM-2.1")));
  scan::ScanResult good = ScanApk(*apk, kGoodPolicy);
  EXPECT_FALSE(has_jpush_finding(Item(good, "IM-5.1")));
  EXPECT_FALSE(has_jpush_finding(Item(good, "IM-2.1")));
}

TEST(ScanItemsTest, Im41PermissionsBeyondTheAppType) {
  ApkSpec spec;
  spec.manifest_xml = Manifest("com.example.necessity", Permission("ACCESS_FINE_LOCATION"), "");
  auto apk = BuildApp("im41", spec, nullptr);
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  // A policy that asks for nothing but the location the navigation needs.
  const std::string policy =
      "隐私政策\n一、我们如何收集和使用您的个人信息\n在您使用导航功能时，我们会收集您的位置信息，"
      "用于规划路线。\n二、联系我们\n如有投诉，请发送邮件至 privacy@example.com ，我们将在15个"
      "工作日内答复。您可以在设置中更正、删除个人信息或注销账号。";
  EXPECT_TRUE(IsViolation(Item(ScanApk(*apk, policy, "utility-tools"), "IM-4.1")));
  scan::ScanResult map_app = ScanApk(*apk, policy, "map-navigation");
  for (const auto& f : Item(map_app, "IM-4.1").findings) {
    EXPECT_NE(f.verdict, Verdict::kViolation) << f.message;
  }
}

// An app that reads the contacts (a sensitive type) on a call chain, with the permission.
Result<std::string> ContactsApp(const std::string& name) {
  DexBuilder dex;
  auto& act = dex.AddClass("Lcom/example/friends/Reader;");
  act.AddMethod("read", "(Landroid/content/ContentResolver;)V", kAccPublic | kAccStatic, 8)
      .ConstString(0, "content://com.android.contacts/contacts")
      .InvokeStatic("Landroid/net/Uri;->parse(Ljava/lang/String;)Landroid/net/Uri;", {0})
      .MoveResultObject(3)
      .MoveObject(2, 7)
      .Const4(4, 0)
      .Const4(5, 0)
      .Const4(6, 0)
      .Const4(7, 0)
      .InvokeVirtualRange(
          "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;"
          "Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;",
          2, 6)
      .ReturnVoid();
  ApkSpec spec;
  spec.manifest_xml = Manifest("com.example." + name, Permission("READ_CONTACTS"), "");
  return BuildApp(name, spec, &dex);
}

TEST(ScanItemsTest, Im39CollectsWhatThePolicySaysItDoesNot) {
  auto apk = ContactsApp("contacts");
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  EXPECT_TRUE(IsViolation(Item(ScanApk(*apk, kBadPolicy), "IM-3.9")));
  EXPECT_FALSE(IsViolation(Item(ScanApk(*apk, kGoodPolicy), "IM-3.9")));
}

}  // namespace
}  // namespace piaudit::testing

namespace piaudit::testing {
namespace {

TEST(ScanItemsTest, Im36PersonalisationStatedWithoutOptOut) {
  ApkSpec spec;
  spec.manifest_xml = Manifest("com.example.feed", "", "");
  auto apk = BuildApp("im36", spec, nullptr);
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  const std::string base =
      "隐私政策\n一、我们如何使用您的个人信息\n为了向您提供个性化推荐，我们会根据您的浏览记录向您推"
      "送内容。\n"
      "二、联系我们\n如有投诉，请发送邮件至 privacy@example.com ，我们将在15个工作日内答复。";
  scan::ScanResult bad = ScanApk(*apk, base, "news");
  EXPECT_FALSE(bad.evidence.policy.personalization_mentions.empty());
  EXPECT_TRUE(IsViolation(Item(bad, "IM-3.6")));
  scan::ScanResult good = ScanApk(*apk, base + "\n您可以在\"设置-隐私\"中关闭个性化推荐。", "news");
  EXPECT_FALSE(IsViolation(Item(good, "IM-3.6")));
}

}  // namespace
}  // namespace piaudit::testing

namespace piaudit::testing {
namespace {

constexpr char kGetDeviceId[] =
    "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;";

bool ChainStartsWith(const rules::Finding& f, const std::string& method) {
  for (const auto& ref : f.evidence) {
    if (!ref.chain.empty() && ref.chain.front().find(method) != std::string::npos) return true;
  }
  return false;
}

// The launcher activity's onCreate reaches an SDK that reads the IMEI, and the app has no consent
// dialog (cnzz-demo, blooddonation): the first screen runs before any consent, so this is start-up
// collection before consent, not "compliant: no PI read on a start-up path".
TEST(ScanItemsTest, Im31LauncherOnCreateWithoutConsentGateIsBeforeConsent) {
  DexBuilder dex;
  auto& act = dex.AddClass("Lcom/example/stats/MainActivity;", "Landroid/app/Activity;");
  act.AddConstructor("()V", 1).InvokeDirect("Landroid/app/Activity;-><init>()V", {0}).ReturnVoid();
  act.AddMethod("onCreate", "(Landroid/os/Bundle;)V", kAccPublic, 2)
      .InvokeSuper("Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V", {0, 1})
      .InvokeStatic("Lcom/example/stats/Stats;->start(Landroid/content/Context;)V", {0})
      .ReturnVoid();
  dex.AddClass("Lcom/example/stats/Stats;")
      .AddMethod("start", "(Landroid/content/Context;)V", kAccPublic | kAccStatic, 2)
      .Const4(0, 0)
      .InvokeVirtual(kGetDeviceId, {0})
      .ReturnVoid();
  ApkSpec spec;
  spec.manifest_xml =
      Manifest("com.example.stats", Permission("INTERNET") + Permission("READ_PHONE_STATE"),
               R"(<activity android:name=".MainActivity" android:exported="true"><intent-filter>
          <action android:name="android.intent.action.MAIN"/>
          <category android:name="android.intent.category.LAUNCHER"/></intent-filter></activity>)");
  auto apk = BuildApp("im31launcher", spec, &dex);
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  scan::ScanResult r = ScanApk(*apk);
  const rules::ItemResult& item = Item(r, "IM-3.1");
  ASSERT_EQ(item.verdict, Verdict::kViolation) << item.findings.front().message;
  EXPECT_EQ(item.strength, Strength::kLikely);
  EXPECT_EQ(item.findings.front().subject, "imei");
  EXPECT_TRUE(ChainStartsWith(item.findings.front(), "com.example.stats.MainActivity.onCreate"));
}

// Application.onCreate calls Runnable.run() on an object read from a field: the only app Runnable
// (which reads the IMEI) is a target by class hierarchy alone. That chain is possible, not shown,
// so it is a lead (needs-dynamic), while a direct chain from the same onCreate to the phone number
// is a likely violation and is listed first.
TEST(ScanItemsTest, Im31FanOutChainIsALeadAndTheDirectChainComesFirst) {
  DexBuilder dex;
  auto& app = dex.AddClass("Lcom/example/fan/App;", "Landroid/app/Application;");
  app.AddField("task", "Ljava/lang/Runnable;", kAccPublic | kAccStatic);
  app.AddConstructor("()V", 1)
      .InvokeDirect("Landroid/app/Application;-><init>()V", {0})
      .ReturnVoid();
  app.AddMethod("onCreate", "()V", kAccPublic, 2)
      .InvokeSuper("Landroid/app/Application;->onCreate()V", {1})
      .SgetObject(0, "Lcom/example/fan/App;->task:Ljava/lang/Runnable;")
      .InvokeInterface("Ljava/lang/Runnable;->run()V", {0})
      .InvokeStatic("Lcom/example/fan/Direct;->read(Landroid/content/Context;)V", {1})
      .ReturnVoid();
  // Instantiated somewhere no start-up path goes, so rapid type analysis keeps it as a target.
  app.AddMethod("later", "()V", kAccPublic | kAccStatic, 1)
      .NewInstance(0, "Lcom/example/fan/Task;")
      .InvokeDirect("Lcom/example/fan/Task;-><init>()V", {0})
      .SputObject(0, "Lcom/example/fan/App;->task:Ljava/lang/Runnable;")
      .ReturnVoid();
  auto& task = dex.AddClass("Lcom/example/fan/Task;");
  task.AddInterface("Ljava/lang/Runnable;");
  task.AddConstructor("()V", 1).InvokeDirect("Ljava/lang/Object;-><init>()V", {0}).ReturnVoid();
  task.AddMethod("run", "()V", kAccPublic, 2)
      .Const4(0, 0)
      .InvokeVirtual(kGetDeviceId, {0})
      .ReturnVoid();
  dex.AddClass("Lcom/example/fan/Direct;")
      .AddMethod("read", "(Landroid/content/Context;)V", kAccPublic | kAccStatic, 2)
      .Const4(0, 0)
      .InvokeVirtual("Landroid/telephony/TelephonyManager;->getLine1Number()Ljava/lang/String;",
                     {0})
      .ReturnVoid();
  ApkSpec spec;
  spec.manifest_xml = Manifest("com.example.fan",
                               Permission("INTERNET") + Permission("READ_PHONE_STATE"), "", ".App");
  auto apk = BuildApp("im31fanout", spec, &dex);
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  scan::ScanResult r = ScanApk(*apk);
  const evidence::SensitiveCall* imei = nullptr;
  for (const auto& c : r.evidence.sensitive_calls) {
    if (c.pi_type == "imei") imei = &c;
  }
  ASSERT_NE(imei, nullptr);
  EXPECT_TRUE(imei->startup);
  EXPECT_TRUE(imei->fan_out) << "Runnable.run resolved by class hierarchy is a wide step";
  const rules::ItemResult& item = Item(r, "IM-3.1");
  ASSERT_EQ(item.verdict, Verdict::kViolation);
  ASSERT_GE(item.findings.size(), 2u);
  EXPECT_EQ(item.findings[0].subject, "phone_number");
  EXPECT_EQ(item.findings[0].verdict, Verdict::kViolation);
  bool lead = false;
  for (const auto& f : item.findings) {
    if (f.subject != "imei") continue;
    EXPECT_EQ(f.verdict, Verdict::kNeedsDynamic) << f.message;
    EXPECT_TRUE(ChainStartsWith(f, "com.example.fan.App.onCreate")) << "the chain is the lead";
    lead = true;
  }
  EXPECT_TRUE(lead);
}

// targetSdkVersion < 23 (cnzz-demo 8, jamendo 8, politedroid 3): the dangerous permissions are
// granted together at install, before any consent. Permissions implied by a target below 4 count.
TEST(ScanItemsTest, LegacyTargetSdkGrantsSeveralPermissionsAtInstall) {
  auto manifest = [](const std::string& uses_sdk, const std::string& perms) {
    return R"(<manifest xmlns:android="http://schemas.android.com/apk/res/android" )"
           R"(package="com.example.legacy" android:versionCode="1" android:versionName="1.0">)" +
           uses_sdk + perms + R"(<application android:label="@string/app_name"/></manifest>)";
  };
  const std::string two = Permission("READ_PHONE_STATE") + Permission("ACCESS_COARSE_LOCATION");
  struct Case {
    std::string name, uses_sdk, perms;
    bool violation;
  } cases[] = {
      {"target8", R"(<uses-sdk android:minSdkVersion="4" android:targetSdkVersion="8"/>)", two,
       true},
      {"target23", R"(<uses-sdk android:minSdkVersion="21" android:targetSdkVersion="23"/>)", two,
       false},
      // No targetSdkVersion: the target is minSdkVersion 3, and READ_PHONE_STATE and
      // WRITE_EXTERNAL_STORAGE are implied, so READ_CALENDAR alone is three groups.
      {"target3", R"(<uses-sdk android:minSdkVersion="3"/>)", Permission("READ_CALENDAR"), true},
  };
  for (const Case& c : cases) {
    ApkSpec spec;
    spec.manifest_xml = manifest(c.uses_sdk, c.perms);
    auto apk = BuildApp("legacy-" + c.name, spec, nullptr);
    ASSERT_TRUE(apk.ok()) << apk.status().ToString();
    scan::ScanResult r = ScanApk(*apk, kGoodPolicy);
    for (const char* id : {"IM-4.6", "IM-3.1"}) {
      const rules::ItemResult& item = Item(r, id);
      EXPECT_EQ(IsViolation(item), c.violation) << c.name << " " << id;
      if (c.violation) {
        EXPECT_EQ(item.strength, Strength::kLikely) << c.name << " " << id;
      }
    }
  }
}

}  // namespace
}  // namespace piaudit::testing

namespace piaudit::testing {
namespace {

const rules::Finding* FindingOn(const rules::ItemResult& r, std::string_view subject) {
  for (const auto& f : r.findings)
    if (f.subject == subject) return &f;
  return nullptr;
}

constexpr char kPolicyTail[] =
    "\n二、联系我们\n如有投诉，请发送邮件至 privacy@example.com ，我们将在15个工作日内答复。"
    "您可以在设置中更正、删除个人信息或注销账号。\n";

// Issue 19: IM-2.1 asks for the purpose of each type, IM-2.3 for a purpose of sensitive types;
// both read the policy's practices (a purpose span attached to the type's data span). A policy
// that names the contacts with a purpose keeps both; one that only says it may collect them
// leaves IM-2.1 to a reviewer for that type (never compliant) and IM-2.3 a violation.
TEST(ScanItemsTest, Im21And23ReadThePurposeOfEachPractice) {
  auto apk = ContactsApp("im21purpose");
  ASSERT_TRUE(apk.ok()) << apk.status().ToString();
  const std::string with_purpose = std::string("隐私政策\n一、我们如何收集和使用您的个人信息\n") +
                                   "我们会收集您的通讯录信息，以便帮助您查找和添加好友。" +
                                   kPolicyTail;
  const std::string without_purpose =
      std::string("隐私政策\n一、我们如何收集和使用您的个人信息\n") +
      "我们可能会收集您的通讯录信息及设备型号。" + kPolicyTail;

  scan::ScanResult good = ScanApk(*apk, with_purpose);
  ASSERT_FALSE(good.evidence.policy.practices.empty());
  bool purpose_read = false;
  for (const auto& p : good.evidence.policy.practices) {
    if (std::find(p.data_types.begin(), p.data_types.end(), "contacts") != p.data_types.end() &&
        p.purpose.end > p.purpose.start)
      purpose_read = true;
  }
  EXPECT_TRUE(purpose_read);
  EXPECT_EQ(FindingOn(Item(good, "IM-2.1"), "contacts"), nullptr);
  const rules::ItemResult& ok23 = Item(good, "IM-2.3");
  EXPECT_EQ(FindingOn(ok23, "contacts"), nullptr);
  EXPECT_EQ(FindingOn(ok23, "android.permission.READ_CONTACTS"), nullptr);

  scan::ScanResult bad = ScanApk(*apk, without_purpose);
  ASSERT_FALSE(bad.evidence.policy.practices.empty());
  const rules::Finding* lead = FindingOn(Item(bad, "IM-2.1"), "contacts");
  ASSERT_NE(lead, nullptr);
  EXPECT_EQ(lead->verdict, Verdict::kNeedsManual);
  EXPECT_NE(Item(bad, "IM-2.1").verdict, Verdict::kCompliant);
  bool cites_mention = false;
  for (const auto& ref : lead->evidence) {
    if (ref.span && ref.span->text.find("通讯录") != std::string::npos) cites_mention = true;
  }
  EXPECT_TRUE(cites_mention) << "the finding cites the policy's mention of the type";
  const rules::Finding* no_purpose = FindingOn(Item(bad, "IM-2.3"), "contacts");
  ASSERT_NE(no_purpose, nullptr);
  EXPECT_EQ(no_purpose->verdict, Verdict::kViolation);
}

}  // namespace
}  // namespace piaudit::testing
