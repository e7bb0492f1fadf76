// The message catalogue (data/messages.yaml): every sentence a report shows a person, in
// Simplified Chinese and English, with named parameters ("{sdk}", "{pi_type}", "{count}").
//
// Rules and renderers never assemble a sentence from English fragments: they name a message id
// and give its arguments (MessageText), and RenderMessage fills the template of the language the
// reader asked for. The loader checks that every entry has both languages and that both texts
// use exactly the parameters the entry declares, so a translation cannot drop or invent one.
// An argument may itself be a message (rendered in the same language) or a list (joined the way
// the language joins lists, with "+N more" from the catalogue), which keeps the pieces that vary
// with the language ("the app's own code" / "App 自身代码") in the data too.
#ifndef PIAUDIT_KNOWLEDGE_MESSAGES_H_
#define PIAUDIT_KNOWLEDGE_MESSAGES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "knowledge/data_location.h"

namespace piaudit::knowledge {

class KnowledgeBase;

enum class Lang : uint8_t { kZh, kEn };
std::string_view LangName(Lang lang);  // "zh", "en"
std::optional<Lang> ParseLang(std::string_view name);

// One entry of data/messages.yaml.
struct Message {
  std::string id;  // "im3_1.read_before_consent": dotted, lower case
  std::string zh;
  std::string en;
  std::vector<std::string> params;  // the placeholders both texts use, declared order
  std::string source;               // where the wording comes from
  DataLocation where;
  const std::string& text(Lang lang) const { return lang == Lang::kZh ? zh : en; }
};

// The placeholders of a template, in order of first appearance: "{name}" with name
// [a-z][a-z0-9_]*. Other braces are text.
std::vector<std::string> MessagePlaceholders(std::string_view text);

struct MessageText;

// One argument of a message: a literal (the same in every language: identifiers, names, numbers),
// a value the data spells in both languages (a PI type's or SDK category's zh/en names), a list
// of literals, or a nested message.
struct MessageArg {
  enum class Kind : uint8_t { kLiteral, kBilingual, kList, kMessage };
  std::string name;
  Kind kind = Kind::kLiteral;
  std::string literal;     // kLiteral; the English value of kBilingual
  std::string literal_zh;  // kBilingual: the Chinese value
  std::vector<std::string> list;
  size_t list_max = 6;              // items shown before "+N more"
  std::vector<MessageText> nested;  // exactly one element when kind == kMessage
};

// A message id with its arguments: what a rule stores instead of a sentence.
struct MessageText {
  std::string id;
  std::vector<MessageArg> args;
  bool empty() const { return id.empty(); }
};

// Builders for the common cases.
MessageArg Arg(std::string name, std::string value);
MessageArg Arg(std::string name, int64_t value);
// `en` / `zh` as the reader's language asks; an empty `zh` falls back to `en`.
MessageArg BilingualArg(std::string name, std::string en, std::string zh);
MessageArg ListArg(std::string name, std::vector<std::string> values, size_t max = 6);
MessageArg MsgArg(std::string name, MessageText nested);
MessageText Msg(std::string id, std::vector<MessageArg> args = {});

// The text of `m` in `lang`. An id missing from the catalogue renders as "[id]" and a missing
// argument leaves its "{name}" in place: both are bugs the tests look for, never a crash.
std::string RenderMessage(const KnowledgeBase& kb, const MessageText& m, Lang lang);

}  // namespace piaudit::knowledge

#endif  // PIAUDIT_KNOWLEDGE_MESSAGES_H_
