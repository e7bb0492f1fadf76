// The CAPP-130 sentence-category classifier: a one-vs-rest linear model over hashed binary
// character n-grams of the sentence, its section heading and the previous sentence.
//
// The features, the hash and the model file format are specified in scripts/policy/features.py
// (trained by scripts/policy/train.py); this is the C++ mirror and must give the same scores.
// Weights are int8 per class with one float scale, so the dot product is an exact integer sum and
// Python and C++ agree bit for bit up to the final double arithmetic, done in the same order.
#ifndef PIAUDIT_POLICY_SENTENCE_CLASSIFIER_H_
#define PIAUDIT_POLICY_SENTENCE_CLASSIFIER_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "policy/policy_analysis.h"

namespace piaudit::policy {

class SentenceClassifier {
 public:
  // Parses a model file image (see docs/policy.md "Model file"); the format is checked by
  // knowledge::ParseSentenceModel (the loader of `piaudit kb check`), the 13 categories here.
  // Errors name `name` ("sentence_model" by default, the path for Load) and the header line.
  static Result<SentenceClassifier> Parse(std::string_view blob);
  static Result<SentenceClassifier> Parse(std::string_view blob, const std::string& name);
  static Result<SentenceClassifier> Load(const std::string& path);

  // Per-thread working memory, reused across calls so scoring does not allocate: the feature
  // list, a bitmap over the buckets that removes duplicate features in O(1) each (32 KB for 2^18
  // buckets, so it stays in L1; it is all zero between calls: only the bits that were set are
  // cleared), and the buckets of the last section heading (a heading is the context of every
  // sentence of its section, so its n-grams are hashed once).
  struct Scratch {
    std::vector<uint32_t> features;  // the first `count` entries are the distinct buckets
    size_t count = 0;
    std::vector<uint64_t> seen;
    std::vector<uint32_t> buf;
    std::u32string heading;  // the heading whose buckets (for `heading_mask`) are cached
    uint32_t heading_mask = 0;
    std::vector<uint32_t> heading_buckets;
  };

  // Scores minus thresholds, in double, exactly as the Python scorer computes them (>0 = the
  // category applies). `heading` is the current section heading, `prev` the previous sentence,
  // both possibly empty.
  std::array<double, kCategoryCount> ScoreExact(std::u32string_view sentence,
                                                std::u32string_view heading,
                                                std::u32string_view prev, Scratch* scratch) const;

  uint32_t buckets() const { return buckets_; }
  // "meta" lines of the model file (C, val_macro_f1, split ...).
  const std::vector<std::pair<std::string, std::string>>& meta() const { return meta_; }

 private:
  uint32_t buckets_ = 0;
  std::array<double, kCategoryCount> bias_{}, scale_{}, threshold_{};
  // Bucket-major, kStride bytes per bucket (13 used, zero padded): one feature touches one cache
  // line instead of 13. The file stores them class-major; Parse() transposes.
  static constexpr int kStride = 16;
  std::vector<int8_t> weights_;
  std::vector<std::pair<std::string, std::string>> meta_;
};

}  // namespace piaudit::policy

#endif  // PIAUDIT_POLICY_SENTENCE_CLASSIFIER_H_
