// data/runtime/screen_words.yaml loads, and a broken copy is refused with its file and line.
#include "knowledge/screen_words.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace piaudit::knowledge {
namespace {

namespace fs = std::filesystem;

TEST(ScreenWordsTest, BundledFileLoads) {
  auto w = LoadScreenWords(PIAUDIT_DATA_DIR);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_FALSE(w->policy_names.words.empty());
  EXPECT_FALSE(w->policy_names.source.empty());
  EXPECT_GT(w->policy_names.where.line, 0);
  EXPECT_EQ(w->button_max_chars.value, 12u);
  EXPECT_GE(w->permission_groups.size(), 5u);
}

class BrokenScreenWordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("piaudit_screen_words_" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "runtime");
    std::ifstream in(std::string(PIAUDIT_DATA_DIR) + "/runtime/screen_words.yaml");
    std::stringstream ss;
    ss << in.rdbuf();
    text_ = ss.str();
  }
  void TearDown() override { fs::remove_all(dir_); }
  Status LoadWith(const std::string& from, const std::string& to) {
    std::string t = text_;
    const size_t at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) t.replace(at, from.size(), to);
    std::ofstream(dir_ / "runtime" / "screen_words.yaml") << t;
    return LoadScreenWords(dir_.string()).status();
  }
  fs::path dir_;
  std::string text_;
};

TEST_F(BrokenScreenWordsTest, UpperCaseWordIsRefusedWithItsLine) {
  const Status s = LoadWith("privacy policy,", "Privacy Policy,");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("screen_words.yaml:"), std::string::npos) << s.ToString();
  EXPECT_NE(s.ToString().find("Privacy Policy"), std::string::npos) << s.ToString();
}

TEST_F(BrokenScreenWordsTest, MissingSourceIsRefused) {
  const Status s = LoadWith("    source: Android permission group CAMERA\n", "");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("source"), std::string::npos) << s.ToString();
}

TEST_F(BrokenScreenWordsTest, UnknownListIsRefused) {
  const Status s = LoadWith("  purpose:\n", "  purposes:\n");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("purposes"), std::string::npos) << s.ToString();
}

TEST_F(BrokenScreenWordsTest, NumberOutOfRangeIsRefused) {
  const Status s = LoadWith("    value: 12\n", "    value: 0\n");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("button_max_chars"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace piaudit::knowledge
