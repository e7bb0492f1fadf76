// The hash-chained audit log (audit_log.h).
#include "review/audit_log.h"

#include <string_view>
#include <vector>

#include "container/digest.h"

namespace piaudit::review {
namespace {

constexpr char kGenesisHash[] = "0000000000000000000000000000000000000000000000000000000000000000";
// Bounds what one entry may carry: a state change's detail is a short JSON object; 64 KiB leaves
// room for a note without letting a caller grow the table without limit.
constexpr size_t kMaxFieldBytes = 64 * 1024;
// Verification reads this many rows per query.
constexpr int64_t kPageRows = 1000;

void AddField(std::string* out, std::string_view value) {
  *out += std::to_string(value.size());
  out->push_back(':');
  out->append(value);
  out->push_back(';');
}

Status CheckRecord(const AuditRecord& r) {
  if (r.at.empty() || r.actor.empty() || r.action.empty()) {
    return InvalidInput("an audit entry needs a time, an actor and an action").InStructure("audit");
  }
  for (const std::string* f : {&r.at, &r.actor, &r.action, &r.subject, &r.detail}) {
    if (f->size() > kMaxFieldBytes) {
      return LimitExceeded("an audit entry field is longer than 64 KiB").InStructure("audit");
    }
  }
  return Status::Ok();
}

std::string LockClause(const sqldb::Database& db) {
  return db.dialect() == sqldb::Dialect::kPostgres ? " FOR UPDATE" : "";
}

}  // namespace

std::string AuditEntryHash(int64_t seq, const AuditRecord& r, const std::string& prev_hash) {
  std::string canonical = "piaudit.audit/1";
  AddField(&canonical, std::to_string(seq));
  AddField(&canonical, r.at);
  AddField(&canonical, r.actor);
  AddField(&canonical, r.action);
  AddField(&canonical, r.subject);
  AddField(&canonical, r.detail);
  AddField(&canonical, prev_hash);
  return container::Sha256Hex(std::string_view(canonical));
}

Status CreateAuditSchema(sqldb::Database& db) {
  RETURN_IF_ERROR(db.ExecScript(
      "CREATE TABLE IF NOT EXISTS review_audit_log ("
      " seq BIGINT PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
      " subject TEXT NOT NULL, detail TEXT NOT NULL, prev_hash TEXT NOT NULL,"
      " hash TEXT NOT NULL);"
      "CREATE TABLE IF NOT EXISTS review_audit_head ("
      " id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL);"));
  auto head = db.Exec(
      "INSERT INTO review_audit_head (id, seq, hash) VALUES (1, 0, $1) ON CONFLICT DO NOTHING",
      {std::string_view(kGenesisHash)});
  return head.ok() ? Status::Ok() : head.status();
}

Result<int64_t> AppendAuditInTransaction(sqldb::Database& db, const AuditRecord& record) {
  RETURN_IF_ERROR(CheckRecord(record));
  ASSIGN_OR_RETURN(
      auto head, db.Query("SELECT seq, hash FROM review_audit_head WHERE id = 1" + LockClause(db)));
  if (head.size() != 1) {
    return NotFound("the audit log has no head row (was the schema created?)")
        .InStructure("review_audit_head");
  }
  const int64_t seq = sqldb::CellInt(head[0][0], -1) + 1;
  const std::string prev = sqldb::CellText(head[0][1]);
  if (seq <= 0) return InternalError("audit head sequence unreadable").InStructure("audit");
  const std::string hash = AuditEntryHash(seq, record, prev);
  if (hash.empty()) return InternalError("SHA-256 failed").InStructure("audit");
  RETURN_IF_ERROR(db.Exec(
      "INSERT INTO review_audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {seq, std::string_view(record.at), std::string_view(record.actor),
       std::string_view(record.action), std::string_view(record.subject),
       std::string_view(record.detail), std::string_view(prev), std::string_view(hash)}));
  RETURN_IF_ERROR(db.Exec("UPDATE review_audit_head SET seq = $1, hash = $2 WHERE id = 1",
                          {seq, std::string_view(hash)}));
  return seq;
}

Result<int64_t> AppendAudit(sqldb::Database& db, const AuditRecord& record) {
  sqldb::Transaction tx(db);
  RETURN_IF_ERROR(tx.Begin());
  ASSIGN_OR_RETURN(int64_t seq, AppendAuditInTransaction(db, record));
  RETURN_IF_ERROR(tx.Commit());
  return seq;
}

Result<AuditVerification> VerifyAuditLog(sqldb::Database& db) {
  auto head = db.Query("SELECT seq, hash FROM review_audit_head WHERE id = 1");
  if (!head.ok()) {
    return NotFound("no audit log in this database (" + std::string(head.status().message()) + ")")
        .InStructure("review_audit_head");
  }
  AuditVerification v;
  v.head_hash = kGenesisHash;
  std::string prev = kGenesisHash;
  int64_t expected = 1;
  const auto fail = [&](int64_t seq, std::string problem) {
    v.intact = false;
    v.first_bad = seq;
    v.problem = std::move(problem);
    return v;
  };
  for (;;) {
    ASSIGN_OR_RETURN(auto rows,
                     db.Query("SELECT seq, at, actor, action, subject, detail, prev_hash, hash "
                              "FROM review_audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2",
                              {expected, kPageRows}));
    for (const sqldb::Row& row : rows) {
      const int64_t seq = sqldb::CellInt(row[0], -1);
      AuditRecord r{sqldb::CellText(row[1]), sqldb::CellText(row[2]), sqldb::CellText(row[3]),
                    sqldb::CellText(row[4]), sqldb::CellText(row[5])};
      const std::string stored_prev = sqldb::CellText(row[6]);
      const std::string stored_hash = sqldb::CellText(row[7]);
      if (seq != expected) {
        return fail(seq, "sequence number " + std::to_string(seq) + " where " +
                             std::to_string(expected) + " was expected (entries " +
                             std::to_string(expected) + ".." + std::to_string(seq - 1) +
                             " were deleted)");
      }
      if (stored_prev != prev) {
        return fail(seq, "prev_hash does not match the hash of entry " + std::to_string(seq - 1) +
                             " (an entry before it was deleted, replaced or moved)");
      }
      if (AuditEntryHash(seq, r, stored_prev) != stored_hash) {
        return fail(seq, "hash does not match the entry's content (the entry was edited)");
      }
      prev = stored_hash;
      ++expected;
      ++v.entries;
    }
    if (static_cast<int64_t>(rows.size()) < kPageRows) break;
  }
  // Entries below the first row read (seq < 1) are not reachable by the query above; a table that
  // starts elsewhere is caught by the sequence check.
  v.head_hash = prev;
  if (head->size() != 1) return fail(expected, "the head row is missing");
  const int64_t head_seq = sqldb::CellInt((*head)[0][0], -1);
  const std::string head_hash = sqldb::CellText((*head)[0][1]);
  if (head_seq != expected - 1) {
    return fail(expected, "the head names entry " + std::to_string(head_seq) +
                              " as the last, but " + "the chain ends at " +
                              std::to_string(expected - 1) + " (the newest entries were deleted)");
  }
  if (head_hash != prev) {
    return fail(head_seq, "the head hash does not match the last entry's hash");
  }
  return v;
}

}  // namespace piaudit::review
