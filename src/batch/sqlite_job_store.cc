// The embedded store: one SQLite file in WAL mode, so `piaudit batch status` reads from another
// shell while a run writes. Claims run in BEGIN IMMEDIATE transactions (the write lock is taken
// first, so two workers never read the same queued row), and busy_timeout makes a second process
// wait for the lock instead of failing (sqldb/sqlite_file.h, which also takes again what SQLite
// refuses without waiting).
#include <sqlite3.h>

#include <string>

#include "batch/internal/stores.h"
#include "sqldb/sqlite_file.h"

namespace piaudit::batch::internal {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  sha256 TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued',
  attempts INTEGER NOT NULL DEFAULT 0,
  permanent INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT NOT NULL DEFAULT '',
  lease_expires_at INTEGER NOT NULL DEFAULT 0,
  submitted_at INTEGER NOT NULL DEFAULT (CAST(strftime('%s','now') AS INTEGER)),
  finished_at INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  package TEXT NOT NULL DEFAULT '',
  version TEXT NOT NULL DEFAULT '',
  verdicts TEXT NOT NULL DEFAULT '',
  gate TEXT NOT NULL DEFAULT '',
  gate_reasons TEXT NOT NULL DEFAULT '',
  scan_ms REAL NOT NULL DEFAULT 0,
  evidence TEXT NOT NULL DEFAULT '',
  policy_path TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status, id);
)sql";

constexpr char kNow[] = "CAST(strftime('%s','now') AS INTEGER)";

// A prepared statement that finalizes itself.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) {
    rc_ = sqldb::PrepareRetryingBusy(db, sql, &stmt_);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  bool prepared() const { return rc_ == SQLITE_OK; }
  Statement& Bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& Bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  int Step() {
    if (started_) return sqlite3_step(stmt_);
    started_ = true;
    return sqldb::FirstStepRetryingBusy(stmt_);
  }
  void Reset() {
    sqlite3_reset(stmt_);
    started_ = false;
  }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Real(int col) const { return sqlite3_column_double(stmt_, col); }
  std::string Text(int col) const {
    const unsigned char* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_ERROR;
  bool started_ = false;
};

constexpr char kJobColumns[] =
    "id, sha256, path, status, attempts, permanent, lease_owner, error, package, version, "
    "verdicts, gate, gate_reasons, scan_ms, policy_path";

JobStatus ParseStatus(const std::string& s) {
  if (s == "running") return JobStatus::kRunning;
  if (s == "done") return JobStatus::kDone;
  if (s == "failed") return JobStatus::kFailed;
  return JobStatus::kQueued;
}

Job ReadJob(const Statement& st) {
  Job j;
  j.id = st.Int(0);
  j.sha256 = st.Text(1);
  j.path = st.Text(2);
  j.status = ParseStatus(st.Text(3));
  j.attempts = static_cast<int>(st.Int(4));
  j.permanent = st.Int(5) != 0;
  j.lease_owner = st.Text(6);
  j.error = st.Text(7);
  j.package = st.Text(8);
  j.version = st.Text(9);
  j.verdicts = st.Text(10);
  j.gate = st.Text(11);
  j.gate_reasons = st.Text(12);
  j.scan_ms = st.Real(13);
  j.policy_path = st.Text(14);
  return j;
}

class SqliteJobStore final : public JobStore {
 public:
  SqliteJobStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteJobStore() override { sqlite3_close(db_); }

  Status Exec(const std::string& sql) {
    // Only statements without partial effects when busy are run here (PRAGMA, schema, BEGIN,
    // COMMIT, one ALTER): sqldb/sqlite_file.h.
    char* err = nullptr;
    if (sqldb::ExecRetryingBusy(db_, sql.c_str(), &err) != SQLITE_OK) {
      Status s = Error(err ? err : sqlite3_errmsg(db_));
      sqlite3_free(err);
      return s;
    }
    return Status::Ok();
  }

