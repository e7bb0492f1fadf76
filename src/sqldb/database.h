// One SQL connection behind one interface, for stores that must run both embedded (SQLite, one
// machine, nothing to start) and shared (PostgreSQL, many machines): the oversight records and the
// service's accounts are written once against this, not twice against two client libraries.
//
// Statements use PostgreSQL's numbered placeholders `$1`, `$2`, ... in both dialects (translated to
// SQLite's `?1`, `?2`); every value crosses as text, an integer, a real or NULL, so callers keep to
// the types both databases share: INTEGER (also for booleans, 0/1), TEXT, REAL. Where the DDL must
// differ (an auto-numbered key), ask `dialect()` or use `AutoIdColumn()`.
//
// A Database object is one connection: use one per thread (or a pool).
#ifndef PIAUDIT_SQLDB_DATABASE_H_
#define PIAUDIT_SQLDB_DATABASE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/status.h"

namespace piaudit::sqldb {

enum class Dialect { kSqlite, kPostgres };

// A value bound to a placeholder. string_view: the text is copied by the driver before Exec/Query
// returns, so a temporary is fine.
using Param = std::variant<std::nullptr_t, int64_t, double, std::string_view>;

// One column of a result row: nullopt for SQL NULL, else the value as text (integers in decimal).
using Cell = std::optional<std::string>;
using Row = std::vector<Cell>;

// Reading cells: NULL or text that is not a whole decimal integer reads as `fallback`.
int64_t CellInt(const Cell& cell, int64_t fallback = 0);
std::string CellText(const Cell& cell);  // NULL reads as ""

class Database {
 public:
  virtual ~Database() = default;

  virtual Dialect dialect() const = 0;

  // Runs one or more statements without parameters (schema creation).
  virtual Status ExecScript(std::string_view sql) = 0;
  // Runs one statement; returns the rows changed (INSERT/UPDATE/DELETE), 0 otherwise.
  virtual Result<int64_t> Exec(std::string_view sql, const std::vector<Param>& params = {}) = 0;
  // Runs one statement and returns every row. Bound results with LIMIT in the SQL: this reads them
  // all.
  virtual Result<std::vector<Row>> Query(std::string_view sql,
                                         const std::vector<Param>& params = {}) = 0;

  // A write transaction: SQLite takes the write lock at BEGIN (BEGIN IMMEDIATE), so two processes
  // never both read and then write the same rows; PostgreSQL uses row locks (SELECT ... FOR
  // UPDATE).
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;

  // "INTEGER PRIMARY KEY AUTOINCREMENT" or "BIGSERIAL PRIMARY KEY".
  std::string_view AutoIdColumn() const;
};

// Failures are kIo with the driver's message; a UNIQUE / PRIMARY KEY violation (a name taken, a row
// already in) carries the structure "unique", which this tells.
bool IsUniqueViolation(const Status& status);

// Rolls back unless Commit() was called (an early return or a failure leaves nothing half-written).
class Transaction {
 public:
  explicit Transaction(Database& db) : db_(db) {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Status Begin();
  Status Commit();

 private:
  Database& db_;
  bool open_ = false;
};

// "sqlite:PATH" (the file is created; WAL mode) or "postgresql://..." / "postgres://..." (a libpq
// connection URI).
//   kInvalidInput  another scheme; kIo  cannot open/connect (the driver's message)
Result<std::unique_ptr<Database>> Open(const std::string& url);

// `$N` -> `?N` outside string literals, quoted identifiers and comments (SQLite's numbered form).
std::string ToSqlitePlaceholders(std::string_view sql);

}  // namespace piaudit::sqldb

#endif  // PIAUDIT_SQLDB_DATABASE_H_
