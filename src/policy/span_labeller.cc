// The feature function here is the model's definition: tools/span_train calls it to train, so a
// change here needs a retrained data/policy/span_model.bin (scripts/policy/train_spans.py).
#include "policy/span_labeller.h"

#include <immintrin.h>

#include <algorithm>
#include <bit>
#include <climits>
#include <cstring>

#include "base/cpu_features.h"
#include "base/huge_pages.h"
#include "base/mapped_file.h"
#include "knowledge/policy_data.h"

namespace piaudit::policy {
namespace {

// Largest model file accepted (the shipped one is 4 MB).
constexpr uint64_t kMaxSpanModelBytes = 64ull << 20;
// An impossible transition (I-x after anything but B-x/I-x): far below any reachable score (a
// path sums at most kFeatures * 127 per position over max_sentence_chars positions).
constexpr int32_t kForbidden = INT32_MIN / 4;

inline uint32_t Norm(char32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + 0x21;  // full-width ASCII
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= '0' && c <= '9') return '0';
  return c;
}

inline bool IsClauseBreak(uint32_t c) {
  return c == U'，' || c == ',' || c == U'。' || c == U'；' || c == ';' || c == U'：' || c == ':' ||
         c == U'！' || c == U'？' || c == '\t' || c == '\n' || c == U'、';
}

// FNV-1a steps over 32-bit values, then a multiplicative finish whose high bits are the bucket:
// FNV's low bits only depend on the inputs' low bits, the product's high bits on all of them.
constexpr uint32_t kFnvBasis = 2166136261u;
constexpr uint32_t kFnvPrime = 16777619u;
inline uint32_t H(uint32_t h, uint32_t v) { return (h ^ v) * kFnvPrime; }
inline uint32_t Bucket(uint32_t h, int shift) { return (h * 0x9E3779B1u) >> shift; }

// Character class for the shape feature: Han, Latin letter, digit, clause break, other.
inline uint32_t ClassOfChar(uint32_t c) {
  if (c >= 0x4E00 && c <= 0x9FFF) return 0;
  if (c >= 'a' && c <= 'z') return 1;
  if (c == '0') return 2;  // Norm() folded every digit to '0'
  if (IsClauseBreak(c)) return 3;
  if (c < 4) return 4;  // sentence boundary marks
  return 5;
}

// The verb most recently seen in the sentence (not reset at clause breaks: an enumeration
// "收集您的姓名、手机号" keeps its verb across 、): 1 collect-like, 2 share-like, 3 a list intro.
// Two-character words, matched on the normalised characters ending at a position.
inline uint32_t VerbOf(uint32_t a, uint32_t b) {
  struct W {
    char32_t a, b;
    uint8_t kind;
  };
  static constexpr W kWords[] = {
      {U'收', U'集', 1}, {U'采', U'集', 1}, {U'获', U'取', 1}, {U'收', U'取', 1}, {U'读', U'取', 1},
      {U'访', U'问', 1}, {U'使', U'用', 1}, {U'记', U'录', 1}, {U'保', U'存', 1}, {U'存', U'储', 1},
      {U'调', U'用', 1}, {U'提', U'交', 1}, {U'上', U'传', 1}, {U'填', U'写', 1}, {U'申', U'请', 1},
      {U'共', U'享', 2}, {U'分', U'享', 2}, {U'提', U'供', 2}, {U'披', U'露', 2}, {U'转', U'让', 2},
      {U'传', U'输', 2}, {U'发', U'送', 2}, {U'包', U'括', 3}, {U'例', U'如', 3}, {U'比', U'如', 3},
      {U'诸', U'如', 3}, {U'如', U'下', 3}, {U'包', U'含', 3}, {U'涉', U'及', 3}};
  // Most character pairs are no verb: a 256-bit filter on the pair rejects them before the list
  // is searched (the search alone was a quarter of Features()).
  constexpr auto kKey = [](uint32_t x, uint32_t y) { return (x + y * 7) & 255; };
  static constexpr std::array<uint64_t, 4> kMaybe = [&] {
    std::array<uint64_t, 4> m{};
    for (const W& w : kWords) m[kKey(w.a, w.b) >> 6] |= uint64_t{1} << (kKey(w.a, w.b) & 63);
    return m;
  }();
  const uint32_t key = kKey(a, b);
  if ((kMaybe[key >> 6] >> (key & 63) & 1) == 0) return 0;
  for (const W& w : kWords)
    if (w.a == a && w.b == b) return w.kind;
  return 0;
}

// The character n-gram features: each hashes a fixed window of the normalised characters around
// the position (offsets from it) and nothing else, so they are computed for a whole sentence
// before the per-position loop, 8 positions at a time where the CPU has AVX2 (the same 32-bit
// multiplies, so the same buckets as the scalar loop).
struct CharNgram {
  int slot;  // index among the kFeatures of a position
  int len;
  int off[4];
};
constexpr CharNgram kCharNgrams[] = {{0, 1, {0}},
                                     {1, 1, {-1}},
                                     {2, 1, {1}},
                                     {3, 2, {-1, 0}},
                                     {4, 2, {0, 1}},
                                     {5, 3, {-1, 0, 1}},
                                     {6, 3, {-2, -1, 0}},
                                     {7, 3, {0, 1, 2}},
                                     {14, 4, {-1, 0, 1, 2}},
                                     {15, 4, {-2, -1, 0, 1}},
                                     {16, 2, {1, 2}},
                                     {17, 2, {-2, -1}}};
constexpr int kCharNgramCount = sizeof(kCharNgrams) / sizeof(kCharNgrams[0]);
// Positions are processed in blocks of 8; `c` holds position i at c[i + 2] and is readable up to
// c[RoundUp8(n) + 4].
inline size_t RoundUp8(size_t n) { return (n + 7) & ~size_t{7}; }

// grams[g * stride + i] = bucket of n-gram g at position i, for i < n (stride = RoundUp8(n)).
void CharNgramsScalar(const uint32_t* c, size_t n, size_t stride, int shift, uint32_t* grams) {
  for (int g = 0; g < kCharNgramCount; ++g) {
    const CharNgram& k = kCharNgrams[g];
    const uint32_t seed = H(kFnvBasis, static_cast<uint32_t>(k.slot));
    uint32_t* out = grams + g * stride;
    for (size_t i = 0; i < n; ++i) {
      uint32_t h = seed;
      for (int j = 0; j < k.len; ++j) h = H(h, c[i + 2 + k.off[j]]);
      out[i] = Bucket(h, shift);
    }
  }
}

[[gnu::target("avx2")]] void CharNgramsAvx2(const uint32_t* c, size_t n, size_t stride, int shift,
                                            uint32_t* grams) {
  const __m256i prime = _mm256_set1_epi32(static_cast<int>(kFnvPrime));
  const __m256i golden = _mm256_set1_epi32(static_cast<int>(0x9E3779B1u));
  const __m128i count = _mm_cvtsi32_si128(shift);
  for (int g = 0; g < kCharNgramCount; ++g) {
    const CharNgram& k = kCharNgrams[g];
    const __m256i seed =
        _mm256_set1_epi32(static_cast<int>(H(kFnvBasis, static_cast<uint32_t>(k.slot))));
    uint32_t* out = grams + g * stride;
    for (size_t i = 0; i < n; i += 8) {
      __m256i h = seed;
      for (int j = 0; j < k.len; ++j) {
        const __m256i v =
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(c + i + 2 + k.off[j]));
        h = _mm256_mullo_epi32(_mm256_xor_si256(h, v), prime);
      }
      h = _mm256_srl_epi32(_mm256_mullo_epi32(h, golden), count);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), h);
    }
  }
}

