// From the span labeller's spans to the policy's spans and practices: which span kind each CA4P
// class becomes (a handler is the first party, the user or a third party by its words), and per
// sentence, each data span with its verb, purpose, condition, collector and receivers.
//
// The attachment is by position inside one sentence, not by syntax: the nearest verb, the nearest
// purpose and condition (preferring the ones before the data span, as Chinese puts 在…时 and 为了…
// first), the handler nearest before the verb. docs/policy.md "Practices" gives how well it does.
#ifndef PIAUDIT_POLICY_PRACTICES_H_
#define PIAUDIT_POLICY_PRACTICES_H_

#include <string_view>
#include <vector>

#include "base/limits.h"
#include "policy/policy_analysis.h"
#include "policy/policy_lexicons.h"
#include "policy/span_labeller.h"

namespace piaudit::policy {

// A lexicon hit: PI-type synonym with its pi_types id.
struct TypedRange {
  uint32_t start = 0;
  uint32_t end = 0;
  std::string_view id;
};

// model_spans[i]: the labeller's spans of sentence i (offsets into t), sorted by start. pi_hits:
// sorted, non-overlapping. Appends the model spans (from_model = true) to *spans and the practices
// to *practices (at most limits.max_policy_practices; *practices_dropped counts the rest).
void ReadModelSpans(std::u32string_view t, const PolicyLexicons& lex,
                    const std::vector<TypedRange>& pi_hits,
                    const std::vector<std::vector<LabelledSpan>>& model_spans, const Limits& limits,
                    std::vector<Span>* spans, std::vector<Practice>* practices,
                    uint64_t* practices_dropped);

// "first_party", "data_subject" or "third_party" for the text of a handler/receiver span.
std::string_view PartyOf(std::u32string_view text, const PolicyLexicons& lex);

}  // namespace piaudit::policy

#endif  // PIAUDIT_POLICY_PRACTICES_H_
