// The shared store for many workers on many machines (libpq). A claim is one statement: the
// inner SELECT ... FOR UPDATE SKIP LOCKED takes the first claimable row no other transaction holds,
// so concurrent workers each get a different job without waiting on each other. Lease times are
// the server's now(), so workers' clocks do not matter.
#include <libpq-fe.h>

#include <string>
#include <vector>

#include "batch/internal/stores.h"

namespace piaudit::batch::internal {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS jobs (
  id BIGSERIAL PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued',
  attempts INTEGER NOT NULL DEFAULT 0,
  permanent BOOLEAN NOT NULL DEFAULT false,
  lease_owner TEXT NOT NULL DEFAULT '',
  lease_expires_at TIMESTAMPTZ NOT NULL DEFAULT 'epoch',
  submitted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at TIMESTAMPTZ,
  error TEXT NOT NULL DEFAULT '',
  package TEXT NOT NULL DEFAULT '',
  version TEXT NOT NULL DEFAULT '',
  verdicts TEXT NOT NULL DEFAULT '',
  gate TEXT NOT NULL DEFAULT '',
  gate_reasons TEXT NOT NULL DEFAULT '',
  scan_ms DOUBLE PRECISION NOT NULL DEFAULT 0,
  evidence TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status, id);
-- Added after the first release: stores made by an older piaudit gain it on open.
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS policy_path TEXT NOT NULL DEFAULT '';
)sql";

constexpr char kJobColumns[] =
    "id, sha256, path, status, attempts, permanent, lease_owner, error, package, version, "
    "verdicts, gate, gate_reasons, scan_ms, policy_path";

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

JobStatus ParseStatus(const std::string& s) {
  if (s == "running") return JobStatus::kRunning;
  if (s == "done") return JobStatus::kDone;
  if (s == "failed") return JobStatus::kFailed;
  return JobStatus::kQueued;
}

Job ReadJob(PGresult* r, int row) {
  auto text = [&](int col) { return std::string(PQgetvalue(r, row, col)); };
  Job j;
  j.id = std::stoll(text(0));
  j.sha256 = text(1);
  j.path = text(2);
  j.status = ParseStatus(text(3));
  j.attempts = std::stoi(text(4));
  j.permanent = text(5) == "t";
  j.lease_owner = text(6);
  j.error = text(7);
  j.package = text(8);
  j.version = text(9);
  j.verdicts = text(10);
  j.gate = text(11);
  j.gate_reasons = text(12);
  j.scan_ms = std::stod(text(13));
  j.policy_path = text(14);
  return j;
}

class PostgresJobStore final : public JobStore {
 public:
  explicit PostgresJobStore(PGconn* conn) : conn_(conn) {}
  ~PostgresJobStore() override { PQfinish(conn_); }

