// The one HTML escaping function of the report layer. Every string that reaches an HTML page —
// text or attribute value, from the APK, the policy, the knowledge base or our own messages —
// goes through HtmlEscape / AppendHtmlEscaped, so a hostile app label such as
// `"><img src=x onerror=...>` stays text.
#ifndef PIAUDIT_REPORT_HTML_ESCAPE_H_
#define PIAUDIT_REPORT_HTML_ESCAPE_H_

#include <string>
#include <string_view>

namespace piaudit::report {

// Escapes & < > " ' (safe in text and in single- or double-quoted attributes) and replaces NUL
// and other C0 control characters except \t \n \r with U+FFFD, which HTML forbids.
std::string HtmlEscape(std::string_view s);
// The same, appended to *out (the page renderers build one string without temporaries).
void AppendHtmlEscaped(std::string* out, std::string_view s);

}  // namespace piaudit::report

#endif  // PIAUDIT_REPORT_HTML_ESCAPE_H_