constexpr uint32_t kCatMask = (1u << static_cast<int>(Category::kCollection)) |
                              (1u << static_cast<int>(Category::kPermission)) |
                              (1u << static_cast<int>(Category::kSharing)) |
                              (1u << static_cast<int>(Category::kUse));

// Layer-local tag -> span class, and whether the tag begins a span.
inline SpanClass ClassOf(int layer, int tag) {
  if (layer == 0) return static_cast<SpanClass>((tag - 1) / 2);
  return tag <= 2 ? SpanClass::kCondition : SpanClass::kPurpose;
}

// The weight table (4 MB) does not fit in L2: both decoders request the rows of the position
// kRowsAhead places ahead while they sum this one's. `f` is that position's kFeatures buckets.
constexpr size_t kRowsAhead = 4;
[[gnu::always_inline]] inline void PrefetchRows(const int8_t* w, const uint32_t* f) {
  for (int k = 0; k < SpanLabeller::kFeatures; ++k)
    __builtin_prefetch(w + static_cast<size_t>(f[k]) * SpanLabeller::kTags);
}

// The spans appended to `out` since `first`, by start, the longer first at one start.
void SortSpansFrom(size_t first, std::vector<LabelledSpan>* out) {
  std::sort(out->begin() + static_cast<std::ptrdiff_t>(first), out->end(),
            [](const LabelledSpan& a, const LabelledSpan& b) {
              return a.start != b.start ? a.start < b.start : a.end > b.end;
            });
}

