#include "batch/job_store.h"

#include "batch/internal/stores.h"

namespace piaudit::batch {

std::string_view JobStatusName(JobStatus s) {
  switch (s) {
    case JobStatus::kQueued:
      return "queued";
    case JobStatus::kRunning:
      return "running";
    case JobStatus::kDone:
      return "done";
    case JobStatus::kFailed:
      return "failed";
  }
  return "queued";
}

std::string JobKey(std::string_view apk_sha256, std::string_view policy_sha256) {
  std::string key(apk_sha256);
  if (!policy_sha256.empty()) key.append(".").append(policy_sha256);
  return key;
}

std::string_view ApkSha256OfKey(std::string_view key) { return key.substr(0, key.find('.')); }

Result<std::unique_ptr<JobStore>> OpenJobStore(const std::string& url) {
  if (url.rfind("sqlite:", 0) == 0) return internal::OpenSqliteJobStore(url.substr(7));
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return internal::OpenPostgresJobStore(url);
  }
  return InvalidInput("database URL '" + url +
                      "': expected sqlite:PATH or postgresql://... (docs/batch.md)")
      .At("--db", "url", 0);
}

}  // namespace piaudit::batch
