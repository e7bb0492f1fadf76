// End-to-end checks of `piaudit kb ...` through the built binary (skipped when the piaudit tool
// has not been built in this build tree; the command itself lives in src/app/kb_command.cc).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "support/apk_fixture.h"

namespace {

namespace fs = std::filesystem;

using Out = ::piaudit::testing::CommandResult;
using ::piaudit::testing::RunPiaudit;

class KbCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(std::string(PIAUDIT_BINARY_DIR) + "/tools/piaudit/piaudit")) {
      GTEST_SKIP() << "piaudit binary not built in " << PIAUDIT_BINARY_DIR;
    }
  }
  const std::string kb_ = std::string(" --kb '") + PIAUDIT_DATA_DIR + "'";
};

TEST_F(KbCommandTest, CheckBundledTree) {
  const Out o = RunPiaudit("kb check" + kb_);
  EXPECT_EQ(o.exit_code, 0) << o.out;
  EXPECT_NE(o.out.find(": ok"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("items         31"), std::string::npos) << o.out;
}

TEST_F(KbCommandTest, CheckBrokenTreeExits3WithFileAndLine) {
  const fs::path dir = fs::temp_directory_path() / ("piaudit_kbcmd_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(PIAUDIT_DATA_DIR, dir, fs::copy_options::recursive);
  {
    std::ofstream f(dir / "sdks" / "zz-broken.yaml");
    f << "version: 1\nsources: [t]\nsdks:\n"
         "  - id: broken\n    zh: x\n    en: x\n    provider: x\n    category: push\n"
         "    prefixes: [com.broken]\n    pi: [imei2]\n    policy_names: [x]\n    source: t\n";
  }
  const Out o = RunPiaudit("kb check --kb '" + dir.string() + "'");
  fs::remove_all(dir);
  EXPECT_EQ(o.exit_code, 3) << o.out;
  EXPECT_NE(o.out.find("zz-broken.yaml:10: sdk 'broken': pi: unknown PI type 'imei2'"),
            std::string::npos)
      << o.out;
}

// The word lists and the policy analyser's files are part of the check: a broken one is reported
// with its file and line and the whole tree is invalid.
TEST_F(KbCommandTest, CheckCoversWordListsAndPolicyFiles) {
  const fs::path dir =
      fs::temp_directory_path() / ("piaudit_kbcmd_words_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(PIAUDIT_DATA_DIR, dir, fs::copy_options::recursive);
  auto edit = [&](const std::string& rel, const std::string& from, const std::string& to) {
    std::ifstream in(dir / rel, std::ios::binary);
    std::string t((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at == std::string::npos) return 0;
    t.replace(at, from.size(), to);
    std::ofstream(dir / rel, std::ios::binary | std::ios::trunc) << t;
    return 1 + static_cast<int>(std::count(t.begin(), t.begin() + static_cast<long>(at), '\n'));
  };
  const int words =
      edit("consent_words.yaml", "words: [不同意, 拒绝,", "words: [不同意, \"\", 拒绝,");
  const int cue = edit("policy/lexicon.yaml", "sdk_cues: [SDK,", "sdk_cues: {a: SDK}\nzz: [SDK,");
  const Out o = RunPiaudit("kb check --kb '" + dir.string() + "'");
  fs::remove_all(dir);
  EXPECT_EQ(o.exit_code, 3) << o.out;
  EXPECT_NE(o.out.find("consent_words.yaml:" + std::to_string(words) +
                       ": list 'disagree': words: "
                       "empty element"),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("lexicon.yaml:" + std::to_string(cue) + ": sdk_cues: expected a list"),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("lexicon.yaml:" + std::to_string(cue + 1) + ": unknown key 'zz'"),
            std::string::npos)
      << o.out;
}

TEST_F(KbCommandTest, ShowAndWorkdays) {
  Out o = RunPiaudit("kb show sdk jpush" + kb_);
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_NE(o.out.find("极光推送"), std::string::npos) << o.out;
  o = RunPiaudit("kb show item IM-3.1 --format json" + kb_);
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_NE(o.out.find("\"id\": \"IM-3.1\""), std::string::npos) << o.out;
  o = RunPiaudit("kb show sdk no-such-sdk" + kb_);
  EXPECT_EQ(o.exit_code, 3) << o.out;
  // 2026-10-01..07 are off: the 1st working day after 2026-09-30 is 2026-10-08.
  o = RunPiaudit("kb workdays add 2026-09-30 1" + kb_);
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, "2026-10-08\n");
  o = RunPiaudit("kb workdays between 2026-09-30 2026-10-10" + kb_);
  EXPECT_EQ(o.out, "3\n");
  o = RunPiaudit("kb workdays is 2026-10-10" + kb_);  // 调休 Saturday
  EXPECT_EQ(o.out, "working\n");
  o = RunPiaudit("kb workdays add 2027-03-01 1" + kb_);
  EXPECT_EQ(o.exit_code, 3) << o.out;
  o = RunPiaudit("kb workdays add 2026-02-30 1" + kb_);
  EXPECT_EQ(o.exit_code, 2) << o.out;
}

}  // namespace
