// report.pdf: report.html printed by Debian's Chromium in headless mode.
//
// Why Chromium and not a PDF library: the PDF must be the same report as the HTML (one renderer
// to keep right), Chinese text needs complex font fallback and shaping, and the print stylesheet
// (html_common.cc, @page) gives A4 pages, "n / N" page numbers and page breaks between the
// cover, the contents and the sections. Chinese glyphs come from fonts-noto-cjk (installed by
// scripts/install-deps.sh) and are embedded by Chromium's PDF backend.
//
// Chromium runs as a child process with a fresh profile directory, no network services (the page
// fetches nothing anyway: its Content-Security-Policy forbids it), and a deadline.
#ifndef PIAUDIT_REPORT_PDF_REPORT_H_
#define PIAUDIT_REPORT_PDF_REPORT_H_

#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "report/html_report.h"
#include "report/report_input.h"

namespace piaudit::report {

// The browser used: $PIAUDIT_CHROMIUM when set, else /usr/bin/chromium.
std::string ChromiumPath();
// Ok when the browser exists and is executable; else kNotFound saying what to install.
Status CheckPdfPrinter();

// The 1-based page of each section of `entries`, from the page texts of a first print: the
// contents page is the first naming them all, and each section is the first later page with a
// line starting with its heading. Sections not found are missing from the map.
std::map<std::string, int> LocateSections(const std::vector<std::string>& pages,
                                          const std::vector<TocEntry>& entries);

// Renders `in` as HTML and prints it to `pdf_path` twice: the first print tells on which page
// each section's heading lands (read back with poppler, through libpiaudit_pdf.so), the second has
// those numbers in the contents. Without poppler the first print is kept (contents unnumbered).
// kNotFound when Chromium is missing, kIo when it fails or passes its deadline (the message quotes
// the end of its output).
Status WritePdf(const ReportInput& in, const std::string& pdf_path);

}  // namespace piaudit::report

#endif  // PIAUDIT_REPORT_PDF_REPORT_H_
