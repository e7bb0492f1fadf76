#include "sqldb/database.h"

#include <charconv>

#include "sqldb/internal/drivers.h"

namespace piaudit::sqldb {

int64_t CellInt(const Cell& cell, int64_t fallback) {
  if (!cell) return fallback;
  int64_t v = 0;
  const char* end = cell->data() + cell->size();
  auto [p, ec] = std::from_chars(cell->data(), end, v);
  return ec == std::errc() && p == end ? v : fallback;
}

std::string CellText(const Cell& cell) { return cell ? *cell : std::string(); }

std::string_view Database::AutoIdColumn() const {
  return dialect() == Dialect::kSqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT"
                                       : "BIGSERIAL PRIMARY KEY";
}

bool IsUniqueViolation(const Status& status) {
  return !status.ok() && status.structure() == internal::kUniqueStructure;
}

Transaction::~Transaction() {
  if (open_) (void)db_.Rollback();
}

Status Transaction::Begin() {
  Status s = db_.Begin();
  open_ = s.ok();
  return s;
}

Status Transaction::Commit() {
  if (!open_) return InternalError("commit without an open transaction");
  open_ = false;
  return db_.Commit();
}

std::string ToSqlitePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  size_t i = 0;
  auto copy_until = [&](char close) {
    // Copies a quoted run ('...' or "..."), where a doubled quote is an escaped one.
    out += sql[i++];
    while (i < sql.size()) {
      char c = sql[i++];
      out += c;
      if (c == close) {
        if (i < sql.size() && sql[i] == close) {
          out += sql[i++];
          continue;
        }
        return;
      }
    }
  };
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      copy_until(c);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t end = sql.find('\n', i);
      end = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      out += '?';
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

Result<std::unique_ptr<Database>> Open(const std::string& url) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.starts_with(kSqlite)) {
    std::string path = url.substr(kSqlite.size());
    if (path.empty()) return InvalidInput("database URL '" + url + "': no file after sqlite:");
    return internal::OpenSqlite(path);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return internal::OpenPostgres(url);
  }
  return InvalidInput("database URL '" + url +
                      "': expected sqlite:PATH or postgresql://... (libpq connection URI)");
}

}  // namespace piaudit::sqldb
