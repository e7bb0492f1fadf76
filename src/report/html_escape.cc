// The one HTML escaping function; see html_escape.h.
#include "report/html_escape.h"

namespace piaudit::report {

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\t':
      case '\n':
      case '\r':
        out.push_back(ch);
        break;
      default: {
        unsigned char u = static_cast<unsigned char>(ch);
        // C0 controls and DEL are not allowed in HTML text; NUL would cut some tools' strings.
        if (u < 0x20 || u == 0x7f) {
          out += "\xEF\xBF\xBD";  // U+FFFD
        } else {
          out.push_back(ch);
        }
      }
    }
  }
  return out;
}

}  // namespace piaudit::report
