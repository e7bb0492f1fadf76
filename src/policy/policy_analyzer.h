// The entry point of the policy layer: bytes of a privacy policy (text, HTML or PDF) in, a
// PolicyAnalysis out.
//
// A PolicyAnalyzer holds what is expensive to build and shared by every policy of a batch: the
// sentence classifier (data/policy/sentence_model.bin), the compiled lexicons of the knowledge base
// (PI-type synonyms, permission names, SDK policy names) and the policy lexicons of data/policy/.
// It is immutable after Create() and safe to use from several threads at once.
#ifndef PIAUDIT_POLICY_POLICY_ANALYZER_H_
#define PIAUDIT_POLICY_POLICY_ANALYZER_H_

#include <memory>
#include <string>

#include "base/byte_span.h"
#include "base/limits.h"
#include "base/status.h"
#include "policy/policy_analysis.h"

namespace piaudit {
class StopCondition;
}
namespace piaudit::knowledge {
class KnowledgeBase;
}

namespace piaudit::policy {

class PolicyAnalyzer {
 public:
  // kb_dir is the knowledge tree the KnowledgeBase was loaded from (the policy lexicons and model
  // are read from kb_dir/policy/). The analyzer copies what it needs; kb may die afterwards.
  static Result<std::unique_ptr<PolicyAnalyzer>> Create(const knowledge::KnowledgeBase& kb,
                                                        const std::string& kb_dir);
  // Without a knowledge base: structure, categories, rights, channels, time limits, script and
  // readability still work; data types, permissions and SDKs stay empty.
  static Result<std::unique_ptr<PolicyAnalyzer>> CreateWithoutKnowledge(const std::string& kb_dir);

  ~PolicyAnalyzer();
  PolicyAnalyzer(const PolicyAnalyzer&) = delete;
  PolicyAnalyzer& operator=(const PolicyAnalyzer&) = delete;

  // Decodes (encoding sniffed), extracts text from HTML/PDF and analyses it. Fails with
  // kLimitExceeded when raw is larger than limits.max_policy_bytes, kInvalidInput when the bytes
  // are no readable document (e.g. a broken PDF). `stop` (may be null: never stop) is checked
  // between the stages and inside the per-sentence loops; when it fires the call returns its
  // StopStatus (kDeadlineExceeded / kCancelled), never a partial analysis.
  Result<PolicyAnalysis> Analyze(ByteSpan raw, PolicyFormatHint hint, const Limits& limits,
                                 const StopCondition* stop = nullptr) const;

  // Analyses text that is already decoded (UTF-8; invalid sequences become U+FFFD).
  Result<PolicyAnalysis> AnalyzeText(std::string_view utf8, const Limits& limits,
                                     const StopCondition* stop = nullptr) const;

  // The span labeller's inputs for `utf8` (analysed as plain text), for its trainer
  // (tools/span_train): training sees exactly the segmentation, categories and lexicon marks the
  // analyser computes at run time.
  Result<SpanTrainingInput> SpanInputs(std::string_view utf8, const Limits& limits) const;

  struct Impl;

 private:
  explicit PolicyAnalyzer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One-shot convenience for a single policy (builds an analyzer each call; batches should keep one).
Result<PolicyAnalysis> AnalyzePolicy(ByteSpan raw, PolicyFormatHint hint,
                                     const knowledge::KnowledgeBase& kb, const std::string& kb_dir,
                                     const Limits& limits, const StopCondition* stop = nullptr);

}  // namespace piaudit::policy

#endif  // PIAUDIT_POLICY_POLICY_ANALYZER_H_