// The vector decoder (AVX2, chosen at run time: the portable build has no AVX2). One int32 lane
// per tag (layer A 0-10, layer B 11-15, the layers joined by forbidden transitions), two 8-lane
// registers: per position the feature rows are summed into the emission lanes and one Viterbi
// step runs for all 16 tags at once, the predecessor loop over 16 lanes instead of 11 x 11 +
// 5 x 5 scalar steps. Predecessors are tried in ascending order with a strict comparison, so
// ties go to the first best, as in Viterbi().
static_assert(SpanLabeller::kTags == 16, "one lane per tag, two registers of 8");

[[gnu::target("avx2")]] void DecodeJointAvx2(const uint32_t* f, size_t n, const int8_t* w,
                                             const int32_t* trans, const int32_t* start,
                                             uint8_t* back, int32_t* last) {
  constexpr int kT = SpanLabeller::kTags;
  constexpr int kF = SpanLabeller::kFeatures;
  alignas(64) int32_t cur[kT];
  for (size_t i = 0; i < std::min(n, kRowsAhead); ++i) PrefetchRows(w, f + i * kF);
  for (size_t i = 0; i < n; ++i, f += kF) {
    if (i + kRowsAhead < n) PrefetchRows(w, f + kRowsAhead * kF);
    __m256i acc = _mm256_setzero_si256();  // 16 x int16: |kFeatures x 127| fits
    for (int k = 0; k < kF; ++k) {
      const __m128i row =
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(w + static_cast<size_t>(f[k]) * kT));
      acc = _mm256_add_epi16(acc, _mm256_cvtepi8_epi16(row));
    }
    const __m256i emit_lo = _mm256_cvtepi16_epi32(_mm256_castsi256_si128(acc));
    const __m256i emit_hi = _mm256_cvtepi16_epi32(_mm256_extracti128_si256(acc, 1));
    __m256i next_lo, next_hi;
    if (i == 0) {
      next_lo =
          _mm256_add_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(start)), emit_lo);
      next_hi = _mm256_add_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(start + 8)),
                                 emit_hi);
      std::memset(back, 0, kT);
    } else {
      __m256i best_lo = _mm256_set1_epi32(INT32_MIN), best_hi = best_lo;
      __m256i arg_lo = _mm256_setzero_si256(), arg_hi = arg_lo;
      // Lanes 0-7 are all layer A: their best predecessor is one of tags 0-10 (a layer B tag
      // only reaches them through a forbidden transition), so they skip tags 11-15.
      for (int p = 0; p < kT; ++p) {
        const __m256i from = _mm256_set1_epi32(cur[p]);
        const __m256i id = _mm256_set1_epi32(p);
        if (p < SpanLabeller::kLayerATags) {
          const __m256i v_lo = _mm256_add_epi32(
              from, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(trans + p * kT)));
          arg_lo = _mm256_blendv_epi8(arg_lo, id, _mm256_cmpgt_epi32(v_lo, best_lo));
          best_lo = _mm256_max_epi32(best_lo, v_lo);
        }
        const __m256i v_hi = _mm256_add_epi32(
            from, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(trans + p * kT + 8)));
        arg_hi = _mm256_blendv_epi8(arg_hi, id, _mm256_cmpgt_epi32(v_hi, best_hi));
        best_hi = _mm256_max_epi32(best_hi, v_hi);
      }
      next_lo = _mm256_add_epi32(best_lo, emit_lo);
      next_hi = _mm256_add_epi32(best_hi, emit_hi);
      // 16 tag numbers (< 16) to bytes: packs interleaves the 128-bit halves, the permute
      // restores the order.
      const __m256i words = _mm256_permute4x64_epi64(_mm256_packs_epi32(arg_lo, arg_hi), 0xD8);
      const __m128i bytes =
          _mm_packus_epi16(_mm256_castsi256_si128(words), _mm256_extracti128_si256(words, 1));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(back + i * kT), bytes);
    }
    _mm256_store_si256(reinterpret_cast<__m256i*>(cur), next_lo);
    _mm256_store_si256(reinterpret_cast<__m256i*>(cur + 8), next_hi);
  }
  std::memcpy(last, cur, sizeof(cur));
}

}  // namespace

