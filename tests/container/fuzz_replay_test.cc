// Replays generated inputs through the fuzz entry points (zip, signing block, PKCS#7, ELF, evidence
// record) so CI exercises them without libFuzzer: the corpus APKs, truncated and byte-flipped
// copies, the signing blocks of a freshly signed fixture, the JAR signature blocks and native
// libraries of the corpus, and the evidence record seeds (fuzz/evidence/corpus/) with their cuts
// and flips. Passing means no crash (run
// under the sanitizer build for memory errors) and no budget trap.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "container/zip_archive.h"
#include "container/zip_builder.h"
#include "support/apk_fixture.h"

extern "C" int ZipFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int SigningBlockFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int ElfFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int Pkcs7FuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int EvidenceJsonFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace piaudit::container {
namespace {

void Replay(int (*fn)(const uint8_t*, size_t), const std::string& s) {
  EXPECT_EQ(fn(reinterpret_cast<const uint8_t*>(s.data()), s.size()), 0);
}

TEST(FuzzReplayTest, GeneratedZips) {
  auto z = piaudit::testing::BuildZip(
      {piaudit::testing::ZipBuilderEntry{.name = "AndroidManifest.xml", .data = "abc"},
       piaudit::testing::ZipBuilderEntry{
           .name = "a", .data = std::string(3000, 'q'), .method = 0}});
  Replay(ZipFuzzerTestOneInput, "");
  for (size_t i = 0; i < z.bytes.size(); ++i) {
    Replay(ZipFuzzerTestOneInput, z.bytes.substr(0, i));
    std::string f = z.bytes;
    f[i] = static_cast<char>(f[i] ^ 0xff);
    Replay(ZipFuzzerTestOneInput, f);
  }
}

TEST(FuzzReplayTest, CorpusApksAndTheirSigningBlocksAndLibraries) {
  auto apks = piaudit::testing::CorpusApks();
  if (apks.empty()) GTEST_SKIP() << "corpus not found at " << PIAUDIT_CORPUS_DIR;
  int libs = 0, blocks = 0;
  for (const auto& path : apks) {
    auto bytes = piaudit::testing::ReadFile(path);
    ASSERT_TRUE(bytes.ok());
    Replay(ZipFuzzerTestOneInput, *bytes);
    auto zip = ZipArchive::Open(ByteSpan(*bytes), path, Limits(), nullptr);
    if (!zip.ok()) continue;
    // The signing block region as a "file" ending at the central directory.
    const uint64_t cd = zip->central_directory_offset();
    Replay(SigningBlockFuzzerTestOneInput, bytes->substr(0, cd));
    for (const auto& e : zip->entries()) {
      if (e.name.rfind("META-INF/", 0) == 0 && e.name.size() > 4 &&
          e.name.compare(e.name.size() - 4, 4, ".RSA") == 0) {
        auto block = zip->Read(e);
        if (!block.ok()) continue;
        const std::string b(block->bytes().AsStringView());
        Replay(Pkcs7FuzzerTestOneInput, b);
        for (size_t i = 0; i < b.size(); i += 7) {
          Replay(Pkcs7FuzzerTestOneInput, b.substr(0, i));
          std::string flipped = b;
          flipped[i] = static_cast<char>(flipped[i] ^ 0x80);
          Replay(Pkcs7FuzzerTestOneInput, flipped);
        }
        ++blocks;
        continue;
      }
      if (e.name.size() < 3 || e.name.compare(e.name.size() - 3, 3, ".so") != 0) continue;
      auto data = zip->Read(e);
      if (!data.ok()) continue;
      std::string so(data->bytes().AsStringView());
      Replay(ElfFuzzerTestOneInput, so);
      for (size_t cut : {size_t{16}, size_t{64}, so.size() / 2, so.size() - 1})
        Replay(ElfFuzzerTestOneInput, so.substr(0, std::min(cut, so.size())));
      ++libs;
    }
  }
  RecordProperty("native_libraries", libs);
  RecordProperty("signature_blocks", blocks);
  EXPECT_GT(blocks, 0);
}

TEST(FuzzReplayTest, ElfHeadersWithExtremeCounts) {
  std::string elf(
      "\x7f"
      "ELF\x02\x01\x01",
      7);
  elf.resize(64 + 56, '\0');
  for (uint16_t count : {0, 1, 0x7fff, 0xffff}) {
    std::string s = elf;
    piaudit::testing::SetU16(&s, 56, count);  // e_phnum
    piaudit::testing::SetU16(&s, 54, 56);     // e_phentsize
    piaudit::testing::SetU16(&s, 60, count);  // e_shnum
    Replay(ElfFuzzerTestOneInput, s);
  }
}

TEST(FuzzReplayTest, EvidenceRecordSeedsCutAndFlipped) {
  const std::filesystem::path dir =
      std::filesystem::path(PIAUDIT_SOURCE_DIR) / "fuzz/evidence/corpus";
  int seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    auto bytes = piaudit::testing::ReadFile(entry.path().string());
    ASSERT_TRUE(bytes.ok()) << entry.path();
    const std::string& s = *bytes;
    Replay(EvidenceJsonFuzzerTestOneInput, s);
    for (size_t i = 0; i < s.size(); i += 5) {
      Replay(EvidenceJsonFuzzerTestOneInput, s.substr(0, i));
      std::string flipped = s;
      flipped[i] = static_cast<char>(flipped[i] ^ 0x01);  // '0'<->'1', 'n'<->'o', ':'<->';', ...
      Replay(EvidenceJsonFuzzerTestOneInput, flipped);
    }
    ++seeds;
  }
  EXPECT_GE(seeds, 3);
}

}  // namespace
}  // namespace piaudit::container
