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

// Appends the buckets of n = 1..nmax grams over `cps` (already normalised), namespace ns, that
// were not seen yet in this sentence. Duplicates are removed with a small open-addressing set sized
// to the sentence (it stays in L1/L2; a bucket-sized stamp table or sorting cost far more).
void AddNgrams(const uint32_t* cps, size_t len, uint32_t ns, int nmax, uint32_t mask,
               SentenceClassifier::Scratch* sc) {
  uint32_t* set = sc->stamp.data();
  const uint32_t set_mask = static_cast<uint32_t>(sc->stamp.size() - 1);
  for (int n = 1; n <= nmax; ++n) {
    if (len < static_cast<size_t>(n)) break;
    uint32_t seed = kFnvBasis;
    seed = (seed ^ ns) * kFnvPrime;
    seed = (seed ^ static_cast<uint32_t>(n)) * kFnvPrime;
    for (size_t i = 0; i + n <= len; ++i) {
      uint32_t h = seed;
      for (int k = 0; k < n; ++k) h = (h ^ cps[i + k]) * kFnvPrime;
      uint32_t b = h & mask;
      // Slots hold bucket + 1 (0 = empty). Probe from a mix of the bucket bits.
      uint32_t slot = (b * 2654435761u) & set_mask;
      while (set[slot] != 0 && set[slot] != b + 1) slot = (slot + 1) & set_mask;
      if (set[slot] == 0) {
        set[slot] = b + 1;
        sc->features.push_back(b);
      }
    }
  }
}

void Features(std::u32string_view s, std::u32string_view heading, std::u32string_view prev,
              uint32_t buckets, SentenceClassifier::Scratch* sc) {
  sc->features.clear();
  // At most 3 features per code point of the sentence (+2 marks) and 2 per code point of the
  // context; the set keeps a load factor under 1/2.
  size_t max_feats = 3 * (s.size() + 2) + 2 * heading.size() + 2 * prev.size();
  size_t want = 64;
  while (want < 2 * max_feats) want <<= 1;
  if (sc->stamp.size() < want)
    sc->stamp.assign(want, 0);
  else if (sc->stamp.size() > want)
    sc->stamp.resize(want);
  std::fill(sc->stamp.begin(), sc->stamp.end(), 0);
  const uint32_t mask = buckets - 1;
  std::vector<uint32_t>& buf = sc->buf;
  buf.clear();
  buf.push_back(2);
  for (char32_t c : s) buf.push_back(Norm(c));
  buf.push_back(3);
  AddNgrams(buf.data(), buf.size(), 0, 3, mask, sc);
  if (!heading.empty()) {
    buf.clear();
    for (char32_t c : heading) buf.push_back(Norm(c));
    AddNgrams(buf.data(), buf.size(), 1, 2, mask, sc);
  }
  if (!prev.empty()) {
    buf.clear();
    for (char32_t c : prev) buf.push_back(Norm(c));
    AddNgrams(buf.data(), buf.size(), 2, 2, mask, sc);
  }
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
  Features(sentence, heading, prev, buckets_, scratch);
  // Exact integer sums (the order of features does not matter), then the same double arithmetic
  // as features.score in Python.
  int32_t sums[kStride] = {};
  const std::vector<uint32_t>& f = scratch->features;
  for (size_t i = 0; i < f.size(); ++i) {
    // The table (4 MB) does not fit in cache; ask for lines a few features ahead.
    if (i + 8 < f.size())
      __builtin_prefetch(weights_.data() + static_cast<size_t>(f[i + 8]) * kStride);
    const int8_t* w = weights_.data() + static_cast<size_t>(f[i]) * kStride;
    for (int c = 0; c < kStride; ++c) sums[c] += w[c];
  }
  const size_t nnz = scratch->features.size();
  double inv = nnz == 0 ? 0.0 : 1.0 / std::sqrt(static_cast<double>(nnz));
  std::array<double, kCategoryCount> out{};
  for (int c = 0; c < kCategoryCount; ++c)
    out[c] = bias_[c] + scale_[c] * static_cast<double>(sums[c]) * inv - threshold_[c];
  return out;
}

}  // namespace piaudit::policy