std::string_view SpanClassName(SpanClass c) {
  switch (c) {
    case SpanClass::kData:
      return "data";
    case SpanClass::kCollect:
      return "collect";
    case SpanClass::kShare:
      return "share";
    case SpanClass::kHandler:
      return "handler";
    case SpanClass::kReceiver:
      return "receiver";
    case SpanClass::kCondition:
      return "condition";
    case SpanClass::kPurpose:
      return "purpose";
  }
  return "?";
}

bool SpanLabeller::Relevant(CategorySet cats, const uint8_t* marks, size_t n) {
  if ((cats & kCatMask) != 0) return true;
  for (size_t i = 0; i < n; ++i)
    if (marks[i] != 0) return true;
  return false;
}

void SpanLabeller::Features(std::u32string_view s, const uint8_t* marks, CategorySet cats,
                            uint32_t mask, std::vector<uint32_t>* out) {
  const size_t n = s.size();
  out->resize(n * kFeatures);
  const int shift = 32 - std::popcount(mask);
  // Normalised characters with two boundary marks on each side (2 before, 3 after).
  // (Then padding, read by the last block of 8 n-gram positions, never used.)
  thread_local std::vector<uint32_t> c;
  const size_t stride = RoundUp8(n);
  c.assign(stride + 5, 3);
  c[0] = c[1] = 2;
  for (size_t i = 0; i < n; ++i) c[i + 2] = Norm(s[i]);
  // Each character's class (ClassOfChar: 3 = a clause break), once: the loop below asks up to
  // eight times per position.
  thread_local std::vector<uint8_t> cls;
  cls.resize(c.size());
  for (size_t j = 0; j < c.size(); ++j) cls[j] = static_cast<uint8_t>(ClassOfChar(c[j]));
  constexpr uint8_t kBreak = 3;
  thread_local std::vector<uint32_t> grams;
  grams.resize(stride * kCharNgramCount);
  (CpuHasAvx2() ? CharNgramsAvx2 : CharNgramsScalar)(c.data(), n, stride, shift, grams.data());
  const uint32_t cat = cats & kCatMask;
  uint32_t* o = out->data();
  // Clause state: a purpose or function cue seen earlier in the clause (condition and purpose
  // spans run from such a cue to the clause end, often past the character window).
  uint32_t after_purpose = 0, after_function = 0;
  // Sentence state: the last verb (VerbOf) and whether the last clause break was an enumeration
  // comma 、 (a data type list continues) or another break.
  uint32_t verb = 0, last_break = 0;
  // Enumeration items: the stretch between two clause breaks (、 included). Each position sees the
  // item's last two characters (信息, 号码, 地址 end data types; 功能, 服务 end purposes) with
  // where it sits in the item, a word-level cue the character window cannot reach.
  thread_local std::vector<uint32_t> item_end;
  item_end.resize(n);
  for (size_t i = n; i-- > 0;)
    item_end[i] = (i + 1 == n || cls[i + 3] == kBreak || cls[i + 2] == kBreak)
                      ? static_cast<uint32_t>(i + 1)
                      : item_end[i + 1];
  size_t item_start = 0;
  uint32_t prev_item = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t* p = c.data() + i + 2;   // p[0] is position i
    const uint8_t* k = cls.data() + i + 2;  // k[0] is its class
    const uint32_t m = marks[i];
    const uint32_t m_prev = i > 0 ? marks[i - 1] : 0x100;
    const uint32_t m_next = i + 1 < n ? marks[i + 1] : 0x200;
    const bool clause_start = i == 0 || k[-1] == kBreak;
    const bool clause_end = i + 1 == n || k[1] == kBreak;
    if (clause_start) after_purpose = after_function = 0;
    const uint32_t state =
        m | after_purpose << 8 | after_function << 9 | clause_start << 10 | clause_end << 11;
    for (int g = 0; g < kCharNgramCount; ++g) o[kCharNgrams[g].slot] = grams[g * stride + i];
    o[10] = Bucket(H(H(kFnvBasis, 10), state), shift);
    o[11] = Bucket(H(H(H(kFnvBasis, 11), m_prev), m_next), shift);
    o[12] = Bucket(H(H(H(kFnvBasis, 12), cat), state & 0xF00), shift);
    o[13] = Bucket(H(H(H(kFnvBasis, 13), cat), p[0]), shift);
    o[18] = Bucket(H(H(H(kFnvBasis, 18), state), p[0]), shift);
    if (i > 0) {
      const uint32_t v = VerbOf(p[-2], p[-1]);
      if (v != 0) verb = v;
      if (k[-1] == kBreak) last_break = p[-1] == U'、' ? 1 : 2;
    }
    const uint32_t shape = k[-2] | k[-1] << 3 | k[0] << 6 | k[1] << 9 | k[2] << 12;
    o[19] = Bucket(H(H(H(H(kFnvBasis, 19), verb), last_break), shape >> 3 & 0x1FF), shift);
    o[20] = Bucket(H(H(H(kFnvBasis, 20), verb), p[0]), shift);
    o[21] = Bucket(H(H(H(kFnvBasis, 21), shape), m & (kMarkPiType | kMarkPiStart)), shift);
    if (k[0] == kBreak || (i > 0 && k[-1] == kBreak)) {
      item_start = i;
      if (i > 0 && k[-1] == kBreak) prev_item = H(H(H(kFnvBasis, p[-3]), p[-2]), p[-1]);
    }
    {
      const size_t e = item_end[i];
      const uint32_t where = (i == item_start) | (i + 1 == e) << 1;
      const uint32_t tail1 = c[e + 1], tail2 = e >= item_start + 2 ? c[e] : 1;
      o[22] = Bucket(H(H(H(H(kFnvBasis, 22), tail2), tail1), where), shift);
      const uint32_t head2 = e >= item_start + 2 ? c[item_start + 3] : 1;
      o[8] = Bucket(H(H(H(H(kFnvBasis, 23), c[item_start + 2]), head2), where), shift);
      o[9] = Bucket(H(H(H(kFnvBasis, 24), prev_item), where), shift);
    }
    o += kFeatures;
    if (m & kMarkPurposeCue) after_purpose = 1;
    if (m & kMarkFunctionCue) after_function = 1;
  }
}

