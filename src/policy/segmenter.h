// Splits policy text into sentences and sections.
//
// Sentences end at line breaks and at the Chinese and full-width ends 。！？；(and !?;), with any
// closing quotes or brackets that follow kept in the sentence. Lines with Latin prose (". " inside)
// are split by ICU's sentence BreakIterator instead, which knows abbreviations and decimals. A
// sentence longer than Limits::max_sentence_chars code points is cut there, so one run-on line
// cannot make later stages quadratic. Table rows (one line each, cells tab-separated) stay one
// sentence: an SDK row (name, company, purpose, data, link) is one statement.
//
// Headings are lines that IsHeading() accepts (numbered: 第一章, 一、, （一）, 1., 1.1, 【...】) or
// <h1>..<h6> from HTML. IsHeading is shared with the classifier's context features and mirrors
// scripts/policy/features.py is_heading exactly.
#ifndef PIAUDIT_POLICY_SEGMENTER_H_
#define PIAUDIT_POLICY_SEGMENTER_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/limits.h"
#include "policy/document_text.h"
#include "policy/policy_analysis.h"

namespace piaudit::policy {

// Heading test over the code points of one sentence (trimmed inside). Returns the level (1..3) or
// 0.
int HeadingLevel(std::u32string_view s);

// REQUIRES: text is the document's code points. Fills sentences (ranges, section, table_row,
// list_item) and sections; no sentence is longer than max_sentence_chars code points.
void Segment(std::u32string_view text, const std::vector<HeadingMark>& html_headings,
             const std::vector<TableRow>& table_rows, std::vector<Sentence>* sentences,
             std::vector<Section>* sections,
             uint32_t max_sentence_chars = Limits().max_sentence_chars);

// UTF-8 <-> code points, for callers that hold one and need the other.
std::u32string ToU32(std::string_view utf8);
std::string ToUtf8(std::u32string_view s);

}  // namespace piaudit::policy

#endif  // PIAUDIT_POLICY_SEGMENTER_H_
