// Mirror of scripts/policy/features.py; any change there must be made here too (the parity test
// in tests/policy/sentence_classifier_test.cc compares against the test-split figure that
// train/evaluate.py recorded).
#include "policy/sentence_classifier.h"

#include <algorithm>
#include <cmath>

#include "base/cpu_features.h"
#include "base/huge_pages.h"
#include "base/mapped_file.h"
#include "knowledge/policy_data.h"

namespace piaudit::policy {
namespace {

constexpr uint32_t kFnvBasis = 2166136261u;
constexpr uint32_t kFnvPrime = 16777619u;

inline uint32_t Norm(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= '0' && c <= '9') return '0';
  return c;
}

// Bytes per bucket in the transposed weight table (SentenceClassifier::kStride, checked there).
constexpr size_t kLine = 16;

constexpr uint32_t Seed(uint32_t ns, uint32_t n) {
  return (((kFnvBasis ^ ns) * kFnvPrime) ^ n) * kFnvPrime;
}

// Adds bucket b to the feature list unless it is already there (binary presence). Branch-free:
// the slot is written either way and the count only moves for a new bucket.
inline void Add(uint32_t b, uint64_t* seen, uint32_t* out, size_t* n, const int8_t* weights) {
  // The weight table (4 MB) does not fit in L1/L2: start loading the bucket's line now, so it is
  // there when the scores are summed after all features are known.
  __builtin_prefetch(weights + static_cast<size_t>(b) * kLine);
  uint64_t& w = seen[b >> 6];
  const uint64_t bit = uint64_t{1} << (b & 63);
  out[*n] = b;
  *n += (w & bit) == 0;
  w |= bit;
}

// Raw (not de-duplicated) buckets of the 1- and 2-grams of `s` in namespace ns, normalised.
void ContextBuckets(std::u32string_view s, uint32_t ns, uint32_t mask, std::vector<uint32_t>* out) {
  out->clear();
  const uint32_t s1 = Seed(ns, 1), s2 = Seed(ns, 2);
  for (size_t i = 0; i < s.size(); ++i) {
    const uint32_t c = Norm(s[i]);
    out->push_back(((s1 ^ c) * kFnvPrime) & mask);
    if (i + 1 < s.size())
      out->push_back((((s2 ^ c) * kFnvPrime ^ Norm(s[i + 1])) * kFnvPrime) & mask);
  }
}

// The distinct buckets of one sentence with its context, in any order (the score is a sum), in
// sc->features[0, sc->count). Same set as features.features() in Python.
void Features(std::u32string_view s, std::u32string_view heading, std::u32string_view prev,
              uint32_t buckets, const int8_t* weights, SentenceClassifier::Scratch* sc) {
  const uint32_t mask = buckets - 1;
  const size_t words = (static_cast<size_t>(buckets) + 63) / 64;
  if (sc->seen.size() != words) sc->seen.assign(words, 0);
  if (!heading.empty() &&
      (heading != std::u32string_view(sc->heading) || sc->heading_mask != mask)) {
    sc->heading.assign(heading);
    sc->heading_mask = mask;
    ContextBuckets(heading, 1, mask, &sc->heading_buckets);
  }
  // At most 3 features per code point of the sentence (+2 marks) and 2 per code point of the
  // context; Add() writes one slot past the count.
  const size_t max_feats = 3 * (s.size() + 2) + 2 * heading.size() + 2 * prev.size() + 1;
  if (sc->features.size() < max_feats) sc->features.resize(max_feats);
  uint32_t* out = sc->features.data();
  uint64_t* seen = sc->seen.data();
  size_t n = 0;
  // Namespace 0: 1..3-grams over [0x02] + sentence + [0x03], all three sizes in one pass.
  std::vector<uint32_t>& buf = sc->buf;
  buf.resize(s.size() + 2);
  buf[0] = 2;
  for (size_t i = 0; i < s.size(); ++i) buf[i + 1] = Norm(s[i]);
  buf[s.size() + 1] = 3;
  const uint32_t* c = buf.data();
  const size_t len = buf.size();
  constexpr uint32_t k1 = Seed(0, 1), k2 = Seed(0, 2), k3 = Seed(0, 3);
  for (size_t i = 0; i + 2 < len; ++i) {
    Add(((k1 ^ c[i]) * kFnvPrime) & mask, seen, out, &n, weights);
    const uint32_t h2 = ((k2 ^ c[i]) * kFnvPrime ^ c[i + 1]) * kFnvPrime;
    Add(h2 & mask, seen, out, &n, weights);
    const uint32_t h3 = ((((k3 ^ c[i]) * kFnvPrime ^ c[i + 1]) * kFnvPrime) ^ c[i + 2]) * kFnvPrime;
    Add(h3 & mask, seen, out, &n, weights);
  }
  // The tail: len >= 2, so the last two positions remain (one bigram, two unigrams).
  Add(((k1 ^ c[len - 2]) * kFnvPrime) & mask, seen, out, &n, weights);
  Add(((k1 ^ c[len - 1]) * kFnvPrime) & mask, seen, out, &n, weights);
  Add((((k2 ^ c[len - 2]) * kFnvPrime ^ c[len - 1]) * kFnvPrime) & mask, seen, out, &n, weights);
  // Namespace 1: the section heading (cached); namespace 2: the previous sentence.
  if (!heading.empty())
    for (uint32_t b : sc->heading_buckets) Add(b, seen, out, &n, weights);
  if (!prev.empty()) {
    constexpr uint32_t p1 = Seed(2, 1), p2 = Seed(2, 2);
    uint32_t cur = Norm(prev[0]);
    for (size_t i = 0; i < prev.size(); ++i) {
      Add(((p1 ^ cur) * kFnvPrime) & mask, seen, out, &n, weights);
      if (i + 1 < prev.size()) {
        const uint32_t next = Norm(prev[i + 1]);
        Add((((p2 ^ cur) * kFnvPrime ^ next) * kFnvPrime) & mask, seen, out, &n, weights);
        cur = next;
      }
    }
  }
  sc->count = n;
}

// sums[c] += the weight rows of the nnz buckets f[0, nnz), and the buckets' bits cleared in
// `seen` (the bitmap is left all zero for the next sentence). int16 lanes for up to 256 features
// at a time (|256 * int8| <= 32768 fits int16's range for any weight byte), then widened: exact
// integer sums, so the AVX2 build below (chosen at run time) gives the same scores.
[[gnu::always_inline]] inline void SumRowsBody(const int8_t* weights, const uint32_t* f, size_t nnz,
                                               uint64_t* seen, int32_t* sums) {
  for (size_t start = 0; start < nnz; start += 256) {
    const size_t end = std::min(nnz, start + 256);
    int16_t acc[kLine] = {};
    for (size_t i = start; i < end; ++i) {
      const int8_t* w = weights + static_cast<size_t>(f[i]) * kLine;
      for (size_t c = 0; c < kLine; ++c) acc[c] = static_cast<int16_t>(acc[c] + w[c]);
      seen[f[i] >> 6] = 0;
    }
    for (size_t c = 0; c < kLine; ++c) sums[c] += acc[c];
  }
}

void SumRows(const int8_t* weights, const uint32_t* f, size_t nnz, uint64_t* seen, int32_t* sums) {
  SumRowsBody(weights, f, nnz, seen, sums);
}

[[gnu::target("avx2")]] void SumRowsAvx2(const int8_t* weights, const uint32_t* f, size_t nnz,
                                         uint64_t* seen, int32_t* sums) {
  SumRowsBody(weights, f, nnz, seen, sums);
}

}  // namespace

