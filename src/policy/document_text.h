// From a decoded document (plain text, HTML) or PDF bytes to the text every offset refers to.
//
// HTML: gumbo parses; script, style, noscript, template and head are dropped; block elements
// (p, div, li, h1-h6, br, section, ...) become line breaks; runs of whitespace inside text collapse
// to one space, as a browser shows them. Tables stay tables: each row is one line, its cells are
// separated by a tab, and the row and cell ranges are recorded (SDK lists are usually tables).
// Nesting is walked with an explicit stack; before gumbo runs, a cheap scan estimates the nesting
// depth and, past Limits::max_html_depth, a tag-stripping fallback is used instead (gumbo frees its
// tree recursively and reconstructs formatting elements quadratically on hostile nesting).
// PDF: poppler-cpp, page texts joined by line breaks, page count bounded (Limits::max_pdf_pages);
// a page's tables are found from where its words stand and written as Markdown pipe tables
// (pdf_tables.h), so the plain-text table reader reads them.
#ifndef PIAUDIT_POLICY_DOCUMENT_TEXT_H_
#define PIAUDIT_POLICY_DOCUMENT_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/byte_span.h"
#include "base/limits.h"
#include "base/status.h"
#include "base/stop.h"
#include "policy/policy_analysis.h"

namespace piaudit::policy {

struct HeadingMark {
  TextRange range;
  int level = 1;
};

struct ExtractedDocument {
  std::string text;                   // UTF-8
  std::vector<TableRow> table_rows;   // code-point offsets into text
  std::vector<HeadingMark> headings;  // <h1>..<h6>
  bool html_fallback = false;         // the tag-stripping path was used
};

// True when the bytes look like HTML (a tag such as <html, <!doctype, <body, <div, <p near the
// start).
bool LooksLikeHtml(std::string_view utf8);
bool LooksLikePdf(ByteSpan raw);

// REQUIRES: html is valid UTF-8 (DecodeText output). When `stop` fires (checked every few
// thousand nodes of the tree walk) the walk ends early and the text is incomplete: callers check
// ShouldStop(stop) afterwards and discard it. gumbo's parse itself cannot be interrupted (about
// 50 ms per MB of HTML), so a stop waits for it.
ExtractedDocument ExtractHtmlText(std::string_view html, const Limits& limits,
                                  const StopCondition* stop = nullptr);

// Fails with kInvalidInput when poppler cannot open the document, kUnsupported when encrypted.
Result<ExtractedDocument> ExtractPdfText(ByteSpan pdf, const Limits& limits);

// The text of at most `max_pages` pages (at most `max_text_bytes`), each page's text followed by a
// form feed, UTF-8 made valid, tables as poppler lays them out (not rebuilt); errors as
// ExtractPdfText. For readers that need the pages apart
// (the report's numbered contents); ExtractPdfText joins them.
Result<std::string> ExtractPdfPages(ByteSpan pdf, int max_pages, uint64_t max_text_bytes);

}  // namespace piaudit::policy

#endif  // PIAUDIT_POLICY_DOCUMENT_TEXT_H_
