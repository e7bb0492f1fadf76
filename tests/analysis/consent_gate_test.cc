// The consent gate on synthetic apps: a splash activity shows an AlertDialog with privacy-policy
// text whose positive button's listener stores putBoolean("privacy_agreed", true); the
// Application reads the flag and either branches on it before initialising the SDK (gated ->
// before_consent "no") or reads it and initialises anyway (-> "likely").
#include "analysis/consent_gate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>

#include "analysis_test_util.h"

namespace piaudit::analysis::test {
namespace {

using testing::DexBuilder;
using testing::kAccPublic;
using testing::kAccStatic;

constexpr char kKey[] = "privacy_agreed";
constexpr char kBuilder[] = "Landroid/app/AlertDialog$Builder;";

// Builds the app. `branch`: App.onCreate skips Sdk.init when the flag is false.
void BuildConsentApp(bool branch, bool dialog_text, BuiltApp* app) {
  DexBuilder b;
  auto& sdk = b.AddClass("Lcom/sdk/Sdk;");
  sdk.AddField("tm", "Landroid/telephony/TelephonyManager;", kAccPublic | kAccStatic);
  sdk.AddMethod("init", "()V", kAccPublic | kAccStatic, 1)
      .SgetObject(0, "Lcom/sdk/Sdk;->tm:Landroid/telephony/TelephonyManager;")
      .InvokeVirtual(kGetDeviceId, {0})
      .MoveResultObject(0)
      .ReturnVoid();
  auto& prefs = b.AddClass("Lcom/example/Prefs;");
  prefs.AddMethod("putBoolean", "(Ljava/lang/String;Z)V", kAccPublic | kAccStatic, 2).ReturnVoid();
  prefs.AddMethod("getBoolean", "(Ljava/lang/String;)Z", kAccPublic | kAccStatic, 2)
      .Const4(0, 0)
      .Return(0);

  auto& agree = b.AddClass("Lcom/example/AgreeListener;");
  agree.AddInterface("Landroid/content/DialogInterface$OnClickListener;");
  agree.AddConstructor("()V", 1).InvokeDirect("Ljava/lang/Object;-><init>()V", {0}).ReturnVoid();
  agree.AddMethod("onClick", "(Landroid/content/DialogInterface;I)V", kAccPublic, 5)
      .ConstString(0, kKey)
      .Const4(1, 1)
      .InvokeStatic("Lcom/example/Prefs;->putBoolean(Ljava/lang/String;Z)V", {0, 1})
      .InvokeStatic("Lcom/sdk/Sdk;->init()V", {})
      .ReturnVoid();

  auto& splash = b.AddClass("Lcom/example/SplashActivity;", "Landroid/app/Activity;");
  splash.AddConstructor("()V", 1)
      .InvokeDirect("Landroid/app/Activity;-><init>()V", {0})
      .ReturnVoid();
  auto& on_create = splash.AddMethod("onCreate", "(Landroid/os/Bundle;)V", kAccPublic, 5);
  on_create.InvokeSuper("Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V", {3, 4})
      .NewInstance(0, kBuilder)
      .InvokeDirect("Landroid/app/AlertDialog$Builder;-><init>(Landroid/content/Context;)V",
                    {0, 3});
  if (dialog_text) {
    on_create
        .ConstString(
            1, "欢迎使用！请您仔细阅读《用户协议》和《隐私政策》，点击“同意”即表示您已阅读并同意。")
        .InvokeVirtual(
            "Landroid/app/AlertDialog$Builder;->setMessage(Ljava/lang/CharSequence;)"
            "Landroid/app/AlertDialog$Builder;",
            {0, 1});
  }
  on_create.ConstString(1, "同意")
      .NewInstance(2, "Lcom/example/AgreeListener;")
      .InvokeDirect("Lcom/example/AgreeListener;-><init>()V", {2})
      .InvokeVirtual(
          "Landroid/app/AlertDialog$Builder;->setPositiveButton(Ljava/lang/CharSequence;"
          "Landroid/content/DialogInterface$OnClickListener;)"
          "Landroid/app/AlertDialog$Builder;",
          {0, 1, 2})
      .InvokeVirtual("Landroid/app/AlertDialog$Builder;->show()Landroid/app/AlertDialog;", {0})
      .ReturnVoid();

  auto& appc = b.AddClass("Lcom/example/App;", "Landroid/app/Application;");
  appc.AddConstructor("()V", 1)
      .InvokeDirect("Landroid/app/Application;-><init>()V", {0})
      .ReturnVoid();
  auto& m = appc.AddMethod("onCreate", "()V", kAccPublic, 2);
  m.InvokeSuper("Landroid/app/Application;->onCreate()V", {1})
      .ConstString(0, kKey)
      .InvokeStatic("Lcom/example/Prefs;->getBoolean(Ljava/lang/String;)Z", {0})
      .MoveResult(0);
  if (branch) m.IfEqz(0, "skip");
  m.InvokeStatic("Lcom/sdk/Sdk;->init()V", {});
  if (branch) m.Label("skip");
  m.ReturnVoid();
  ASSERT_NO_FATAL_FAILURE(AddDex(b, "classes.dex", app));
}

AppComponents Components() {
  AppComponents c;
  c.package = "com.example";
  c.application_class = "com.example.App";
  c.launcher_activity = "com.example.SplashActivity";
  c.components.push_back(
      {ComponentType::kActivity, "com.example.SplashActivity", std::nullopt, true});
  return c;
}

TEST(ConsentGateTest, FlagCheckedBeforeSdkInitMeansNotBeforeConsent) {
  BuiltApp app;
  ASSERT_NO_FATAL_FAILURE(BuildConsentApp(/*branch=*/true, /*dialog_text=*/true, &app));
  Result<CodeAnalysis> a = RunAnalysis(app, Components());
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  const ConsentGate& g = a->consent_gate;
  EXPECT_TRUE(g.found) << g.note;
  EXPECT_EQ(g.flag_key, kKey);
  EXPECT_EQ(g.flag_kind, "preference");
  ASSERT_EQ(g.agree_handlers.size(), 1u);
  EXPECT_EQ(g.agree_handlers[0],
            "Lcom/example/AgreeListener;->onClick(Landroid/content/DialogInterface;I)V");
  ASSERT_EQ(g.flag_readers.size(), 1u);
  EXPECT_EQ(g.flag_readers[0], "Lcom/example/App;->onCreate()V");
  ASSERT_FALSE(g.dialog_methods.empty());
  EXPECT_EQ(g.dialog_methods[0], "Lcom/example/SplashActivity;->onCreate(Landroid/os/Bundle;)V");
  const SensitiveCall* s = FindCall(*a, kGetDeviceId);
  ASSERT_NE(s, nullptr);
  std::cout << s->reason << "\n" << ChainString(*s) << "\n";
  EXPECT_TRUE(s->startup_reachable);
  EXPECT_EQ(s->before_consent, BeforeConsent::kNo);
}

// Each candidate agree handler costs a BFS over the call graph, so their number is capped; a gate
// the cap hid must not make gated calls look ungated without saying so.
TEST(ConsentGateTest, HandlersBeyondTheCapMakeTheCodePartial) {
  BuiltApp app;
  ASSERT_NO_FATAL_FAILURE(BuildConsentApp(/*branch=*/true, /*dialog_text=*/true, &app));
  Limits limits;
  limits.max_consent_handlers = 0;
  Result<CodeAnalysis> a = RunAnalysis(app, Components(), {}, nullptr, limits);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_FALSE(a->consent_gate.found);
  EXPECT_TRUE(a->partial);
  ASSERT_FALSE(a->partial_reasons.empty());
  EXPECT_NE(a->partial_reasons.back().find("max_consent_handlers"), std::string::npos)
      << a->partial_reasons.back();
}

TEST(ConsentGateTest, FlagReadWithoutBranchIsStillLikely) {
  BuiltApp app;
  ASSERT_NO_FATAL_FAILURE(BuildConsentApp(/*branch=*/false, /*dialog_text=*/true, &app));
  Result<CodeAnalysis> a = RunAnalysis(app, Components());
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_TRUE(a->consent_gate.found);
  EXPECT_EQ(a->consent_gate.flag_key, kKey);
  EXPECT_TRUE(a->consent_gate.flag_readers.empty());
  const SensitiveCall* s = FindCall(*a, kGetDeviceId);
  ASSERT_NE(s, nullptr);
  std::cout << s->reason << "\n" << ChainString(*s) << "\n";
  EXPECT_EQ(s->before_consent, BeforeConsent::kLikely);
  ASSERT_EQ(s->chain.size(), 2u);
  EXPECT_EQ(s->chain[0].method, "Lcom/example/App;->onCreate()V");
}

// The flag check and the sensitive call in the same start-up method: calls after the branch are
// gated, calls before it are not.
TEST(ConsentGateTest, CallAfterBranchInSameMethodIsGated) {
  for (const bool before : {false, true}) {
    SCOPED_TRACE(before ? "call before the check" : "call after the check");
    DexBuilder b;
    auto& prefs = b.AddClass("Lcom/example/Prefs;");
    prefs.AddMethod("putBoolean", "(Ljava/lang/String;Z)V", kAccPublic | kAccStatic, 2)
        .ReturnVoid();
    prefs.AddMethod("getBoolean", "(Ljava/lang/String;)Z", kAccPublic | kAccStatic, 2)
        .Const4(0, 0)
        .Return(0);
    auto& agree = b.AddClass("Lcom/example/AgreeListener;");
    agree.AddInterface("Landroid/content/DialogInterface$OnClickListener;");
    agree.AddMethod("onClick", "(Landroid/content/DialogInterface;I)V", kAccPublic, 5)
        .ConstString(0, kKey)
        .Const4(1, 1)
        .InvokeStatic("Lcom/example/Prefs;->putBoolean(Ljava/lang/String;Z)V", {0, 1})
        .ReturnVoid();
    auto& splash = b.AddClass("Lcom/example/SplashActivity;", "Landroid/app/Activity;");
    splash.AddMethod("onCreate", "(Landroid/os/Bundle;)V", kAccPublic, 5)
        .NewInstance(0, kBuilder)
        .ConstString(1, "请阅读《隐私政策》")
        .NewInstance(2, "Lcom/example/AgreeListener;")
        .InvokeVirtual(
            "Landroid/app/AlertDialog$Builder;->setPositiveButton(Ljava/lang/CharSequence;"
            "Landroid/content/DialogInterface$OnClickListener;)"
            "Landroid/app/AlertDialog$Builder;",
            {0, 1, 2})
        .ReturnVoid();
    auto& appc = b.AddClass("Lcom/example/App;", "Landroid/app/Application;");
    appc.AddField("tm", "Landroid/telephony/TelephonyManager;", kAccPublic | kAccStatic);
    auto& m = appc.AddMethod("onCreate", "()V", kAccPublic, 3);
    m.SgetObject(1, "Lcom/example/App;->tm:Landroid/telephony/TelephonyManager;");
    if (before) m.InvokeVirtual(kGetDeviceId, {1});
    m.ConstString(0, kKey)
        .InvokeStatic("Lcom/example/Prefs;->getBoolean(Ljava/lang/String;)Z", {0})
        .MoveResult(0)
        .IfEqz(0, "skip");
    if (!before) m.InvokeVirtual(kGetDeviceId, {1});
    m.Label("skip").ReturnVoid();
    BuiltApp app;
    ASSERT_NO_FATAL_FAILURE(AddDex(b, before ? "before.dex" : "after.dex", &app));
    AppComponents comps;
    comps.application_class = "com.example.App";
    Result<CodeAnalysis> a = RunAnalysis(app, comps);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    EXPECT_TRUE(a->consent_gate.found) << a->consent_gate.note;
    const SensitiveCall* s = FindCall(*a, kGetDeviceId);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->before_consent, before ? BeforeConsent::kLikely : BeforeConsent::kNo) << s->reason;
  }
}

// Without privacy text there is no dialog evidence: the gate is not "found", but the
// consent-like key is still used as the flag.
TEST(ConsentGateTest, NoPrivacyTextMeansNoGateFound) {
  BuiltApp app;
  ASSERT_NO_FATAL_FAILURE(BuildConsentApp(/*branch=*/true, /*dialog_text=*/false, &app));
  Result<CodeAnalysis> a = RunAnalysis(app, Components());
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_FALSE(a->consent_gate.found);
  EXPECT_FALSE(a->consent_gate.note.empty());
  EXPECT_EQ(a->consent_gate.flag_key, kKey);
}

// Dialog text given as a string resource the code loads by id is evidence too.
TEST(ConsentGateTest, ResourceStringsAreDialogEvidence) {
  ResourceStrings res;
  res.strings.push_back({0x7f0e0001, "privacy_text", "请阅读《隐私政策》后点击同意"});
  const ConsentText consent(TestKb().consent_words());
  const auto ids = InterestingResourceIds(res, consent);
  EXPECT_EQ(ids.count(0x7f0e0001), 1u);
  BuiltApp app;
  ASSERT_NO_FATAL_FAILURE(BuildConsentApp(true, false, &app));
  Result<CodeAnalysis> a = RunAnalysis(app, Components(), res);
  ASSERT_TRUE(a.ok());
  ASSERT_FALSE(a->consent_gate.dialog.empty());
  EXPECT_EQ(a->consent_gate.dialog[0].kind, "string_resource");
  EXPECT_EQ(a->consent_gate.dialog[0].where, "privacy_text");
}

// "const vAA, #+BBBBBBBB" (31i): the builder has no helper for 32-bit literals (resource ids).
std::vector<uint16_t> Const31i(uint32_t reg, uint32_t value) {
  return {static_cast<uint16_t>(0x14 | (reg << 8)), static_cast<uint16_t>(value & 0xffff),
          static_cast<uint16_t>(value >> 16)};
}

// A custom dialog: PrivacyDialog.onCreate inflates R.layout.dialog_privacy (a layout whose text
// mentions the privacy policy) and sets click listeners on R.id.btn_agree / R.id.btn_disagree;
// the agree listener stores the flag as a static boolean field; the Application checks it.
TEST(ConsentGateTest, LayoutDialogWithViewListenersAndFieldFlag) {
  constexpr uint32_t kLayout = 0x7f0b0010, kAgreeId = 0x7f080001, kDisagreeId = 0x7f080002;
  constexpr char kFlag[] = "Lcom/example/Consent;->agreed:Z";
  DexBuilder b;
  auto& consent = b.AddClass("Lcom/example/Consent;");
  consent.AddField("agreed", "Z", kAccPublic | kAccStatic);
  auto& sdk = b.AddClass("Lcom/sdk/Sdk;");
  sdk.AddField("tm", "Landroid/telephony/TelephonyManager;", kAccPublic | kAccStatic);
  sdk.AddMethod("init", "()V", kAccPublic | kAccStatic, 1)
      .SgetObject(0, "Lcom/sdk/Sdk;->tm:Landroid/telephony/TelephonyManager;")
      .InvokeVirtual(kGetDeviceId, {0})
      .ReturnVoid();
  for (const char* name : {"Lcom/example/AgreeClick;", "Lcom/example/DisagreeClick;"}) {
    auto& l = b.AddClass(name);
    l.AddInterface("Landroid/view/View$OnClickListener;");
    l.AddConstructor("()V", 1).InvokeDirect("Ljava/lang/Object;-><init>()V", {0}).ReturnVoid();
    auto& on_click = l.AddMethod("onClick", "(Landroid/view/View;)V", kAccPublic, 3);
    if (std::string(name) == "Lcom/example/AgreeClick;") {
      on_click.Const4(0, 1).Sput(0, kFlag);
    }
    on_click.ReturnVoid();
  }
  auto& dlg = b.AddClass("Lcom/example/PrivacyDialog;", "Landroid/app/Dialog;");
  dlg.AddConstructor("(Landroid/content/Context;)V", 2)
      .InvokeDirect("Landroid/app/Dialog;-><init>(Landroid/content/Context;)V", {0, 1})
      .ReturnVoid();
  dlg.AddMethod("onCreate", "(Landroid/os/Bundle;)V", kAccPublic, 4)
      .Raw(Const31i(0, kLayout))
      .InvokeVirtual("Lcom/example/PrivacyDialog;->setContentView(I)V", {2, 0})
      .Raw(Const31i(0, kAgreeId))
      .InvokeVirtual("Lcom/example/PrivacyDialog;->findViewById(I)Landroid/view/View;", {2, 0})
      .MoveResultObject(0)
      .NewInstance(1, "Lcom/example/AgreeClick;")
      .InvokeDirect("Lcom/example/AgreeClick;-><init>()V", {1})
      .InvokeVirtual(
          "Landroid/view/View;->setOnClickListener(Landroid/view/View$OnClickListener;)V", {0, 1})
      .Raw(Const31i(0, kDisagreeId))
      .InvokeVirtual("Lcom/example/PrivacyDialog;->findViewById(I)Landroid/view/View;", {2, 0})
      .MoveResultObject(0)
      .NewInstance(1, "Lcom/example/DisagreeClick;")
      .InvokeDirect("Lcom/example/DisagreeClick;-><init>()V", {1})
      .InvokeVirtual(
          "Landroid/view/View;->setOnClickListener(Landroid/view/View$OnClickListener;)V", {0, 1})
      .ReturnVoid();
  auto& appc = b.AddClass("Lcom/example/App;", "Landroid/app/Application;");
  appc.AddMethod("onCreate", "()V", kAccPublic, 2)
      .Sget(0, kFlag)
      .IfEqz(0, "skip")
      .InvokeStatic("Lcom/sdk/Sdk;->init()V", {})
      .Label("skip")
      .ReturnVoid();
  BuiltApp app;
  ASSERT_NO_FATAL_FAILURE(AddDex(b, "classes.dex", &app));
  ResourceStrings res;
  ResourceStrings::Layout layout;
  layout.id = kLayout;
  layout.name = "dialog_privacy";
  layout.views.push_back({0x7f080003, "tv_content", "请阅读《隐私政策》"});
  layout.views.push_back({kAgreeId, "btn_agree", "同意"});
  layout.views.push_back({kDisagreeId, "btn_disagree", "不同意"});
  res.layouts.push_back(layout);
  AppComponents comps;
  comps.application_class = "com.example.App";
  Result<CodeAnalysis> a = RunAnalysis(app, comps, res);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  const ConsentGate& g = a->consent_gate;
  EXPECT_TRUE(g.found) << g.note;
  EXPECT_EQ(g.flag_kind, "field");
  EXPECT_EQ(g.flag_key, kFlag);
  ASSERT_EQ(g.agree_handlers.size(), 1u);
  EXPECT_EQ(g.agree_handlers[0], "Lcom/example/AgreeClick;->onClick(Landroid/view/View;)V");
  ASSERT_EQ(g.flag_readers.size(), 1u);
  const SensitiveCall* s = FindCall(*a, kGetDeviceId);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->before_consent, BeforeConsent::kNo) << s->reason;
}

