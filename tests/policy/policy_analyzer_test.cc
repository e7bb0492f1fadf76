// End-to-end tests of PolicyAnalyzer on small policies written here, with the bundled knowledge
// base (data/). Terms are taken from the knowledge base where the test needs an SDK name, so the
// test follows the catalogue instead of hard-coding it.
#include "policy/policy_analyzer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <optional>

#include "base/diagnostics.h"
#include "knowledge/knowledge_base.h"
#include "policy/policy_json.h"
#include "policy/segmenter.h"

namespace piaudit::policy {
namespace {

class PolicyAnalyzerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Diagnostics d;
    auto kb = knowledge::KnowledgeBase::Load(PIAUDIT_DATA_DIR, &d);
    if (kb.ok()) {
      kb_ = new knowledge::KnowledgeBase(std::move(kb).value());
      auto a = PolicyAnalyzer::Create(*kb_, PIAUDIT_DATA_DIR);
      ASSERT_TRUE(a.ok()) << a.status().ToString();
      analyzer_ = std::move(a).value().release();
    } else {
      kb_error_ = kb.status().ToString();
      auto a = PolicyAnalyzer::CreateWithoutKnowledge(PIAUDIT_DATA_DIR);
      ASSERT_TRUE(a.ok()) << a.status().ToString();
      analyzer_ = std::move(a).value().release();
    }
  }
  static void TearDownTestSuite() {
    delete analyzer_;
    delete kb_;
  }
  PolicyAnalysis Run(const std::string& text) {
    auto r = analyzer_->Analyze(ByteSpan(text), PolicyFormatHint::kAuto, Limits());
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : PolicyAnalysis();
  }
  static knowledge::KnowledgeBase* kb_;
  static PolicyAnalyzer* analyzer_;
  static std::string kb_error_;
};
knowledge::KnowledgeBase* PolicyAnalyzerTest::kb_ = nullptr;
PolicyAnalyzer* PolicyAnalyzerTest::analyzer_ = nullptr;
std::string PolicyAnalyzerTest::kb_error_;

// Every span's text must be exactly the code points [start, end) of the decoded text.
void CheckOffsets(const PolicyAnalysis& a) {
  std::u32string t = ToU32(a.text);
  EXPECT_EQ(t.size(), a.text_code_points);
  for (const Span& s : a.spans) {
    ASSERT_LE(s.end, t.size());
    ASSERT_LT(s.start, s.end);
    EXPECT_EQ(ToUtf8(std::u32string_view(t).substr(s.start, s.end - s.start)), s.text);
  }
}

const DataTypeSummary* FindType(const PolicyAnalysis& a, const std::string& id) {
  for (const auto& d : a.data_types)
    if (d.type_id == id) return &d;
  return nullptr;
}

TEST_F(PolicyAnalyzerTest, DataTypesWithNegationNecessityAndFunction) {
  if (!kb_) GTEST_SKIP() << "knowledge base did not load: " << kb_error_;
  auto a =
      Run("一、我们如何收集您的个人信息\n"
          "在您使用注册登录功能时，我们需要收集您的手机号码，这是必要信息。\n"
          "我们不会收集您的通讯录。\n"
          "在您使用附近的人功能时，您可以选择提供位置信息，拒绝不影响您使用其他功能。\n");
  CheckOffsets(a);
  const DataTypeSummary* phone = FindType(a, "phone_number");
  ASSERT_NE(phone, nullptr);
  EXPECT_TRUE(phone->collected);
  EXPECT_TRUE(phone->required);
  ASSERT_FALSE(phone->functions.empty());
  EXPECT_EQ(phone->functions[0], "注册登录");
  const DataTypeSummary* contacts = FindType(a, "contacts");
  ASSERT_NE(contacts, nullptr);
  EXPECT_TRUE(contacts->not_collected);
  EXPECT_FALSE(contacts->collected);
  const DataTypeSummary* loc = FindType(a, "location");
  ASSERT_NE(loc, nullptr);
  EXPECT_TRUE(loc->optional);
  EXPECT_FALSE(loc->required);
  EXPECT_EQ(a.sections.size(), 1u);
}

