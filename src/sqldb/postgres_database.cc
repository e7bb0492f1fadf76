// PostgreSQL through libpq: parameters sent separately from the SQL text (never spliced in), every
// value as text, results read as text.
#include <libpq-fe.h>

#include <cstdio>
#include <memory>
#include <string>

#include "sqldb/internal/drivers.h"

namespace piaudit::sqldb::internal {
namespace {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

constexpr char kUniqueViolation[] = "23505";

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(PGconn* conn) : conn_(conn) {}
  ~PostgresDatabase() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }

  Status ExecScript(std::string_view sql) override {
    std::string text(sql);
    PgResult r(PQexec(conn_, text.c_str()));
    return Check(r.get());
  }

  Result<int64_t> Exec(std::string_view sql, const std::vector<Param>& params) override {
    auto r = Run(sql, params);
    if (!r.ok()) return std::move(r).TakeStatus();
    const char* tuples = PQcmdTuples(r->get());
    int64_t changed = 0;
    for (const char* p = tuples; *p >= '0' && *p <= '9'; ++p) changed = changed * 10 + (*p - '0');
    return changed;
  }

  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Param>& params) override {
    auto r = Run(sql, params);
    if (!r.ok()) return std::move(r).TakeStatus();
    PGresult* res = r->get();
    int n = PQntuples(res), columns = PQnfields(res);
    std::vector<Row> rows;
    rows.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      Row row;
      row.reserve(static_cast<size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(res, i, c)) {
          row.emplace_back(std::nullopt);
        } else {
          row.emplace_back(
              std::string(PQgetvalue(res, i, c), static_cast<size_t>(PQgetlength(res, i, c))));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Status Begin() override { return ExecScript("BEGIN"); }
  Status Commit() override { return ExecScript("COMMIT"); }
  Status Rollback() override { return ExecScript("ROLLBACK"); }

 private:
  Status Check(PGresult* r) const {
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return Status::Ok();
    std::string message = r ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
      message.pop_back();
    Status s = IoError("postgresql: " + message);
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    if (state != nullptr && std::string_view(state) == kUniqueViolation) {
      s.InStructure(kUniqueStructure);
    }
    return s;
  }

  Result<PgResult> Run(std::string_view sql, const std::vector<Param>& params) {
    // libpq wants NUL-terminated values: keep each parameter's text alive until the call returns.
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      const Param& p = params[i];
      if (std::holds_alternative<std::nullptr_t>(p)) continue;
      if (auto* v = std::get_if<int64_t>(&p)) {
        texts[i] = std::to_string(*v);
      } else if (auto* d = std::get_if<double>(&p)) {
        char buf[64];
        int len = std::snprintf(buf, sizeof buf, "%.17g", *d);
        texts[i].assign(buf, static_cast<size_t>(len));
      } else {
        texts[i] = std::string(std::get<std::string_view>(p));
      }
      values[i] = texts[i].c_str();
    }
    std::string text(sql);
    PgResult r(PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr,
                            values.data(), nullptr, nullptr, 0));
    Status s = Check(r.get());
    if (!s.ok()) return s;
    return r;
  }

  PGconn* conn_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    std::string why = conn ? PQerrorMessage(conn) : "out of memory";
    PQfinish(conn);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    return IoError("postgresql: cannot connect: " + why);
  }
  // Notices (e.g. "relation already exists, skipping") are not errors; keep them off stderr.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<Database>(std::make_unique<PostgresDatabase>(conn));
}

}  // namespace piaudit::sqldb::internal
