// The one HTML escaping function; see html_escape.h.
#include "report/html_escape.h"

#include "base/utf8.h"

namespace piaudit::report {

namespace {

// The replacement for `c`, or an empty view when `c` is copied as it is.
std::string_view HtmlReplacement(unsigned char c) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '\'':
      return "&#39;";
    case '\t':
    case '\n':
    case '\r':
      return {};
    default:
      // C0 controls and DEL are not allowed in HTML text; NUL would cut some tools' strings.
      if (c < 0x20 || c == 0x7f) return "\xEF\xBF\xBD";  // U+FFFD
      return {};
  }
}

}  // namespace

void AppendHtmlEscaped(std::string* out, std::string_view s) {
  // Copies the runs between special characters in one append each.
  size_t copied_up_to = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    size_t replaced = 1;
    std::string_view replacement;
    if (static_cast<unsigned char>(s[i]) >= 0x80) {
      // Untrusted text (APK entry names, labels) may not be UTF-8: a page must never carry bytes
      // a browser decodes its own way, so bad sequences become U+FFFD as in the JSON outputs.
      const size_t valid = WellFormedUtf8Length(s, i, &replaced);
      if (valid != 0) {
        i += valid - 1;
        continue;
      }
      replacement = "\xEF\xBF\xBD";
    } else {
      replacement = HtmlReplacement(static_cast<unsigned char>(s[i]));
      if (replacement.empty()) continue;
    }
    out->append(s.data() + copied_up_to, i - copied_up_to);
    out->append(replacement);
    copied_up_to = i + replaced;
    i += replaced - 1;
  }
  out->append(s.data() + copied_up_to, s.size() - copied_up_to);
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  AppendHtmlEscaped(&out, s);
  return out;
}

}  // namespace piaudit::report
