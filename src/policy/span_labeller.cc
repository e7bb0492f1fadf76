// The feature function here is the model's definition: tools/span_train calls it to train, so a
// change here needs a retrained data/policy/span_model.bin (scripts/policy/train_spans.py).
#include "policy/span_labeller.h"

#include <algorithm>
#include <bit>
#include <climits>

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
  for (const W& w : kWords)
    if (w.a == a && w.b == b) return w.kind;
  return 0;
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
  thread_local std::vector<uint32_t> c;
  c.resize(n + 5);
  c[0] = c[1] = 2;
  for (size_t i = 0; i < n; ++i) c[i + 2] = Norm(s[i]);
  c[n + 2] = c[n + 3] = c[n + 4] = 3;
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
    item_end[i] = (i + 1 == n || IsClauseBreak(c[i + 3]) || IsClauseBreak(c[i + 2]))
                      ? static_cast<uint32_t>(i + 1)
                      : item_end[i + 1];
  size_t item_start = 0;
  uint32_t prev_item = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t* p = c.data() + i + 2;  // p[0] is position i
    const uint32_t m = marks[i];
    const uint32_t m_prev = i > 0 ? marks[i - 1] : 0x100;
    const uint32_t m_next = i + 1 < n ? marks[i + 1] : 0x200;
    const bool clause_start = i == 0 || IsClauseBreak(p[-1]);
    const bool clause_end = i + 1 == n || IsClauseBreak(p[1]);
    if (clause_start) after_purpose = after_function = 0;
    const uint32_t state =
        m | after_purpose << 8 | after_function << 9 | clause_start << 10 | clause_end << 11;
    o[0] = Bucket(H(H(kFnvBasis, 0), p[0]), shift);
    o[1] = Bucket(H(H(kFnvBasis, 1), p[-1]), shift);
    o[2] = Bucket(H(H(kFnvBasis, 2), p[1]), shift);
    o[3] = Bucket(H(H(H(kFnvBasis, 3), p[-1]), p[0]), shift);
    o[4] = Bucket(H(H(H(kFnvBasis, 4), p[0]), p[1]), shift);
    o[5] = Bucket(H(H(H(H(kFnvBasis, 5), p[-1]), p[0]), p[1]), shift);
    o[6] = Bucket(H(H(H(H(kFnvBasis, 6), p[-2]), p[-1]), p[0]), shift);
    o[7] = Bucket(H(H(H(H(kFnvBasis, 7), p[0]), p[1]), p[2]), shift);
    o[10] = Bucket(H(H(kFnvBasis, 10), state), shift);
    o[11] = Bucket(H(H(H(kFnvBasis, 11), m_prev), m_next), shift);
    o[12] = Bucket(H(H(H(kFnvBasis, 12), cat), state & 0xF00), shift);
    o[13] = Bucket(H(H(H(kFnvBasis, 13), cat), p[0]), shift);
    o[14] = Bucket(H(H(H(H(H(kFnvBasis, 14), p[-1]), p[0]), p[1]), p[2]), shift);
    o[15] = Bucket(H(H(H(H(H(kFnvBasis, 15), p[-2]), p[-1]), p[0]), p[1]), shift);
    o[16] = Bucket(H(H(H(kFnvBasis, 16), p[1]), p[2]), shift);
    o[17] = Bucket(H(H(H(kFnvBasis, 17), p[-2]), p[-1]), shift);
    o[18] = Bucket(H(H(H(kFnvBasis, 18), state), p[0]), shift);
    if (i > 0) {
      const uint32_t v = VerbOf(p[-2], p[-1]);
      if (v != 0) verb = v;
      if (IsClauseBreak(p[-1])) last_break = p[-1] == U'、' ? 1 : 2;
    }
    const uint32_t shape = ClassOfChar(p[-2]) | ClassOfChar(p[-1]) << 3 | ClassOfChar(p[0]) << 6 |
                           ClassOfChar(p[1]) << 9 | ClassOfChar(p[2]) << 12;
    o[19] = Bucket(H(H(H(H(kFnvBasis, 19), verb), last_break), shape >> 3 & 0x1FF), shift);
    o[20] = Bucket(H(H(H(kFnvBasis, 20), verb), p[0]), shift);
    o[21] = Bucket(H(H(H(kFnvBasis, 21), shape), m & (kMarkPiType | kMarkPiStart)), shift);
    if (IsClauseBreak(p[0]) || (i > 0 && IsClauseBreak(p[-1]))) {
      item_start = i;
      if (i > 0 && IsClauseBreak(p[-1])) prev_item = H(H(H(kFnvBasis, p[-3]), p[-2]), p[-1]);
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
  const size_t n = s.size();
  if (n == 0 || buckets_ == 0) return;
  Features(s, marks, cats, buckets_ - 1, &sc->feats);
  sc->emit.resize(n * kTags);
  const uint32_t* f = sc->feats.data();
  const int8_t* w = weights_.data();
  // The table (4 MB) does not fit in L2: the rows of a position a few places ahead are requested
  // while this one is summed.
  constexpr size_t kAhead = 4;
  for (size_t i = 0; i < std::min(n, kAhead); ++i)
    for (int k = 0; k < kFeatures; ++k)
      __builtin_prefetch(w + static_cast<size_t>(f[i * kFeatures + k]) * kTags);
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) {
      const uint32_t* ahead = f + kAhead * kFeatures;
      for (int k = 0; k < kFeatures; ++k)
        __builtin_prefetch(w + static_cast<size_t>(ahead[k]) * kTags);
    }
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
  std::sort(out->begin() + static_cast<std::ptrdiff_t>(first), out->end(),
            [](const LabelledSpan& a, const LabelledSpan& b) {
              return a.start != b.start ? a.start < b.start : a.end > b.end;
            });
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
  return m;
}

Result<SpanLabeller> SpanLabeller::Load(const std::string& path) {
  ASSIGN_OR_RETURN(std::string blob, ReadFileToString(path, kMaxSpanModelBytes));
  return Parse(blob, path);
}

}  // namespace piaudit::policy
