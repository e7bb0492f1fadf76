// Opening a SQLite file the way every piaudit store does, and running statements on it while other
// processes use the same file (`piaudit serve`, `batch work` workers, `user add`).
//
// sqlite3_busy_timeout makes a connection wait for another's lock, but SQLite skips that handler in
// a few moments and returns SQLITE_BUSY at once: switching a new file to WAL while another process
// opens it, WAL recovery after a process died, and the last connection's clean-up as it closes
// (https://www.sqlite.org/wal.html, "Sometimes Queries Return SQLITE_BUSY In WAL Mode"). SQLite's
// advice is to try again; RetryWhileBusy does, bounded by the same timeout as the handler.
#ifndef PIAUDIT_SQLDB_SQLITE_FILE_H_
#define PIAUDIT_SQLDB_SQLITE_FILE_H_

#include <functional>
#include <string>

#include "base/status.h"

struct sqlite3;

namespace piaudit::sqldb {

// How long a statement waits for another connection's lock before it fails. Stores hold their
// write lock for milliseconds, so reaching this means something else holds the file (a backup, a
// stuck process), which the error then names.
inline constexpr int kSqliteBusyTimeoutMs = 30000;

// Calls `attempt` (which returns an SQLite result code) again after short sleeps while it returns
// SQLITE_BUSY, until `timeout_ms` have passed since the first call; returns the last code. Only for
// attempts that change nothing when they fail busy: one statement in autocommit mode, preparing a
// statement, BEGIN, COMMIT, a PRAGMA.
int RetryWhileBusy(const std::function<int()>& attempt, int timeout_ms = kSqliteBusyTimeoutMs);

// Opens (creating it if absent) the database file at `path` for reading and writing from any
// thread, with the busy timeout above, in WAL mode (readers in other processes go on while one
// writes). On failure *db is null and the error names the file.
Status OpenSqliteFile(const std::string& path, sqlite3** db);

}  // namespace piaudit::sqldb

#endif  // PIAUDIT_SQLDB_SQLITE_FILE_H_
