// Writes the report files of one judgement into a directory (created if missing): the one way
// `piaudit scan`, `piaudit judge` and the batch and service layers write reports.
//
// Formats and their files: "json" report.json (piaudit.report/1), "sarif" report.sarif (SARIF
// 2.1.0), "html" report.html, "pdf" report.pdf (the HTML printed by Chromium, pdf_report.h),
// "evidence" evidence.json (piaudit.evidence/1, the record
// `piaudit judge` reads back).
#ifndef PIAUDIT_REPORT_WRITE_REPORTS_H_
#define PIAUDIT_REPORT_WRITE_REPORTS_H_

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "report/report_input.h"

namespace piaudit::report {

// Parses a comma-separated list ("json,sarif,html"); kInvalidInput names an unknown format.
// `allowed` is the subset a command offers.
Result<std::set<std::string>> ParseReportFormats(std::string_view list,
                                                 const std::set<std::string>& allowed);
inline const std::set<std::string> kAllReportFormats = {"json", "sarif", "html", "pdf", "evidence"};

Status WriteTextFile(const std::string& path, const std::string& content);

// Writes each of `formats` into `dir`, in the order json, sarif, html, pdf, evidence; returns the
// paths written. Fails with kIo naming the file that could not be written (files written before
// it stay), kInternal when in.evidence is null.
Result<std::vector<std::string>> WriteReportFiles(const std::string& dir,
                                                  const std::set<std::string>& formats,
                                                  const ReportInput& in);

// The three reports for people and tools: json, sarif, html.
Status WriteReports(const std::string& dir, const ReportInput& in);

}  // namespace piaudit::report

#endif  // PIAUDIT_REPORT_WRITE_REPORTS_H_
