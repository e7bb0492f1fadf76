// Runtime permission requests (IM-4.6): the request call, its caller, and the permission
// constants loaded in the same method; other methods' constants do not leak in.
#include "analysis/permission_requests.h"

#include <gtest/gtest.h>

#include "analysis_test_util.h"
#include "dex/dex_file.h"
#include "support/apk_fixture.h"
#include "support/dex_builder.h"

namespace piaudit::analysis {
namespace {

using testing::DexBuilder;
using testing::kAccPublic;
using testing::kAccStatic;

TEST(PermissionRequestsTest, FindsRequestsWithTheirPermissionConstants) {
  DexBuilder b;
  auto& main = b.AddClass("Lcom/example/Main;", "Landroid/app/Activity;");
  main.AddMethod("onCreate", "(Landroid/os/Bundle;)V", kAccPublic, 4)
      .ConstString(0, "android.permission.CAMERA")
      .ConstString(0, "android.permission.READ_CONTACTS")
      .ConstString(0, "android.permission.CAMERA")  // repeated: listed once
      .Const4(1, 0)
      .Const4(0, 1)
      .InvokeVirtual("Landroid/app/Activity;->requestPermissions([Ljava/lang/String;I)V", {2, 1, 0})
      .ReturnVoid();
  main.AddMethod("later", "()V", kAccPublic, 3)
      .Const4(0, 0)
      .Const4(1, 2)
      .InvokeStatic(
          "Landroidx/core/app/ActivityCompat;->requestPermissions("
          "Landroid/app/Activity;[Ljava/lang/String;I)V",
          {2, 0, 1})
      .ReturnVoid();
  // Not a request: a method of the same name on an unrelated class with another shape is still
  // reported (apps wrap the call), but a different name is not.
  main.AddMethod("noise", "()V", kAccPublic | kAccStatic, 1)
      .ConstString(0, "android.permission.RECORD_AUDIO")
      .InvokeStatic("Lcom/example/Log;->d(Ljava/lang/String;)V", {0})
      .ReturnVoid();
  std::string dir = testing::MakeTempDir("perm-req");
  auto bytes = testing::WriteAndVerifyDex(b, dir + "/classes.dex");
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto dex = dex::DexFile::Open(ByteSpan(bytes->data(), bytes->size()), "classes.dex", Limits());
  ASSERT_TRUE(dex.ok()) << dex.status().ToString();
  Diagnostics diags;
  auto sites = FindPermissionRequests(*dex, test::TestKb().permission_requests(), &diags);
  ASSERT_EQ(sites.size(), 2u);
  const PermissionRequestSite* on_create = nullptr;
  const PermissionRequestSite* later = nullptr;
  for (const auto& s : sites) {
    if (s.caller.find("->onCreate(") != std::string::npos) on_create = &s;
    if (s.caller.find("->later(") != std::string::npos) later = &s;
  }
  ASSERT_NE(on_create, nullptr);
  ASSERT_NE(later, nullptr);
  EXPECT_EQ(on_create->permissions, (std::vector<std::string>{"android.permission.CAMERA",
                                                              "android.permission.READ_CONTACTS"}));
  EXPECT_EQ(on_create->caller_class, "Lcom/example/Main;");
  EXPECT_TRUE(later->permissions.empty());
  EXPECT_NE(later->api.find("ActivityCompat"), std::string::npos);
  // The offset points at the invoke instruction inside the file.
  EXPECT_LT(on_create->file_offset, bytes->size());
  EXPECT_EQ((*bytes)[on_create->file_offset], 0x6e);  // invoke-virtual
}

}  // namespace
}  // namespace piaudit::analysis