  Status Error(const std::string& what) const {
    std::string message = what;
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
      message.pop_back();
    }
    return IoError("postgresql: " + message).At(PQdb(conn_), "jobs", 0);
  }

  // Runs `sql` with text parameters; the result must have `expected` status.
  Result<PgResult> Run(const std::string& sql, const std::vector<std::string>& params,
                       ExecStatusType expected) {
    std::vector<const char*> values;
    for (const std::string& p : params) values.push_back(p.c_str());
    PgResult r(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                            values.data(), nullptr, nullptr, 0));
    if (!r || PQresultStatus(r.get()) != expected) {
      return Error(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_));
    }
    return r;
  }
  Status Command(const std::string& sql, const std::vector<std::string>& params = {}) {
    Result<PgResult> r = Run(sql, params, PGRES_COMMAND_OK);
    return r.ok() ? Status::Ok() : r.status();
  }
  Status Changed(const std::string& sql, const std::vector<std::string>& params, const char* none) {
    Result<PgResult> r = Run(sql, params, PGRES_COMMAND_OK);
    if (!r.ok()) return r.status();
    if (std::string(PQcmdTuples(r->get())) == "0") {
      return NotFound(none).At(PQdb(conn_), "jobs", 0);
    }
    return Status::Ok();
  }

  Result<int64_t> Submit(const std::vector<Submission>& jobs, int max_attempts) override {
    if (Status s = Command("BEGIN"); !s.ok()) return s;
    int64_t added = 0;
    for (const Submission& j : jobs) {
      Result<PgResult> r =
          Run("INSERT INTO jobs(sha256, path, policy_path) VALUES($1, $2, $3) ON CONFLICT "
              "(sha256) DO NOTHING",
              {j.sha256, j.path, j.policy_path}, PGRES_COMMAND_OK);
      if (!r.ok()) return Rollback(r.status());
      added += std::stoll(PQcmdTuples(r->get()));
    }
    if (Status s = Command("UPDATE jobs SET status='queued', lease_owner='' WHERE "
                           "status='failed' AND NOT permanent AND attempts < $1",
                           {std::to_string(max_attempts)});
        !s.ok()) {
      return Rollback(s);
    }
    if (Status s = Command("COMMIT"); !s.ok()) return s;
    return added;
  }

  Result<std::optional<Job>> Claim(const std::string& owner, int lease_seconds,
                                   int max_attempts) override {
    if (Status s = Command("UPDATE jobs SET status='failed', error='lease expired ' || attempts "
                           "|| ' times (worker died while scanning)' WHERE status='running' AND "
                           "lease_expires_at < now() AND attempts >= $1",
                           {std::to_string(max_attempts)});
        !s.ok()) {
      return s;
    }
    Result<PgResult> r = Run(
        std::string("UPDATE jobs SET status='running', attempts=attempts+1, lease_owner=$1, "
                    "lease_expires_at=now() + make_interval(secs => $2) WHERE id = (SELECT id "
                    "FROM jobs WHERE status='queued' OR (status='running' AND lease_expires_at < "
                    "now()) ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING ") +
            kJobColumns,
        {owner, std::to_string(lease_seconds)}, PGRES_TUPLES_OK);
    if (!r.ok()) return r.status();
    if (PQntuples(r->get()) == 0) return std::optional<Job>();
    return std::optional<Job>(ReadJob(r->get(), 0));
  }

  Status Renew(int64_t id, const std::string& owner, int lease_seconds) override {
    return Changed(
        "UPDATE jobs SET lease_expires_at=now() + make_interval(secs => $3) WHERE "
        "id=$1 AND lease_owner=$2 AND status='running'",
        {std::to_string(id), owner, std::to_string(lease_seconds)}, "lease lost");
  }

  Status Finish(int64_t id, const std::string& owner, const JobOutcome& o) override {
    return Changed(
        "UPDATE jobs SET status=$3, permanent=$4, error=$5, package=$6, version=$7, "
        "verdicts=$8, gate=$9, gate_reasons=$10, evidence=$11, scan_ms=$12, lease_owner='', "
        "finished_at=now() WHERE id=$1 AND lease_owner=$2 AND status='running'",
        {std::to_string(id), owner, o.ok ? "done" : "failed", o.permanent ? "true" : "false",
         o.error, o.package, o.version, o.verdicts, o.gate, o.gate_reasons, o.evidence,
         std::to_string(o.scan_ms)},
        "lease lost before the result was recorded");
  }

  Status Release(int64_t id, const std::string& owner) override {
    return Changed(
        "UPDATE jobs SET status='queued', lease_owner='' WHERE id=$1 AND "
        "lease_owner=$2 AND status='running'",
        {std::to_string(id), owner}, "not running under that owner");
  }

  Result<QueueCounts> Counts() override {
    Result<PgResult> r =
        Run("SELECT status, COUNT(*) FROM jobs GROUP BY status", {}, PGRES_TUPLES_OK);
    if (!r.ok()) return r.status();
    QueueCounts c;
    for (int i = 0; i < PQntuples(r->get()); ++i) {
      int64_t n = std::stoll(PQgetvalue(r->get(), i, 1));
      switch (ParseStatus(PQgetvalue(r->get(), i, 0))) {
        case JobStatus::kQueued:
          c.queued = n;
          break;
        case JobStatus::kRunning:
          c.running = n;
          break;
        case JobStatus::kDone:
          c.done = n;
          break;
        case JobStatus::kFailed:
          c.failed = n;
          break;
      }
    }
    return c;
  }

  Result<std::vector<Job>> List() override {
    Result<PgResult> r =
        Run(std::string("SELECT ") + kJobColumns + " FROM jobs ORDER BY id", {}, PGRES_TUPLES_OK);
    if (!r.ok()) return r.status();
    std::vector<Job> jobs;
    for (int i = 0; i < PQntuples(r->get()); ++i) jobs.push_back(ReadJob(r->get(), i));
    return jobs;
  }

  Result<std::string> Evidence(int64_t id) override {
    Result<PgResult> r =
        Run("SELECT evidence FROM jobs WHERE id=$1", {std::to_string(id)}, PGRES_TUPLES_OK);
    if (!r.ok()) return r.status();
    if (PQntuples(r->get()) == 0) {
      return NotFound("job " + std::to_string(id)).At(PQdb(conn_), "jobs", 0);
    }
    return std::string(PQgetvalue(r->get(), 0, 0));
  }

  Status UpdateJudgement(int64_t id, const JobOutcome& o) override {
    return Changed("UPDATE jobs SET verdicts=$2, gate=$3, gate_reasons=$4 WHERE id=$1",
                   {std::to_string(id), o.verdicts, o.gate, o.gate_reasons}, "no such job");
  }

  Status CreateSchema() {
    // Several workers may start at once on a new database: the advisory lock makes the first one
    // create the table while the others wait (CREATE IF NOT EXISTS alone races on the catalog).
    if (Result<PgResult> lock = Run("SELECT pg_advisory_lock(7151)", {}, PGRES_TUPLES_OK);
        !lock.ok()) {
      return lock.status();
    }
    PgResult r(PQexec(conn_, kSchema));
    Status status = (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK)
                        ? Error(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_))
                        : Status::Ok();
    PgResult unlock(PQexec(conn_, "SELECT pg_advisory_unlock(7151)"));
    return status;
  }

 private:
  Status Rollback(Status s) {
    PgResult r(PQexec(conn_, "ROLLBACK"));
    return s;
  }

  PGconn* conn_;
};

}  // namespace

Result<std::unique_ptr<JobStore>> OpenPostgresJobStore(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    std::string why = conn ? PQerrorMessage(conn) : "out of memory";
    PQfinish(conn);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    return IoError("postgresql: cannot connect: " + why).At("--db", "connection", 0);
  }
  PgResult quiet(PQexec(conn, "SET client_min_messages TO warning"));
  auto store = std::make_unique<PostgresJobStore>(conn);
  if (Status s = store->CreateSchema(); !s.ok()) return s;
  return std::unique_ptr<JobStore>(std::move(store));
}

}  // namespace piaudit::batch::internal
