// Writes the report files; see write_reports.h.
#include "report/write_reports.h"

#include <filesystem>
#include <fstream>

#include "evidence/evidence_json.h"
#include "report/html_report.h"
#include "report/pdf_report.h"
#include "report/report_json.h"
#include "report/sarif.h"

namespace piaudit::report {

Result<std::set<std::string>> ParseReportFormats(std::string_view list,
                                                 const std::set<std::string>& allowed) {
  std::set<std::string> out;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string item(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (item.empty()) continue;
    if (!allowed.count(item)) {
      std::string names;
      for (const std::string& a : allowed) names += (names.empty() ? "" : ", ") + a;
      return InvalidInput("unknown format '" + item + "' (" + names + ")");
    }
    out.insert(item);
  }
  return out;
}

Status WriteTextFile(const std::string& path, const std::string& content) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return IoError("cannot open for writing: " + path);
  f.write(content.data(), static_cast<std::streamsize>(content.size()));
  f.close();
  if (!f) return IoError("write failed: " + path);
  return Status::Ok();
}

Result<std::vector<std::string>> WriteReportFiles(const std::string& dir,
                                                  const std::set<std::string>& formats,
                                                  const ReportInput& in) {
  if (in.evidence == nullptr) return InternalError("WriteReports: ReportInput.evidence is null");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IoError("cannot create directory " + dir + ": " + ec.message());
  std::vector<std::string> written;
  auto write = [&](const char* format, const char* name, auto render) -> Status {
    if (!formats.count(format)) return Status::Ok();
    const std::string path = (std::filesystem::path(dir) / name).string();
    RETURN_IF_ERROR(WriteTextFile(path, render()));
    written.push_back(path);
    return Status::Ok();
  };
  RETURN_IF_ERROR(write("json", "report.json", [&] { return RenderReportJson(in); }));
  RETURN_IF_ERROR(write("sarif", "report.sarif", [&] { return RenderSarif(in); }));
  RETURN_IF_ERROR(write("html", "report.html", [&] { return RenderHtml(in); }));
  if (formats.count("pdf")) {
    const std::string path = (std::filesystem::path(dir) / "report.pdf").string();
    RETURN_IF_ERROR(WritePdf(in, path));
    written.push_back(path);
  }
  RETURN_IF_ERROR(write("evidence", "evidence.json", [&] {
    evidence::EvidenceRecordInfo info{in.tool_version, in.kb_version, in.generated_at};
    return evidence::WriteEvidenceJson(*in.evidence, info);
  }));
  return written;
}

Status WriteReports(const std::string& dir, const ReportInput& in) {
  return WriteReportFiles(dir, {"json", "sarif", "html"}, in).status();
}

}  // namespace piaudit::report
