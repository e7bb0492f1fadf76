// The oversight process over a SQL database (SQLite or PostgreSQL, sqldb/database.h): apps and
// their versions, complaints, cases and their timelines, public notices, removals, relisting bars
// and the credit/risk list. The steps a case may take, who may take them, their legal basis and
// the deadlines they start are data (data/review/process.yaml, knowledge/review_process.h);
// deadlines in working days use the State Council holiday calendar (knowledge/calendar.h, 调休
// make-up days included). docs/review.md describes the process and the tables.
//
// Time is always the caller's: every call that records something takes the legal date of the act
// (a China local date, for deadlines) and a timestamp for the audit log; queries take "today".
// Every change is written with its audit entry (audit_log.h) in one transaction.
//
// A ReviewStore uses one connection (sqldb::Database is one connection): one store per thread.
#ifndef PIAUDIT_REVIEW_REVIEW_STORE_H_
#define PIAUDIT_REVIEW_REVIEW_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "knowledge/knowledge_base.h"
#include "sqldb/database.h"

namespace piaudit::review {

using knowledge::Date;

// Who acts, and as what: admin, inspector, store, developer (the roles of process.yaml).
struct Actor {
  std::string name;
  std::string role;
};

// An app is its package name AND its signing certificate: a renamed package with the same
// certificate, or the same package with a new signer, is another app (and both are matched by the
// relisting bar).
struct AppInput {
  std::string package;
  std::string cert_sha256;  // 64 lower-case hex digits
  std::string label;        // hostile text: stored as given, escape it when shown
  std::string developer;    // the developer account that owns the app
  std::string store;        // the store it was submitted to (may be empty)
};

struct AppVersionInput {
  int64_t app_id = 0;
  std::string version_name;
  int64_t version_code = 0;
  std::string apk_sha256;
  std::string scan_ref;  // the scan or batch job that judged it (free text, may be empty)
};

struct Person {
  std::string name;
  std::string role;  // inspector, developer, ...
};

struct CaseInput {
  int64_t app_version_id = 0;
  std::vector<std::string> items;  // the findings the case is about: item ids "IM-3.1"
  std::string findings_json;       // the findings themselves (report JSON excerpt), <= 1 MiB
  std::vector<Person> people;
};

struct ComplaintInput {
  int64_t app_version_id = 0;
  std::string complainant;
  std::string channel;             // "web", "phone", "12321" ...
  std::string text;                // <= 64 KiB
  std::vector<std::string> items;  // item ids the complaint points at, if known
};

// A document attached to a step: an order, an answer, a pledge (kind "pledge"), a notice text.
struct Document {
  std::string kind;  // "order", "answer", "pledge", "notice", "note" ...
  std::string name;
  std::string text;  // <= 64 KiB
  std::string ref;   // an id elsewhere (an uploaded file, a scan)
};

// The caller's re-scan of a newer version (the version-pair comparison): which of the case's
// items the new version still fails.
struct Rescan {
  int64_t app_version_id = 0;              // a version of the same app, newer than the case's
  std::vector<std::string> failing_items;  // item ids judged violations in the re-scan
};

struct StepRequest {
  std::string action;  // an action of process.yaml
  Actor actor;
  Date date;       // the legal date of the step (deadlines count from it)
  std::string at;  // audit timestamp
  std::string note;
  std::vector<Document> documents;
  std::optional<Rescan> rescan;  // rescan_clean
  std::string credit_reason;     // credit_reason: "serious" or "repeated"
};

struct CaseView {
  int64_t id = 0;
  int64_t app_id = 0;
  int64_t app_version_id = 0;
  std::string package;
  std::string cert_sha256;
  std::string developer;
  std::string state;
  std::vector<std::string> items;
  std::string findings_json;
  std::vector<Person> people;
  Date opened;
  std::optional<Date> deadline;           // end of this day
  std::string deadline_kind;              // "due" or "wait" (empty without a deadline)
  std::string deadline_action;            // the step that set it
  std::vector<std::string> next_actions;  // the steps process.yaml allows from `state`
  bool overdue = false;                   // a due deadline before "today"
  // The app and version the case is about.
  std::string store;
  std::string label;  // hostile text
  std::string version_name;
  int64_t version_code = 0;
  std::string apk_sha256;
  std::string scan_ref;
};

struct CaseEvent {
  int64_t id = 0;
  std::string action;
  std::string from_state;
  std::string to_state;
  Actor actor;
  Date date;
  std::string at;
  std::optional<Date> deadline;
  std::string deadline_rule;  // "5 working_days due", empty without a deadline
  std::string basis;          // message id
  std::string note;
  std::vector<Document> documents;
};

struct PublicEntry {  // a notice or a removal, what the public page shows
  std::string kind;   // "notice" or "removal"
  int64_t case_id = 0;
  std::string package;
  std::string label;
  Date date;
  std::optional<Date> bar_ends;  // removals
  std::string basis;             // message id
};

// CanList's answer: allowed, or the removal whose bar still runs.
struct ListingCheck {
  bool allowed = true;
  int64_t removal_id = 0;
  int64_t case_id = 0;
  std::string matched;  // "package", "certificate" or "package and certificate"
  std::string removed_package;
  Date removed_on;
  Date bar_ends;       // the last day of the bar; listing is allowed from the next day
  std::string reason;  // a sentence naming all of the above
};

// Which cases ListCases returns: every field that is set must match.
struct CaseFilter {
  std::string state;
  std::string developer;  // a developer's own apps
  int64_t app_id = 0;
  int64_t limit = 100;  // 1..10000
  std::string store;    // a store operator's own store
};

// Why a step was refused (the Status's structure says it too: "review.wrong_state", ...).
enum class Refusal { kNone, kUnknownAction, kWrongState, kWrongRole, kNotOwner, kRequirement };
Refusal RefusalOf(const Status& status);

// Creates every review table if absent (the same DDL on both databases) and the audit log.
Status CreateReviewSchema(sqldb::Database& db);

class ReviewStore {
 public:
  // `kb` supplies the process and the calendar and must outlive the store. Fails when the process
  // lacks a step the store gives side effects (publish_notice, remove, remove_directly,
  // add_to_credit_list).
  static Result<ReviewStore> Open(sqldb::Database& db, const knowledge::KnowledgeBase& kb);

