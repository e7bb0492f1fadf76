// The CA4P span labeller: a linear-chain model over the characters of a sentence that marks the
// seven CA4P-483 span classes (data, collect, share, handler, receiver, condition, purpose).
//
// CA4P spans nest (a data type inside a condition, a handler inside a purpose), so the model has
// two label layers decoded independently over the same features: layer A holds the short spans
// (data, collect, share, handler, receiver), layer B the long ones (condition, purpose). Each layer
// is a BIO tagging decoded by Viterbi with learned first-order transitions; I-x may only follow
// B-x or I-x. Features are hashed character 1-3-grams around the position, the knowledge base's
// lexicon hits at and next to it (SpanMarks) and the sentence's CAPP-130 categories; every
// feature selects one row of kTags int8 weights, so the emission scores of a position are a sum
// of ~13 rows of 16 bytes and the whole decode is integer arithmetic (C++ and the trainer agree
// exactly).
//
// Trained by scripts/policy/train_spans.py, which runs tools/span_train (an averaged structured
// perceptron over exactly these features, since the features are this file's code). The model
// file format is in docs/policy.md "Span model file"; knowledge::ParseSpanModel checks it for
// `piaudit kb check`.
#ifndef PIAUDIT_POLICY_SPAN_LABELLER_H_
#define PIAUDIT_POLICY_SPAN_LABELLER_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "policy/policy_analysis.h"

namespace piaudit::policy {

enum class SpanClass : uint8_t {
  kData = 0,       // e_21 数据: a personal-information type as written
  kCollect = 1,    // e_22 收集: the collecting verb
  kShare = 2,      // e_23 分享: the sharing verb
  kHandler = 3,    // e_24 操作者: who collects (first party, third party or the user)
  kReceiver = 4,   // e_26 受试者: who receives shared data
  kCondition = 5,  // e_25 条件: when / under which function
  kPurpose = 6,    // e_27 目的: what for
};
inline constexpr int kSpanClassCount = 7;
// "data", "collect", "share", "handler", "receiver", "condition", "purpose".
std::string_view SpanClassName(SpanClass c);

// Per-character lexicon marks, computed by the analyser from its lexicon hits (one byte per code
// point of the text): the model reads them as features.
enum SpanMark : uint8_t {
  kMarkPiType = 1,        // inside a PI-type synonym (data/pi_types.yaml)
  kMarkPiStart = 2,       // first character of one
  kMarkSdk = 4,           // inside an SDK policy name (data/sdks/*.yaml)
  kMarkPermission = 8,    // inside a permission name
  kMarkFunctionCue = 16,  // function_starts / function_ends cue (在您使用 … 功能时)
  kMarkPurposeCue = 32,   // purpose_starts cue (为了, 用于 …)
  kMarkNegation = 64,     // negation cue
  kMarkPartyCue = 128,    // third_party_cues / sdk_cues
};

// A labelled span, offsets relative to the start of the sentence given to Label().
struct LabelledSpan {
  uint32_t start = 0;
  uint32_t end = 0;
  SpanClass cls = SpanClass::kData;
};

class SpanLabeller {
 public:
  // Tags: layer A 0 = O, 1 + 2k = B-k, 2 + 2k = I-k for k = data, collect, share, handler,
  // receiver; layer B 11 = O, 12/13 = B/I-condition, 14/15 = B/I-purpose.
  static constexpr int kTags = 16;
  static constexpr int kLayerATags = 11;
  static constexpr int kLayerBTags = 5;
  // Hashed features per position (see Features()): 23 since issue 19's fourth round (the
  // enumeration item's tail, head and previous item in, the single characters at -2/+2 out).
  static constexpr int kFeatures = 23;

  static Result<SpanLabeller> Parse(std::string_view blob, const std::string& name);
  static Result<SpanLabeller> Load(const std::string& path);

  // Sentences worth labelling: CA4P spans sit in sentences about collection, permissions,
  // sharing and use (docs/policy.md "Span labeller" gives the share of gold spans this keeps).
  // Labelling only these keeps the per-character cost off the rest of a policy.
  // Also a sentence with any lexicon mark among its `n` marks (a PI type, an SDK, a permission,
  // a function / purpose / negation / third-party cue): 12% of the gold data spans of CA4P-483
  // sit in sentences of other categories (retention, security ...), and about half of the rest
  // in sentences naming no PI type but carrying another cue (issue 19, fourth round).
  static bool Relevant(CategorySet cats, const uint8_t* marks, size_t n);

  // The kFeatures buckets of every position of `s` (n = s.size()), position-major, into out
  // (resized). `marks` has s.size() entries. `mask` = buckets - 1. Shared with tools/span_train.
  static void Features(std::u32string_view s, const uint8_t* marks, CategorySet cats, uint32_t mask,
                       std::vector<uint32_t>* out);

  // Per-thread working memory reused across sentences.
  struct Scratch {
    std::vector<uint32_t> feats;
    std::vector<int32_t> emit;  // n * kTags
    std::vector<int32_t> score;
    std::vector<uint8_t> back;
    std::vector<uint8_t> tags;
  };

  // Appends the spans of both layers found in `s` (offsets relative to s) to out. Uses the
  // vector decoder when the CPU has AVX2 (base/cpu_features.h), else LabelReference; both give
  // the same spans. Features() likewise computes the character n-grams 8 positions at a time.
  void Label(std::u32string_view s, const uint8_t* marks, CategorySet cats, Scratch* scratch,
             std::vector<LabelledSpan>* out) const;
  // The portable decoder: emission scores of every position, then Viterbi per layer. The
  // definition the vector decoder is tested against.
  void LabelReference(std::u32string_view s, const uint8_t* marks, CategorySet cats,
                      Scratch* scratch, std::vector<LabelledSpan>* out) const;

  // Integer Viterbi over emission scores em (n x kTags) for one layer, with its transition
  // matrix (t x t, from-major) and start scores; writes the tags (layer-local) to tags.
  static void Viterbi(const int32_t* em, size_t n, int layer, const int32_t* trans,
                      const int32_t* start, Scratch* scratch, uint8_t* tags);
  // Spans of a layer's tag sequence (layer-local tags), appended to out.
  static void TagsToSpans(const uint8_t* tags, size_t n, int layer, std::vector<LabelledSpan>* out);

  uint32_t buckets() const { return buckets_; }
  const std::vector<std::pair<std::string, std::string>>& meta() const { return meta_; }

 private:
  uint32_t buckets_ = 0;
  std::vector<int8_t> weights_;  // buckets x kTags, bucket-major
  std::array<int32_t, kLayerATags * kLayerATags> trans_a_{};
  std::array<int32_t, kLayerBTags * kLayerBTags> trans_b_{};
  std::array<int32_t, kLayerATags> start_a_{};
  std::array<int32_t, kLayerBTags> start_b_{};
  // Both layers as one 16-tag chain for the vector decoder: tag = lane (layer A 0-10, layer B
  // 11-15), transitions between the layers forbidden, so each lane's best predecessor is always
  // in its own layer and the two decodes are those of Viterbi() per layer.
  alignas(64) std::array<int32_t, kTags * kTags> trans_joint_{};
  alignas(64) std::array<int32_t, kTags> start_joint_{};
  std::vector<std::pair<std::string, std::string>> meta_;
};

}  // namespace piaudit::policy

#endif  // PIAUDIT_POLICY_SPAN_LABELLER_H_
