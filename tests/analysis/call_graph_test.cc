// Call graph, entry points and start-up reachability on synthetic apps built with the DEX
// builder: each test builds the smallest app that needs one kind of edge and checks that the
// sensitive call is found, its verdict, and the chain (method by method) that explains it.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <iostream>

#include "analysis/android_framework.h"
#include "analysis/code_model.h"
#include "analysis_test_util.h"

namespace piaudit::analysis::test {
namespace {

using testing::DexBuilder;
using testing::kAccAbstract;
using testing::kAccPublic;
using testing::kAccStatic;

constexpr char kCtx[] = "Landroid/content/Context;";

// Sdk.init(Context): getSystemService("phone") -> TelephonyManager.getDeviceId().
void AddSdk(DexBuilder* b, const char* cls = "Lcom/sdk/Sdk;") {
  auto& sdk = b->AddClass(cls);
  sdk.AddMethod("init", "(Landroid/content/Context;)V", kAccPublic | kAccStatic, 3)
      .ConstString(0, "phone")
      .InvokeVirtual(
          "Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;",
          {2, 0})
      .MoveResultObject(0)
      .CheckCast(0, "Landroid/telephony/TelephonyManager;")
      .InvokeVirtual(kGetDeviceId, {0})
      .MoveResultObject(1)
      .ReturnVoid();
}

void AddAppClass(DexBuilder* b, const std::function<void(testing::MethodBuilder&)>& body,
                 uint16_t registers = 3) {
  auto& app = b->AddClass("Lcom/example/App;", "Landroid/app/Application;");
  app.AddConstructor("()V", 1)
      .InvokeDirect("Landroid/app/Application;-><init>()V", {0})
      .ReturnVoid();
  auto& m = app.AddMethod("onCreate", "()V", kAccPublic, registers);
  m.InvokeSuper("Landroid/app/Application;->onCreate()V", {static_cast<uint32_t>(registers - 1)});
  body(m);
  m.ReturnVoid();
}

AppComponents AppWith(const std::string& application) {
  AppComponents c;
  c.package = "com.example";
  c.application_class = application;
  return c;
}

TEST(CallGraphTest, ApplicationOnCreateToSdkToGetDeviceIdIsStartupAndLikely) {
  DexBuilder b;
  AddSdk(&b);
  AddAppClass(&b, [](testing::MethodBuilder& m) {
    m.InvokeStatic("Lcom/sdk/Sdk;->init(Landroid/content/Context;)V", {2});
  });
  BuiltApp app;
  ASSERT_NO_FATAL_FAILURE(AddDex(b, "classes.dex", &app));
  Result<CodeAnalysis> a = RunAnalysis(app, AppWith("com.example.App"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->sensitive_calls.size(), 1u);
  const SensitiveCall& s = a->sensitive_calls[0];
  std::cout << "chain:\n" << ChainString(s) << "\n";
  EXPECT_EQ(s.api, kGetDeviceId);
  EXPECT_EQ(s.caller, "Lcom/sdk/Sdk;->init(Landroid/content/Context;)V");
  EXPECT_EQ(s.caller_class, "Lcom/sdk/Sdk;");
  EXPECT_EQ(s.dex_file, "classes.dex");
  EXPECT_EQ(s.pi, std::vector<std::string>{"imei"});
  EXPECT_TRUE(s.startup_reachable);
  EXPECT_TRUE(s.reachable);
  EXPECT_EQ(s.before_consent, BeforeConsent::kLikely);
  ASSERT_EQ(s.chain.size(), 2u);
  EXPECT_EQ(s.chain[0].method, "Lcom/example/App;->onCreate()V");
  EXPECT_EQ(s.chain[0].via, "entry");
  EXPECT_EQ(s.chain[1].method, "Lcom/sdk/Sdk;->init(Landroid/content/Context;)V");
  EXPECT_EQ(s.chain[1].via, "invoke");
  // Code units before the getDeviceId invoke: const-string 2, invoke-virtual 3,
  // move-result-object 1, check-cast 2.
  EXPECT_EQ(s.dex_pc, 8u);
  EXPECT_GT(s.file_offset, 0u);
  EXPECT_EQ(a->dex.size(), 1u);
  EXPECT_EQ(a->dex[0].classes, 2u);
  EXPECT_EQ(a->dex[0].methods_defined, 3u);
  EXPECT_FALSE(a->consent_gate.found);
  EXPECT_FALSE(a->consent_gate.note.empty());
  // Start-up set: <init> and onCreate of the Application subclass.
  EXPECT_NE(std::find(a->startup_methods.begin(), a->startup_methods.end(),
                      "Lcom/example/App;->onCreate()V"),
            a->startup_methods.end());
  EXPECT_NE(std::find(a->startup_methods.begin(), a->startup_methods.end(),
                      "Lcom/example/App;-><init>()V"),
            a->startup_methods.end());
}

TEST(CallGraphTest, ContentProviderOnCreateIsStartup) {
  DexBuilder b;
  AddSdk(&b);
  auto& p = b.AddClass("Lcom/sdk/InitProvider;", "Landroid/content/ContentProvider;");
  p.AddConstructor("()V", 1)
      .InvokeDirect("Landroid/content/ContentProvider;-><init>()V", {0})
      .ReturnVoid();
  p.AddMethod("onCreate", "()Z", kAccPublic, 2)
      .InvokeVirtual("Lcom/sdk/InitProvider;->getContext()Landroid/content/Context;", {1})
      .MoveResultObject(0)
      .InvokeStatic("Lcom/sdk/Sdk;->init(Landroid/content/Context;)V", {0})
      .Const4(0, 1)
      .Return(0);
  BuiltApp app;
  ASSERT_NO_FATAL_FAILURE(AddDex(b, "classes.dex", &app));
  AppComponents c;
  c.components.push_back({ComponentType::kProvider, "com.sdk.InitProvider", std::nullopt, true});
  Result<CodeAnalysis> a = RunAnalysis(app, c);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  const SensitiveCall* s = FindCall(*a, kGetDeviceId);
  ASSERT_NE(s, nullptr);
  std::cout << "chain:\n" << ChainString(*s) << "\n";
  EXPECT_TRUE(s->startup_reachable);
  EXPECT_EQ(s->before_consent, BeforeConsent::kLikely);
  ASSERT_EQ(s->chain.size(), 2u);
  EXPECT_EQ(s->chain[0].method, "Lcom/sdk/InitProvider;->onCreate()Z");
  bool provider_entry = false;
  for (const EntryPoint& e : a->entry_points) {
    provider_entry = provider_entry || (e.kind == "provider" && e.startup &&
                                        e.method == "Lcom/sdk/InitProvider;->onCreate()Z");
  }
  EXPECT_TRUE(provider_entry);
}

// Worker extends Thread; App.onCreate does new Worker().start(); Worker.run calls the SDK.
TEST(CallGraphTest, ThreadStartReachesRun) {
  DexBuilder b;
  AddSdk(&b);
  auto& w = b.AddClass("Lcom/example/Worker;", "Ljava/lang/Thread;");
  w.AddConstructor("()V", 1).InvokeDirect("Ljava/lang/Thread;-><init>()V", {0}).ReturnVoid();
  w.AddMethod("run", "()V", kAccPublic, 2)
      .InvokeStatic("Lcom/sdk/Sdk;->init(Landroid/content/Context;)V", {0})
      .ReturnVoid();
  AddAppClass(&b, [](testing::MethodBuilder& m) {
    m.NewInstance(0, "Lcom/example/Worker;")
        .InvokeDirect("Lcom/example/Worker;-><init>()V", {0})
        .InvokeVirtual("Lcom/example/Worker;->start()V", {0});
  });
  BuiltApp app;
  ASSERT_NO_FATAL_FAILURE(AddDex(b, "classes.dex", &app));
  Result<CodeAnalysis> a = RunAnalysis(app, AppWith("com.example.App"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  const SensitiveCall* s = FindCall(*a, kGetDeviceId);
  ASSERT_NE(s, nullptr);
  std::cout << "chain:\n" << ChainString(*s) << "\n";
  EXPECT_EQ(s->before_consent, BeforeConsent::kLikely);
  ASSERT_EQ(s->chain.size(), 3u);
  EXPECT_EQ(s->chain[1].method, "Lcom/example/Worker;->run()V");
  EXPECT_EQ(s->chain[1].via, "thread");
  EXPECT_GE(a->call_graph.implicit_edges, 1u);
}

// A Runnable handed to new Thread(r).start() and a Runnable posted to a Handler.
TEST(CallGraphTest, RunnablePassedToThreadAndHandlerPost) {
  for (const bool handler : {false, true}) {
    SCOPED_TRACE(handler ? "Handler.post" : "new Thread(r).start()");
    DexBuilder b;
    AddSdk(&b);
    auto& t = b.AddClass("Lcom/example/Task;");
    t.AddInterface("Ljava/lang/Runnable;");
    t.AddConstructor("()V", 1).InvokeDirect("Ljava/lang/Object;-><init>()V", {0}).ReturnVoid();
    t.AddMethod("run", "()V", kAccPublic, 2)
        .InvokeStatic("Lcom/sdk/Sdk;->init(Landroid/content/Context;)V", {0})
        .ReturnVoid();
    AddAppClass(
        &b,
        [handler](testing::MethodBuilder& m) {
          m.NewInstance(0, "Lcom/example/Task;").InvokeDirect("Lcom/example/Task;-><init>()V", {0});
          if (handler) {
            m.NewInstance(1, "Landroid/os/Handler;")
                .InvokeDirect("Landroid/os/Handler;-><init>()V", {1})
                .InvokeVirtual("Landroid/os/Handler;->post(Ljava/lang/Runnable;)Z", {1, 0});
          } else {
            m.NewInstance(1, "Ljava/lang/Thread;")
                .InvokeDirect("Ljava/lang/Thread;-><init>(Ljava/lang/Runnable;)V", {1, 0})
                .InvokeVirtual("Ljava/lang/Thread;->start()V", {1});
          }
        },
        3);
    BuiltApp app;
    ASSERT_NO_FATAL_FAILURE(AddDex(b, "classes.dex", &app));
    Result<CodeAnalysis> a = RunAnalysis(app, AppWith("com.example.App"));
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    const SensitiveCall* s = FindCall(*a, kGetDeviceId);
    ASSERT_NE(s, nullptr);
    std::cout << "chain:\n" << ChainString(*s) << "\n";
    EXPECT_EQ(s->before_consent, BeforeConsent::kLikely);
    ASSERT_EQ(s->chain.size(), 3u);
    EXPECT_EQ(s->chain[1].method, "Lcom/example/Task;->run()V");
    EXPECT_EQ(s->chain[1].via, handler ? "handler" : "thread");
  }
}

// Base.collect() is abstract; Impl overrides it. A call through Base reaches Impl by CHA.
TEST(CallGraphTest, VirtualCallResolvedByChaToOverride) {
  DexBuilder b;
  AddSdk(&b);
  auto& base = b.AddClass("Lcom/example/Base;", "Ljava/lang/Object;", kAccPublic | kAccAbstract);
  base.AddConstructor("()V", 1).InvokeDirect("Ljava/lang/Object;-><init>()V", {0}).ReturnVoid();
  base.AddMethod("collect", "()V", kAccPublic | kAccAbstract, 1);
  auto& impl = b.AddClass("Lcom/example/Impl;", "Lcom/example/Base;");
  impl.AddConstructor("()V", 1).InvokeDirect("Lcom/example/Base;-><init>()V", {0}).ReturnVoid();
  impl.AddMethod("collect", "()V", kAccPublic, 2)
      .InvokeStatic("Lcom/sdk/Sdk;->init(Landroid/content/Context;)V", {0})
      .ReturnVoid();
  auto& factory = b.AddClass("Lcom/example/Factory;");
  factory.AddMethod("make", "()Lcom/example/Base;", kAccPublic | kAccStatic, 1)
      .NewInstance(0, "Lcom/example/Impl;")
      .InvokeDirect("Lcom/example/Impl;-><init>()V", {0})
      .ReturnObject(0);
  AddAppClass(&b, [](testing::MethodBuilder& m) {
    m.InvokeStatic("Lcom/example/Factory;->make()Lcom/example/Base;", {})
        .MoveResultObject(0)
        .InvokeVirtual("Lcom/example/Base;->collect()V", {0});
  });
  BuiltApp app;
  ASSERT_NO_FATAL_FAILURE(AddDex(b, "classes.dex", &app));
  Result<CodeAnalysis> a = RunAnalysis(app, AppWith("com.example.App"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  const SensitiveCall* s = FindCall(*a, kGetDeviceId);
  ASSERT_NE(s, nullptr);
  std::cout << "chain:\n" << ChainString(*s) << "\n";
  ASSERT_EQ(s->chain.size(), 3u);
  EXPECT_EQ(s->chain[1].method, "Lcom/example/Impl;->collect()V");
  EXPECT_EQ(s->chain[1].via, "cha");
  EXPECT_GE(a->call_graph.cha_edges, 1u);
}

// Reading a static field of Config runs Config.<clinit>, which reads the IMEI.
TEST(CallGraphTest, StaticFieldAccessTriggersClinit) {
  DexBuilder b;
  AddSdk(&b);
  auto& cfg = b.AddClass("Lcom/example/Config;");
  cfg.AddField("NAME", "Ljava/lang/String;", kAccPublic | kAccStatic);
  cfg.AddStaticInitializer(1)
      .InvokeStatic("Lcom/sdk/Sdk;->init(Landroid/content/Context;)V", {0})
      .ReturnVoid();
  AddAppClass(&b, [](testing::MethodBuilder& m) {
    m.SgetObject(0, "Lcom/example/Config;->NAME:Ljava/lang/String;");
  });
  BuiltApp app;
  ASSERT_NO_FATAL_FAILURE(AddDex(b, "classes.dex", &app));
  Result<CodeAnalysis> a = RunAnalysis(app, AppWith("com.example.App"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  const SensitiveCall* s = FindCall(*a, kGetDeviceId);
  ASSERT_NE(s, nullptr);
  std::cout << "chain:\n" << ChainString(*s) << "\n";
  ASSERT_EQ(s->chain.size(), 3u);
  EXPECT_EQ(s->chain[1].method, "Lcom/example/Config;-><clinit>()V");
  EXPECT_EQ(s->chain[1].via, "clinit");
  EXPECT_EQ(s->before_consent, BeforeConsent::kLikely);
}

// Settings.Secure.getString counts only with "android_id"; Build.SERIAL is a field read.
TEST(CallGraphTest, ConstArgAndFieldReadMatches) {
  DexBuilder b;
  auto& c = b.AddClass("Lcom/example/Ids;");
  c.AddMethod("read", "(Landroid/content/ContentResolver;)V", kAccPublic | kAccStatic, 3)
      .ConstString(0, "android_id")
      .InvokeStatic(kGetString, {2, 0})
      .MoveResultObject(1)
      .ConstString(0, "bluetooth_name")
      .InvokeStatic(kGetString, {2, 0})
      .MoveResultObject(1)
      .SgetObject(1, kSerial)
      .ReturnVoid();
  BuiltApp app;
  ASSERT_NO_FATAL_FAILURE(AddDex(b, "classes.dex", &app));
  Result<CodeAnalysis> a = RunAnalysis(app, AppComponents());
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->sensitive_calls.size(), 2u);
  EXPECT_EQ(a->sensitive_calls[0].api, kGetString);
  EXPECT_EQ(a->sensitive_calls[0].match, MatchKind::kConstArg);
  EXPECT_EQ(a->sensitive_calls[0].dex_pc, 2u);
  EXPECT_EQ(a->sensitive_calls[1].api, kSerial);
  EXPECT_EQ(a->sensitive_calls[1].match, MatchKind::kFieldRead);
  // Nothing calls Ids.read: reachable from no entry point, verdict unknown.
  EXPECT_FALSE(a->sensitive_calls[0].reachable);
  EXPECT_EQ(a->sensitive_calls[0].before_consent, BeforeConsent::kUnknown);
}

// ContentResolver.query in a method holding a contacts URI constant; a reflective
// Class.forName("android.telephony.TelephonyManager").getMethod("getDeviceId").
TEST(CallGraphTest, ContentUriAndReflectionMatches) {
  DexBuilder b;
  auto& c = b.AddClass("Lcom/example/Reader;");
  c.AddMethod("contacts", "(Landroid/content/ContentResolver;)V", kAccPublic | kAccStatic, 8)
      .ConstString(0, "content://com.android.contacts/data/phones")
      .InvokeStatic("Landroid/net/Uri;->parse(Ljava/lang/String;)Landroid/net/Uri;", {0})
      .MoveResultObject(1)
      .Const4(2, 0)
      .InvokeVirtualRange(
          "Landroid/content/ContentResolver;->query(Landroid/net/Uri;"
          "[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;"
          "Ljava/lang/String;)Landroid/database/Cursor;",
          2, 6)
      .ReturnVoid();
  c.AddMethod("imei", "()V", kAccPublic | kAccStatic, 4)
      .ConstString(0, "android.telephony.TelephonyManager")
      .InvokeStatic("Ljava/lang/Class;->forName(Ljava/lang/String;)Ljava/lang/Class;", {0})
      .MoveResultObject(0)
      .ConstString(1, "getDeviceId")
      .Const4(2, 0)
      .InvokeVirtual(
          "Ljava/lang/Class;->getMethod(Ljava/lang/String;[Ljava/lang/Class;)"
          "Ljava/lang/reflect/Method;",
          {0, 1, 2})
      .MoveResultObject(3)
      .ReturnVoid();
  BuiltApp app;
  ASSERT_NO_FATAL_FAILURE(AddDex(b, "classes.dex", &app));
  Result<CodeAnalysis> a = RunAnalysis(app, AppComponents());
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  const SensitiveCall* uri = FindCall(*a, "content://com.android.contacts");
  ASSERT_NE(uri, nullptr);
  EXPECT_EQ(uri->match, MatchKind::kContentUri);
  EXPECT_EQ(uri->pi, std::vector<std::string>{"contacts"});
  EXPECT_EQ(uri->caller, "Lcom/example/Reader;->contacts(Landroid/content/ContentResolver;)V");
  const SensitiveCall* refl = FindCall(*a, kGetDeviceId);
  ASSERT_NE(refl, nullptr);
  EXPECT_EQ(refl->match, MatchKind::kReflection);
  EXPECT_EQ(refl->caller, "Lcom/example/Reader;->imei()V");
}

// The same class in classes.dex and classes2.dex: the first definition wins, with a diagnostic.
TEST(CallGraphTest, DuplicateClassFirstDefinitionWins) {
  DexBuilder b1;
  AddSdk(&b1);
  DexBuilder b2;
  auto& dup = b2.AddClass("Lcom/sdk/Sdk;");
  dup.AddMethod("init", "(Landroid/content/Context;)V", kAccPublic | kAccStatic, 1).ReturnVoid();
  BuiltApp app;
  ASSERT_NO_FATAL_FAILURE(AddDex(b1, "classes.dex", &app));
  ASSERT_NO_FATAL_FAILURE(AddDex(b2, "classes2.dex", &app));
  Diagnostics diags;
  Result<CodeAnalysis> a = RunAnalysis(app, AppComponents(), {}, &diags);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->dex.size(), 2u);
  EXPECT_EQ(a->dex[1].classes_shadowed, 1u);
  bool dup_diag = false;
  for (const Diagnostic& d : diags.items())
    dup_diag = dup_diag || d.code == "analysis.duplicate_class";
  EXPECT_TRUE(dup_diag);
  // The call site comes from the winning definition in classes.dex.
  ASSERT_EQ(a->sensitive_calls.size(), 1u);
  EXPECT_EQ(a->sensitive_calls[0].dex_file, "classes.dex");
}

// Multidex: the Application in classes.dex, its base class and the SDK in classes2.dex. The
// hierarchy and the call edges cross dex files; the call site names classes2.dex.
TEST(CallGraphTest, EdgesAndHierarchyCrossDexFiles) {
  DexBuilder b1;
  auto& appc = b1.AddClass("Lcom/example/App;", "Lcom/example/BaseApp;");
  appc.AddConstructor("()V", 1).InvokeDirect("Lcom/example/BaseApp;-><init>()V", {0}).ReturnVoid();
  DexBuilder b2;
  AddSdk(&b2);
  auto& base = b2.AddClass("Lcom/example/BaseApp;", "Landroid/app/Application;");
  base.AddConstructor("()V", 1)
      .InvokeDirect("Landroid/app/Application;-><init>()V", {0})
      .ReturnVoid();
  base.AddMethod("onCreate", "()V", kAccPublic, 1)
      .InvokeStatic("Lcom/sdk/Sdk;->init(Landroid/content/Context;)V", {0})
      .ReturnVoid();
  BuiltApp app;
  ASSERT_NO_FATAL_FAILURE(AddDex(b1, "classes.dex", &app));
  ASSERT_NO_FATAL_FAILURE(AddDex(b2, "classes2.dex", &app));
  Result<CodeAnalysis> a = RunAnalysis(app, AppWith("com.example.App"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  const SensitiveCall* s = FindCall(*a, kGetDeviceId);
  ASSERT_NE(s, nullptr);
  std::cout << "chain:\n" << ChainString(*s) << "\n";
  EXPECT_EQ(s->dex_file, "classes2.dex");
  EXPECT_EQ(s->before_consent, BeforeConsent::kLikely);
  ASSERT_EQ(s->chain.size(), 2u);
  // App.onCreate is inherited: the start-up entry is BaseApp.onCreate, resolved through App.
  EXPECT_EQ(s->chain[0].method, "Lcom/example/BaseApp;->onCreate()V");
  EXPECT_EQ(a->dex[0].classes + a->dex[1].classes, 3u);
}

TEST(CallGraphTest, EdgeLimitMakesGraphPartial) {
  DexBuilder b;
  AddSdk(&b);
  AddAppClass(&b, [](testing::MethodBuilder& m) {
    m.InvokeStatic("Lcom/sdk/Sdk;->init(Landroid/content/Context;)V", {2});
  });
  BuiltApp app;
  ASSERT_NO_FATAL_FAILURE(AddDex(b, "classes.dex", &app));
  Limits limits;
  limits.max_call_graph_edges = 1;
  AnalysisOptions o;
  Diagnostics diags;
  Result<CodeAnalysis> a = AnalyzeCode(app.inputs, AppWith("com.example.App"), {}, TestKb(),
                                       TestCatalog(), limits, o, &diags);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->call_graph.partial);
  EXPECT_TRUE(a->partial);
  EXPECT_LE(a->call_graph.edges, 1u);
}

TEST(AndroidFrameworkTest, DataFileLoadsAndBadEntriesNameTheLine) {
  Result<AndroidFramework> fw =
      AndroidFramework::Load(std::string(PIAUDIT_DATA_DIR) + "/android_framework.yaml");
  ASSERT_TRUE(fw.ok()) << fw.status().ToString();
  ASSERT_NE(fw->Find("Landroid/app/Application;"), nullptr);
  EXPECT_EQ(fw->Find("Landroid/app/Application;")->component, "application");
  ASSERT_NE(fw->RulesFor("Ljava/lang/Thread;->start"), nullptr);

  Result<AndroidFramework> bad = AndroidFramework::Parse(
      "version: 1\nsource: t\nclasses:\n  - class: Lx/Y;\n    super: Lx/Missing;\n    source: t\n",
      "t.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().ToString().find("t.yaml:4"), std::string::npos) << bad.status().ToString();
  Result<AndroidFramework> bad2 = AndroidFramework::Parse(
      "version: 1\nsource: t\nclasses:\n  - class: x.Y\n    source: t\n", "t.yaml");
  ASSERT_FALSE(bad2.ok());
  EXPECT_NE(bad2.status().ToString().find("not a type descriptor"), std::string::npos);
}

}  // namespace
}  // namespace piaudit::analysis::test