TEST_F(PolicyAnalyzerTest, PermissionsWithPurpose) {
  auto a =
      Run("我们会申请相机权限，用于扫描二维码和拍摄头像。\n"
          "应用会使用android.permission.RECORD_AUDIO以便您发送语音消息。\n");
  CheckOffsets(a);
  ASSERT_GE(a.permissions.size(), 1u);
  EXPECT_EQ(a.permissions[0].permission_id, "android.permission-group.CAMERA");
  EXPECT_EQ(a.permissions[0].purpose, "扫描二维码和拍摄头像");
  if (kb_) {
    // The group stands for the KB's CAMERA permissions.
    EXPECT_NE(std::find(a.permissions[0].members.begin(), a.permissions[0].members.end(),
                        "android.permission.CAMERA"),
              a.permissions[0].members.end());
    ASSERT_EQ(a.permissions.size(), 2u);
    EXPECT_EQ(a.permissions[1].permission_id, "android.permission.RECORD_AUDIO");
    EXPECT_EQ(a.permissions[1].purpose, "您发送语音消息");
  }
}

TEST_F(PolicyAnalyzerTest, SdkTableRows) {
  if (!kb_) GTEST_SKIP() << "knowledge base did not load: " << kb_error_;
  // Pick a catalogue SDK with a distinctive policy name (>= 4 code points).
  const knowledge::Sdk* sdk = nullptr;
  std::string name;
  for (const auto& s : kb_->sdks()) {
    for (const auto& n : s.policy_names)
      if (ToU32(n).size() >= 4 && n.find(' ') == std::string::npos) {
        sdk = &s;
        name = n;
        break;
      }
    if (sdk) break;
  }
  ASSERT_NE(sdk, nullptr);
  std::string html =
      "<html><body><p>第三方SDK目录</p><table>"
      "<tr><th>SDK名称</th><th>第三方公司</th><th>使用目的</th><th>收集的个人信息</"
      "th><th>隐私政策链接</th></tr>"
      "<tr><td>" +
      name +
      "</td><td>某某科技有限公司</td><td>消息推送</td><td>设备标识符、IMEI</td>"
      "<td>https://example.com/privacy</td></tr>"
      "<tr><td>神秘SDK</td><td>无名有限公司</td><td>统计分析</td><td>IMEI</td><td>无</td></tr>"
      "</table></body></html>";
  auto a = Run(html);
  CheckOffsets(a);
  EXPECT_EQ(a.format, "html");
  ASSERT_EQ(a.table_rows.size(), 3u);
  const ThirdPartyMention* known = nullptr;
  const ThirdPartyMention* unknown = nullptr;
  for (const auto& p : a.third_parties) {
    if (p.sdk_id == sdk->id) known = &p;
    if (p.name == "神秘SDK") unknown = &p;
  }
  ASSERT_NE(known, nullptr) << name;
  EXPECT_EQ(known->provider, "某某科技有限公司");
  EXPECT_EQ(known->purpose, "消息推送");
  EXPECT_EQ(known->policy_url, "https://example.com/privacy");
  EXPECT_NE(std::find(known->data_types.begin(), known->data_types.end(), "imei"),
            known->data_types.end());
  ASSERT_NE(unknown, nullptr);
  EXPECT_TRUE(unknown->sdk_id.empty());
  EXPECT_EQ(unknown->purpose, "统计分析");
}

