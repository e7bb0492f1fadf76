#include "service/report_cache.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <thread>

#include "base/clock.h"
#include "base/limits.h"
#include "base/version.h"
#include "batch/gate.h"
#include "batch/job_store.h"
#include "evidence/evidence_json.h"
#include "knowledge/knowledge_base.h"
#include "report/html_report.h"
#include "report/pdf_report.h"
#include "report/report_json.h"
#include "report/sarif.h"
#include "rules/evaluate.h"

namespace piaudit::service {
namespace {

report::ReportInput InputOf(const JudgedScan& j, const knowledge::KnowledgeBase& kb,
                            knowledge::Lang lang) {
  report::ReportInput in;
  in.evidence = &j.evidence;
  in.items = j.items;
  in.kb = &kb;
  in.tool_version = kToolVersion;
  in.kb_version = kb.version().version;
  in.generated_at = j.generated_at;
  in.lang = lang;
  in.inputs.push_back(report::InputFile{"apk", j.apk_sha256 + ".apk", j.apk_sha256});
  return in;
}

}  // namespace

Result<std::shared_ptr<const JudgedScan>> ReportCache::Get(batch::JobStore& jobs, int64_t scan_id,
                                                           const std::string& apk_sha256) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(scan_id);
    if (it != entries_.end()) {
      order_.splice(order_.begin(), order_, it->second.second);
      return it->second.first;
    }
  }
  Result<std::string> text = jobs.Evidence(scan_id);
  if (!text.ok()) return text.status();
  const Limits limits;
  if (text->size() > limits.max_evidence_record_bytes) {
    return LimitExceeded("evidence record above max_evidence_record_bytes");
  }
  const std::string name = "scan " + std::to_string(scan_id) + " evidence";
  evidence::EvidenceRecordInfo info;
  Result<evidence::AppEvidence> e = evidence::ReadEvidenceJson(*text, name, limits, &info);
  if (!e.ok()) return e.status();
  auto judged = std::make_shared<JudgedScan>();
  judged->scan_id = scan_id;
  judged->apk_sha256 = apk_sha256;
  judged->evidence = std::move(*e);
  judged->items = rules::EvaluateAll(judged->evidence, kb_);
  if (gate_ != nullptr) {
    batch::GateDecision d = batch::Decide(*gate_, judged->items);
    judged->gate = std::move(d.decision);
    judged->gate_reasons = std::move(d.reasons);
  }
  judged->generated_at = IsoUtcNow();
  judged->report_json = report::RenderReportJson(InputOf(*judged, kb_, knowledge::Lang::kZh));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(scan_id);
  if (it != entries_.end()) return it->second.first;  // another request was first
  order_.push_front(scan_id);
  entries_[scan_id] = {judged, order_.begin()};
  while (entries_.size() > kMaxEntries) {
    entries_.erase(order_.back());
    order_.pop_back();
  }
  return std::shared_ptr<const JudgedScan>(judged);
}

std::string ReportCache::Html(const JudgedScan& judged, knowledge::Lang lang) const {
  return report::RenderHtml(InputOf(judged, kb_, lang));
}

std::string ReportCache::Sarif(const JudgedScan& judged) const {
  return report::RenderSarif(InputOf(judged, kb_, knowledge::Lang::kEn));
}

Result<std::string> ReportCache::Pdf(const JudgedScan& judged, knowledge::Lang lang,
                                     const std::string& dir) const {
  const std::string path = dir + "/scan-" + std::to_string(judged.scan_id) + "-" +
                           judged.apk_sha256.substr(0, 16) +
                           (lang == knowledge::Lang::kEn ? "-en" : "-zh") + ".pdf";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    RETURN_IF_ERROR(report::CheckPdfPrinter());
    // Printed beside its final name and renamed: a reader never sees half a file, and two
    // requests printing at once each rename a whole one.
    const std::string tmp =
        path + ".tmp-" + std::to_string(::getpid()) + "-" +
        std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id()));
    RETURN_IF_ERROR(report::WritePdf(InputOf(judged, kb_, lang), tmp));
    std::filesystem::rename(tmp, path, ec);
    if (ec) return IoError("cannot rename " + tmp + ": " + ec.message());
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return IoError("cannot read " + path);
  return bytes;
}

}  // namespace piaudit::service
