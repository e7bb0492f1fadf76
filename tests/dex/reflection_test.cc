// Tests for src/dex/reflection.cc: constant-name reflection pairs found in builder-made methods.
#include "dex/reflection.h"

#include <gtest/gtest.h>

#include "dex/class_data.h"
#include "dex/dex_test_util.h"
#include "dex/dex_walk.h"

namespace piaudit::dex {
namespace {

constexpr const char* kForName = "Ljava/lang/Class;->forName(Ljava/lang/String;)Ljava/lang/Class;";
constexpr const char* kGetMethod =
    "Ljava/lang/Class;->getMethod(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;";
constexpr const char* kGetDeclaredMethod =
    "Ljava/lang/Class;->getDeclaredMethod(Ljava/lang/String;[Ljava/lang/Class;)"
    "Ljava/lang/reflect/Method;";

// Scans every method of a builder-made dex; returns findings keyed by method name.
std::map<std::string, std::vector<ConstantReflection>> ScanAll(const testing::DexBuilder& b,
                                                               const std::string& name) {
  std::map<std::string, std::vector<ConstantReflection>> out;
  std::vector<uint8_t> bytes = BuildVerified(b, name);
  Result<DexFile> dex = DexFile::Open(ByteSpan(bytes.data(), bytes.size()), name, Limits());
  EXPECT_TRUE(dex.ok()) << dex.status().ToString();
  if (!dex.ok()) return out;
  ReflectionScanner scanner;
  Diagnostics diags;
  ForEachMethod(*dex, &diags, [&](const MethodView& view) {
    if (view.code == nullptr) return;
    std::vector<ConstantReflection> found;
    EXPECT_TRUE(scanner.Scan(*dex, *view.code, &found).ok());
    out[dex->GetString(dex->GetMethodId(view.method->method_idx).name)] = found;
  });
  return out;
}

TEST(ReflectionTest, FindsForNameThenGetMethod) {
  testing::DexBuilder b;
  auto& c = b.AddClass("Lcom/example/Spy;");
  c.AddMethod("direct", "()V", testing::kAccPublic | testing::kAccStatic, 5)
      .ConstString(0, "android.telephony.TelephonyManager")
      .InvokeStatic(kForName, {0})
      .MoveResultObject(1)
      .ConstString(2, "getDeviceId")
      .Const4(3, 0)
      .InvokeVirtual(kGetMethod, {1, 2, 3})
      .MoveResultObject(4)
      .ReturnVoid();
  c.AddMethod("constClass", "()V", testing::kAccPublic | testing::kAccStatic, 4)
      .ConstClass(0, "Landroid/net/wifi/WifiInfo;")
      .ConstString(1, "getMacAddress")
      .Const4(2, 0)
      .InvokeVirtual(kGetDeclaredMethod, {0, 1, 2})
      .ReturnVoid();
  c.AddMethod("overwritten", "()V", testing::kAccPublic | testing::kAccStatic, 4)
      .ConstString(0, "android.telephony.TelephonyManager")
      .InvokeStatic(kForName, {0})
      .MoveResultObject(1)
      .ConstString(2, "getDeviceId")
      .Const4(2, 0)  // the name register no longer holds a string
      .InvokeVirtual(kGetMethod, {1, 2, 2})
      .ReturnVoid();
  c.AddMethod("unknownClass", "(Ljava/lang/Class;)V", testing::kAccPublic | testing::kAccStatic, 3)
      .ConstString(0, "getImei")
      .Const4(1, 0)
      .InvokeVirtual(kGetMethod, {2, 0, 1})
      .ReturnVoid();
  auto found = ScanAll(b, "reflection");

  ASSERT_EQ(found["direct"].size(), 2u);  // forName alone, then the pair
  EXPECT_EQ(found["direct"][0].lookup, "forName");
  EXPECT_EQ(found["direct"][0].class_name, "android.telephony.TelephonyManager");
  EXPECT_TRUE(found["direct"][0].member_name.empty());
  EXPECT_EQ(found["direct"][1].lookup, "getMethod");
  EXPECT_EQ(found["direct"][1].class_name, "android.telephony.TelephonyManager");
  EXPECT_EQ(found["direct"][1].member_name, "getDeviceId");
  EXPECT_GT(found["direct"][1].dex_pc, found["direct"][0].dex_pc);

  ASSERT_EQ(found["constClass"].size(), 1u);
  EXPECT_EQ(found["constClass"][0].class_name, "Landroid/net/wifi/WifiInfo;");
  EXPECT_EQ(found["constClass"][0].member_name, "getMacAddress");
  EXPECT_EQ(found["constClass"][0].lookup, "getDeclaredMethod");

  ASSERT_EQ(found["overwritten"].size(), 1u);  // only the forName
  EXPECT_EQ(found["overwritten"][0].lookup, "forName");
  EXPECT_TRUE(found["unknownClass"].empty());
}

}  // namespace
}  // namespace piaudit::dex