  Result<int64_t> AddApp(const AppInput& app, const Actor& actor, const std::string& at);
  Result<int64_t> AddAppVersion(const AppVersionInput& version, const Actor& actor,
                                const std::string& at);
  // The app with this package and certificate, or kNotFound.
  Result<int64_t> FindApp(std::string_view package, std::string_view cert_sha256);
  // The version of `app_id` with this APK, if recorded.
  Result<std::optional<int64_t>> FindAppVersion(int64_t app_id, std::string_view apk_sha256);

  // A case in the initial state, by a role that may take a first step.
  Result<int64_t> OpenCase(const CaseInput& input, const Actor& actor, Date date,
                           const std::string& at);
  // A complaint and its case, stepped through `receive_complaint` (the answer is due in 15
  // working days). Returns the case id.
  Result<int64_t> FileComplaint(const ComplaintInput& input, const Actor& actor, Date date,
                                const std::string& at);
  // One step of process.yaml. Refused (RefusalOf) when the action is unknown, not allowed from
  // the case's state or for the actor's role, a developer is not the app's, or a requirement
  // fails; nothing is written then.
  Result<CaseView> Step(int64_t case_id, const StepRequest& request);

  Result<CaseView> GetCase(int64_t case_id, Date today);
  Result<std::vector<CaseEvent>> Timeline(int64_t case_id);
  // Cases matching `filter`, newest first.
  Result<std::vector<CaseView>> ListCases(const CaseFilter& filter, Date today);
  // How many cases are in each state (the dashboard), in the order of process.yaml.
  Result<std::vector<std::pair<std::string, int64_t>>> CountByState();
  // Open cases whose due deadline is before `today`.
  Result<std::vector<CaseView>> Overdue(Date today);
  // Open cases whose due deadline falls from `today` to the Sunday of today's week.
  Result<std::vector<CaseView>> DueThisWeek(Date today);

  // The relisting bar: refuses when the package OR the certificate matches a removal whose bar
  // (40 working days) has not ended on `date`.
  Result<ListingCheck> CanList(std::string_view package, std::string_view cert_sha256, Date date);
  // Notices and removals, newest first, at most `limit`.
  Result<std::vector<PublicEntry>> PublicNotices(int64_t limit);

  // Records a read of a report (or any record) in the audit log.
  Status RecordRead(const Actor& actor, const std::string& subject, const std::string& at);

 private:
  ReviewStore(sqldb::Database& db, const knowledge::KnowledgeBase& kb) : db_(&db), kb_(&kb) {}
  Result<int64_t> OpenCaseInTransaction(const CaseInput& input, const Actor& actor, Date date,
                                        const std::string& at);
  Result<CaseView> LoadCase(int64_t case_id, Date today, bool lock);
  Result<CaseView> StepInTransaction(int64_t case_id, const StepRequest& request);
  Result<ListingCheck> CheckBar(std::string_view package, std::string_view cert, Date date);

  sqldb::Database* db_;
  const knowledge::KnowledgeBase* kb_;
};

}  // namespace piaudit::review

#endif  // PIAUDIT_REVIEW_REVIEW_STORE_H_