TEST(ConsentGateTest, AgreeWordsIgnoreDisagree) {
  const ConsentText t(TestKb().consent_words());  // data/consent_words.yaml
  EXPECT_TRUE(t.HasAgreeWord("同意"));
  EXPECT_FALSE(t.HasAgreeWord("不同意"));
  EXPECT_TRUE(t.HasAgreeWord("不同意 同意"));  // one 同意 beyond the 不同意
  EXPECT_TRUE(t.HasDisagreeWord("不同意"));
  EXPECT_TRUE(t.HasAgreeWord("I agree"));
  EXPECT_TRUE(t.HasAgreeWord("ACCEPT"));
  EXPECT_FALSE(t.HasAgreeWord("Disagree"));
  EXPECT_FALSE(t.HasAgreeWord("accept or disagree"));  // a veto word cancels the plain words
  EXPECT_TRUE(t.IsPrivacyText("请阅读隐私政策"));
  EXPECT_TRUE(t.IsPrivacyText("Read our Privacy Policy"));
  EXPECT_FALSE(t.IsPrivacyText("hello"));
  EXPECT_EQ(Excerpt("隐私政策", 4), "隐...");
}

// The words are data: a list edited in the knowledge base changes what is matched, with the
// matching rules of word_lists.h (caseless ASCII, `unless` counted, `veto` cancelling).
TEST(ConsentGateTest, WordsComeFromTheKnowledgeBase) {
  knowledge::ConsentWords w;
  w.privacy_text.words = {"个人信息处理规则", "data notice"};
  w.agree.words = {{"好的", ""}, {"ok", ""}, {"允许", "不允许"}};
  w.agree.veto = {"not ok"};
  w.disagree.words = {"算了"};
  const ConsentText t(w);
  EXPECT_TRUE(t.IsPrivacyText("《个人信息处理规则》"));
  EXPECT_TRUE(t.IsPrivacyText("Our DATA Notice"));
  EXPECT_FALSE(t.IsPrivacyText("隐私政策"));  // not in this list
  EXPECT_TRUE(t.HasAgreeWord("好的"));
  EXPECT_TRUE(t.HasAgreeWord("OK"));
  EXPECT_FALSE(t.HasAgreeWord("Not OK"));
  EXPECT_FALSE(t.HasAgreeWord("不允许"));
  EXPECT_TRUE(t.HasAgreeWord("允许"));
  EXPECT_FALSE(t.HasAgreeWord("同意"));
  EXPECT_TRUE(t.HasDisagreeWord("算了吧"));
  EXPECT_FALSE(t.HasDisagreeWord("不同意"));
}

}  // namespace
}  // namespace piaudit::analysis::test
