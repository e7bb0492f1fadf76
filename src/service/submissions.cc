#include "service/submissions.h"

#include <ctime>
#include <set>

#include "batch/job_store.h"

namespace piaudit::service {
namespace {

// The tenancy condition on `s` (service_submissions) for `who`, with its parameter at $N.
std::string VisibleClause(const User& who, int param, std::vector<sqldb::Param>* params) {
  switch (who.role) {
    case Role::kAdmin:
    case Role::kInspector:
      return "1 = 1";
    case Role::kStore:
      params->push_back(std::string_view(who.store));
      return "s.store = $" + std::to_string(param);
    case Role::kDeveloper:
      params->push_back(std::string_view(who.name));
      return "s.developer = $" + std::to_string(param);
  }
  return "1 = 0";
}

constexpr char kScanColumns[] =
    "SELECT j.id, j.sha256, j.status, j.package, j.version, j.verdicts, j.gate, j.error, "
    "s.file_name, s.uploader, s.store, s.developer, s.policy_excerpt, s.created_at "
    "FROM service_submissions s JOIN jobs j ON j.id = s.job_id ";

ScanView ViewFromRow(const sqldb::Row& r) {
  ScanView v;
  v.scan_id = sqldb::CellInt(r[0]);
  // A job's key is the APK's SHA-256, with ".POLICY_SHA256" when a policy came with it.
  v.apk_sha256 = std::string(batch::ApkSha256OfKey(sqldb::CellText(r[1])));
  v.status = sqldb::CellText(r[2]);
  v.package = sqldb::CellText(r[3]);
  v.version = sqldb::CellText(r[4]);
  v.verdicts = sqldb::CellText(r[5]);
  v.gate = sqldb::CellText(r[6]);
  v.error = sqldb::CellText(r[7]);
  v.file_name = sqldb::CellText(r[8]);
  v.uploader = sqldb::CellText(r[9]);
  v.store = sqldb::CellText(r[10]);
  v.developer = sqldb::CellText(r[11]);
  v.policy_excerpt = sqldb::CellText(r[12]);
  v.created_at = sqldb::CellInt(r[13]);
  return v;
}

}  // namespace

Status CreateSubmissionTables(sqldb::Database& db) {
  const std::string sql =
      std::string("CREATE TABLE IF NOT EXISTS service_submissions (id ") +
      std::string(db.AutoIdColumn()) +
      ", job_id INTEGER NOT NULL, apk_sha256 TEXT NOT NULL, file_name TEXT NOT NULL, apk_bytes "
      "INTEGER NOT NULL, uploader_id INTEGER NOT NULL, uploader TEXT NOT NULL, store TEXT NOT "
      "NULL, "
      "developer TEXT NOT NULL, policy_sha256 TEXT NOT NULL, policy_excerpt TEXT NOT NULL, "
      "created_at INTEGER NOT NULL, UNIQUE (job_id, uploader_id, store, developer, "
      "policy_sha256));"
      "CREATE INDEX IF NOT EXISTS service_submissions_store ON service_submissions (store);"
      "CREATE INDEX IF NOT EXISTS service_submissions_developer ON service_submissions "
      "(developer);"
      "CREATE INDEX IF NOT EXISTS service_submissions_job ON service_submissions (job_id);";
  return db.ExecScript(sql);
}

Status RecordSubmission(sqldb::Database& db, const User& uploader, const NewSubmission& s) {
  Result<int64_t> n = db.Exec(
      "INSERT INTO service_submissions (job_id, apk_sha256, file_name, apk_bytes, uploader_id, "
      "uploader, store, developer, policy_sha256, policy_excerpt, created_at) VALUES ($1, $2, $3, "
      "$4, $5, $6, $7, $8, $9, $10, $11)",
      {s.job_id, std::string_view(s.apk_sha256), std::string_view(s.file_name), s.apk_bytes,
       uploader.id, std::string_view(uploader.name), std::string_view(s.store),
       std::string_view(s.developer), std::string_view(s.policy_sha256),
       std::string_view(s.policy_excerpt), static_cast<int64_t>(std::time(nullptr))});
  if (!n.ok() && !sqldb::IsUniqueViolation(n.status())) return n.status();
  return Status();
}

Result<std::optional<int64_t>> JobIdOf(sqldb::Database& db, const std::string& sha256) {
  Result<std::vector<sqldb::Row>> rows =
      db.Query("SELECT id FROM jobs WHERE sha256 = $1", {std::string_view(sha256)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(sqldb::CellInt((*rows)[0][0]));
}

Result<std::vector<ScanView>> VisibleScans(sqldb::Database& db, const User& who,
                                           const std::string& package, int limit) {
  std::vector<sqldb::Param> params;
  std::string sql = std::string(kScanColumns) + "WHERE " + VisibleClause(who, 1, &params);
  if (!package.empty()) {
    params.push_back(std::string_view(package));
    sql += " AND j.package = $" + std::to_string(params.size());
  }
  params.push_back(int64_t{limit});
  sql += " ORDER BY s.id DESC LIMIT $" + std::to_string(params.size());
  Result<std::vector<sqldb::Row>> rows = db.Query(sql, params);
  if (!rows.ok()) return rows.status();
  std::vector<ScanView> out;
  std::set<int64_t> seen;
  for (const sqldb::Row& r : *rows) {
    ScanView v = ViewFromRow(r);
    if (seen.insert(v.scan_id).second) out.push_back(std::move(v));
  }
  return out;
}

Result<std::optional<ScanView>> VisibleScan(sqldb::Database& db, const User& who, int64_t scan_id) {
  std::vector<sqldb::Param> params{scan_id};
  const std::string sql = std::string(kScanColumns) + "WHERE j.id = $1 AND " +
                          VisibleClause(who, 2, &params) + " ORDER BY s.id DESC LIMIT 1";
  Result<std::vector<sqldb::Row>> rows = db.Query(sql, params);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<ScanView>();
  return std::optional<ScanView>(ViewFromRow((*rows)[0]));
}

}  // namespace piaudit::service
