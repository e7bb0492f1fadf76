// The span labeller (src/policy/span_labeller.*) and the practices read from its spans
// (src/policy/practices.*): model file checks, the decoding helpers, and the shipped model on
// sentences written here. The figures on CA4P-483 are checked by the policy_span_eval ctest
// (scripts/policy/evaluate_spans.py), not here.
#include "policy/span_labeller.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "base/cpu_features.h"
#include "base/diagnostics.h"
#include "base/mapped_file.h"
#include "knowledge/knowledge_base.h"
#include "policy/policy_analyzer.h"
#include "policy/practices.h"
#include "policy/sdk_list.h"
#include "policy/segmenter.h"

namespace piaudit::policy {
namespace {

std::string Ints(int n, int v) {
  std::string s;
  for (int i = 0; i < n; ++i) s += " " + std::to_string(v);
  return s;
}

// A well-formed model with `buckets` buckets, all weights w.
std::string TinyModel(uint32_t buckets, int8_t w) {
  return "PIAUDIT-SPAN-MODEL 1\nbuckets " + std::to_string(buckets) + "\ntags 16\ntrans a" +
         Ints(121, 0) + "\ntrans b" + Ints(25, 0) + "\nstart a" + Ints(11, 0) + "\nstart b" +
         Ints(5, 0) + "\ndata\n" + std::string(buckets * 16, static_cast<char>(w));
}

TEST(SpanLabellerTest, RejectsCorruptModels) {
  EXPECT_TRUE(SpanLabeller::Parse(TinyModel(4, 0), "m").ok());
  EXPECT_FALSE(SpanLabeller::Parse("", "m").ok());
  EXPECT_FALSE(SpanLabeller::Parse("PIAUDIT-SENTENCE-MODEL 1\ndata\n", "m").ok());
  const std::string good = TinyModel(4, 0);
  // Every truncation is refused (weights short, or no "data" line), with the file name.
  for (size_t n = 0; n < good.size(); n += 7) {
    auto r = SpanLabeller::Parse(good.substr(0, n), "model.bin");
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_NE(r.status().ToString().find("model.bin"), std::string::npos) << n;
  }
  std::string bad_buckets = good;
  bad_buckets.replace(bad_buckets.find("buckets 4"), 9, "buckets 3");
  EXPECT_FALSE(SpanLabeller::Parse(bad_buckets, "m").ok());
  std::string bad_tags = good;
  bad_tags.replace(bad_tags.find("tags 16"), 7, "tags 17");
  EXPECT_FALSE(SpanLabeller::Parse(bad_tags, "m").ok());
  std::string huge = good;
  huge.replace(huge.find("trans b 0"), 9, "trans b 9999999");
  EXPECT_FALSE(SpanLabeller::Parse(huge, "m").ok());
  std::string short_row = good;
  short_row.replace(short_row.find("start b 0"), 9, "start b");
  EXPECT_FALSE(SpanLabeller::Parse(short_row, "m").ok());
}

TEST(SpanLabellerTest, TagsToSpansReadsBioPerLayer) {
  // Layer a: B-data I-data O B-share I-receiver(orphan, skipped) B-handler.
  const uint8_t a[] = {1, 2, 0, 5, 10, 7};
  std::vector<LabelledSpan> out;
  SpanLabeller::TagsToSpans(a, 6, 0, &out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].cls, SpanClass::kData);
  EXPECT_EQ(out[0].start, 0u);
  EXPECT_EQ(out[0].end, 2u);
  EXPECT_EQ(out[1].cls, SpanClass::kShare);
  EXPECT_EQ(out[1].end, 4u);
  EXPECT_EQ(out[2].cls, SpanClass::kHandler);
  out.clear();
  const uint8_t b[] = {3, 4, 4, 1, 2};  // B/I/I-purpose, B/I-condition
  SpanLabeller::TagsToSpans(b, 5, 1, &out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].cls, SpanClass::kPurpose);
  EXPECT_EQ(out[0].end, 3u);
  EXPECT_EQ(out[1].cls, SpanClass::kCondition);
}

