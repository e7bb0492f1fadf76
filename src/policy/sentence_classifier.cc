// Mirror of scripts/policy/features.py; any change there must be made here too (the parity test
// in tests/policy/sentence_classifier_test.cc compares against the test-split figure that
// train/evaluate.py recorded).
#include "policy/sentence_classifier.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "base/mapped_file.h"

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

bool ParseDouble(std::string_view s, double* out) {
  std::string tmp(s);
  char* end = nullptr;
  *out = std::strtod(tmp.c_str(), &end);
  return end == tmp.c_str() + tmp.size() && std::isfinite(*out);
}

}  // namespace

Result<SentenceClassifier> SentenceClassifier::Parse(std::string_view blob) {
  SentenceClassifier m;
  size_t pos = 0;
  int classes = -1;
  int seen_class = 0;
  bool magic = false;
  while (true) {
    size_t e = blob.find('\n', pos);
    if (e == std::string_view::npos || e - pos > 4096)
      return InvalidInput("model header has no 'data' line").AtOffset("sentence_model", pos);
    std::string_view line = blob.substr(pos, e - pos);
    size_t line_off = pos;
    pos = e + 1;
    if (!magic) {
      if (line != "PIAUDIT-SENTENCE-MODEL 1")
        return InvalidInput("bad magic, want 'PIAUDIT-SENTENCE-MODEL 1'")
            .AtOffset("sentence_model", 0);
      magic = true;
      continue;
    }
    if (line == "data") break;
    std::vector<std::string_view> f;
    size_t s = 0;
    while (s <= line.size()) {
      size_t sp = line.find(' ', s);
      if (sp == std::string_view::npos) sp = line.size();
      f.push_back(line.substr(s, sp - s));
      s = sp + 1;
    }
    auto bad = [&](const char* what) {
      return InvalidInput(std::string("bad '") + what + "' line")
          .AtOffset("sentence_model", line_off);
    };
    if (f[0] == "buckets" && f.size() == 2) {
      uint32_t b = 0;
      if (std::from_chars(f[1].data(), f[1].data() + f[1].size(), b).ec != std::errc() || b == 0 ||
          (b & (b - 1)) != 0 || b > (1u << 24))
        return bad("buckets");
      m.buckets_ = b;
    } else if (f[0] == "classes" && f.size() == 2) {
      if (f[1] != "13") return bad("classes");
      classes = kCategoryCount;
    } else if (f[0] == "meta" && f.size() >= 3) {
      m.meta_.emplace_back(std::string(f[1]), std::string(f[2]));
    } else if (f[0] == "class" && f.size() == 6) {
      int c = -1;
      std::from_chars(f[1].data(), f[1].data() + f[1].size(), c);
      if (c != seen_class || c >= kCategoryCount) return bad("class");
      if (f[2] != CategoryName(static_cast<Category>(c))) return bad("class name");
      if (!ParseDouble(f[3], &m.bias_[c]) || !ParseDouble(f[4], &m.scale_[c]) ||
          !ParseDouble(f[5], &m.threshold_[c]))
        return bad("class numbers");
      ++seen_class;
    } else {
      return bad("unknown");
    }
  }
  if (classes != kCategoryCount || seen_class != kCategoryCount || m.buckets_ == 0)
    return InvalidInput("model header incomplete").AtOffset("sentence_model", 0);
  size_t need = static_cast<size_t>(kCategoryCount) * m.buckets_;
  if (blob.size() - pos != need)
    return InvalidInput("model has " + std::to_string(blob.size() - pos) + " weight bytes, want " +
                        std::to_string(need))
        .AtOffset("sentence_model", pos);
  m.weights_.assign(static_cast<size_t>(kStride) * m.buckets_, 0);
  const int8_t* src = reinterpret_cast<const int8_t*>(blob.data() + pos);
  for (int c = 0; c < kCategoryCount; ++c)
    for (uint32_t b = 0; b < m.buckets_; ++b)
      m.weights_[static_cast<size_t>(b) * kStride + c] =
          src[static_cast<size_t>(c) * m.buckets_ + b];
  return m;
}

Result<SentenceClassifier> SentenceClassifier::Load(const std::string& path) {
  // The shipped model is ~3.4 MB; 64 MiB bounds a corrupt or hostile file.
  ASSIGN_OR_RETURN(std::string blob, ReadFileToString(path, 64ull << 20));
  Result<SentenceClassifier> r = Parse(blob);
  if (!r.ok()) return std::move(r).TakeStatus().InFile(path);
  return r;
}

std::array<double, kCategoryCount> SentenceClassifier::ScoreExact(std::u32string_view sentence,
                                                                  std::u32string_view heading,
                                                                  std::u32string_view prev,
                                                                  Scratch* scratch) const {
  Features(sentence, heading, prev, buckets_, weights_.data(), scratch);
  // Exact integer sums (the order of features does not matter), then the same double arithmetic
  // as features.score in Python.
  int32_t sums[kStride] = {};
  const uint32_t* f = scratch->features.data();
  const size_t nnz = scratch->count;
  uint64_t* seen = scratch->seen.data();
  const int8_t* weights = weights_.data();
  static_assert(kStride == kLine);
  // int16 lanes for up to 256 features at a time (|256 * int8| <= 32768 fits int16's range for
  // any weight byte), then widened: the inner loop is a few vector instructions per feature.
  for (size_t start = 0; start < nnz; start += 256) {
    const size_t end = std::min(nnz, start + 256);
    int16_t acc[kStride] = {};
    for (size_t i = start; i < end; ++i) {
      const int8_t* w = weights + static_cast<size_t>(f[i]) * kStride;
      for (int c = 0; c < kStride; ++c) acc[c] = static_cast<int16_t>(acc[c] + w[c]);
      seen[f[i] >> 6] = 0;  // leave the bitmap all zero for the next call
    }
    for (int c = 0; c < kStride; ++c) sums[c] += acc[c];
  }
  double inv = nnz == 0 ? 0.0 : 1.0 / std::sqrt(static_cast<double>(nnz));
  std::array<double, kCategoryCount> out{};
  for (int c = 0; c < kCategoryCount; ++c)
    out[c] = bias_[c] + scale_[c] * static_cast<double>(sums[c]) * inv - threshold_[c];
  return out;
}

}  // namespace piaudit::policy