TEST_F(PolicyAnalyzerTest, RightsChannelsTimeLimits) {
  auto a =
      Run("您可以通过“设置-账号与安全-"
          "注销账号”注销您的账号，注销需要您提供手持身份证照片并邮寄至我们的办公地址。\n"
          "您有权访问、更正、删除您的个人信息，也可以撤回同意。\n"
          "如您对本政策有任何疑问或投诉，请发送邮件至privacy@example.com或拨打客服电话400-123-"
          "4567，我们将在十五个工作日内回复。\n"
          "联系地址：北京市海淀区某某路1号。\n");
  CheckOffsets(a);
  bool cancel = false, deletion = false, withdraw = false;
  for (const auto& r : a.rights) {
    if (r.kind == RightKind::kAccountCancellation) {
      cancel = true;
      EXPECT_NE(std::find(r.conditions.begin(), r.conditions.end(), "id_card"), r.conditions.end());
      EXPECT_NE(std::find(r.conditions.begin(), r.conditions.end(), "post_only"),
                r.conditions.end());
      EXPECT_EQ(r.in_app_path, "设置-账号与安全-注销账号");
    }
    deletion |= r.kind == RightKind::kDeletion;
    withdraw |= r.kind == RightKind::kWithdrawConsent;
  }
  EXPECT_TRUE(cancel);
  EXPECT_TRUE(deletion);
  EXPECT_TRUE(withdraw);
  bool email = false, phone = false, addr = false;
  for (const auto& c : a.channels) {
    if (c.kind == ChannelKind::kEmail) {
      email = true;
      EXPECT_TRUE(c.complaint);
      EXPECT_EQ(c.value, "privacy@example.com");
    }
    phone |= c.kind == ChannelKind::kPhone && c.value == "4001234567";
    addr |= c.kind == ChannelKind::kPostalAddress;
  }
  EXPECT_TRUE(email);
  EXPECT_TRUE(phone);
  EXPECT_TRUE(addr);
  ASSERT_EQ(a.time_limits.size(), 1u);
  EXPECT_EQ(a.time_limits[0].amount, 15u);
  EXPECT_EQ(a.time_limits[0].unit, TimeUnit::kWorkingDays);
  EXPECT_EQ(a.time_limits[0].applies_to, TimeLimitSubject::kComplaint);
}

TEST_F(PolicyAnalyzerTest, ScriptAndReadability) {
  auto simp = Run("我们会收集您的个人信息。我们将严格保护您的个人信息安全。");
  EXPECT_EQ(simp.script.language, "zh");
  EXPECT_TRUE(simp.script.has_simplified);
  auto trad = Run("我們會收集您的個人資訊。我們將嚴格保護您的個人資訊安全。");
  EXPECT_GT(trad.script.traditional_chars, 0u);
  EXPECT_TRUE(trad.script.traditional_only);
  EXPECT_FALSE(trad.script.has_simplified);
  // The analyser keeps each character's t2s answer and its per-character counts between texts:
  // the same text again, and the traditional text with a simplified one, count the same
  // traditional characters (the simplified sentence has none).
  auto again = Run("我們會收集您的個人資訊。我們將嚴格保護您的個人資訊安全。");
  EXPECT_EQ(again.script.traditional_chars, trad.script.traditional_chars);
  EXPECT_EQ(again.script.han_chars, trad.script.han_chars);
  auto mixed =
      Run("我們會收集您的個人資訊。我們將嚴格保護您的個人資訊安全。我们会收集您的个人信息。");
  EXPECT_EQ(mixed.script.traditional_chars, trad.script.traditional_chars);
  EXPECT_GT(mixed.script.han_chars, trad.script.han_chars);
  auto en = Run("We collect your personal information. We protect it.");
  EXPECT_EQ(en.script.language, "en");
  EXPECT_EQ(simp.readability.sentences, 2u);
  EXPECT_GT(simp.readability.mean_sentence_chars, 5.0);
  auto jar = Run("我们使用SDK和Cookie并通过HTTPS加密传输，对IMEI进行去标识化处理。");
  EXPECT_GE(jar.readability.jargon_terms, 4u);
  EXPECT_GT(jar.readability.jargon_per_1000_chars, simp.readability.jargon_per_1000_chars);
}

TEST_F(PolicyAnalyzerTest, SentenceCategoriesFromModel) {
  auto a =
      Run("我们会收集您的设备信息和位置信息。\n"
          "如您对本隐私政策有任何疑问、意见或建议，您可以通过发送邮件至privacy@example."
          "com与我们联系。\n");
  ASSERT_TRUE(a.warnings.empty()) << a.warnings[0];
  ASSERT_EQ(a.sentences.size(), 2u);
  EXPECT_TRUE(Has(a.sentences[0].categories, Category::kCollection));
  EXPECT_TRUE(Has(a.sentences[1].categories, Category::kContact));
  auto j = PolicyToJson(a);
  EXPECT_EQ(j["schema"], "piaudit.policy/1");
  EXPECT_EQ(j["sentences"][0]["categories"][0], "collection");
}