TEST(SpanLabellerTest, DecodesOnlyWellFormedSpans) {
  // All weights equal: every tag scores the same, so only the transitions decide; the parser's
  // structural constraint must still keep I tags behind their B.
  auto m = SpanLabeller::Parse(TinyModel(8, 5), "m");
  ASSERT_TRUE(m.ok());
  const std::u32string s = U"我们会收集您的手机号码";
  std::vector<uint8_t> marks(s.size(), 0);
  SpanLabeller::Scratch sc;
  std::vector<LabelledSpan> out;
  m->Label(s, marks.data(), 1, &sc, &out);
  for (const LabelledSpan& l : out) {
    EXPECT_LT(l.start, l.end);
    EXPECT_LE(l.end, s.size());
  }
}

// The vector decoder (both layers as one 16-lane chain) against the portable one on random
// models: random weights and transitions (ties included: weights from a small range), random
// sentences and marks. The spans must be the same, in the same order.
TEST(SpanLabellerTest, VectorDecoderEqualsReference) {
  if (!CpuHasAvx2()) GTEST_SKIP() << "this CPU has no AVX2: Label is LabelReference";
  std::mt19937 rng(7);
  const std::u32string alphabet =
      U"我们会收集您的手机号码位置信息为了提供服务，。、在使用时第三方SDK";
  int compared = 0, with_spans = 0;
  for (int model_no = 0; model_no < 12; ++model_no) {
    const int range = model_no % 3 == 0 ? 2 : 120;  // a small range makes ties frequent
    auto draw = [&] { return static_cast<int>(rng() % (2 * range + 1)) - range; };
    std::string text = "PIAUDIT-SPAN-MODEL 1\nbuckets 64\ntags 16\ntrans a";
    for (int i = 0; i < 121; ++i) text += " " + std::to_string(draw() * 8);
    text += "\ntrans b";
    for (int i = 0; i < 25; ++i) text += " " + std::to_string(draw() * 8);
    text += "\nstart a";
    for (int i = 0; i < 11; ++i) text += " " + std::to_string(draw() * 8);
    text += "\nstart b";
    for (int i = 0; i < 5; ++i) text += " " + std::to_string(draw() * 8);
    text += "\ndata\n";
    for (int i = 0; i < 64 * 16; ++i) text += static_cast<char>(draw() % 128);
    auto m = SpanLabeller::Parse(text, "random.bin");
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    for (int sentence_no = 0; sentence_no < 40; ++sentence_no) {
      std::u32string s;
      const size_t len = 1 + rng() % (sentence_no < 30 ? 60 : 2000);
      for (size_t i = 0; i < len; ++i) s += alphabet[rng() % alphabet.size()];
      std::vector<uint8_t> marks(len);
      for (uint8_t& b : marks) b = static_cast<uint8_t>(rng());
      SpanLabeller::Scratch a, b;
      std::vector<LabelledSpan> fast, reference;
      const auto cats = static_cast<CategorySet>(rng());
      m->Label(s, marks.data(), cats, &a, &fast);
      m->LabelReference(s, marks.data(), cats, &b, &reference);
      ASSERT_EQ(fast.size(), reference.size())
          << "model " << model_no << " sentence " << sentence_no;
      for (size_t i = 0; i < fast.size(); ++i) {
        EXPECT_EQ(fast[i].start, reference[i].start);
        EXPECT_EQ(fast[i].end, reference[i].end);
        EXPECT_EQ(fast[i].cls, reference[i].cls);
      }
      ++compared;
      with_spans += !fast.empty();
    }
  }
  EXPECT_EQ(compared, 480);
  EXPECT_GT(with_spans, 100) << "random models should produce spans to compare";
}

