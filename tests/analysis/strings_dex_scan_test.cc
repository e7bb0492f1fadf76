// Tests for the dex string/class scan (src/analysis/strings_dex_scan.h) on dex files built by the
// test DexBuilder (checked by dexdump first).
#include "analysis/strings_dex_scan.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/strings_urls.h"
#include "support/dex_builder.h"

namespace piaudit::analysis {
namespace {

using testing::DexBuilder;
using testing::kAccPublic;
using testing::kAccStatic;

TEST(DexScanTest, RecordsClassesCountsAndFirstConstStringSite) {
  DexBuilder b;
  auto& sdk = b.AddClass("Lcn/jpush/android/Core;");
  sdk.AddMethod("report", "()V", kAccPublic | kAccStatic, 1)
      .ConstString(0, "https://stats.jpush.cn/v1/report")
      .ConstString(0, "https://stats.jpush.cn/v1/report")
      .ReturnVoid();
  auto& app = b.AddClass("Lcom/example/Main;");
  app.AddMethod("go", "()V", kAccPublic | kAccStatic, 1)
      .ConstString(0, "api.example.com")
      .ConstString(0, "hello world")
      .ReturnVoid();
  b.AddString("https://unused.example.org/privacy");
  std::string path = ::testing::TempDir() + "/dex_scan_test.dex";
  Result<std::vector<uint8_t>> bytes = testing::WriteAndVerifyDex(b, path);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  Result<dex::DexFile> dex =
      dex::DexFile::Open(ByteSpan(bytes->data(), bytes->size()), "classes.dex", Limits());
  ASSERT_TRUE(dex.ok()) << dex.status().ToString();

  Diagnostics diags;
  DexScan scan = ScanDex(
      *dex,
      [](std::string_view s) {
        return s.find("://") != std::string_view::npos || LooksLikeBareHost(s);
      },
      &diags);
  EXPECT_EQ(scan.name, "classes.dex");
  EXPECT_EQ(scan.classes, 2u);
  EXPECT_EQ(scan.methods, 2u);
  EXPECT_EQ(scan.method_ids, dex->num_methods());
  EXPECT_EQ(scan.class_names.size(), 2u);
  EXPECT_GT(scan.instructions, 4u);
  EXPECT_TRUE(diags.items().empty());

  ASSERT_EQ(scan.strings.size(), 3u);
  for (const DexStringUse& u : scan.strings) {
    if (u.text == "https://stats.jpush.cn/v1/report") {
      EXPECT_EQ(u.sites, 2u);
      EXPECT_EQ(u.first_class, "Lcn/jpush/android/Core;");
      EXPECT_EQ(u.first_method, "Lcn/jpush/android/Core;->report()V");
    } else if (u.text == "api.example.com") {
      EXPECT_EQ(u.sites, 1u);
      EXPECT_EQ(u.first_class, "Lcom/example/Main;");
    } else {
      EXPECT_EQ(u.text, "https://unused.example.org/privacy");
      EXPECT_EQ(u.sites, 0u);
      EXPECT_TRUE(u.first_class.empty());
    }
  }
}

}  // namespace
}  // namespace piaudit::analysis