void SpanLabeller::Viterbi(const int32_t* em, size_t n, int layer, const int32_t* trans,
                           const int32_t* start, Scratch* sc, uint8_t* tags) {
  if (n == 0) return;
  const int T = layer == 0 ? kLayerATags : kLayerBTags;
  const int off = layer == 0 ? 0 : kLayerATags;
  sc->score.resize(2 * T);
  sc->back.resize(n * T);
  int32_t* cur = sc->score.data();
  int32_t* nxt = cur + T;
  for (int t = 0; t < T; ++t) cur[t] = start[t] + em[off + t];
  for (size_t i = 1; i < n; ++i) {
    const int32_t* e = em + i * kTags + off;
    uint8_t* bk = sc->back.data() + i * T;
    for (int t = 0; t < T; ++t) {
      int32_t best = INT32_MIN;
      int arg = 0;
      for (int p = 0; p < T; ++p) {
        const int32_t v = cur[p] + trans[p * T + t];
        if (v > best) {
          best = v;
          arg = p;
        }
      }
      nxt[t] = best + e[t];
      bk[t] = static_cast<uint8_t>(arg);
    }
    std::swap(cur, nxt);
  }
  int arg = 0;
  for (int t = 1; t < T; ++t)
    if (cur[t] > cur[arg]) arg = t;
  for (size_t i = n; i-- > 0;) {
    tags[i] = static_cast<uint8_t>(arg);
    if (i > 0) arg = sc->back[i * T + arg];
  }
}