// The character n-gram slots (computed 8 positions at a time with AVX2) against their definition
// written out here, on sentences of every length up to 40 (block tails included): the shipped
// model was trained on these buckets.
TEST(SpanLabellerTest, CharacterNgramFeaturesKeepTheirDefinition) {
  auto h = [](uint32_t x, uint32_t v) { return (x ^ v) * 16777619u; };
  auto bucket = [](uint32_t x, int shift) { return (x * 0x9E3779B1u) >> shift; };
  struct Ngram {
    int slot;
    std::vector<int> off;
  };
  const std::vector<Ngram> ngrams = {
      {0, {0}},        {1, {-1}},        {2, {1}},       {3, {-1, 0}},        {4, {0, 1}},
      {5, {-1, 0, 1}}, {6, {-2, -1, 0}}, {7, {0, 1, 2}}, {14, {-1, 0, 1, 2}}, {15, {-2, -1, 0, 1}},
      {16, {1, 2}},    {17, {-2, -1}}};
  std::mt19937 rng(11);
  const std::u32string alphabet = U"收集您的手机号ABCxyz09，、。ＩＭＥＩ";
  const uint32_t mask = (1u << 18) - 1;
  int checked = 0;
  for (size_t len = 1; len <= 40; ++len) {
    std::u32string s;
    for (size_t i = 0; i < len; ++i) s += alphabet[rng() % alphabet.size()];
    std::vector<uint8_t> marks(len, 0);
    std::vector<uint32_t> f;
    SpanLabeller::Features(s, marks.data(), 1, mask, &f);
    // Normalised characters: boundary 2 before, 3 after; ASCII lower-cased, digits 0, full width
    // folded.
    auto at = [&](long j) -> uint32_t {
      if (j < 0) return 2;
      if (j >= static_cast<long>(len)) return 3;
      uint32_t c = s[j];
      if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + 0x21;
      if (c >= 'A' && c <= 'Z') return c + 32;
      if (c >= '0' && c <= '9') return '0';
      return c;
    };
    for (size_t i = 0; i < len; ++i) {
      for (const Ngram& g : ngrams) {
        uint32_t x = h(2166136261u, static_cast<uint32_t>(g.slot));
        for (int d : g.off) x = h(x, at(static_cast<long>(i) + d));
        ASSERT_EQ(f[i * SpanLabeller::kFeatures + g.slot], bucket(x, 32 - 18))
            << "length " << len << " position " << i << " slot " << g.slot;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 12 * 820);
}

TEST(SpanLabellerTest, FeaturesStayInsideTheTable) {
  const std::u32string s = U"为了向您提供服务，我们会收集IMEI。";
  std::vector<uint8_t> marks(s.size(), 0);
  marks[0] = kMarkPurposeCue;
  std::vector<uint32_t> f;
  SpanLabeller::Features(s, marks.data(), 1, (1u << 10) - 1, &f);
  ASSERT_EQ(f.size(), s.size() * SpanLabeller::kFeatures);
  for (uint32_t b : f) EXPECT_LT(b, 1u << 10);
  // The same character in two contexts: the same unigram feature (slot 0), other trigrams (5).
  const std::u32string twice = U"收集信息，收到";
  std::vector<uint8_t> zero(twice.size(), 0);
  std::vector<uint32_t> t;
  SpanLabeller::Features(twice, zero.data(), 1, (1u << 16) - 1, &t);
  const size_t k = SpanLabeller::kFeatures;
  EXPECT_EQ(t[0 * k + 0], t[5 * k + 0]);
  EXPECT_NE(t[0 * k + 5], t[5 * k + 5]);
  std::vector<uint32_t> g;
  std::vector<uint8_t> none(s.size(), 0);
  SpanLabeller::Features(s, none.data(), 1, (1u << 10) - 1, &g);
  EXPECT_NE(f, g) << "lexicon marks must change the features";
}

class ShippedSpanModelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Diagnostics d;
    auto kb = knowledge::KnowledgeBase::Load(PIAUDIT_DATA_DIR, &d);
    ASSERT_TRUE(kb.ok()) << kb.status().ToString();
    kb_ = new knowledge::KnowledgeBase(std::move(kb).value());
    auto a = PolicyAnalyzer::Create(*kb_, PIAUDIT_DATA_DIR);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    analyzer_ = std::move(a).value().release();
  }
  static void TearDownTestSuite() {
    delete analyzer_;
    delete kb_;
  }
  static PolicyAnalysis Analyze(const std::string& text, const Limits& limits = Limits()) {
    auto r = analyzer_->AnalyzeText(text, limits);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : PolicyAnalysis();
  }
  static std::string Text(const PolicyAnalysis& a, TextRange r) {
    return ToUtf8(ToU32(a.text).substr(r.start, r.end - r.start));
  }
  static knowledge::KnowledgeBase* kb_;
  static PolicyAnalyzer* analyzer_;
};
knowledge::KnowledgeBase* ShippedSpanModelTest::kb_ = nullptr;
PolicyAnalyzer* ShippedSpanModelTest::analyzer_ = nullptr;

