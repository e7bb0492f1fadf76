// Replays the shared corpus through the same calls as the fuzzers (so CI exercises them without a
// fuzzing compiler): every compiled XML resource of every APK parses, and a bounded sample of
// them prints exactly as `aapt dump xmltree`; every resources.arsc loads and resolves the first
// entries of each type. Skips when the corpus is absent.
#include <gtest/gtest.h>

#include <string>

#include "android/arsc.h"
#include "android/axml.h"
#include "base/mapped_file.h"
#include "container/zip_archive.h"
#include "support/apk_fixture.h"

namespace piaudit::android {
namespace {

using piaudit::testing::CorpusApks;
using piaudit::testing::RunCommand;
using piaudit::testing::ShellQuote;

bool IsBinaryXml(ByteSpan b) { return b.size() >= 8 && b[0] == 0x03 && b[1] == 0x00; }

TEST(CorpusXmlTest, EveryCompiledXmlParsesAndSampleMatchesAapt) {
  if (CorpusApks().empty()) GTEST_SKIP() << "corpus not found at " << PIAUDIT_CORPUS_DIR;
  const bool have_aapt = RunCommand("aapt version").exit_code == 0;
  Limits limits;
  int parsed = 0, compared = 0;
  for (const std::string& apk : CorpusApks()) {
    auto file = MappedFile::Open(apk, limits.max_archive_bytes);
    ASSERT_TRUE(file.ok());
    Diagnostics diag;
    auto zip = container::ZipArchive::Open((*file)->bytes(), apk, limits, &diag);
    ASSERT_TRUE(zip.ok()) << zip.status().ToString();
    int sampled = 0;
    for (const container::ZipEntry& e : zip->entries()) {
      if (!e.name.ends_with(".xml")) continue;
      auto data = zip->Read(e);
      ASSERT_TRUE(data.ok()) << apk << "!" << e.name;
      if (!IsBinaryXml(data->bytes())) continue;
      auto doc = ParseAxml(data->bytes(), limits, &diag, e.name);
      ASSERT_TRUE(doc.ok()) << apk << "!" << e.name << ": " << doc.status().ToString();
      ++parsed;
      if (have_aapt && e.name.starts_with("res/") && sampled < 3) {
        ++sampled;
        auto ref = RunCommand("aapt dump xmltree " + ShellQuote(apk) + " " + ShellQuote(e.name) +
                              " 2>/dev/null");
        if (ref.exit_code != 0) continue;
        EXPECT_EQ(FormatXmlTree(*doc), ref.out) << apk << "!" << e.name;
        ++compared;
      }
    }
    if (const container::ZipEntry* a = zip->Find("resources.arsc")) {
      auto data = zip->Read(*a);
      ASSERT_TRUE(data.ok());
      auto table = ResourceTable::Parse(data->bytes(), limits, &diag);
      ASSERT_TRUE(table.ok()) << apk << ": " << table.status().ToString();
      for (const ResPackage& p : table->packages()) {
        for (uint32_t type = 1; type <= 16; ++type) {
          for (uint32_t entry = 0; entry < 8; ++entry) {
            uint32_t id = (p.id << 24) | (type << 16) | entry;
            auto values = table->Resolve(id);
            EXPECT_TRUE(values.ok()) << apk << " 0x" << std::hex << id;
            if (values.ok() && !values->empty()) {
              EXPECT_TRUE(table->ResourceName(id).has_value()) << apk << " 0x" << std::hex << id;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(parsed, 20);
  if (have_aapt) {
    EXPECT_GT(compared, 5);
  }
}

}  // namespace
}  // namespace piaudit::android
