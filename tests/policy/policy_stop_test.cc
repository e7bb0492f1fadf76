// The policy analyzer under a StopCondition: a deadline already past and a cancellation set from
// another thread stop it on a multi-megabyte generated policy with the stop status (never a
// partial analysis), a stop that does not fire changes nothing, and the Limits output bounds that
// replaced the analyzer's constants still bound what they bounded.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "base/diagnostics.h"
#include "base/stop.h"
#include "knowledge/knowledge_base.h"
#include "policy/policy_analyzer.h"
#include "policy/policy_json.h"

namespace piaudit::policy {
namespace {

// A policy of about `bytes` bytes: numbered sections of sentences that exercise every stage (data
// types with purposes, permissions, an SDK table, rights, channels, time limits).
std::string LongPolicy(size_t bytes) {
  static const char* const kSection =
      "第%d章 我们如何收集和使用您的个人信息\n"
      "在您使用注册登录功能时，我们需要收集您的手机号码，这是必要信息。\n"
      "为了向您推荐附近的服务，您可以选择提供位置信息，拒绝不影响您使用其他功能。\n"
      "我们会申请相机权限，用于扫描二维码和拍摄头像；我们不会收集您的通讯录。\n"
      "我们接入的第三方SDK会收集设备标识符、IMEI和网络状态信息，用于消息推送和统计分析。\n"
      "您有权访问、更正、删除您的个人信息，也可以通过“设置-账号与安全-注销账号”注销账号。\n"
      "如您对本政策有任何疑问或投诉，请发送邮件至privacy@example.com或拨打400-123-4567，"
      "我们将在十五个工作日内回复。\n"
      "We may share aggregated statistics with our partners. You can withdraw consent at any "
      "time in the settings.\n";
  std::string out;
  char buf[4096];
  for (int i = 1; out.size() < bytes; ++i) {
    std::snprintf(buf, sizeof buf, kSection, i);
    out += buf;
  }
  return out;
}

class PolicyStopTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Diagnostics d;
    auto kb = knowledge::KnowledgeBase::Load(PIAUDIT_DATA_DIR, &d);
    auto a = kb.ok() ? PolicyAnalyzer::Create(*kb, PIAUDIT_DATA_DIR)
                     : PolicyAnalyzer::CreateWithoutKnowledge(PIAUDIT_DATA_DIR);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    analyzer_ = std::move(a).value().release();
    text_ = new std::string(LongPolicy(8 << 20));
  }
  static void TearDownTestSuite() {
    delete analyzer_;
    delete text_;
  }
  static PolicyAnalyzer* analyzer_;
  static std::string* text_;
};
PolicyAnalyzer* PolicyStopTest::analyzer_ = nullptr;
std::string* PolicyStopTest::text_ = nullptr;

TEST_F(PolicyStopTest, PastDeadlineStopsBeforeAnyWork) {
  const StopCondition past(StopCondition::Clock::now() - std::chrono::seconds(1));
  for (PolicyFormatHint hint : {PolicyFormatHint::kText, PolicyFormatHint::kHtml}) {
    auto r = analyzer_->Analyze(ByteSpan(*text_), hint, Limits(), &past);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded) << r.status().ToString();
  }
  auto t = analyzer_->AnalyzeText(*text_, Limits(), &past);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kDeadlineExceeded);
}

// The flag is set from another thread a little after the analysis of 8 MB (about a second of
// work) has started; the analysis must end with kCancelled, naming the stage it was in.
TEST_F(PolicyStopTest, CancellationFromAnotherThreadStopsARun) {
  for (PolicyFormatHint hint : {PolicyFormatHint::kText, PolicyFormatHint::kHtml}) {
    std::atomic<bool> cancel{false};
    const StopCondition stop(&cancel);
    std::string input = hint == PolicyFormatHint::kHtml
                            ? "<html><body><p>" + *text_ + "</p></body></html>"
                            : *text_;
    std::thread canceller([&cancel] {
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
      cancel.store(true);
    });
    auto r = analyzer_->Analyze(ByteSpan(input), hint, Limits(), &stop);
    canceller.join();
    ASSERT_FALSE(r.ok()) << "finished before the cancellation: make the text longer";
    EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
    EXPECT_NE(r.status().message().find("during policy: "), std::string_view::npos)
        << r.status().ToString();
  }
}

TEST_F(PolicyStopTest, AStopThatDoesNotFireChangesNothing) {
  const std::string text = LongPolicy(64 << 10);
  std::atomic<bool> cancel{false};
  const StopCondition far(StopCondition::Clock::now() + std::chrono::hours(1), &cancel);
  for (PolicyFormatHint hint : {PolicyFormatHint::kText, PolicyFormatHint::kHtml}) {
    auto plain = analyzer_->Analyze(ByteSpan(text), hint, Limits());
    auto watched = analyzer_->Analyze(ByteSpan(text), hint, Limits(), &far);
    ASSERT_TRUE(plain.ok()) << plain.status().ToString();
    ASSERT_TRUE(watched.ok()) << watched.status().ToString();
    EXPECT_FALSE(plain->spans.empty());
    EXPECT_EQ(PolicyToJson(*plain, true).dump(), PolicyToJson(*watched, true).dump());
  }
}

TEST_F(PolicyStopTest, OutputBoundsComeFromLimits) {
  const std::string text = LongPolicy(64 << 10);
  Limits small;
  small.max_policy_spans = 10;
  small.max_functions_per_data_type = 1;
  small.max_sentence_chars = 20;
  auto a = analyzer_->AnalyzeText(text, small);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->spans.size(), 10u);
  bool warned = false;
  for (const std::string& w : a->warnings) warned |= w.find("span limit 10") != std::string::npos;
  EXPECT_TRUE(warned);
  for (const DataTypeSummary& d : a->data_types) EXPECT_LE(d.functions.size(), 1u);
  for (const Sentence& s : a->sentences) EXPECT_LE(s.range.end - s.range.start, 20u);
}

}  // namespace
}  // namespace piaudit::policy
