// The message catalogue: loading data/messages.yaml and filling templates (see messages.h and
// docs/knowledge.md#messagesyaml).
#include "knowledge/messages.h"

#include <algorithm>
#include <map>
#include <set>

#include "knowledge/internal/word_list_loaders.h"
#include "knowledge/knowledge_base.h"

namespace piaudit::knowledge {

std::string_view LangName(Lang lang) { return lang == Lang::kZh ? "zh" : "en"; }

std::optional<Lang> ParseLang(std::string_view name) {
  if (name == "zh") return Lang::kZh;
  if (name == "en") return Lang::kEn;
  return std::nullopt;
}

namespace {

bool IsNameStart(char c) { return c >= 'a' && c <= 'z'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9') || c == '_'; }

// Length of the placeholder name starting after the '{' at `pos`, or 0 when none is there.
size_t PlaceholderAt(std::string_view text, size_t pos) {
  size_t i = pos + 1;
  if (i >= text.size() || !IsNameStart(text[i])) return 0;
  while (i < text.size() && IsNameChar(text[i])) ++i;
  if (i >= text.size() || text[i] != '}') return 0;
  return i - pos - 1;
}

bool IsMessageId(const std::string& id) {
  if (id.empty() || !IsNameStart(id[0]) || id.back() == '.') return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    // Upper case for the item ids the catalogue is keyed by ("remediation.IM-3.1").
    const bool ok =
        IsNameChar(c) || (c >= 'A' && c <= 'Z') || c == '-' || (c == '.' && id[i - 1] != '.');
    if (!ok) return false;
  }
  return true;
}

std::string RenderList(const KnowledgeBase& kb, const MessageArg& a, Lang lang) {
  // Chinese enumerates with the ideographic comma; a reader of either language gets the rest
  // counted rather than dropped silently.
  const std::string_view sep = lang == Lang::kZh ? "、" : ", ";
  std::string out;
  for (size_t i = 0; i < a.list.size() && i < a.list_max; ++i) {
    if (i) out += sep;
    out += a.list[i];
  }
  if (a.list.size() > a.list_max) {
    out += RenderMessage(
        kb,
        Msg("common.list_more", {Arg("count", static_cast<int64_t>(a.list.size() - a.list_max))}),
        lang);
  }
  return out;
}

}  // namespace

std::vector<std::string> MessagePlaceholders(std::string_view text) {
  std::vector<std::string> out;
  for (size_t pos = text.find('{'); pos != std::string_view::npos; pos = text.find('{', pos + 1)) {
    const size_t n = PlaceholderAt(text, pos);
    if (n == 0) continue;
    std::string name(text.substr(pos + 1, n));
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
  }
  return out;
}

MessageArg Arg(std::string name, std::string value) {
  MessageArg a;
  a.name = std::move(name);
  a.literal = std::move(value);
  return a;
}
MessageArg Arg(std::string name, int64_t value) {
  return Arg(std::move(name), std::to_string(value));
}
MessageArg BilingualArg(std::string name, std::string en, std::string zh) {
  MessageArg a = Arg(std::move(name), std::move(en));
  a.kind = MessageArg::Kind::kBilingual;
  a.literal_zh = std::move(zh);
  return a;
}
MessageArg ListArg(std::string name, std::vector<std::string> values, size_t max) {
  MessageArg a;
  a.name = std::move(name);
  a.kind = MessageArg::Kind::kList;
  a.list = std::move(values);
  a.list_max = max == 0 ? 1 : max;
  return a;
}
MessageArg MsgArg(std::string name, MessageText nested) {
  MessageArg a;
  a.name = std::move(name);
  a.kind = MessageArg::Kind::kMessage;
  a.nested.push_back(std::move(nested));
  return a;
}
MessageText Msg(std::string id, std::vector<MessageArg> args) {
  MessageText m;
  m.id = std::move(id);
  m.args = std::move(args);
  return m;
}

std::string RenderMessage(const KnowledgeBase& kb, const MessageText& m, Lang lang) {
  const Message* msg = kb.FindMessage(m.id);
  if (msg == nullptr) return "[" + m.id + "]";
  const std::string& tpl = msg->text(lang);
  std::string out;
  out.reserve(tpl.size() + 64);
  size_t last = 0;
  for (size_t pos = tpl.find('{'); pos != std::string::npos; pos = tpl.find('{', pos + 1)) {
    const size_t n = PlaceholderAt(tpl, pos);
    if (n == 0) continue;
    const std::string_view name(tpl.data() + pos + 1, n);
    auto it = std::find_if(m.args.begin(), m.args.end(),
                           [&](const MessageArg& a) { return a.name == name; });
    if (it == m.args.end()) continue;  // left as "{name}"
    out.append(tpl, last, pos - last);
    switch (it->kind) {
      case MessageArg::Kind::kLiteral:
        out += it->literal;
        break;
      case MessageArg::Kind::kBilingual:
        out += lang == Lang::kZh && !it->literal_zh.empty() ? it->literal_zh : it->literal;
        break;
      case MessageArg::Kind::kList:
        out += RenderList(kb, *it, lang);
        break;
      case MessageArg::Kind::kMessage:
        if (!it->nested.empty()) out += RenderMessage(kb, it->nested.front(), lang);
        break;
    }
    last = pos + n + 2;
    pos = last - 1;
  }
  out.append(tpl, last, std::string::npos);
  return out;
}

namespace internal {

void LoadMessages(const std::string& path, Errors* errors, std::vector<Message>* out) {
  File f;
  if (!OpenYamlFile(path, errors, &f)) return;
  Obj h(f, f.root, "messages.yaml", {"version", "sources", "messages"});
  CheckHeader(h);
  const YamlNode list = f.root["messages"];
  if (!list.IsDefined() || !list.IsSequence()) {
    f.Fail(f.root, "", "missing top-level list 'messages'");
    return;
  }
  std::map<std::string, int> lines;
  for (size_t i = 0; i < list.size(); ++i) {
    Obj o(f, list[i], "messages[" + std::to_string(i) + "]",
          {"id", "zh", "en", "params", "source", "note"});
    if (!o.ok()) continue;
    Message m;
    m.where = {f.path, o.line()};
    if (o.Str("id", &m.id, true)) {
      o.set_what("message '" + m.id + "'");
      if (!IsMessageId(m.id)) {
        o.Fail(
            o.Get("id"),
            "id must be dotted words (letters, digits, _ and -) starting with a lower-case letter, "
            "e.g. im3_1.read_before_consent");
      }
      if (auto [p, ins] = lines.emplace(m.id, o.line()); !ins) {
        o.Fail(o.Get("id"),
               "duplicate id (first defined at line " + std::to_string(p->second) + ")");
      }
    }
    // A missing language is the error a translator most needs to see: name it.
    if (!o.Has("zh")) o.Fail("missing the Simplified Chinese text 'zh'");
    if (!o.Has("en")) o.Fail("missing the English text 'en'");
    o.Str("zh", &m.zh, false);
    o.Str("en", &m.en, false);
    o.StrList("params", &m.params, false);
    o.Str("source", &m.source, true);
    std::string note;
    o.Str("note", &note, false);
    std::set<std::string> declared(m.params.begin(), m.params.end());
    if (declared.size() != m.params.size())
      o.Fail(o.Get("params"), "params: a name is listed twice");
    for (const auto& [lang, text] : {std::pair{"zh", &m.zh}, std::pair{"en", &m.en}}) {
      const std::vector<std::string> used = MessagePlaceholders(*text);
      std::set<std::string> used_set(used.begin(), used.end());
      for (const std::string& u : used) {
        if (declared.count(u) == 0) {
          o.Fail(o.Get(lang), std::string(lang) + ": uses {" + u + "}, not declared in params");
        }
      }
      for (const std::string& d : m.params) {
        if (used_set.count(d) == 0) {
          o.Fail(o.Get(lang), std::string(lang) + ": does not use parameter {" + d + "}");
        }
      }
    }
    out->push_back(std::move(m));
  }
}

}  // namespace internal
}  // namespace piaudit::knowledge
