// Parity and quality of the sentence classifier on the held-apart CAPP-130 test split.
//
// scripts/policy/evaluate.py scored the shipped model on the test split (rw_N, N % 5 == 0) and
// wrote its per-category counts to data/policy/sentence_model.eval.json. This test recomputes them
// with the C++ classifier and requires identical counts: C++ and Python give the same predictions.
// It also prints the per-category table and the macro F1.
#include "policy/sentence_classifier.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "base/mapped_file.h"
#include "policy/segmenter.h"

namespace piaudit::policy {
namespace {

const char* kCapp = PIAUDIT_CORPUS_DIR "/policies/capp130/CAPP_130_Corpus";

int CategoryOfZh(const std::string& zh) {
  for (int c = 0; c < kCategoryCount; ++c)
    if (CategoryZhName(static_cast<Category>(c)) == zh) return c;
  return -1;  // stray text in the label list is ignored, as in features.py
}

TEST(SentenceClassifierTest, RejectsCorruptModels) {
  EXPECT_FALSE(SentenceClassifier::Parse("").ok());
  EXPECT_FALSE(SentenceClassifier::Parse("PIAUDIT-SENTENCE-MODEL 1\nbuckets 3\ndata\n").ok());
  EXPECT_FALSE(
      SentenceClassifier::Parse("PIAUDIT-SENTENCE-MODEL 1\nbuckets 4\nclasses 13\ndata\n").ok());
  auto m = ReadFileToString(PIAUDIT_DATA_DIR "/policy/sentence_model.bin", 64 << 20);
  ASSERT_TRUE(m.ok());
  std::string truncated = m->substr(0, m->size() - 1);
  EXPECT_FALSE(SentenceClassifier::Parse(truncated).ok());
  EXPECT_TRUE(SentenceClassifier::Parse(*m).ok());
}

// Scratch caches the heading's buckets and keeps a bitmap that must be all zero between calls: a
// reused Scratch must give exactly what a fresh one gives, whatever came before.
TEST(SentenceClassifierTest, ReusedScratchMatchesFresh) {
  auto model = SentenceClassifier::Load(PIAUDIT_DATA_DIR "/policy/sentence_model.bin");
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const std::u32string h1 = U"三、我们如何共享、转让、公开披露您的个人信息", h2 = U"（二）联系我们";
  const std::u32string s1 = U"我们不会与第三方共享您的个人信息，除非获得您的明确同意。",
                       s2 = U"如您对本政策有任何疑问，可发送邮件至privacy@example.com。", s3 = U"",
                       s4 = U"好好好好好好好好好好好好";
  const std::u32string* sent[] = {&s1, &s2, &s3, &s4};
  const std::u32string* head[] = {&s3, &h1, &h2, &h1};
  SentenceClassifier::Scratch reused;
  for (int round = 0; round < 2; ++round)
    for (const auto* s : sent)
      for (const auto* h : head)
        for (const auto* p : sent) {
          SentenceClassifier::Scratch fresh;
          auto a = model->ScoreExact(*s, *h, *p, &reused);
          auto b = model->ScoreExact(*s, *h, *p, &fresh);
          for (int c = 0; c < kCategoryCount; ++c) ASSERT_EQ(a[c], b[c]);
        }
}

TEST(SentenceClassifierTest, TestSplitParityWithPython) {
  std::string ann = std::string(kCapp) + "/Annotation/Annotation";
  if (!std::filesystem::exists(ann)) GTEST_SKIP() << "CAPP-130 corpus not found at " << ann;
  auto model = SentenceClassifier::Load(PIAUDIT_DATA_DIR "/policy/sentence_model.bin");
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  std::ifstream ef(PIAUDIT_DATA_DIR "/policy/sentence_model.eval.json");
  ASSERT_TRUE(ef.good());
  nlohmann::json expected = nlohmann::json::parse(ef);
  int64_t tp[kCategoryCount] = {}, fp[kCategoryCount] = {}, fn[kCategoryCount] = {};
  SentenceClassifier::Scratch scratch;
  int sentences = 0;
  for (int n : expected["policies"].get<std::vector<int>>()) {
    auto text = ReadFileToString(ann + "/rw_" + std::to_string(n) + ".jsonl", 64 << 20);
    ASSERT_TRUE(text.ok());
    std::string_view s = *text;
    if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
    std::u32string heading, prev;
    size_t pos = 0;
    while (pos < s.size()) {
      size_t e = s.find('\n', pos);
      if (e == std::string_view::npos) e = s.size();
      std::string_view line = s.substr(pos, e - pos);
      pos = e + 1;
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
      if (line.empty()) continue;
      nlohmann::json o = nlohmann::json::parse(line);
      std::u32string t = ToU32(o["text"].get<std::string>());
      bool gold[kCategoryCount] = {};
      for (const auto& l : o["label"]) {
        int c = CategoryOfZh(l.get<std::string>());
        if (c >= 0) gold[c] = true;
      }
      auto d = model->ScoreExact(t, heading, prev, &scratch);
      for (int c = 0; c < kCategoryCount; ++c) {
        bool p = d[c] > 0;
        tp[c] += p && gold[c];
        fp[c] += p && !gold[c];
        fn[c] += !p && gold[c];
      }
      ++sentences;
      if (HeadingLevel(t) > 0) heading = t;
      prev = t;
    }
  }
  EXPECT_EQ(sentences, expected["sentences"].get<int>());
  double macro = 0;
  std::printf("%-18s %6s %6s %6s\n", "category", "P", "R", "F1");
  for (int c = 0; c < kCategoryCount; ++c) {
    std::string name(CategoryName(static_cast<Category>(c)));
    const auto& e = expected["categories"][name];
    EXPECT_EQ(tp[c], e["tp"].get<int64_t>()) << name;
    EXPECT_EQ(fp[c], e["fp"].get<int64_t>()) << name;
    EXPECT_EQ(fn[c], e["fn"].get<int64_t>()) << name;
    double p = tp[c] + fp[c] ? static_cast<double>(tp[c]) / (tp[c] + fp[c]) : 0;
    double r = tp[c] + fn[c] ? static_cast<double>(tp[c]) / (tp[c] + fn[c]) : 0;
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
    macro += f / kCategoryCount;
    std::printf("%-18s %6.3f %6.3f %6.3f\n", name.c_str(), p, r, f);
  }
  std::printf("macro F1 (all test sentences) %.4f\n", macro);
  EXPECT_NEAR(macro, expected["macro_f1_all"].get<double>(), 1e-9);
  // A floor well under the measured figure: catches a broken model or feature drift.
  EXPECT_GT(macro, 0.70);
}

}  // namespace
}  // namespace piaudit::policy
