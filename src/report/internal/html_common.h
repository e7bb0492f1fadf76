// Page frame shared by report.html and the disclose page: doctype, CSP that forbids every
// script and remote fetch, inline stylesheet. Private to src/report.
#ifndef PIAUDIT_REPORT_INTERNAL_HTML_COMMON_H_
#define PIAUDIT_REPORT_INTERNAL_HTML_COMMON_H_

#include <string>
#include <string_view>

namespace piaudit::report::internal {

// Everything up to and including <body>. `title` is escaped here.
std::string HtmlPageStart(std::string_view title);
std::string HtmlPageEnd();

}  // namespace piaudit::report::internal

#endif  // PIAUDIT_REPORT_INTERNAL_HTML_COMMON_H_
