// Opening a SQLite file the way every piaudit store does, and running statements on it while other
// processes use the same file (`piaudit serve`, `batch work` workers, `user add`).
//
// sqlite3_busy_timeout makes a connection wait for another's lock, but SQLite skips that handler in
// a few moments and returns SQLITE_BUSY at once: switching a new file to WAL while another process
// opens it, WAL recovery after a process died, and the last connection's clean-up as it closes
// (https://www.sqlite.org/wal.html, "Sometimes Queries Return SQLITE_BUSY In WAL Mode"). SQLite's
// advice is to try again; the functions below do, bounded by the same timeout as the handler.
#ifndef PIAUDIT_SQLDB_SQLITE_FILE_H_
#define PIAUDIT_SQLDB_SQLITE_FILE_H_

#include <string>
#include <string_view>

#include "base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace piaudit::sqldb {

// How long a statement waits for another connection's lock before it fails. Stores hold their
// write lock for milliseconds, so reaching this means something else holds the file (a backup, a
// stuck process), which the error then names.
inline constexpr int kSqliteBusyTimeoutMs = 30000;

// sqlite3_exec, sqlite3_prepare_v2 and a statement's first sqlite3_step, taken again after short
// sleeps while SQLite answers SQLITE_BUSY without waiting, for up to kSqliteBusyTimeoutMs; each
// returns the last result code. Only for what changes nothing when it fails busy: one statement
// in autocommit mode, a script of IF NOT EXISTS statements, PRAGMA, BEGIN, COMMIT (a busy script
// is run again whole). *error is sqlite3_exec's message (free it with sqlite3_free), or null.
int ExecRetryingBusy(sqlite3* db, const char* sql, char** error);
int PrepareRetryingBusy(sqlite3* db, std::string_view sql, sqlite3_stmt** stmt);
// Before its first row a statement has done nothing, so a busy first step is reset and taken again.
int FirstStepRetryingBusy(sqlite3_stmt* stmt);

// Opens (creating it if absent) the database file at `path` for reading and writing from any
// thread, with the busy timeout above, in WAL mode (readers in other processes go on while one
// writes). On failure *db is null and the error names the file.
Status OpenSqliteFile(const std::string& path, sqlite3** db);

}  // namespace piaudit::sqldb

#endif  // PIAUDIT_SQLDB_SQLITE_FILE_H_
