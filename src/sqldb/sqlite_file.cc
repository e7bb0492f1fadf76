#include "sqldb/sqlite_file.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace piaudit::sqldb {
namespace {

template <typename Attempt>
int RetryWhileBusy(Attempt attempt) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(kSqliteBusyTimeoutMs);
  // The moments SQLite does not wait through last a few milliseconds (a checkpoint, a recovery of a
  // small WAL), so start short and back off to a tenth of a second.
  int sleep_ms = 2;
  for (;;) {
    int rc = attempt();
    if ((rc & 0xff) != SQLITE_BUSY || Clock::now() >= deadline) return rc;
    std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
    sleep_ms = std::min(sleep_ms * 2, 100);
  }
}

}  // namespace

int ExecRetryingBusy(sqlite3* db, const char* sql, char** error) {
  *error = nullptr;
  return RetryWhileBusy([&] {
    sqlite3_free(*error);
    *error = nullptr;
    return sqlite3_exec(db, sql, nullptr, nullptr, error);
  });
}

int PrepareRetryingBusy(sqlite3* db, std::string_view sql, sqlite3_stmt** stmt) {
  return RetryWhileBusy([&] {
    return sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), stmt, nullptr);
  });
}

int FirstStepRetryingBusy(sqlite3_stmt* stmt) {
  return RetryWhileBusy([&] {
    sqlite3_reset(stmt);
    return sqlite3_step(stmt);
  });
}

Status OpenSqliteFile(const std::string& path, sqlite3** db) {
  *db = nullptr;
  sqlite3* handle = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &handle,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    sqlite3_close_v2(handle);
    return IoError("sqlite: cannot open: " + why).At(path, "database", 0);
  }
  sqlite3_busy_timeout(handle, kSqliteBusyTimeoutMs);
  char* error = nullptr;
  rc = ExecRetryingBusy(handle, "PRAGMA journal_mode=WAL", &error);
  sqlite3_free(error);
  if (rc != SQLITE_OK) {
    std::string why = sqlite3_errmsg(handle);
    sqlite3_close_v2(handle);
    return IoError("sqlite: cannot switch to WAL: " + why).At(path, "database", 0);
  }
  *db = handle;
  return Status::Ok();
}

}  // namespace piaudit::sqldb
