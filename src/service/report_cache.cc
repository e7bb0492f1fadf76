#include "service/report_cache.h"

#include <ctime>

#include "base/limits.h"
#include "base/version.h"
#include "batch/job_store.h"
#include "evidence/evidence_json.h"
#include "knowledge/knowledge_base.h"
#include "report/html_report.h"
#include "report/report_json.h"
#include "rules/evaluate.h"

namespace piaudit::service {
namespace {

std::string NowIso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

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
  judged->generated_at = NowIso();
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

}  // namespace piaudit::service