  // Columns added after the first release, so a store made by an older piaudit still opens (its
  // jobs keep their values; the new column takes its default).
  Status AddMissingColumns() {
    bool has_policy_path = false;
    {
      Statement st(db_, "SELECT name FROM pragma_table_info('jobs')");
      if (!st.prepared()) return Error();
      while (st.Step() == SQLITE_ROW) has_policy_path |= st.Text(0) == "policy_path";
    }
    if (has_policy_path) return Status::Ok();
    // Two processes opening an old store at once: the second's ALTER fails with "duplicate
    // column", which is the state it wanted.
    Status s = Exec("ALTER TABLE jobs ADD COLUMN policy_path TEXT NOT NULL DEFAULT ''");
    if (!s.ok() && s.message().find("duplicate column") == std::string_view::npos) return s;
    return Status::Ok();
  }

  Status Error(const std::string& what) const {
    return IoError("sqlite: " + what).At(path_, "jobs", 0);
  }
  Status Error() const { return Error(sqlite3_errmsg(db_)); }

  Result<int64_t> Submit(const std::vector<Submission>& jobs, int max_attempts) override {
    if (Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    int64_t added = 0;
    {
      Statement insert(db_,
                       "INSERT OR IGNORE INTO jobs(sha256, path, policy_path) VALUES(?1, ?2, ?3)");
      if (!insert.prepared()) return Rollback(Error());
      for (const Submission& j : jobs) {
        insert.Bind(1, j.sha256).Bind(2, j.path).Bind(3, j.policy_path);
        if (insert.Step() != SQLITE_DONE) return Rollback(Error());
        added += sqlite3_changes(db_);
        insert.Reset();
      }
      Statement retry(db_,
                      "UPDATE jobs SET status='queued', lease_owner='' WHERE status='failed' "
                      "AND permanent=0 AND attempts < ?1");
      retry.Bind(1, static_cast<int64_t>(max_attempts));
      if (!retry.prepared() || retry.Step() != SQLITE_DONE) return Rollback(Error());
    }
    if (Status s = Exec("COMMIT"); !s.ok()) return s;
    return added;
  }

  Result<std::optional<Job>> Claim(const std::string& owner, int lease_seconds,
                                   int max_attempts) override {
    if (Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    {
      // Leases lost too often: the app itself kills its worker (or the machine); stop retrying.
      Statement give_up(db_, std::string("UPDATE jobs SET status='failed', error='lease expired ' "
                                         "|| attempts || ' times (worker died while scanning)' "
                                         "WHERE status='running' AND lease_expires_at < ") +
                                 kNow + " AND attempts >= ?1");
      give_up.Bind(1, static_cast<int64_t>(max_attempts));
      if (!give_up.prepared() || give_up.Step() != SQLITE_DONE) return Rollback(Error());
    }
    std::optional<Job> job;
    {
      Statement claim(db_, std::string("UPDATE jobs SET status='running', attempts=attempts+1, "
                                       "lease_owner=?1, lease_expires_at=") +
                               kNow +
                               " + ?2 WHERE id = (SELECT id FROM jobs WHERE "
                               "status='queued' OR (status='running' AND lease_expires_at < " +
                               kNow + ") ORDER BY id LIMIT 1) RETURNING " + kJobColumns);
      if (!claim.prepared()) return Rollback(Error());
      claim.Bind(1, owner).Bind(2, static_cast<int64_t>(lease_seconds));
      int rc = claim.Step();
      if (rc == SQLITE_ROW) {
        job = ReadJob(claim);
        rc = claim.Step();
      }
      if (rc != SQLITE_DONE) return Rollback(Error());
    }
    if (Status s = Exec("COMMIT"); !s.ok()) return s;
    return job;
  }

  Status Renew(int64_t id, const std::string& owner, int lease_seconds) override {
    Statement st(db_, std::string("UPDATE jobs SET lease_expires_at=") + kNow +
                          " + ?3 WHERE id=?1 AND lease_owner=?2 AND status='running'");
    st.Bind(1, id).Bind(2, owner).Bind(3, static_cast<int64_t>(lease_seconds));
    return StepChanged(st, "lease lost");
  }

  Status Finish(int64_t id, const std::string& owner, const JobOutcome& o) override {
    Statement st(db_, std::string("UPDATE jobs SET status=?3, permanent=?4, error=?5, package=?6, "
                                  "version=?7, verdicts=?8, gate=?9, gate_reasons=?10, "
                                  "evidence=?11, scan_ms=?12, lease_owner='', finished_at=") +
                          kNow + " WHERE id=?1 AND lease_owner=?2 AND status='running'");
    st.Bind(1, id).Bind(2, owner).Bind(3, std::string(o.ok ? "done" : "failed"));
    st.Bind(4, static_cast<int64_t>(o.permanent)).Bind(5, o.error).Bind(6, o.package);
    st.Bind(7, o.version).Bind(8, o.verdicts).Bind(9, o.gate).Bind(10, o.gate_reasons);
    st.Bind(11, o.evidence).Bind(12, o.scan_ms);
    return StepChanged(st, "lease lost before the result was recorded");
  }

  Status Release(int64_t id, const std::string& owner) override {
    Statement st(db_,
                 "UPDATE jobs SET status='queued', lease_owner='' WHERE id=?1 AND lease_owner=?2 "
                 "AND status='running'");
    st.Bind(1, id).Bind(2, owner);
    return StepChanged(st, "not running under that owner");
  }

  Result<QueueCounts> Counts() override {
    Statement st(db_, "SELECT status, COUNT(*) FROM jobs GROUP BY status");
    if (!st.prepared()) return Error();
    QueueCounts c;
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      switch (ParseStatus(st.Text(0))) {
        case JobStatus::kQueued:
          c.queued = st.Int(1);
          break;
        case JobStatus::kRunning:
          c.running = st.Int(1);
          break;
        case JobStatus::kDone:
          c.done = st.Int(1);
          break;
        case JobStatus::kFailed:
          c.failed = st.Int(1);
          break;
      }
    }
    if (rc != SQLITE_DONE) return Error();
    return c;
  }

  Result<std::vector<Job>> List() override {
    Statement st(db_, std::string("SELECT ") + kJobColumns + " FROM jobs ORDER BY id");
    if (!st.prepared()) return Error();
    std::vector<Job> jobs;
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) jobs.push_back(ReadJob(st));
    if (rc != SQLITE_DONE) return Error();
    return jobs;
  }