TEST_F(ShippedSpanModelTest, ModelLoadsWithItsProvenance) {
  auto m = SpanLabeller::Load(PIAUDIT_DATA_DIR "/policy/span_model.bin");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  bool split = false;
  for (const auto& [k, v] : m->meta()) split |= k == "split";
  EXPECT_TRUE(split) << "the model file must say how validation was held out";
}

TEST_F(ShippedSpanModelTest, CollectionSentenceGivesAPractice) {
  PolicyAnalysis a = Analyze(
      "一、我们如何收集和使用您的个人信息\n"
      "在您使用注册功能时，我们会收集您的手机号码和设备信息，用于账号注册。\n");
  for (const std::string& w : a.warnings) EXPECT_EQ(w.find("span model"), std::string::npos) << w;
  bool verb = false, first_party = false;
  for (const Span& s : a.spans) {
    if (!s.from_model) continue;
    verb |= s.kind == SpanKind::kAction && s.label == "collect" && s.text == "收集";
    first_party |= s.kind == SpanKind::kFirstParty && s.text == "我们";
  }
  EXPECT_TRUE(verb);
  EXPECT_TRUE(first_party);
  bool phone = false;
  for (const Practice& p : a.practices) {
    if (p.data_type_id != "phone_number") continue;
    phone = true;
    EXPECT_EQ(Text(a, p.data), "手机号码");
    EXPECT_EQ(p.action, "collect");
    EXPECT_EQ(p.collector, "first_party");
    EXPECT_EQ(Text(a, p.collector_range), "我们");
    EXPECT_TRUE(p.receivers.empty());
  }
  EXPECT_TRUE(phone) << "no practice for 手机号码";
}

TEST_F(ShippedSpanModelTest, SharingSentenceNamesTheReceiver) {
  PolicyAnalysis a = Analyze(
      "三、我们如何共享您的个人信息\n"
      "我们会将您的设备标识信息共享给友盟，用于统计分析。\n");
  bool shared = false;
  for (const Practice& p : a.practices) {
    if (p.action != "share") continue;
    shared = true;
    ASSERT_EQ(p.receivers.size(), 1u);
    EXPECT_EQ(Text(a, p.receivers[0]), "友盟");
  }
  EXPECT_TRUE(shared) << "no sharing practice";
}

