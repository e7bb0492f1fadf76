// Reports rendered from the batch store's evidence records with the server's knowledge base
// (the worker's report files need not be reachable from the server: it may run on another
// machine). A done scan's record does not change, so each is read, judged and rendered once and
// kept: at most kMaxEntries scans, the least recently used forgotten first.
#ifndef PIAUDIT_SERVICE_REPORT_CACHE_H_
#define PIAUDIT_SERVICE_REPORT_CACHE_H_

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/status.h"
#include "evidence/evidence.h"
#include "knowledge/messages.h"
#include "rules/verdict.h"

namespace piaudit::batch {
class JobStore;
struct Gate;
}  // namespace piaudit::batch
namespace piaudit::knowledge {
class KnowledgeBase;
}

namespace piaudit::service {

struct JudgedScan {
  int64_t scan_id = 0;
  std::string apk_sha256;
  evidence::AppEvidence evidence;
  std::vector<rules::ItemResult> items;  // the 31 results
  std::string report_json;               // piaudit.report/1
  std::string generated_at;
  // The server's store gate on the 31 results ("" without a gate), and its reasons.
  std::string gate;
  std::vector<std::string> gate_reasons;
};

class ReportCache {
 public:
  static constexpr size_t kMaxEntries = 64;
  // `gate` may be null (no decision); it must outlive the cache.
  ReportCache(const knowledge::KnowledgeBase& kb, const batch::Gate* gate) : kb_(kb), gate_(gate) {}

  // kInvalidInput when the stored record does not read (named "scan N evidence").
  Result<std::shared_ptr<const JudgedScan>> Get(batch::JobStore& jobs, int64_t scan_id,
                                                const std::string& apk_sha256);
  // The HTML report of a judged scan in `lang` (rendered on each call: it is not kept).
  std::string Html(const JudgedScan& judged, knowledge::Lang lang) const;
  // The SARIF 2.1.0 log of a judged scan (English, like `piaudit scan --format sarif`).
  std::string Sarif(const JudgedScan& judged) const;
  // The PDF in `lang`, printed by Chromium on first request and kept under `dir` (one file per
  // scan and language; a done scan's report does not change). kNotFound without Chromium.
  Result<std::string> Pdf(const JudgedScan& judged, knowledge::Lang lang,
                          const std::string& dir) const;

 private:
  const knowledge::KnowledgeBase& kb_;
  const batch::Gate* gate_;
  std::mutex mu_;
  std::list<int64_t> order_;  // most recently used first
  std::map<int64_t, std::pair<std::shared_ptr<const JudgedScan>, std::list<int64_t>::iterator>>
      entries_;
};

}  // namespace piaudit::service

#endif  // PIAUDIT_SERVICE_REPORT_CACHE_H_
