// The policy analyser's data under data/policy/, read and checked here so that `piaudit kb check`
// and the analyser share one loader:
//   lexicon.yaml       cue phrases (negation, rights, channels, time limits, ...) and the words the
//                      analyser's pattern code reads (table columns, company suffixes, ...);
//   jargon.txt         technical terms for the readability figures, one per line;
//   sentence_model.bin the sentence-category model (format: docs/policy.md "Model file").
// The policy module builds its automata and its classifier from what these return; which list
// means what is documented in lexicon.yaml itself and in docs/knowledge.md.
#ifndef PIAUDIT_KNOWLEDGE_POLICY_DATA_H_
#define PIAUDIT_KNOWLEDGE_POLICY_DATA_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/diagnostics.h"
#include "base/status.h"

namespace piaudit::knowledge {

// One list of lexicon.yaml: a top-level list ("negation") or one entry of a map ("deletion" of
// `rights`).
struct PolicyWordList {
  std::string name;
  std::vector<std::string> words;  // in file order
  int line = 0;                    // 1-based line of the list in lexicon.yaml
};

// data/policy/lexicon.yaml and jargon.txt.
struct PolicyLexiconData {
  std::string lexicon_path;  // as opened
  std::string jargon_path;
  std::string version;
  std::vector<std::string> sources;
  std::vector<PolicyWordList> lists;  // top-level lists, in file order
  std::vector<std::pair<std::string, std::vector<PolicyWordList>>> maps;  // map-valued keys
  std::vector<std::string> jargon;

  // Words of the top-level list `name`; empty when there is none (the loader requires them all).
  const std::vector<std::string>& List(std::string_view name) const;
  // Entries of the map-valued key `name` ("rights"), in file order; empty when absent.
  const std::vector<PolicyWordList>& Map(std::string_view name) const;
};

// Reads and checks kb_dir/policy/lexicon.yaml and kb_dir/policy/jargon.txt. Every problem goes to
// `diags` (when not null) as "<file>:<line>: <problem>"; the first one is returned.
Result<PolicyLexiconData> LoadPolicyLexicon(const std::string& kb_dir, Diagnostics* diags);

// The header of a sentence model file: text lines up to "data", then int8 weights, class-major.
struct SentenceModelClass {
  std::string name;  // "collection"
  double bias = 0;
  double scale = 0;
  double threshold = 0;
};
struct SentenceModelHeader {
  uint32_t buckets = 0;  // a power of two
  std::vector<SentenceModelClass> classes;
  std::vector<std::pair<std::string, std::string>> meta;  // "meta KEY VALUE" lines
  uint64_t weights_offset = 0;  // where the classes.size() * buckets weight bytes start
};

// Checks a whole model image: the magic line, every header line, and that exactly
// classes * buckets weight bytes follow "data". Errors name `name` and the header line
// ("<name>:<line>: ..."). Class names are the policy module's business (it checks them).
Result<SentenceModelHeader> ParseSentenceModel(std::string_view image, const std::string& name);

// Maps `path` (bounded) and checks it with ParseSentenceModel without reading the weights in.
Result<SentenceModelHeader> CheckSentenceModelFile(const std::string& path);

// The header of a span model file (docs/policy.md "Span model file"): text lines up to "data",
// then buckets x tags int8 weights, bucket-major. Transitions and start scores are integers in the
// weights' scale: "trans a|b" has tags_a^2 / tags_b^2 values (from-major), "start a|b" one per tag.
struct SpanModelHeader {
  uint32_t buckets = 0;  // a power of two
  int tags = 0;          // 16: 11 of layer a, 5 of layer b
  std::vector<int32_t> trans_a, trans_b, start_a, start_b;
  std::vector<std::pair<std::string, std::string>> meta;
  uint64_t weights_offset = 0;
};
// Checks a whole span model image (magic, every header line, the weight size); errors name
// `name` and the line.
Result<SpanModelHeader> ParseSpanModel(std::string_view image, const std::string& name);
Result<SpanModelHeader> CheckSpanModelFile(const std::string& path);

}  // namespace piaudit::knowledge

#endif  // PIAUDIT_KNOWLEDGE_POLICY_DATA_H_
