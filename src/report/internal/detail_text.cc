// See detail_text.h.
#include "report/internal/detail_text.h"

#include "report/html_escape.h"

namespace piaudit::report::internal {

namespace {

// Notes nest ("direct chain: <the analyser's reason>"); two levels are all piaudit writes.
constexpr int kMaxDepth = 2;

bool ParamChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

}  // namespace

DetailText::DetailText(const knowledge::KnowledgeBase& kb, std::string_view prefix) : kb_(kb) {
  for (const knowledge::Message& m : kb.messages()) {
    if (!m.id.starts_with(prefix)) continue;
    Form f;
    f.message = &m;
    std::string literal;
    const std::string& t = m.en;
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i] == '{' && i + 1 < t.size() && t[i + 1] >= 'a' && t[i + 1] <= 'z') {
        size_t end = i + 1;
        while (end < t.size() && ParamChar(t[end])) ++end;
        if (end < t.size() && t[end] == '}') {
          f.literals.push_back(std::move(literal));
          literal.clear();
          f.params.push_back(t.substr(i + 1, end - i - 1));
          i = end;
          continue;
        }
      }
      literal.push_back(t[i]);
    }
    f.literals.push_back(std::move(literal));
    forms_.push_back(std::move(f));
  }
}

std::optional<std::string> DetailText::Html(std::string_view note, knowledge::Lang lang) const {
  if (note.empty()) return std::nullopt;
  if (auto whole = One(note, lang, 0)) return whole;
  std::string out;
  for (size_t start = 0; start <= note.size();) {
    size_t end = note.find("; ", start);
    if (end == std::string_view::npos) end = note.size();
    auto part = One(note.substr(start, end - start), lang, 0);
    if (!part) return std::nullopt;
    if (!out.empty()) out += lang == knowledge::Lang::kZh ? "；" : "; ";
    out += *part;
    if (end == note.size()) break;
    start = end + 2;
  }
  return out;
}

std::optional<std::string> DetailText::One(std::string_view note, knowledge::Lang lang,
                                           int depth) const {
  for (const Form& f : forms_) {
    // Literals in order, each parameter the shortest non-empty text before the next literal (the
    // last one, when the form ends with it, takes the rest).
    if (!note.starts_with(f.literals[0])) continue;
    size_t at = f.literals[0].size();
    std::vector<std::string_view> values;
    bool ok = true;
    for (size_t i = 0; i < f.params.size() && ok; ++i) {
      const std::string& next = f.literals[i + 1];
      const bool last = i + 1 == f.params.size();
      size_t end;
      if (last && next.empty()) {
        end = note.size();
      } else if (last) {
        end = note.size() >= next.size() ? note.size() - next.size() : std::string_view::npos;
        if (end != std::string_view::npos && note.substr(end) != next) end = std::string_view::npos;
      } else {
        end = note.find(next, at + 1);
      }
      if (end == std::string_view::npos || end <= at) {
        ok = false;
        break;
      }
      values.push_back(note.substr(at, end - at));
      at = end + next.size();
    }
    if (!ok || (f.params.empty() ? note != f.literals[0] : at != note.size())) continue;
    // The text of the reader's language with each "{name}" replaced by its value's HTML.
    const std::string& text = f.message->text(lang);
    std::string out;
    size_t pos = 0;
    while (pos < text.size()) {
      size_t open = text.find('{', pos);
      if (open == std::string::npos) break;
      size_t close = text.find('}', open);
      if (close == std::string::npos) break;
      const std::string name = text.substr(open + 1, close - open - 1);
      size_t index = f.params.size();
      for (size_t i = 0; i < f.params.size(); ++i) {
        if (f.params[i] == name) index = i;
      }
      out += HtmlEscape(text.substr(pos, (index == f.params.size() ? close + 1 : open) - pos));
      if (index != f.params.size()) out += Param(name, values[index], lang, depth);
      pos = close + 1;
    }
    out += HtmlEscape(text.substr(pos));
    return out;
  }
  return std::nullopt;
}

std::string DetailText::Param(const std::string& name, std::string_view value, knowledge::Lang lang,
                              int depth) const {
  const bool zh = lang == knowledge::Lang::kZh;
  if (name == "detail" && depth < kMaxDepth) {
    if (auto nested = One(value, lang, depth + 1)) return *nested;
  }
  if (name == "pi_type") {
    if (const knowledge::PiType* t = kb_.FindPiType(std::string(value))) {
      return HtmlEscape(zh ? t->zh : t->en) + "（<code>" + HtmlEscape(value) + "</code>）";
    }
  }
  if (name == "n") return HtmlEscape(value);
  if (name == "right") {
    std::string id = "right." + std::string(value);
    for (char& c : id) {
      if (c == '-') c = '_';
    }
    if (const knowledge::Message* m = kb_.FindMessage(id)) return HtmlEscape(m->text(lang));
  }
  return "<code>" + HtmlEscape(value) + "</code>";
}

}  // namespace piaudit::report::internal