Result<SentenceClassifier> SentenceClassifier::Parse(std::string_view blob) {
  return Parse(blob, "sentence_model");
}

Result<SentenceClassifier> SentenceClassifier::Parse(std::string_view blob,
                                                     const std::string& name) {
  // The file format is checked by the knowledge module's loader, the one `piaudit kb check` runs;
  // what is left here is what only this module knows: the 13 categories, in order.
  ASSIGN_OR_RETURN(knowledge::SentenceModelHeader h, knowledge::ParseSentenceModel(blob, name));
  if (h.classes.size() != static_cast<size_t>(kCategoryCount)) {
    return InvalidInput("model has " + std::to_string(h.classes.size()) + " classes, want " +
                        std::to_string(kCategoryCount))
        .InFile(name);
  }
  SentenceClassifier m;
  m.buckets_ = h.buckets;
  m.meta_ = std::move(h.meta);
  for (int c = 0; c < kCategoryCount; ++c) {
    const knowledge::SentenceModelClass& k = h.classes[c];
    if (k.name != CategoryName(static_cast<Category>(c))) {
      return InvalidInput("model class " + std::to_string(c) + " is '" + k.name + "', want '" +
                          std::string(CategoryName(static_cast<Category>(c))) + "'")
          .InFile(name);
    }
    m.bias_[c] = k.bias;
    m.scale_[c] = k.scale;
    m.threshold_[c] = k.threshold;
  }
  ReserveOnHugePages(&m.weights_, static_cast<size_t>(kStride) * m.buckets_);
  m.weights_.assign(static_cast<size_t>(kStride) * m.buckets_, 0);
  const int8_t* src = reinterpret_cast<const int8_t*>(blob.data() + h.weights_offset);
  for (int c = 0; c < kCategoryCount; ++c)
    for (uint32_t b = 0; b < m.buckets_; ++b)
      m.weights_[static_cast<size_t>(b) * kStride + c] =
          src[static_cast<size_t>(c) * m.buckets_ + b];
  return m;
}

Result<SentenceClassifier> SentenceClassifier::Load(const std::string& path) {
  // The shipped model is ~3.4 MB; 64 MiB bounds a corrupt or hostile file.
  // Mapped, not read into a zero-filled string: Parse copies the weights once, into their table.
  ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> file, MappedFile::Open(path, 64ull << 20));
  return Parse(file->bytes().AsStringView(), path);
}

std::array<double, kCategoryCount> SentenceClassifier::ScoreExact(std::u32string_view sentence,
                                                                  std::u32string_view heading,
                                                                  std::u32string_view prev,
                                                                  Scratch* scratch) const {
  Features(sentence, heading, prev, buckets_, weights_.data(), scratch);
  // Exact integer sums (the order of features does not matter), then the same double arithmetic
  // as features.score in Python.
  int32_t sums[kStride] = {};
  static_assert(kStride == kLine);
  (CpuHasAvx2() ? SumRowsAvx2 : SumRows)(weights_.data(), scratch->features.data(), scratch->count,
                                         scratch->seen.data(), sums);
  const size_t nnz = scratch->count;
  double inv = nnz == 0 ? 0.0 : 1.0 / std::sqrt(static_cast<double>(nnz));
  std::array<double, kCategoryCount> out{};
  for (int c = 0; c < kCategoryCount; ++c)
    out[c] = bias_[c] + scale_[c] * static_cast<double>(sums[c]) * inv - threshold_[c];
  return out;
}

}  // namespace piaudit::policy
