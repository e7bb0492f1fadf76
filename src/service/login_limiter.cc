#include "service/login_limiter.h"

#include <algorithm>

#include "sqldb/database.h"

namespace piaudit::service {
namespace {

// Keys are bounded: a name is at most 64 bytes (ValidName) but a login attempt may send any
// string, and an address is at most an IPv6 literal.
constexpr size_t kMaxKeyBytes = 160;

std::string NameKey(const std::string& name) { return "n:" + name.substr(0, kMaxKeyBytes); }
std::string AddressKey(const std::string& address) {
  return "a:" + address.substr(0, kMaxKeyBytes);
}

Result<int64_t> WaitFor(sqldb::Database& db, const std::string& key, int64_t now_ms,
                        const LoginLimits& limits) {
  ASSIGN_OR_RETURN(auto rows, db.Query("SELECT failures, last_at_ms FROM service_login_failures "
                                       "WHERE key = $1",
                                       {std::string_view(key)}));
  if (rows.empty()) return int64_t{0};
  const int64_t failures = sqldb::CellInt(rows[0][0]);
  const int64_t last_ms = sqldb::CellInt(rows[0][1]);
  if (failures < limits.free_failures || now_ms - last_ms >= limits.forget_after_seconds * 1000) {
    return int64_t{0};
  }
  const int over = static_cast<int>(std::min<int64_t>(failures - limits.free_failures, 20));
  const int64_t delay =
      std::min<int64_t>(limits.first_delay_seconds << over, limits.max_delay_seconds);
  const int64_t passed_ms = now_ms - last_ms;
  // Rounded up: a client told to wait 0 s while 300 ms remain would be refused again.
  return passed_ms >= delay * 1000 ? int64_t{0} : (delay * 1000 - passed_ms + 999) / 1000;
}

Status Count(sqldb::Database& db, const std::string& key, int64_t now_ms,
             const LoginLimits& limits) {
  // A count older than the forgetting time starts again from one.
  return db
      .Exec(
          "INSERT INTO service_login_failures (key, failures, last_at_ms) VALUES ($1, 1, $2) "
          "ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN service_login_failures.last_at_ms "
          "< "
          "$3 "
          "THEN 1 WHEN service_login_failures.failures >= 1000 THEN 1000 "
          "ELSE service_login_failures.failures + 1 END, last_at_ms = $2",
          {std::string_view(key), now_ms, now_ms - limits.forget_after_seconds * 1000})
      .status();
}

}  // namespace

Status CreateLoginLimiterTable(sqldb::Database& db) {
  return db.ExecScript(
      "CREATE TABLE IF NOT EXISTS service_login_failures (key TEXT PRIMARY KEY, "
      "failures BIGINT NOT NULL, last_at_ms BIGINT NOT NULL);"
      "CREATE INDEX IF NOT EXISTS service_login_failures_last ON service_login_failures "
      "(last_at_ms);");
}

Result<int64_t> LoginRetryAfter(sqldb::Database& db, const std::string& name,
                                const std::string& address, int64_t now_ms,
                                const LoginLimits& limits) {
  ASSIGN_OR_RETURN(int64_t by_name, WaitFor(db, NameKey(name), now_ms, limits));
  ASSIGN_OR_RETURN(int64_t by_address, WaitFor(db, AddressKey(address), now_ms, limits));
  return std::max(by_name, by_address);
}

Status LoginFailed(sqldb::Database& db, const std::string& name, const std::string& address,
                   int64_t now_ms, const LoginLimits& limits) {
  RETURN_IF_ERROR(Count(db, NameKey(name), now_ms, limits));
  RETURN_IF_ERROR(Count(db, AddressKey(address), now_ms, limits));
  // Bounded: keys with no failure for the forgetting time go (the index makes this cheap).
  return db
      .Exec("DELETE FROM service_login_failures WHERE last_at_ms < $1",
            {now_ms - limits.forget_after_seconds * 1000})
      .status();
}

Status LoginSucceeded(sqldb::Database& db, const std::string& name) {
  return db
      .Exec("DELETE FROM service_login_failures WHERE key = $1", {std::string_view(NameKey(name))})
      .status();
}

}  // namespace piaudit::service
