// report.html in the reader's language (--lang): every sentence for people from the message
// catalogue, the agencies' blocks (问题描述 / 检测依据 / 整改建议), the cover's inputs, the SDK
// list, and report.json carrying both languages. New fields stay escaped.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "report/html_report.h"
#include "report/html_text.h"
#include "report/report_json.h"
#include "rules/evaluate.h"
#include "rules/test_evidence.h"

namespace piaudit::report {
namespace {

using piaudit::testing::Call;
using piaudit::testing::CleanEvidence;
using piaudit::testing::FirstEnglishPhrase;
using piaudit::testing::HtmlText;
using piaudit::testing::Permission;
using piaudit::testing::Sdk;

size_t Count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + 1))
    ++n;
  return n;
}

class ReportLangTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err;
    kb_ = piaudit::testing::BundledKb(&err);
    if (!kb_) GTEST_SKIP() << "bundled knowledge base does not load: " << err;
    ev_ = CleanEvidence();
    ev_.app.label = "手电筒";
    ev_.sdks.push_back(Sdk("jpush", "push", {"imei"}));
    ev_.sdks.back().provider = "\"><script>alert('vendor')</script>";
    ev_.permissions.push_back(Permission("android.permission.CAMERA", true, {"camera"}));
    ev_.permissions.push_back(Permission("android.permission.READ_PHONE_STATE", true, {"imei"}));
    ev_.sensitive_calls.push_back(Call("imei", "jpush", true, evidence::BeforeConsent::kLikely));
    ev_.sensitive_calls.push_back(Call("location", "app", true, evidence::BeforeConsent::kUnknown));
    ev_.policy.rights.clear();
    ev_.app_type.given = false;
    ev_.app_type.reason = "<img src=x onerror=alert('reason')>";
    items_ = rules::EvaluateAll(ev_, *kb_);
    in_.evidence = &ev_;
    in_.items = items_;
    in_.kb = kb_;
    in_.tool_version = "0.1.0-test";
    in_.generated_at = "2026-12-06T00:00:00Z";
    in_.inputs.push_back({"apk", "/tmp/app\"><img src=x>.apk", "ab12"});
    in_.inputs.push_back({"policy", "/tmp/隐私政策.html", "cd34"});
  }

  const knowledge::KnowledgeBase* kb_ = nullptr;
  evidence::AppEvidence ev_;
  std::vector<rules::ItemResult> items_;
  ReportInput in_;
};

TEST_F(ReportLangTest, ChineseReportHasNoEnglishSentence) {
  in_.lang = knowledge::Lang::kZh;
  const std::string html = RenderHtml(in_);
  const std::string text = HtmlText(html, /*people_only=*/true);
  EXPECT_EQ(FirstEnglishPhrase(text), "") << text;
  // The agencies' blocks, once per finding, and the sections.
  size_t findings = 0;
  for (const auto& item : items_) findings += item.findings.size();
  EXPECT_EQ(Count(html, "<h4>问题描述</h4>"), findings);
  EXPECT_EQ(Count(html, "<h4>检测依据</h4>"), findings);
  EXPECT_EQ(Count(html, "<h4>整改建议</h4>"), findings);
  for (const char* s :
       {"一、检测结论汇总", "二、问题详情", "四、第三方SDK列表", "目录", "检测输入"}) {
    EXPECT_NE(text.find(s), std::string::npos) << s;
  }
  EXPECT_NE(html.find("<html lang=\"zh-CN\">"), std::string::npos);
  // The detector itself finds an English sentence when one is there.
  EXPECT_NE(FirstEnglishPhrase("文字 The policy describes no way 文字"), "");
}

TEST_F(ReportLangTest, EnglishReportUsesTheEnglishTexts) {
  in_.lang = knowledge::Lang::kEn;
  const std::string html = RenderHtml(in_);
  const std::string text = HtmlText(html, true);
  EXPECT_EQ(text.find("问题描述"), std::string::npos);
  EXPECT_EQ(Count(html, "<h4>What was found</h4>"), Count(html, "<h4>Remediation</h4>"));
  EXPECT_NE(text.find("2. Problems found"), std::string::npos);
  EXPECT_NE(html.find("<html lang=\"en\">"), std::string::npos);
  // A finding message in English, as rendered by the rules.
  const rules::Finding& f = items_[0].findings[0];
  ASSERT_FALSE(f.message.empty());
  EXPECT_NE(FirstEnglishPhrase(HtmlText(html, false)), "");
}

TEST_F(ReportLangTest, CoverSummaryAndSdkListHoldTheirFacts) {
  const std::string html = RenderHtml(in_);
  const std::string text = HtmlText(html, false);
  // Inputs with their hashes, the counts per category (six categories and the total).
  EXPECT_NE(text.find("/tmp/隐私政策.html"), std::string::npos) << text;
  EXPECT_NE(text.find("SHA-256 cd34"), std::string::npos);
  EXPECT_EQ(Count(html, "<td class=\"num\">"), 7u * 6u);
  // The SDK row: vendor, category in Chinese, the PI its code read here, the vendor's policy
  // link from data/sdks/, and whether the app's policy names it.
  const knowledge::Sdk* jpush = kb_->FindSdk("jpush");
  ASSERT_NE(jpush, nullptr);
  if (!jpush->privacy_policy.empty()) {
    EXPECT_NE(html.find(jpush->privacy_policy), std::string::npos);
    EXPECT_EQ(html.find("<a href=\"" + jpush->privacy_policy), std::string::npos)
        << "a link the page would fetch or follow";
  }
  EXPECT_NE(text.find("IMEI"), std::string::npos);
}

TEST_F(ReportLangTest, NewFieldsAreEscaped) {
  for (knowledge::Lang lang : {knowledge::Lang::kZh, knowledge::Lang::kEn}) {
    in_.lang = lang;
    const std::string html = RenderHtml(in_);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_NE(html.find("&quot;&gt;&lt;script&gt;alert(&#39;vendor&#39;)&lt;/script&gt;"),
              std::string::npos);
    EXPECT_NE(html.find("&lt;img src=x onerror=alert(&#39;reason&#39;)&gt;"), std::string::npos);
    EXPECT_NE(html.find("/tmp/app&quot;&gt;&lt;img src=x&gt;.apk"), std::string::npos);
  }
}

TEST_F(ReportLangTest, JsonCarriesBothLanguages) {
  const nlohmann::json doc = nlohmann::json::parse(RenderReportJson(in_));
  size_t findings = 0;
  for (const auto& item : doc["items"]) {
    for (const auto& f : item["findings"]) {
      ++findings;
      EXPECT_FALSE(f["message_id"].get<std::string>().empty());
      EXPECT_FALSE(f["message_zh"].get<std::string>().empty());
      EXPECT_NE(f["message_zh"], f["message"]);
      EXPECT_NE(f["remediation_zh"], f["remediation"]);
      EXPECT_EQ(f["needed"].get<std::string>().empty(), f["needed_zh"].get<std::string>().empty());
    }
  }
  EXPECT_GT(findings, 31u);
}

}  // namespace
}  // namespace piaudit::report
