// The append-only audit log of the oversight service: every state change and every read of a
// report (who, what, when), hash-chained so that an edited, deleted or reordered entry is found.
//
// Entry n stores the hash of entry n-1 (`prev_hash`; 64 zeros for entry 1) and its own
// `hash` = SHA-256 (lower-case hex) of the canonical serialisation
//   "piaudit.audit/1" then, for seq, at, actor, action, subject, detail, prev_hash in that order,
//   "<byte length>:<bytes>;"
// (length-prefixed, so no field value can imitate a field boundary). Sequence numbers run 1, 2,
// 3 ... without gaps; a one-row head table holds the last sequence number and hash, so removing the
// newest entries is found too. Appends run inside a write transaction that reads the head (SQLite:
// BEGIN IMMEDIATE; PostgreSQL: SELECT ... FOR UPDATE on the head row), so concurrent writers on
// any number of connections keep one chain.
//
// What the chain cannot show: someone who rewrites every entry after the one they change AND the
// head. Against that, record the head hash `piaudit audit verify` prints somewhere else (a report,
// a ticket); a later verify whose chain does not pass through it shows the rewrite.
#ifndef PIAUDIT_REVIEW_AUDIT_LOG_H_
#define PIAUDIT_REVIEW_AUDIT_LOG_H_

#include <cstdint>
#include <string>

#include "base/status.h"
#include "sqldb/database.h"

namespace piaudit::review {

// What an entry says. `at` is the caller's timestamp (ISO 8601, e.g. 2026-09-24T10:00:00+08:00):
// the library never reads the wall clock.
struct AuditRecord {
  std::string at;
  std::string actor;    // account name
  std::string action;   // "case.step.order_rectification", "report.read", ...
  std::string subject;  // "case/12", "scan/7/report"
  std::string detail;   // free text / JSON, at most 64 KiB
};

struct AuditEntry {
  int64_t seq = 0;
  AuditRecord record;
  std::string prev_hash;
  std::string hash;
};

// The hash an entry must carry (see the file comment for the serialisation).
std::string AuditEntryHash(int64_t seq, const AuditRecord& record, const std::string& prev_hash);

// Creates the audit tables if absent (review_audit_log, review_audit_head with its one row).
Status CreateAuditSchema(sqldb::Database& db);

// Appends one entry in its own write transaction; returns its sequence number.
Result<int64_t> AppendAudit(sqldb::Database& db, const AuditRecord& record);
// The same inside a write transaction the caller has begun (a state change and its entry commit
// together or not at all).
Result<int64_t> AppendAuditInTransaction(sqldb::Database& db, const AuditRecord& record);

struct AuditVerification {
  bool intact = true;
  int64_t entries = 0;    // entries read
  std::string head_hash;  // the last entry's hash (64 zeros for an empty log)
  int64_t first_bad = 0;  // the sequence number of the first entry that does not match
  std::string problem;    // what does not match, e.g. "hash differs (the entry was edited)"
};

// Walks the whole chain in sequence order (in pages, so memory stays bounded) and names the first
// entry whose sequence number, link or hash does not match. kNotFound when the database has no
// audit log.
Result<AuditVerification> VerifyAuditLog(sqldb::Database& db);

}  // namespace piaudit::review

#endif  // PIAUDIT_REVIEW_AUDIT_LOG_H_