void SpanLabeller::TagsToSpans(const uint8_t* tags, size_t n, int layer,
                               std::vector<LabelledSpan>* out) {
  size_t i = 0;
  while (i < n) {
    const int t = tags[i];
    if (t == 0 || t % 2 == 0) {  // O, or an I without its B (cannot be decoded; be safe)
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < n && tags[j] == t + 1) ++j;
    out->push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(j), ClassOf(layer, t)});
    i = j;
  }
}

void SpanLabeller::Label(std::u32string_view s, const uint8_t* marks, CategorySet cats, Scratch* sc,
                         std::vector<LabelledSpan>* out) const {
  if (!CpuHasAvx2()) {
    LabelReference(s, marks, cats, sc, out);
    return;
  }
  const size_t n = s.size();
  if (n == 0 || buckets_ == 0) return;
  Features(s, marks, cats, buckets_ - 1, &sc->feats);
  sc->back.resize(n * kTags);
  alignas(64) int32_t last[kTags];
  DecodeJointAvx2(sc->feats.data(), n, weights_.data(), trans_joint_.data(), start_joint_.data(),
                  sc->back.data(), last);
  sc->tags.resize(n);
  const size_t first = out->size();
  for (int layer = 0; layer < 2; ++layer) {
    const int lo = layer == 0 ? 0 : kLayerATags;
    const int hi = layer == 0 ? kLayerATags : kTags;
    int arg = lo;  // the first best, as Viterbi() picks
    for (int t = lo + 1; t < hi; ++t)
      if (last[t] > last[arg]) arg = t;
    for (size_t i = n; i-- > 0;) {
      sc->tags[i] = static_cast<uint8_t>(arg - lo);
      if (i > 0) arg = sc->back[i * kTags + arg];
    }
    TagsToSpans(sc->tags.data(), n, layer, out);
  }
  SortSpansFrom(first, out);
}

