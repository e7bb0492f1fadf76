// The batch queue: one row per APK (keyed by its SHA-256), claimed by workers under a lease.
//
// Two stores behind one interface: SQLite (`sqlite:PATH`, embedded, one machine, WAL so `status`
// reads while a run writes) and PostgreSQL (`postgresql://...`, many workers on many machines).
// A job moves queued -> running -> done | failed. A claim takes the oldest queued job, or a running
// one whose lease has expired (its worker died: kill -9, power loss), and sets a lease a worker
// renews while it scans; every claim counts one attempt, so "no APK scanned twice" is checkable
// (docs/batch.md). Times are the database's clock (PostgreSQL: the server's), never the workers',
// so machines with skewed clocks still agree on when a lease is over.
//
// A store object is one connection: use one per thread.
#ifndef PIAUDIT_BATCH_JOB_STORE_H_
#define PIAUDIT_BATCH_JOB_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace piaudit::batch {

enum class JobStatus { kQueued, kRunning, kDone, kFailed };
std::string_view JobStatusName(JobStatus s);  // "queued", "running", "done", "failed"

// An APK handed to the queue, with the privacy policy to scan it with (optional). The paths must
// be readable by the workers that will claim the job (on many machines: a shared file system).
struct Submission {
  // The job's identity, JobKey(): the APK's SHA-256 (lowercase hex of the whole file), followed
  // by "." and the policy's SHA-256 when a policy is given.
  std::string sha256;
  std::string path;
  std::string policy_path;  // empty: the scan looks for a policy inside the APK, as before
};

// The identity of a job: the same APK with two different policies is two scans (the policy is an
// input of the verdicts, so the second must not be taken for the first); without a policy it is
// the APK's SHA-256 alone, as in stores made before policies were carried.
std::string JobKey(std::string_view apk_sha256, std::string_view policy_sha256);
// The APK's SHA-256 part of a key (the key itself without a policy).
std::string_view ApkSha256OfKey(std::string_view key);

// What a worker learnt about one app.
struct JobOutcome {
  bool ok = false;         // a report was written
  bool permanent = false;  // failed on the input itself (not an APK): never retried
  std::string error;       // why it failed: signal, limit, deadline, the child's error line
  std::string package;
  std::string version;
  std::string verdicts;      // JSON object: {"violation": 3, "compliant": 10, ...}
  std::string gate;          // "pass", "review", "block" or "" without --gate
  std::string gate_reasons;  // JSON array of strings
  std::string evidence;      // the piaudit.evidence/1 record, kept for `batch rejudge`
  double scan_ms = 0;
};

struct Job {
  int64_t id = 0;
  std::string sha256;  // the key: see Submission
  std::string path;
  std::string policy_path;  // the scan's --policy; empty for none
  JobStatus status = JobStatus::kQueued;
  int attempts = 0;
  bool permanent = false;
  std::string lease_owner;
  std::string error;
  std::string package;
  std::string version;
  std::string verdicts;
  std::string gate;
  std::string gate_reasons;
  double scan_ms = 0;
};

struct QueueCounts {
  int64_t queued = 0, running = 0, done = 0, failed = 0;
  int64_t total() const { return queued + running + done + failed; }
};

class JobStore {
 public:
  virtual ~JobStore() = default;

  // Adds the jobs not yet known (same key = same job: one row) and puts failed jobs that may be
  // retried (not permanent, attempts < max_attempts) back in the queue. Returns how many rows are
  // new.
  virtual Result<int64_t> Submit(const std::vector<Submission>& jobs, int max_attempts) = 0;
  // Takes one job for `owner` until now + lease_seconds; nullopt when nothing is claimable.
  // A running job whose lease expired is claimable only while attempts < max_attempts; past it,
  // it is failed ("lease expired N times").
  virtual Result<std::optional<Job>> Claim(const std::string& owner, int lease_seconds,
                                           int max_attempts) = 0;
  // Extends the lease; kNotFound when the job is no longer this owner's (the lease was lost).
  virtual Status Renew(int64_t id, const std::string& owner, int lease_seconds) = 0;
  // Records the outcome; ignored (kNotFound) when the lease was lost to another worker.
  virtual Status Finish(int64_t id, const std::string& owner, const JobOutcome& outcome) = 0;
  // Puts a running job back in the queue (its worker is known dead, e.g. a local pid that is gone).
  virtual Status Release(int64_t id, const std::string& owner) = 0;
  virtual Result<QueueCounts> Counts() = 0;
  // Every job in id order (without the evidence).
  virtual Result<std::vector<Job>> List() = 0;
  virtual Result<std::string> Evidence(int64_t id) = 0;
  // After a re-judgement: new verdict counts and gate for a done job.
  virtual Status UpdateJudgement(int64_t id, const JobOutcome& outcome) = 0;
};

// "sqlite:PATH" or "postgresql://..." / "postgres://..." (libpq connection URI).
//   kInvalidInput  another scheme; kIo  cannot open/connect (message from SQLite/libpq)
Result<std::unique_ptr<JobStore>> OpenJobStore(const std::string& url);

}  // namespace piaudit::batch

#endif  // PIAUDIT_BATCH_JOB_STORE_H_
