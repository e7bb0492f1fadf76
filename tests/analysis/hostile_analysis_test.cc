// AnalyzeCode on damaged dex files: bytes flipped at random (seeded, reproducible) all over a
// valid synthetic app. DexFile::Open rejects some; for the rest the analysis must finish without
// crashing or looping (per-class errors become diagnostics), which ASan/UBSan builds check too.
// Also: ComponentsFromManifest on a hand-built manifest model.
#include <gtest/gtest.h>

#include <random>

#include "analysis_test_util.h"
#include "android/manifest.h"

namespace piaudit::analysis::test {
namespace {

using testing::DexBuilder;
using testing::kAccPublic;
using testing::kAccStatic;

TEST(HostileAnalysisTest, FlippedBytesNeverCrash) {
  DexBuilder b;
  auto& sdk = b.AddClass("Lcom/sdk/Sdk;");
  sdk.AddField("on", "Z", kAccPublic | kAccStatic);
  sdk.AddMethod("init", "(Landroid/content/Context;)V", kAccPublic | kAccStatic, 4)
      .ConstString(0, "phone")
      .InvokeVirtual(
          "Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;",
          {3, 0})
      .MoveResultObject(0)
      .CheckCast(0, "Landroid/telephony/TelephonyManager;")
      .InvokeVirtual(kGetDeviceId, {0})
      .Const4(1, 1)
      .Sput(1, "Lcom/sdk/Sdk;->on:Z")
      .Sget(1, "Lcom/sdk/Sdk;->on:Z")
      .IfEqz(1, "end")
      .NewInstance(2, "Ljava/lang/Thread;")
      .InvokeDirect("Ljava/lang/Thread;-><init>()V", {2})
      .InvokeVirtual("Ljava/lang/Thread;->start()V", {2})
      .Label("end")
      .ReturnVoid();
  auto& app = b.AddClass("Lcom/example/App;", "Landroid/app/Application;");
  app.AddMethod("onCreate", "()V", kAccPublic, 1)
      .InvokeStatic("Lcom/sdk/Sdk;->init(Landroid/content/Context;)V", {0})
      .ReturnVoid();
  BuiltApp good;
  ASSERT_NO_FATAL_FAILURE(AddDex(b, "classes.dex", &good));
  const std::vector<uint8_t> original = good.bytes[0];
  AppComponents comps;
  comps.application_class = "com.example.App";

  std::mt19937 rng(20261122);
  int analysed = 0;
  for (int iter = 0; iter < 400; ++iter) {
    std::vector<uint8_t> bytes = original;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < flips; ++k) {
      const size_t at = 0x70 + rng() % (bytes.size() - 0x70);  // keep the header's magic/sizes
      bytes[at] = static_cast<uint8_t>(rng());
    }
    Result<dex::DexFile> f =
        dex::DexFile::Open(ByteSpan(bytes.data(), bytes.size()), "classes.dex", Limits());
    if (!f.ok()) continue;
    std::vector<DexInput> inputs{{&*f}};
    AnalysisOptions o;
    Diagnostics diags;
    Result<CodeAnalysis> a =
        AnalyzeCode(inputs, comps, {}, TestKb(), TestCatalog(), Limits(), o, &diags);
    if (a.ok()) {
      ++analysed;
      for (const SensitiveCall& s : a->sensitive_calls) {
        EXPECT_LE(s.chain.size(), Limits().max_chain_length + 1u);
      }
    }
  }
  // Most single-byte damage lands in code or strings, which Open does not check: the analysis
  // must have run on many damaged files.
  EXPECT_GT(analysed, 100);
}

TEST(ComponentsFromManifestTest, MapsKindsAliasesAndInitOrder) {
  android::Manifest m;
  m.package = "com.example";
  m.application.class_name = "com.example.App";
  m.launcher_activity = "com.example.Launcher";
  android::Component act;
  act.kind = android::ComponentKind::kActivity;
  act.name = "com.example.Main";
  android::Component alias;
  alias.kind = android::ComponentKind::kActivityAlias;
  alias.name = "com.example.Launcher";
  alias.target_activity = "com.example.Main";
  android::Component prov;
  prov.kind = android::ComponentKind::kProvider;
  prov.name = "com.sdk.InitProvider";
  prov.init_order = 100;
  android::Component svc;
  svc.kind = android::ComponentKind::kService;
  svc.name = "com.sdk.PushService";
  m.components = {act, alias, prov, svc};
  const AppComponents c = ComponentsFromManifest(m);
  EXPECT_EQ(c.application_class, "com.example.App");
  EXPECT_EQ(c.launcher_activity, "com.example.Main");  // alias resolved to its target
  ASSERT_EQ(c.components.size(), 4u);
  EXPECT_EQ(c.components[1].type, ComponentType::kActivity);
  EXPECT_EQ(c.components[1].name, "com.example.Main");
  EXPECT_EQ(c.components[2].type, ComponentType::kProvider);
  EXPECT_EQ(c.components[2].init_order, 100);
  EXPECT_EQ(c.components[3].type, ComponentType::kService);
}

}  // namespace
}  // namespace piaudit::analysis::test