TEST_F(PolicyAnalyzerTest, HostileInputs) {
  Limits limits;
  // Over the size limit: a clear error, fast.
  limits.max_policy_bytes = 1 << 20;
  std::string big(2 << 20, 'a');
  auto r = analyzer_->Analyze(ByteSpan(big), PolicyFormatHint::kAuto, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kLimitExceeded);
  // NULs and invalid bytes: a result with replacement characters.
  std::string bad("我们\0收集\xFF\xFE\xC3手机号码。", 22);
  auto b = analyzer_->Analyze(ByteSpan(bad), PolicyFormatHint::kText, Limits());
  ASSERT_TRUE(b.ok());
  CheckOffsets(*b);
  // Scripts in HTML are not policy text.
  auto s = Run("<html><body><script>" + std::string(100000, 'x') +
               "收集手机号码</script><p>正文。</p></body></html>");
  EXPECT_EQ(s.text.find("收集手机号码"), std::string::npos);
}

TEST_F(PolicyAnalyzerTest, EncodingsGiveTheSameSpans) {
  std::string utf8 = "我们会收集您的手机号码，投诉请在15个工作日内处理。";
  auto a = Run(utf8);
  std::string bom = "\xEF\xBB\xBF" + utf8;
  auto b = Run(bom);
  ASSERT_EQ(a.spans.size(), b.spans.size());
  for (size_t i = 0; i < a.spans.size(); ++i) {
    EXPECT_EQ(a.spans[i].start, b.spans[i].start);  // BOM is not counted
    EXPECT_EQ(a.spans[i].end, b.spans[i].end);
  }
}

}  // namespace
}  // namespace piaudit::policy

