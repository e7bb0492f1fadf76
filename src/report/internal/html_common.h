// Page frame shared by report.html and the disclose page (doctype, CSP that forbids every script
// and remote fetch, inline stylesheet), and the way both pages append markup and text. Private to
// src/report.
#ifndef PIAUDIT_REPORT_INTERNAL_HTML_COMMON_H_
#define PIAUDIT_REPORT_INTERNAL_HTML_COMMON_H_

#include <charconv>
#include <concepts>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "report/html_escape.h"

namespace piaudit::report::internal {

// Everything up to and including <body>. `title` is escaped here; `lang` is the page's language
// ("zh" or "en"), which picks the fonts and tells a screen reader how to read it.
void AppendPageStart(std::string* out, std::string_view title, std::string_view lang = "zh");
void AppendPageEnd(std::string* out);

// The pieces Append() takes. Markup is only ever a string literal; every other string must be
// wrapped in Text (or Joined), which escapes it, so dynamic text cannot become markup by mistake.
struct Text {
  std::string_view text;
};
// `values` joined by `separator`, escaped.
struct Joined {
  std::span<const std::string> values;
  std::string_view separator;
};
// A number in decimal (or hexadecimal with base 16); digits need no escaping.
template <std::integral Integer>
struct Number {
  Integer value;
  int base = 10;
};
template <typename Integer>
Number(Integer) -> Number<Integer>;
template <typename Integer>
Number(Integer, int) -> Number<Integer>;

template <size_t N>
void AppendPiece(std::string* out, const char (&markup)[N]) {
  out->append(markup, N - 1);
}
inline void AppendPiece(std::string* out, Text t) { AppendHtmlEscaped(out, t.text); }
inline void AppendPiece(std::string* out, Joined j) {
  for (size_t i = 0; i < j.values.size(); ++i) {
    if (i > 0) AppendHtmlEscaped(out, j.separator);
    AppendHtmlEscaped(out, j.values[i]);
  }
}
template <typename Integer>
void AppendPiece(std::string* out, Number<Integer> n) {
  char buf[24];
  out->append(buf, std::to_chars(buf, buf + sizeof buf, n.value, n.base).ptr);
}

// Appends markup literals, Text, Joined and Number pieces in order, without temporaries.
template <typename... Pieces>
void Append(std::string* out, const Pieces&... pieces) {
  (AppendPiece(out, pieces), ...);
}

}  // namespace piaudit::report::internal

#endif  // PIAUDIT_REPORT_INTERNAL_HTML_COMMON_H_
