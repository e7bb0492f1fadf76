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
