// Writes the three report files; see write_reports.h.
#include "report/write_reports.h"

#include <filesystem>
#include <fstream>

#include "report/html_report.h"
#include "report/report_json.h"
#include "report/sarif.h"

namespace piaudit::report {

Status WriteTextFile(const std::string& path, const std::string& content) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return IoError("cannot open for writing: " + path);
  f.write(content.data(), static_cast<std::streamsize>(content.size()));
  f.close();
  if (!f) return IoError("write failed: " + path);
  return Status::Ok();
}

Status WriteReports(const std::string& dir, const ReportInput& in) {
  if (in.evidence == nullptr) return InternalError("WriteReports: ReportInput.evidence is null");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IoError("cannot create directory " + dir + ": " + ec.message());
  RETURN_IF_ERROR(WriteTextFile(dir + "/report.json", RenderReportJson(in)));
  RETURN_IF_ERROR(WriteTextFile(dir + "/report.sarif", RenderSarif(in)));
  RETURN_IF_ERROR(WriteTextFile(dir + "/report.html", RenderHtml(in)));
  return Status::Ok();
}

}  // namespace piaudit::report
