// ApkLayout: primary dex numbering as ART loads it, native libs per ABI, assets and secondary
// code found by content whatever the name says.
#include "container/apk_layout.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "container/zip_builder.h"
#include "support/apk_fixture.h"

namespace piaudit::container {
namespace {

using piaudit::testing::BuildZip;
using piaudit::testing::ZipBuilderEntry;

const LayoutEntry* FindIn(const std::vector<LayoutEntry>& v, const std::string& name) {
  for (const auto& e : v)
    if (e.name == name) return &e;
  return nullptr;
}

TEST(ApkLayoutTest, ClassifiesPayloadsByContent) {
  const std::string dex = std::string("dex\n035\0", 8) + std::string(200, 'x');
  const std::string elf = std::string(
                              "\x7f"
                              "ELF\x02\x01\x01",
                              7) +
                          std::string(100, '\0');
  const std::string inner_zip =
      BuildZip({ZipBuilderEntry{.name = "classes.dex", .data = dex}}).bytes;
  auto z = BuildZip({
      ZipBuilderEntry{.name = "AndroidManifest.xml", .data = "axml"},
      ZipBuilderEntry{.name = "classes.dex", .data = dex},
      ZipBuilderEntry{.name = "classes2.dex", .data = dex},
      ZipBuilderEntry{.name = "classes4.dex", .data = dex},  // gap: ART stops at classes3
      ZipBuilderEntry{.name = "lib/arm64-v8a/libnative.so", .data = elf, .method = 0},
      ZipBuilderEntry{.name = "lib/armeabi-v7a/libnative.so", .data = elf},
      ZipBuilderEntry{.name = "assets/jiagu.png", .data = dex},  // a dex hiding as an image
      ZipBuilderEntry{.name = "assets/plugin.apk", .data = inner_zip, .method = 0},
      ZipBuilderEntry{.name = "assets/config.json", .data = "{\"k\":1}"},
      ZipBuilderEntry{.name = "res/raw/payload.dat", .data = elf},
      ZipBuilderEntry{.name = "res/drawable/icon.png", .data = "\x89PNG\r\n\x1a\n...."},
  });
  auto zip = ZipArchive::Open(ByteSpan(z.bytes), "t.apk", Limits(), nullptr);
  ASSERT_TRUE(zip.ok()) << zip.status().ToString();
  Diagnostics d;
  auto layout = ReadApkLayout(*zip, Limits(), &d);
  ASSERT_TRUE(layout.ok());
  EXPECT_EQ(layout->primary_dex, (std::vector<std::string>{"classes.dex", "classes2.dex"}));
  ASSERT_EQ(layout->native_libs.size(), 2u);
  EXPECT_EQ(layout->native_libs["arm64-v8a"],
            std::vector<std::string>{"lib/arm64-v8a/libnative.so"});
  ASSERT_NE(FindIn(layout->assets, "assets/config.json"), nullptr);
  EXPECT_EQ(FindIn(layout->assets, "assets/config.json")->type, FileType::kJson);
  ASSERT_NE(FindIn(layout->secondary_code, "assets/jiagu.png"), nullptr);
  EXPECT_EQ(FindIn(layout->secondary_code, "assets/jiagu.png")->type, FileType::kDex);
  ASSERT_NE(FindIn(layout->secondary_code, "assets/plugin.apk"), nullptr);
  EXPECT_EQ(FindIn(layout->secondary_code, "assets/plugin.apk")->type, FileType::kZip);
  ASSERT_NE(FindIn(layout->secondary_code, "classes4.dex"), nullptr);
  ASSERT_NE(FindIn(layout->secondary_code, "res/raw/payload.dat"), nullptr);
  EXPECT_EQ(FindIn(layout->secondary_code, "lib/arm64-v8a/libnative.so"), nullptr);
  EXPECT_EQ(FindIn(layout->secondary_code, "classes.dex"), nullptr);
  EXPECT_EQ(layout->unreadable_entries, 0u);
}

TEST(ApkLayoutTest, CorpusApksHavePrimaryDexAndListAssets) {
  auto apks = piaudit::testing::CorpusApks();
  if (apks.empty()) GTEST_SKIP() << "corpus not found at " << PIAUDIT_CORPUS_DIR;
  int with_dex = 0;
  for (const auto& path : apks) {
    auto bytes = piaudit::testing::ReadFile(path);
    ASSERT_TRUE(bytes.ok());
    auto zip = ZipArchive::Open(ByteSpan(*bytes), path, Limits(), nullptr);
    if (!zip.ok()) continue;
    auto layout = ReadApkLayout(*zip, Limits(), nullptr);
    ASSERT_TRUE(layout.ok());
    if (!layout->primary_dex.empty()) ++with_dex;
    size_t assets = std::count_if(zip->entries().begin(), zip->entries().end(), [](const auto& e) {
      return e.name.rfind("assets/", 0) == 0 && e.name.back() != '/';
    });
    EXPECT_EQ(layout->assets.size(), assets) << path;
    EXPECT_EQ(layout->unreadable_entries, 0u) << path;
  }
  EXPECT_GE(with_dex, 10);
}

}  // namespace
}  // namespace piaudit::container
