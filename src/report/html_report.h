// report.html: one self-contained page for a reviewer (inline CSS, no script, no external
// fonts, images or links to fetch; a Content-Security-Policy forbids any that slip in).
//
// Layout: header with the app facts and versions; the 31 items at a glance (colour + verdict);
// then each item with its findings and their evidence (call chains as ordered lists, policy spans
// quoted with their code-point offsets); SDKs, PI inventory and diagnostics at the end.
// Every string is escaped with HtmlEscape (html_escape.h).
#ifndef PIAUDIT_REPORT_HTML_REPORT_H_
#define PIAUDIT_REPORT_HTML_REPORT_H_

#include <string>

#include "report/report_input.h"

namespace piaudit::report {

std::string RenderHtml(const ReportInput& in);

}  // namespace piaudit::report

#endif  // PIAUDIT_REPORT_HTML_REPORT_H_