void SpanLabeller::LabelReference(std::u32string_view s, const uint8_t* marks, CategorySet cats,
                                  Scratch* sc, std::vector<LabelledSpan>* out) const {
  const size_t n = s.size();
  if (n == 0 || buckets_ == 0) return;
  Features(s, marks, cats, buckets_ - 1, &sc->feats);
  sc->emit.resize(n * kTags);
  const uint32_t* f = sc->feats.data();
  const int8_t* w = weights_.data();
  for (size_t i = 0; i < std::min(n, kRowsAhead); ++i) PrefetchRows(w, f + i * kFeatures);
  for (size_t i = 0; i < n; ++i) {
    if (i + kRowsAhead < n) PrefetchRows(w, f + kRowsAhead * kFeatures);
    // kFeatures rows of 16 int8 summed in int16 lanes (|kFeatures x 127| fits), widened once.
    int16_t acc[kTags] = {};
    for (int k = 0; k < kFeatures; ++k) {
      const int8_t* row = w + static_cast<size_t>(f[k]) * kTags;
      for (int t = 0; t < kTags; ++t) acc[t] = static_cast<int16_t>(acc[t] + row[t]);
    }
    int32_t* e = sc->emit.data() + i * kTags;
    for (int t = 0; t < kTags; ++t) e[t] = acc[t];
    f += kFeatures;
  }
  sc->tags.resize(n);
  const size_t first = out->size();
  Viterbi(sc->emit.data(), n, 0, trans_a_.data(), start_a_.data(), sc, sc->tags.data());
  TagsToSpans(sc->tags.data(), n, 0, out);
  Viterbi(sc->emit.data(), n, 1, trans_b_.data(), start_b_.data(), sc, sc->tags.data());
  TagsToSpans(sc->tags.data(), n, 1, out);
  SortSpansFrom(first, out);
}

Result<SpanLabeller> SpanLabeller::Parse(std::string_view blob, const std::string& name) {
  ASSIGN_OR_RETURN(knowledge::SpanModelHeader h, knowledge::ParseSpanModel(blob, name));
  if (h.tags != kTags) {
    return InvalidInput("tags " + std::to_string(h.tags) + " != " + std::to_string(kTags))
        .AtOffset(name, 0);
  }
  SpanLabeller m;
  m.buckets_ = h.buckets;
  m.meta_ = std::move(h.meta);
  const int8_t* src = reinterpret_cast<const int8_t*>(blob.data() + h.weights_offset);
  ReserveOnHugePages(&m.weights_, static_cast<size_t>(h.buckets) * kTags);
  m.weights_.assign(src, src + static_cast<size_t>(h.buckets) * kTags);
  // Allowed transitions come from the file; the structural constraint (I-x only after B-x or
  // I-x, never first) is imposed here so a file cannot produce ill-formed spans.
  for (int layer = 0; layer < 2; ++layer) {
    const int T = layer == 0 ? kLayerATags : kLayerBTags;
    int32_t* trans = layer == 0 ? m.trans_a_.data() : m.trans_b_.data();
    int32_t* start = layer == 0 ? m.start_a_.data() : m.start_b_.data();
    const std::vector<int32_t>& ft = layer == 0 ? h.trans_a : h.trans_b;
    const std::vector<int32_t>& fs = layer == 0 ? h.start_a : h.start_b;
    for (int to = 0; to < T; ++to) {
      const bool inside = to > 0 && to % 2 == 0;
      start[to] = inside ? kForbidden : fs[to];
      for (int from = 0; from < T; ++from) {
        const bool ok = !inside || from == to || from == to - 1;
        trans[from * T + to] = ok ? ft[from * T + to] : kForbidden;
      }
    }
  }
  m.trans_joint_.fill(kForbidden);
  for (int from = 0; from < kLayerATags; ++from)
    for (int to = 0; to < kLayerATags; ++to)
      m.trans_joint_[from * kTags + to] = m.trans_a_[from * kLayerATags + to];
  for (int from = 0; from < kLayerBTags; ++from)
    for (int to = 0; to < kLayerBTags; ++to)
      m.trans_joint_[(kLayerATags + from) * kTags + kLayerATags + to] =
          m.trans_b_[from * kLayerBTags + to];
  std::copy(m.start_a_.begin(), m.start_a_.end(), m.start_joint_.begin());
  std::copy(m.start_b_.begin(), m.start_b_.end(), m.start_joint_.begin() + kLayerATags);
  return m;
}

Result<SpanLabeller> SpanLabeller::Load(const std::string& path) {
  // Mapped, not read into a zero-filled string: Parse copies the weights once, into their table.
  ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> file, MappedFile::Open(path, kMaxSpanModelBytes));
  return Parse(file->bytes().AsStringView(), path);
}

}  // namespace piaudit::policy
