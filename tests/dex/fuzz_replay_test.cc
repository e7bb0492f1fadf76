// Replays the dex fuzzer's entry point (fuzz/dex/dex_fuzzer.cc, compiled in) over inputs a normal
// test run can make: the builder's sample app, its truncations and byte flips, and the corpus
// dex files, so the fuzzer's code path runs in CI without a fuzzing compiler.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "dex/dex_test_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace piaudit::dex {
namespace {

TEST(DexFuzzReplayTest, BuilderDexAndMutations) {
  std::vector<uint8_t> good = BuildVerified(SampleApp(), "fuzz_replay");
  ASSERT_FALSE(good.empty());
  EXPECT_EQ(LLVMFuzzerTestOneInput(good.data(), good.size()), 0);
  for (size_t len = 0; len < good.size(); len += 7) {
    EXPECT_EQ(LLVMFuzzerTestOneInput(good.data(), len), 0);
  }
  for (size_t i = 0; i < good.size(); ++i) {
    std::vector<uint8_t> b = good;
    b[i] = static_cast<uint8_t>(b[i] + 0x41);
    EXPECT_EQ(LLVMFuzzerTestOneInput(b.data(), b.size()), 0);
  }
}

TEST(DexFuzzReplayTest, CorpusDexFiles) {
  namespace fs = std::filesystem;
  const fs::path apks = fs::path(PIAUDIT_CORPUS_DIR) / "apks";
  if (!fs::is_directory(apks)) GTEST_SKIP() << "corpus not found at " << apks;
  int replayed = 0;
  for (const char* name : {"com.politedroid_4", "cnzz-demo", "com.teleca.jamendo_35"}) {
    const fs::path apk = apks / (std::string(name) + ".apk");
    if (!fs::exists(apk)) continue;
    FILE* p = popen(("unzip -p '" + apk.string() + "' classes.dex 2>/dev/null").c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::vector<uint8_t> bytes;
    uint8_t buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), p)) > 0) bytes.insert(bytes.end(), buf, buf + n);
    pclose(p);
    if (bytes.empty()) continue;
    EXPECT_EQ(LLVMFuzzerTestOneInput(bytes.data(), bytes.size()), 0);
    ++replayed;
  }
  EXPECT_GT(replayed, 0);
}

}  // namespace
}  // namespace piaudit::dex