TEST_F(ShippedSpanModelTest, PracticesAreCappedWithAWarning) {
  std::string text = "一、我们如何收集和使用您的个人信息\n";
  for (int i = 0; i < 20; ++i) text += "在您注册账号时，我们会收集您的手机号码。\n";
  Limits limits;
  limits.max_policy_practices = 3;
  EXPECT_GT(Analyze(text).practices.size(), 3u);
  PolicyAnalysis a = Analyze(text, limits);
  EXPECT_EQ(a.practices.size(), 3u);
  bool warned = false;
  for (const std::string& w : a.warnings) warned |= w.find("practice limit") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST_F(ShippedSpanModelTest, PartyWordsComeFromTheLexicon) {
  auto lex = LoadPolicyLexicons(kb_, PIAUDIT_DATA_DIR);
  ASSERT_TRUE(lex.ok());
  EXPECT_EQ(PartyOf(U"我们", *lex), "first_party");
  EXPECT_EQ(PartyOf(U"我们的", *lex), "first_party");
  EXPECT_EQ(PartyOf(U"您", *lex), "data_subject");
  EXPECT_EQ(PartyOf(U"我们的关联公司", *lex), "third_party");
  EXPECT_EQ(PartyOf(U"友盟", *lex), "third_party");
}

TEST_F(ShippedSpanModelTest, TrainingInputsMatchTheAnalysis) {
  const std::string text = "我们会收集您的手机号码。\n为了统计分析，我们使用友盟SDK。\n";
  auto in = analyzer_->SpanInputs(text, Limits());
  ASSERT_TRUE(in.ok());
  PolicyAnalysis a = Analyze(text);
  ASSERT_EQ(in->sentences.size(), a.sentences.size());
  EXPECT_EQ(in->marks.size(), in->text.size());
  EXPECT_EQ(in->text.size(), a.text_code_points);
  // 手机号码 is a PI-type synonym: marked, and its first character marked as the start.
  const size_t at = in->text.find(U"手机号码");
  ASSERT_NE(at, std::u32string::npos);
  EXPECT_TRUE(in->marks[at] & kMarkPiStart);
  EXPECT_TRUE(in->marks[at + 3] & kMarkPiType);
  EXPECT_FALSE(in->marks[at + 3] & kMarkPiStart);
}

// The text SDK list: records of "key：value" fields, roles from table_columns words.
TEST(SdkListTest, ReadsKeyValueRecords) {
  std::array<std::vector<std::u32string>, 5> roles = {
      std::vector<std::u32string>{U"链接"}, {U"目的"}, {U"公司"}, {U"数据", U"信息"}, {U"名称"}};
  const std::vector<std::u32string> markers = {U"SDK"};
  const std::u32string t =
      U"技术支持类合作方： 第三方SDK名称：个推 公司全称：浙江每日互动网络科技股份有限公司 "
      U"使用目的：推送消息\n收集数据类型：设备信息；经纬度 "
      U"官网链接：<http://docs.getui.com/privacy> "
      U"第三方SDK名称：商汤 使用目的：人脸识别\n"
      U"权限名称：相机 使用目的：拍照\n"
      U"广告SDK：为了向您展示广告，我们将收集：设备信息\n";
  std::vector<SdkListRecord> r = FindSdkListRecords(t, roles, markers, 10);
  ASSERT_EQ(r.size(), 2u);
  auto text = [&](const TextRange& x) { return t.substr(x.start, x.end - x.start); };
  EXPECT_EQ(text(r[0].fields[4]), U"个推");
  EXPECT_EQ(text(r[0].fields[2]), U"浙江每日互动网络科技股份有限公司");
  EXPECT_EQ(text(r[0].fields[1]), U"推送消息");
  EXPECT_EQ(text(r[0].fields[3]), U"设备信息；经纬度");
  EXPECT_EQ(text(r[0].fields[0]), U"http://docs.getui.com/privacy");
  EXPECT_EQ(text(r[1].fields[4]), U"商汤");
  EXPECT_EQ(r[1].fields[0].end, r[1].fields[0].start) << "no link given for 商汤";
  EXPECT_EQ(FindSdkListRecords(t, roles, markers, 1).size(), 1u);
}

TEST_F(ShippedSpanModelTest, SdkListRowsAreMatchedToTheCatalogue) {
  PolicyAnalysis a = Analyze(
      "四、第三方SDK\n第三方SDK名称：友盟SDK 公司名称：友盟同欣（北京）科技有限公司 "
      "使用目的：统计分析 收集数据类型：设备信息、IP地址 "
      "隐私政策链接：https://www.umeng.com/policy\n");
  ASSERT_EQ(a.sdk_list.size(), 1u);
  const SdkListRow& r = a.sdk_list[0];
  EXPECT_EQ(r.source, "text");
  EXPECT_EQ(r.name, "友盟SDK");
  EXPECT_EQ(r.sdk_id, "umeng");
  EXPECT_EQ(r.purpose, "统计分析");
  EXPECT_EQ(r.link, "https://www.umeng.com/policy");
  EXPECT_NE(std::find(r.data_types.begin(), r.data_types.end(), "ip"), r.data_types.end());
}

// The SDK list as (name, catalogue id) pairs, in order.
std::vector<std::pair<std::string, std::string>> NamesAndIds(const PolicyAnalysis& a) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const SdkListRow& r : a.sdk_list) out.emplace_back(r.name, r.sdk_id);
  return out;
}

