// Writes report.json, report.sarif and report.html into a directory (created if missing).
#ifndef PIAUDIT_REPORT_WRITE_REPORTS_H_
#define PIAUDIT_REPORT_WRITE_REPORTS_H_

#include <string>

#include "base/status.h"
#include "report/report_input.h"

namespace piaudit::report {

Status WriteTextFile(const std::string& path, const std::string& content);
// Writes the three files; fails with kIo naming the file that could not be written.
Status WriteReports(const std::string& dir, const ReportInput& in);

}  // namespace piaudit::report

#endif  // PIAUDIT_REPORT_WRITE_REPORTS_H_