namespace piaudit::policy {
namespace {

TEST_F(PolicyAnalyzerTest, PersonalizationStatementsAreSentences) {
  if (!kb_) GTEST_SKIP() << "knowledge base did not load: " << kb_error_;
  PolicyAnalysis a =
      Run("我们会收集您的位置信息。为了向您提供个性化推荐，我们会分析您的浏览记录。"
          "我们也会进行定向推送和个性化推荐。我们不出售您的信息。");
  ASSERT_EQ(a.personalization.size(), 2u);  // two sentences, one entry each
  std::u32string t = ToU32(a.text);
  std::string first = ToUtf8(std::u32string_view(t).substr(
      a.personalization[0].start, a.personalization[0].end - a.personalization[0].start));
  EXPECT_NE(first.find("个性化推荐"), std::string::npos) << first;
  EXPECT_EQ(first.find("位置信息"), std::string::npos)
      << "must not spill into the previous sentence";
  EXPECT_TRUE(Run("我们会收集您的位置信息。").personalization.empty());
}

// --- issue 13: policy facts a regulator can sign (each case failed before its fix) ---

bool HasCondition(const PolicyAnalysis& a, RightKind k, const std::string& cond) {
  for (const auto& r : a.rights)
    if (r.kind == k &&
        std::find(r.conditions.begin(), r.conditions.end(), cond) != r.conditions.end())
      return true;
  return false;
}
bool AnyCondition(const PolicyAnalysis& a, const std::string& cond) {
  for (const auto& r : a.rights)
    if (std::find(r.conditions.begin(), r.conditions.end(), cond) != r.conditions.end())
      return true;
  return false;
}
bool HasRight(const PolicyAnalysis& a, RightKind k) {
  for (const auto& r : a.rights)
    if (r.kind == k) return true;
  return false;
}

// 前往 navigates menus and 亲自 changes a cookie setting: neither is a visit in person.
TEST_F(PolicyAnalyzerTest, NavigationAndCookieVerbsAreNotInPerson) {
  PolicyAnalysis a =
      Run("您可以前往【我的】-【设置】删除您的浏览记录。\n"
          "您可以修改浏览器设置拒绝Cookie，但您需要在每次访问我们的网站时亲自更改设置。\n");
  EXPECT_TRUE(HasRight(a, RightKind::kDeletion));
  EXPECT_FALSE(AnyCondition(a, "in_person"));
}

// A visit required by the clause is a condition; one offered beside a phone line is not.
TEST_F(PolicyAnalyzerTest, AlternativeChannelIsNoCondition) {
  PolicyAnalysis alt = Run("您可以通过客服电话95500或前往线下网点的方式更正您的个人信息。\n");
  EXPECT_TRUE(HasRight(alt, RightKind::kCorrection));
  EXPECT_FALSE(AnyCondition(alt, "in_person"));
  PolicyAnalysis req = Run("如您需要删除号码登记信息，您需前往营业厅办理，也可以拨打10086咨询。\n");
  EXPECT_TRUE(HasCondition(req, RightKind::kDeletion, "in_person"));
  PolicyAnalysis mail = Run("您可以将删除请求发送至a@example.com或邮寄至我们的办公地址。\n");
  EXPECT_FALSE(AnyCondition(mail, "post_only"));
}

// An ID number named as data is not an ID card the user must show.
TEST_F(PolicyAnalyzerTest, IdNumberAsDataIsNoCondition) {
  PolicyAnalysis a =
      Run("您可以查询您的实名信息（姓名、身份证号）。\n"
          "您无法修改注册时提交的身份证件号码。\n");
  EXPECT_FALSE(AnyCondition(a, "id_card"));
  PolicyAnalysis b = Run("注销账号时，您需要上传身份证正反面照片。\n");
  EXPECT_TRUE(AnyCondition(b, "id_card"));
}

// A sentence listing requests that may be refused offers none of them.
TEST_F(PolicyAnalyzerTest, RefusedRequestsAreNotOffered) {
  PolicyAnalysis a = Run("在以下情形中，我们可能不会响应您提出的撤回同意的请求。\n");
  EXPECT_FALSE(HasRight(a, RightKind::kWithdrawConsent));
}

// Unsubscribing from marketing messages is no non-personalised option.
TEST_F(PolicyAnalyzerTest, UnsubscribeIsNoPersonalizationOptOut) {
  PolicyAnalysis a = Run("如您不想收到营销短信，您可以回复TD退订，或在邮件中取消订阅。\n");
  EXPECT_FALSE(HasRight(a, RightKind::kPersonalizationOptOut));
  PolicyAnalysis b = Run("您可以在【设置】-【隐私】中关闭个性化推荐。\n");
  EXPECT_TRUE(HasRight(b, RightKind::kPersonalizationOptOut));
}

// A notice before closing the service is no response time; 自然日 are days.
TEST_F(PolicyAnalyzerTest, NoticePeriodIsNoResponseTime) {
  PolicyAnalysis a = Run("如我们停止运营，我们将至少提前三十日向您通知。\n");
  for (const auto& t : a.time_limits) {
    EXPECT_EQ(t.applies_to, TimeLimitSubject::kUnknown);
    EXPECT_FALSE(t.certain);
  }
  PolicyAnalysis b = Run("您可以联系我们查询您的个人信息，我们将在15个自然日内回复您的请求。\n");
  ASSERT_EQ(b.time_limits.size(), 1u);
  EXPECT_EQ(b.time_limits[0].amount, 15u);
  EXPECT_EQ(b.time_limits[0].unit, TimeUnit::kDays);
  EXPECT_NE(b.time_limits[0].applies_to, TimeLimitSubject::kUnknown);
}

// Channels under a contact heading, or listed after "请通过以下方式联系我们：", take complaints.
TEST_F(PolicyAnalyzerTest, ContactSectionChannelsTakeComplaints) {
  PolicyAnalysis a =
      Run("一、您的权利\n"
          "您可以更正您的信息。\n"
          "二、如何联系我们\n"
          "电话：95500\n");
  bool phone = false;
  for (const auto& c : a.channels)
    if (c.kind == ChannelKind::kPhone) phone = c.complaint;
  EXPECT_TRUE(phone);
  PolicyAnalysis b =
      Run("如您有任何疑问、意见或建议，请通过以下方式联系我们：\n"
          "客服热线：4001234567\n"
          "联系邮箱：help@example.com\n");
  int complaint = 0;
  for (const auto& c : b.channels) complaint += c.complaint;
  EXPECT_GE(complaint, 2);
}

// An IP address and a registered address in the preamble are no postal channels.
TEST_F(PolicyAnalyzerTest, IpAndRegisteredAddressesAreNoChannels) {
  PolicyAnalysis a =
      Run("本政策由某某有限公司（注册地址为北京市海淀区某某路1号）制定。\n"
          "一、联系我们\n"
          "IP 地址：每台上网的设备都有一个编号，如北京市某区的某路号段。\n");
  for (const auto& c : a.channels) EXPECT_NE(c.kind, ChannelKind::kPostalAddress) << c.value;
  PolicyAnalysis b =
      Run("一、联系我们\n"
          "如您有任何投诉，您可以邮寄至下列地址：\n"
          "北京市海淀区某某大厦 法务部\n");
  bool addr = false;
  for (const auto& c : b.channels) addr |= c.kind == ChannelKind::kPostalAddress;
  EXPECT_TRUE(addr);
}

// Zero-width characters inside a keyword do not hide it; offsets stay in the original text.
TEST_F(PolicyAnalyzerTest, ZeroWidthCharactersAreIgnoredForMatching) {
  if (!kb_) GTEST_SKIP() << "knowledge base did not load: " << kb_error_;
  for (const char* zw : {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}) {
    std::string text =
        std::string("我们会收集您的设") + zw + "备信息。\n您有权\u200b删除您的信息。\n";
    PolicyAnalysis a = Run(text);
    CheckOffsets(a);
    const DataTypeSummary* d = FindType(a, "device_info");
    EXPECT_NE(d, nullptr) << "zero-width U+" << std::hex << static_cast<uint32_t>(ToU32(zw)[0]);
    std::u32string t = ToU32(a.text);
    for (const auto& m : a.data_type_mentions) {
      if (m.type_id != "device_info") continue;
      std::u32string got = t.substr(m.range.start, m.range.end - m.range.start);
      EXPECT_EQ(ToUtf8(got), std::string("设") + zw + "备信息");
    }
    EXPECT_TRUE(HasRight(a, RightKind::kDeletion));
  }
}

// The streamed JSON is the document PolicyToJson builds, plus "source".
TEST_F(PolicyAnalyzerTest, StreamedJsonEqualsTheDom) {
  PolicyAnalysis a =
      Run("一、联系我们\n您可以通过电话95500联系我们，我们将在15个工作日内回复。\n"
          "如您不想接收个性化推荐，可在设置中关闭。\n"
          "在您使用外卖功能时，为了完成配送，我们会收集您的\"姓名\"、手机号码和位置信息，"
          "并向第三方支付机构共享您的订单信息。\n");
  // Hand-made elements with what the field-by-field writer must escape like nlohmann: quotes,
  // backslashes, control characters, and a string that is not UTF-8 (replaced).
  Span odd;
  odd.start = 1;
  odd.end = 2;
  odd.label = "a\"b\\c\x01\x1f\t\n\r\b\f\x7f";
  odd.text = std::string("\xff\xfe ok \xe4\xb8", 7) + "\xc3\xa9";
  a.spans.push_back(odd);
  Practice pr;
  pr.data = {3, 5};
  pr.collector = "third_party";
  pr.receivers = {{6, 8}, {9, 12}};
  a.practices.push_back(pr);
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  ASSERT_TRUE(WritePolicyJson(a, "p.txt", f));
  std::rewind(f);
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
  std::fclose(f);
  nlohmann::json want = PolicyToJson(a);
  want["source"] = "p.txt";
  // The DOM holds the invalid bytes as they are; written, they become U+FFFD (both writers).
  want = nlohmann::json::parse(want.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  EXPECT_EQ(nlohmann::json::parse(out), want);
  EXPECT_NE(out.find("\\\"b\\\\c\\u0001\\u001f\\t\\n\\r\\b\\f\x7f"), std::string::npos)
      << "escaped as nlohmann escapes";
}

}  // namespace
}  // namespace piaudit::policy
