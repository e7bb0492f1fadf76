// Who submitted which APK for whom: one row per (scan, uploader, store, developer), beside the
// batch queue's `jobs` table on the same database. The scan id the API hands out is the batch
// job's id, so the same APK uploaded twice (by anyone) is the same scan; tenancy is decided by the
// submission rows: a store operator sees the scans submitted for their store, a developer the
// scans submitted as theirs, admin and inspector every scan.
//
//   service_submissions(id, job_id, apk_sha256, file_name, apk_bytes, uploader_id, uploader,
//                       store, developer, policy_sha256, policy_excerpt, created_at)
#ifndef PIAUDIT_SERVICE_SUBMISSIONS_H_
#define PIAUDIT_SERVICE_SUBMISSIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "service/accounts.h"
#include "sqldb/database.h"

namespace piaudit::service {

struct NewSubmission {
  int64_t job_id = 0;
  std::string apk_sha256;
  std::string file_name;  // as the client sent it: data, shown escaped, never a path
  int64_t apk_bytes = 0;
  std::string store;
  std::string developer;
  std::string policy_sha256;   // "" without a policy
  std::string policy_excerpt;  // the policy's first characters, shown on the app page
};

// A scan as a caller may see it: the job's state with the submission that made it visible.
struct ScanView {
  int64_t scan_id = 0;
  std::string apk_sha256;
  std::string status;  // queued | running | done | failed
  std::string package;
  std::string version;
  std::string verdicts;  // JSON object of counts, "" before done
  std::string gate;
  std::string error;
  std::string file_name;
  std::string uploader;
  std::string store;
  std::string developer;
  std::string policy_excerpt;
  int64_t created_at = 0;  // unix seconds of the submission
};

inline constexpr size_t kMaxPolicyExcerptBytes = 2000;

Status CreateSubmissionTables(sqldb::Database& db);
// Records the submission (an identical one already there is not repeated).
Status RecordSubmission(sqldb::Database& db, const User& uploader, const NewSubmission& s);
// The job id of an APK in the batch queue.
Result<std::optional<int64_t>> JobIdOf(sqldb::Database& db, const std::string& sha256);
// The scans `who` may see, newest first, one per scan; `package` non-empty keeps that package's.
Result<std::vector<ScanView>> VisibleScans(sqldb::Database& db, const User& who,
                                           const std::string& package, int limit);
// One scan if `who` may see it.
Result<std::optional<ScanView>> VisibleScan(sqldb::Database& db, const User& who, int64_t scan_id);

}  // namespace piaudit::service

#endif  // PIAUDIT_SERVICE_SUBMISSIONS_H_
