// Helpers shared by the dex tests: a sample app described with the DexBuilder, and building it
// through dexdump (every dex a test reads was first accepted by dexdump).
#ifndef PIAUDIT_TESTS_DEX_DEX_TEST_UTIL_H_
#define PIAUDIT_TESTS_DEX_DEX_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/dex_builder.h"

namespace piaudit::dex {

// Builds `b`, writes it under the test temp dir, checks it with dexdump. On failure records a
// test failure and returns an empty vector.
inline std::vector<uint8_t> BuildVerified(const testing::DexBuilder& b, const std::string& name) {
  const std::string path = ::testing::TempDir() + "/" + name + ".dex";
  Result<std::vector<uint8_t>> r = testing::WriteAndVerifyDex(b, path);
  if (!r.ok()) {
    ADD_FAILURE() << r.status().ToString();
    return {};
  }
  return std::move(r).value();
}

// Strings with the MUTF-8 traps: embedded NUL, BMP CJK, a supplementary-plane emoji.
inline std::string TrickyString() { return std::string("nul\0 \xe4\xb8\xad \xf0\x9f\x98\x80", 14); }

// A small app touching every builder feature: inheritance, interfaces, fields, all invoke kinds
// and their ranges, field access, const-string, new-instance, branches.
inline testing::DexBuilder SampleApp() {
  using namespace testing;  // NOLINT: builder constants
  DexBuilder b;
  ClassBuilder& base =
      b.AddClass("Lcom/example/Base;", "Ljava/lang/Object;", kAccPublic | kAccAbstract);
  base.AddConstructor("()V", 1).InvokeDirect("Ljava/lang/Object;-><init>()V", {0}).ReturnVoid();
  base.AddMethod("work", "(I)V", kAccPublic | kAccAbstract, 0);
  base.SetSourceFile("Base.java");

  ClassBuilder& app = b.AddClass("Lcom/example/App;", "Lcom/example/Base;", kAccPublic);
  app.AddInterface("Ljava/lang/Runnable;").SetSourceFile("App.java");
  app.AddField("counter", "I", kAccPrivate)
      .AddField("name", "Ljava/lang/String;", kAccPrivate)
      .AddField("TAG", "Ljava/lang/String;", kAccPublic | kAccStatic | kAccFinal);
  app.AddStaticInitializer(1)
      .ConstString(0, "App")
      .SputObject(0, "Lcom/example/App;->TAG:Ljava/lang/String;")
      .ReturnVoid();
  app.AddConstructor("()V", 1).InvokeDirect("Lcom/example/Base;-><init>()V", {0}).ReturnVoid();
  app.AddMethod("work", "(I)V", kAccPublic, 4)
      .Iput(3, 2, "Lcom/example/App;->counter:I")
      .Iget(0, 2, "Lcom/example/App;->counter:I")
      .InvokeSuper("Lcom/example/Base;->toString()Ljava/lang/String;", {2})
      .MoveResultObject(1)
      .IputObject(1, 2, "Lcom/example/App;->name:Ljava/lang/String;")
      .ReturnVoid();
  app.AddMethod("run", "()V", kAccPublic, 8)
      .SgetObject(0, "Landroid/os/Build;->SERIAL:Ljava/lang/String;")
      .IfEqz(0, "skip")
      .ConstString(1, TrickyString())
      .InvokeStatic("Landroid/util/Log;->i(Ljava/lang/String;Ljava/lang/String;)I", {0, 1})
      .MoveResult(2)
      .Label("skip")
      .NewInstance(3, "Ljava/lang/StringBuilder;")
      .InvokeDirect("Ljava/lang/StringBuilder;-><init>()V", {3})
      .InvokeVirtual("Ljava/lang/StringBuilder;->toString()Ljava/lang/String;", {3})
      .MoveResultObject(4)
      .CheckCast(4, "Ljava/lang/CharSequence;")
      .InvokeInterface("Ljava/lang/CharSequence;->length()I", {4})
      .InvokeVirtual("Lcom/example/App;->work(I)V", {7, 2})
      .InvokeStaticRange("Lcom/example/App;->helper(IIIIII)V", 0, 6)
      .InvokeVirtualRange("Lcom/example/App;->work(I)V", 6, 2)
      .InvokeDirectRange("Lcom/example/App;->secret()V", 7, 1)
      .InvokeInterfaceRange("Ljava/lang/Runnable;->run()V", 7, 1)
      .InvokeSuperRange("Lcom/example/Base;->hashCode()I", 7, 1)
      .ConstStringJumbo(5, "jumbo")
      .Goto("end")
      .Label("end")
      .ReturnVoid();
  app.AddMethod("helper", "(IIIIII)V", kAccPublic | kAccStatic, 6).ReturnVoid();
  app.AddMethod("secret", "()V", kAccPrivate, 1).ReturnVoid();
  app.AddMethod("nativeThing", "(J)J", kAccPublic | kAccNative, 0);
  return b;
}

}  // namespace piaudit::dex

#endif  // PIAUDIT_TESTS_DEX_DEX_TEST_UTIL_H_
