// Replays the fuzzers' seed corpus (fuzz/policy/corpus/) and a few generated hostile inputs
// through the same entry points the fuzzers use, so CI covers them without a fuzzing compiler.
#include <gtest/gtest.h>

#include <filesystem>

#include "base/mapped_file.h"
#include "policy/policy_analyzer.h"

namespace piaudit::policy {
namespace {

std::unique_ptr<PolicyAnalyzer> MakeAnalyzer() {
  auto a = PolicyAnalyzer::CreateWithoutKnowledge(PIAUDIT_DATA_DIR);
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  return a.ok() ? std::move(a).value() : nullptr;
}

TEST(FuzzReplayTest, SeedCorpus) {
  auto analyzer = MakeAnalyzer();
  ASSERT_NE(analyzer, nullptr);
  int n = 0;
  for (const char* sub : {"text", "html"}) {
    std::filesystem::path dir =
        std::filesystem::path(PIAUDIT_SOURCE_DIR) / "fuzz/policy/corpus" / sub;
    if (!std::filesystem::exists(dir)) continue;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      auto bytes = ReadFileToString(e.path().string(), 1 << 20);
      ASSERT_TRUE(bytes.ok());
      auto r = analyzer->Analyze(
          ByteSpan(*bytes),
          std::string(sub) == "html" ? PolicyFormatHint::kHtml : PolicyFormatHint::kText, Limits());
      EXPECT_TRUE(r.ok()) << e.path() << ": " << r.status().ToString();
      ++n;
    }
  }
  EXPECT_GT(n, 0);
}

TEST(FuzzReplayTest, FiftyMegabytes) {
  auto analyzer = MakeAnalyzer();
  ASSERT_NE(analyzer, nullptr);
  // 50 MB of repeated policy text with a NUL and a broken byte in every block: must finish.
  std::string block = "在您使用注册功能时，我们会收集您的手机号码。您可以在15个工作日内投诉。\n";
  block += std::string("\0\xFF", 2);
  std::string big;
  big.reserve(50 << 20);
  while (big.size() < (50u << 20)) big += block;
  auto r = analyzer->Analyze(ByteSpan(big), PolicyFormatHint::kAuto, Limits());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GT(r->sentences.size(), 100000u);
  EXPECT_GT(r->encoding.replacement_chars, 0u);
}

TEST(FuzzReplayTest, DeepHtmlAndTruncations) {
  auto analyzer = MakeAnalyzer();
  ASSERT_NE(analyzer, nullptr);
  std::string html = "<html><body>";
  for (int i = 0; i < 100000; ++i) html += "<span><div>";
  html += "我们会收集您的位置信息。";
  auto r = analyzer->Analyze(ByteSpan(html), PolicyFormatHint::kHtml, Limits());
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->text.find("位置信息"), std::string::npos);
  // Every truncation of a UTF-16 document decodes to something (odd lengths included).
  std::string u16 = "\xFF\xFE";
  for (char c : std::string("policy")) u16 += std::string{c, '\0'};
  for (size_t n = 0; n <= u16.size(); ++n)
    EXPECT_TRUE(analyzer
                    ->Analyze(ByteSpan(std::string_view(u16).substr(0, n)), PolicyFormatHint::kAuto,
                              Limits())
                    .ok());
}

}  // namespace
}  // namespace piaudit::policy