  Result<std::string> Evidence(int64_t id) override {
    Statement st(db_, "SELECT evidence FROM jobs WHERE id=?1");
    st.Bind(1, id);
    if (st.Step() != SQLITE_ROW) return NotFound("job " + std::to_string(id)).At(path_, "jobs", 0);
    return st.Text(0);
  }

  Status UpdateJudgement(int64_t id, const JobOutcome& o) override {
    Statement st(db_, "UPDATE jobs SET verdicts=?2, gate=?3, gate_reasons=?4 WHERE id=?1");
    st.Bind(1, id).Bind(2, o.verdicts).Bind(3, o.gate).Bind(4, o.gate_reasons);
    return StepChanged(st, "no such job");
  }

 private:
  Status Rollback(Status s) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return s;
  }
  Status StepChanged(Statement& st, const char* none) {
    if (st.Step() != SQLITE_DONE) return Error();
    if (sqlite3_changes(db_) == 0) return NotFound(none).At(path_, "jobs", 0);
    return Status::Ok();
  }

  sqlite3* db_;
  std::string path_;
};

}  // namespace

Result<std::unique_ptr<JobStore>> OpenSqliteJobStore(const std::string& path) {
  sqlite3* db = nullptr;
  if (Status s = sqldb::OpenSqliteFile(path, &db); !s.ok()) return s;
  auto store = std::make_unique<SqliteJobStore>(db, path);
  // WAL (set by OpenSqliteFile): readers (`batch status` from another shell) never block the
  // writer, nor it them. synchronous=NORMAL: a power loss may lose the last finished jobs (they are
  // scanned again), never corrupt the file.
  for (const char* sql : {"PRAGMA synchronous=NORMAL", kSchema}) {
    if (Status s = store->Exec(sql); !s.ok()) return s;
  }
  if (Status s = store->AddMissingColumns(); !s.ok()) return s;
  return std::unique_ptr<JobStore>(std::move(store));
}

}  // namespace piaudit::batch::internal
