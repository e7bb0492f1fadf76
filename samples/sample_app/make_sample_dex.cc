// Writes the sample app's classes.dex with the test DEX builder (Debian has no smali or d8), and
// checks it with dexdump before the build packs it. The code breaks IM-3.1, IM-3.9, IM-4.6 and
// embeds a JPush-like SDK on purpose; see README.md beside this file.
#include <cstdio>
#include <string>

#include "support/dex_builder.h"

namespace {

using piaudit::testing::DexBuilder;
using piaudit::testing::kAccPublic;
using piaudit::testing::kAccStatic;

constexpr char kPkg[] = "Lcom/piaudit/sample/torch/";

std::string Cls(const char* name) { return std::string(kPkg) + name + ";"; }

void AddDefaultConstructor(piaudit::testing::ClassBuilder& c, const std::string& super) {
  c.AddConstructor("()V", 1).InvokeDirect(super + "-><init>()V", {0}).ReturnVoid();
}

void AddApplication(DexBuilder& b) {
  auto& app = b.AddClass(Cls("TorchApp"), "Landroid/app/Application;");
  AddDefaultConstructor(app, "Landroid/app/Application;");
  app.AddMethod("onCreate", "()V", kAccPublic, 1)
      .InvokeSuper("Landroid/app/Application;->onCreate()V", {0})
      .InvokeStatic("Lcn/jpush/android/api/JPushInterface;->init(Landroid/content/Context;)V", {0})
      .ReturnVoid();
}

void AddPushSdk(DexBuilder& b) {
  auto& sdk = b.AddClass("Lcn/jpush/android/api/JPushInterface;");
  AddDefaultConstructor(sdk, "Ljava/lang/Object;");
  sdk.AddMethod("init", "(Landroid/content/Context;)V", kAccPublic | kAccStatic, 3)
      .ConstString(0, "phone")
      .InvokeVirtual(
          "Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;",
          {2, 0})
      .MoveResultObject(0)
      .CheckCast(0, "Landroid/telephony/TelephonyManager;")
      .InvokeVirtual("Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;", {0})
      .MoveResultObject(0)
      .ConstString(1, "https://stats.jpush.cn/v3/report")
      .InvokeStatic(
          "Lcn/jpush/android/api/JPushInterface;->report(Ljava/lang/String;Ljava/lang/String;)V",
          {1, 0})
      .ReturnVoid();
  sdk.AddMethod("report", "(Ljava/lang/String;Ljava/lang/String;)V", kAccPublic | kAccStatic, 2)
      .ReturnVoid();
  auto& service = b.AddClass("Lcn/jpush/android/service/PushService;", "Landroid/app/Service;");
  AddDefaultConstructor(service, "Landroid/app/Service;");
  service.AddMethod("onBind", "(Landroid/content/Intent;)Landroid/os/IBinder;", kAccPublic, 3)
      .Const4(0, 0)
      .ReturnObject(0);
}

void AddInitProvider(DexBuilder& b) {
  auto& p = b.AddClass(Cls("InitProvider"), "Landroid/content/ContentProvider;");
  AddDefaultConstructor(p, "Landroid/content/ContentProvider;");
  p.AddMethod("onCreate", "()Z", kAccPublic, 3)
      .InvokeVirtual("Landroid/content/ContentProvider;->getContext()Landroid/content/Context;",
                     {2})
      .MoveResultObject(0)
      .InvokeVirtual(
          "Landroid/content/Context;->getPackageManager()Landroid/content/pm/PackageManager;", {0})
      .MoveResultObject(0)
      .Const4(1, 0)
      .InvokeVirtual("Landroid/content/pm/PackageManager;->getInstalledPackages(I)Ljava/util/List;",
                     {0, 1})
      .Const4(0, 1)
      .Return(0);
}

void AddMainActivity(DexBuilder& b) {
  const std::string perms = Cls("Perms");
  auto& helper = b.AddClass(perms);
  AddDefaultConstructor(helper, "Ljava/lang/Object;");
  helper.AddMethod("add", "(Ljava/lang/String;)V", kAccPublic | kAccStatic, 1).ReturnVoid();
  helper.AddMethod("all", "()[Ljava/lang/String;", kAccPublic | kAccStatic, 1)
      .Const4(0, 0)
      .ReturnObject(0);

  auto& a = b.AddClass(Cls("MainActivity"), "Landroid/app/Activity;");
  AddDefaultConstructor(a, "Landroid/app/Activity;");
  auto& m = a.AddMethod("onCreate", "(Landroid/os/Bundle;)V", kAccPublic, 10);
  m.InvokeSuper("Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V", {8, 9});
  // Three dangerous permissions requested together as soon as the first screen opens (IM-4.6).
  for (const char* p :
       {"android.permission.READ_PHONE_STATE", "android.permission.ACCESS_FINE_LOCATION",
        "android.permission.READ_CONTACTS"}) {
    m.ConstString(0, p).InvokeStatic(perms + "->add(Ljava/lang/String;)V", {0});
  }
  m.InvokeStatic(perms + "->all()[Ljava/lang/String;", {})
      .MoveResultObject(1)
      .Const4(2, 1)
      .InvokeVirtual("Landroid/app/Activity;->requestPermissions([Ljava/lang/String;I)V", {8, 1, 2})
      // Reads the address book the policy says it never collects (IM-3.9).
      .ConstString(0, "content://com.android.contacts/contacts")
      .InvokeStatic("Landroid/net/Uri;->parse(Ljava/lang/String;)Landroid/net/Uri;", {0})
      .MoveResultObject(3)
      .InvokeVirtual(
          "Landroid/app/Activity;->getContentResolver()Landroid/content/ContentResolver;", {8})
      .MoveResultObject(2)
      .Const4(4, 0)
      .Const4(5, 0)
      .Const4(6, 0)
      .Const4(7, 0)
      .InvokeVirtualRange(
          "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;"
          "Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;",
          2, 6)
      .ReturnVoid();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_sample_dex OUT.dex\n");
    return 2;
  }
  DexBuilder b;
  AddApplication(b);
  AddPushSdk(b);
  AddInitProvider(b);
  AddMainActivity(b);
  auto written = piaudit::testing::WriteAndVerifyDex(b, argv[1]);
  if (!written.ok()) {
    std::fprintf(stderr, "make_sample_dex: %s\n", written.status().ToString().c_str());
    return 1;
  }
  return 0;
}
