// See html_text.h.
#include "report/html_text.h"

#include <iterator>
#include <regex>
#include <sstream>
#include <vector>

namespace piaudit::testing {
namespace {

void ReplaceAll(std::string* s, const std::string& from, const std::string& to) {
  for (size_t pos = s->find(from); pos != std::string::npos; pos = s->find(from, pos + to.size())) {
    s->replace(pos, from.size(), to);
  }
}

// Removes every element that opens with `open` (e.g. "<code") up to its `close`. The report
// never nests these elements inside themselves.
void DropElements(std::string* s, const std::string& open, const std::string& close) {
  for (size_t pos = s->find(open); pos != std::string::npos; pos = s->find(open, pos)) {
    const size_t end = s->find(close, pos);
    if (end == std::string::npos) break;
    s->erase(pos, end + close.size() - pos);
  }
}

}  // namespace

std::string HtmlText(const std::string& html, bool people_only, bool keep_records) {
  std::string s = html;
  DropElements(&s, "<style", "</style>");
  DropElements(&s, "<title", "</title>");
  if (people_only) {
    DropElements(&s, "<code", "</code>");
    DropElements(&s, "<span class=\"name\"", "</span>");
    if (!keep_records) DropElements(&s, "<span class=\"record\"", "</span>");
    DropElements(&s, "<td class=\"name\"", "</td>");
    DropElements(&s, "<blockquote", "</blockquote>");
  }
  s = std::regex_replace(
      s, std::regex("</(p|li|tr|h[1-6]|div|table|ul|ol|header|section|article|nav)>|<br>"), "\n");
  s = std::regex_replace(s, std::regex("</t[dh]>"), " | ");
  s = std::regex_replace(s, std::regex("<[^>]*>"), "");
  ReplaceAll(&s, "&lt;", "<");
  ReplaceAll(&s, "&gt;", ">");
  ReplaceAll(&s, "&quot;", "\"");
  ReplaceAll(&s, "&#39;", "'");
  ReplaceAll(&s, "&amp;", "&");
  std::istringstream in(s);
  std::string line, out;
  while (std::getline(in, line)) {
    line = std::regex_replace(line, std::regex("[ \t]+"), " ");
    while (!line.empty() && line.front() == ' ') line.erase(0, 1);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (line.empty() || line == "|") continue;
    out += line + "\n";
  }
  return out;
}

namespace {
const std::regex& EnglishPhrase() {
  static const std::regex phrase("[A-Za-z]{2,}(?:[ ,'/-]+[A-Za-z]{2,}){3,}");
  return phrase;
}
}  // namespace

size_t CountEnglishPhrases(const std::string& text) {
  return static_cast<size_t>(std::distance(
      std::sregex_iterator(text.begin(), text.end(), EnglishPhrase()), std::sregex_iterator()));
}

std::string FirstEnglishPhrase(const std::string& text) {
  const std::regex& phrase = EnglishPhrase();
  std::smatch m;
  return std::regex_search(text, m, phrase) ? m.str() : std::string();
}

}  // namespace piaudit::testing
