// The text a person reads in report.html, for tests: tags dropped (block elements end a line),
// the few entities HtmlEscape writes decoded, blank lines dropped. With `people_only`, the
// elements that hold identifiers, proper names and the evidence record's own text are dropped
// too (code, the class="name", "record" and quoted-policy elements, the page's style and title),
// leaving only the sentences the report itself writes.
#ifndef PIAUDIT_TESTS_REPORT_HTML_TEXT_H_
#define PIAUDIT_TESTS_REPORT_HTML_TEXT_H_

#include <cstddef>
#include <string>

namespace piaudit::testing {

// `keep_records` (with people_only): the evidence record's own notes (class="record") stay, so a
// test can count the English a Chinese reader still meets there.
std::string HtmlText(const std::string& html, bool people_only, bool keep_records = false);

// The first run of four or more English words in `text` (an English sentence or phrase), or "".
std::string FirstEnglishPhrase(const std::string& text);
// How many such runs `text` holds.
size_t CountEnglishPhrases(const std::string& text);

}  // namespace piaudit::testing

#endif  // PIAUDIT_TESTS_REPORT_HTML_TEXT_H_
