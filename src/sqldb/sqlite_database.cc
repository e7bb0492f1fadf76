// SQLite: one file in WAL mode (readers in other processes go on while one writes), a busy timeout
// so a second writer waits for the lock instead of failing (sqldb/sqlite_file.h), foreign keys
// enforced.
#include <sqlite3.h>

#include <string>

#include "sqldb/internal/drivers.h"
#include "sqldb/sqlite_file.h"

namespace piaudit::sqldb::internal {
namespace {

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteDatabase() override { sqlite3_close_v2(db_); }

  Dialect dialect() const override { return Dialect::kSqlite; }

  Status ExecScript(std::string_view sql) override {
    char* err = nullptr;
    std::string text(sql);
    // Only scripts without partial effects when busy (schema IF NOT EXISTS, PRAGMA, BEGIN, COMMIT)
    // are run here (sqldb/sqlite_file.h).
    if (ExecRetryingBusy(db_, text.c_str(), &err) != SQLITE_OK) {
      Status s = Error(err ? err : sqlite3_errmsg(db_), sqlite3_extended_errcode(db_));
      sqlite3_free(err);
      return s;
    }
    return Status::Ok();
  }

  Result<int64_t> Exec(std::string_view sql, const std::vector<Param>& params) override {
    int64_t changed = 0;
    Status s = Run(sql, params, nullptr);
    if (!s.ok()) return s;
    changed = sqlite3_changes64(db_);
    return changed;
  }

  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Param>& params) override {
    std::vector<Row> rows;
    Status s = Run(sql, params, &rows);
    if (!s.ok()) return s;
    return rows;
  }

  Status Begin() override { return ExecScript("BEGIN IMMEDIATE"); }
  Status Commit() override { return ExecScript("COMMIT"); }
  Status Rollback() override { return ExecScript("ROLLBACK"); }

 private:
  Status Error(std::string_view what, int code) const {
    Status s = IoError("sqlite " + path_ + ": " + std::string(what));
    if ((code & 0xff) == SQLITE_CONSTRAINT &&
        (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)) {
      s.InStructure(kUniqueStructure);
    }
    return s;
  }

  Status Run(std::string_view sql, const std::vector<Param>& params, std::vector<Row>* rows) {
    std::string text = ToSqlitePlaceholders(sql);
    sqlite3_stmt* stmt = nullptr;
    if (PrepareRetryingBusy(db_, text, &stmt) != SQLITE_OK) {
      return Error(sqlite3_errmsg(db_), sqlite3_extended_errcode(db_));
    }
    struct Finalizer {
      sqlite3_stmt* s;
      ~Finalizer() { sqlite3_finalize(s); }
    } finalizer{stmt};
    for (size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i + 1);
      const Param& p = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::nullptr_t>(p)) {
        rc = sqlite3_bind_null(stmt, index);
      } else if (auto* v = std::get_if<int64_t>(&p)) {
        rc = sqlite3_bind_int64(stmt, index, *v);
      } else if (auto* d = std::get_if<double>(&p)) {
        rc = sqlite3_bind_double(stmt, index, *d);
      } else {
        auto text_value = std::get<std::string_view>(p);
        rc = sqlite3_bind_text64(stmt, index, text_value.data(), text_value.size(),
                                 SQLITE_TRANSIENT, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) return Error(sqlite3_errmsg(db_), rc);
    }
    int rc = FirstStepRetryingBusy(stmt);
    for (;; rc = sqlite3_step(stmt)) {
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return Error(sqlite3_errmsg(db_), sqlite3_extended_errcode(db_));
      if (rows == nullptr) continue;
      int columns = sqlite3_column_count(stmt);
      Row row;
      row.reserve(static_cast<size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
          row.emplace_back(std::nullopt);
          continue;
        }
        const unsigned char* p = sqlite3_column_text(stmt, c);
        row.emplace_back(std::string(reinterpret_cast<const char*>(p),
                                     static_cast<size_t>(sqlite3_column_bytes(stmt, c))));
      }
      rows->push_back(std::move(row));
    }
  }

  sqlite3* db_;
  std::string path_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path) {
  sqlite3* db = nullptr;
  if (Status s = OpenSqliteFile(path, &db); !s.ok()) return s;
  auto database = std::make_unique<SqliteDatabase>(db, path);
  Status s = database->ExecScript("PRAGMA foreign_keys=ON;");
  if (!s.ok()) return s;
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace piaudit::sqldb::internal