// A Markdown table in a plain-text policy is a table like an HTML one: one SDK-list row per table
// row, named by its name cell, with the catalogue id of the SDK it names (友盟同欣 in the provider
// cell is the same SDK, not a second row), in table order.
TEST_F(ShippedSpanModelTest, SdkTableInPlainTextGivesOneRowPerSdk) {
  PolicyAnalysis a = Analyze(
      "四、第三方SDK\n"
      "SDK名称 | 使用目的 | 收集的个人信息 | 第三方公司名称 | 隐私政策链接  \n"
      "---|---|---|---|---  \n"
      "友盟SDK | 统计分析 | 设备信息、IP地址 | 友盟同欣（北京）科技有限公司 | "
      "https://www.umeng.com/policy  \n"
      "新知文档SDK | 文档预览 | 设备型号 | 新知科技有限公司 | https://example.com/privacy  \n"
      "极光推送 | 推送消息 | 设备标识信息 | 深圳市和讯华谷信息技术有限公司 |\n"
      "<https://www.jiguang.cn/license/privacy>\n");
  ASSERT_EQ(a.sdk_list.size(), 3u);
  EXPECT_EQ(NamesAndIds(a), (std::vector<std::pair<std::string, std::string>>{
                                {"友盟SDK", "umeng"}, {"新知文档SDK", ""}, {"极光推送", "jpush"}}))
      << "新知文档SDK is not in the catalogue: listed, not matched";
  EXPECT_EQ(a.sdk_list[0].source, "table");
  EXPECT_EQ(a.sdk_list[0].purpose, "统计分析");
  EXPECT_EQ(a.sdk_list[0].provider, "友盟同欣（北京）科技有限公司");
  EXPECT_EQ(a.sdk_list[0].link, "https://www.umeng.com/policy");
  EXPECT_NE(std::find(a.sdk_list[0].data_types.begin(), a.sdk_list[0].data_types.end(), "ip"),
            a.sdk_list[0].data_types.end());
  EXPECT_EQ(a.sdk_list[2].link, "https://www.jiguang.cn/license/privacy") << "the wrapped cell";
  EXPECT_LT(a.sdk_list[0].table_row, a.sdk_list[1].table_row);
  EXPECT_EQ(a.table_rows.size(), 4u);
}

// A row is its name cell's SDK: one named only in another cell is not matched to the row, and a
// bare brand (微信, 支付宝) alone in the name cell is that SDK.
TEST_F(ShippedSpanModelTest, SdkTableRowIsItsNameCellsSdk) {
  PolicyAnalysis a = Analyze(
      "SDK名称 | 使用目的 | 收集的个人信息\n"
      "---|---|---\n"
      "七鱼客服 | 客服 | 设备信息，与Bugly共用崩溃日志\n"
      "微信 | 微信登录、分享 | 设备标识信息\n"
      "支付宝 | 支付 | 设备标识信息\n");
  EXPECT_EQ(NamesAndIds(a), (std::vector<std::pair<std::string, std::string>>{
                                {"七鱼客服", ""}, {"微信", "wechat-open"}, {"支付宝", "alipay"}}));
}

// Words any policy uses are no SDK's name: "SDK" is not Alipay, "Push" not OPPO's push, "share"
// and "login" not Facebook's SDK, "TTS" not Baidu's, 定位信息 not AMap, 登录/支付/分享 not WeChat,
// 广告标识符 (a data type) not Google Play services, 联运 not Huawei's account, a phone brand not
// its push service (data/sdks/*.yaml policy_names).
TEST_F(ShippedSpanModelTest, CommonWordsNameNoSdk) {
  PolicyAnalysis a = Analyze(
      "我们接入的第三方SDK会收集设备信息。您可以在系统的Push设置中关闭推送，"
      "或在share页面取消分享；login页面的TTS朗读功能由第三方SDK提供，Split、Radar、MAX亦同。\n"
      "第三方SDK会收集您的定位信息、登录信息、支付信息、分享数据、浏览信息、客服数据和语音信息。\n"
      "联运游戏的第三方SDK会读取广告标识符；在OPPO手机上，第三方SDK还会读取设备信息。\n");
  for (const ThirdPartyMention& p : a.third_parties)
    EXPECT_TRUE(p.sdk_id.empty()) << p.sdk_id << " named by \"" << p.name << "\"";
}

}  // namespace
}  // namespace piaudit::policy
