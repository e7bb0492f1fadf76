// The evidence record's own notes in the reader's language. piaudit writes its notes (an
// EvidenceRef's `detail`, the app type's reason, why code is unknown) in English into
// evidence.json, where tools and `judge` read them as they are; data/messages.yaml's `detail.*`
// entries give each recurring form ("no purpose stated for {what}") with its Chinese text, and a
// report in Chinese shows that. A note of no known form stays the record's own (English) text.
#ifndef PIAUDIT_REPORT_INTERNAL_DETAIL_TEXT_H_
#define PIAUDIT_REPORT_INTERNAL_DETAIL_TEXT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "knowledge/knowledge_base.h"
#include "knowledge/messages.h"

namespace piaudit::report::internal {

class DetailText {
 public:
  // Reads the forms of `kb` whose id starts with `prefix` ("detail.", "citation.") once.
  explicit DetailText(const knowledge::KnowledgeBase& kb, std::string_view prefix = "detail.");

  // `note` in `lang` as escaped HTML (parameters inside <code>, PI types and rights by their
  // names, article numbers `n` as text), or nullopt when no form matches. A note of several parts
  // joined by "; " matches when every part does.
  std::optional<std::string> Html(std::string_view note, knowledge::Lang lang) const;

 private:
  struct Form {
    const knowledge::Message* message = nullptr;
    std::vector<std::string> literals;  // literals[i] comes before params[i]; one more at the end
    std::vector<std::string> params;
  };
  std::optional<std::string> One(std::string_view note, knowledge::Lang lang, int depth) const;
  std::string Param(const std::string& name, std::string_view value, knowledge::Lang lang,
                    int depth) const;

  const knowledge::KnowledgeBase& kb_;
  std::vector<Form> forms_;
};

}  // namespace piaudit::report::internal

#endif  // PIAUDIT_REPORT_INTERNAL_DETAIL_TEXT_H_
