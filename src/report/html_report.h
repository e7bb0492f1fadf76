// report.html: one self-contained page for a reviewer (inline CSS, no script, no external
// fonts, images or links to fetch; a Content-Security-Policy forbids any that slip in).
//
// Layout: header with the app facts and versions; the 31 items at a glance (colour + verdict);
// then each item with its findings and their evidence (call chains as ordered lists, policy spans
// quoted with their code-point offsets); SDKs, PI inventory and diagnostics at the end.
// Every string is escaped with HtmlEscape (html_escape.h).
#ifndef PIAUDIT_REPORT_HTML_REPORT_H_
#define PIAUDIT_REPORT_HTML_REPORT_H_

#include <map>
#include <string>
#include <vector>

#include "report/report_input.h"

namespace piaudit::report {

// The contents list of a printed report (pdf_report.cc): Chromium cannot number it, so the PDF is
// printed twice and the second page gets the page each section's heading landed on in the first.
struct TocPages {
  // Section id ("summary", "problems", ...) to its 1-based page; a missing id shows no number.
  std::map<std::string, int> page;
  // Keep room for the numbers (invisible) so the first print lays out as the second.
  bool reserve = false;
};

// A line of the contents: the section's id and the text its heading starts with.
struct TocEntry {
  std::string id;
  std::string heading;
};

std::string RenderHtml(const ReportInput& in, const TocPages* toc = nullptr);

// The sections of the report of `in`, in page order, as the contents list names them.
std::vector<TocEntry> TocEntries(const ReportInput& in);

}  // namespace piaudit::report

#endif  // PIAUDIT_REPORT_HTML_REPORT_H_
