// ReviewStore (review_store.h): the oversight process of data/review/process.yaml over sqldb.
//
// Lists (a case's items, its people, a step's documents) are stored as JSON text: they are read
// and written whole with their row, never searched inside.
#include "review/review_store.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "review/audit_log.h"

namespace piaudit::review {
namespace {

using json = nlohmann::json;
using knowledge::ReviewTransition;

// Bounds on what a caller may store (the service passes user input through).
constexpr size_t kMaxNameBytes = 256;
constexpr size_t kMaxTextBytes = 64 * 1024;
constexpr size_t kMaxFindingsBytes = 1024 * 1024;
constexpr size_t kMaxListEntries = 64;

constexpr std::string_view kWrongState = "review.wrong_state";
constexpr std::string_view kWrongRole = "review.wrong_role";
constexpr std::string_view kNotOwner = "review.not_owner";
constexpr std::string_view kRequirement = "review.requirement";
constexpr std::string_view kUnknownAction = "review.unknown_action";

Status Refuse(std::string_view structure, std::string message) {
  return InvalidInput(std::move(message)).InStructure(structure);
}

Status CheckText(std::string_view what, const std::string& value, size_t max, bool required) {
  if (required && value.empty()) return InvalidInput(std::string(what) + " must not be empty");
  if (value.size() > max) {
    return LimitExceeded(std::string(what) + " is longer than " + std::to_string(max) + " bytes");
  }
  return Status::Ok();
}

bool IsLowerHex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string LockClause(const sqldb::Database& db) {
  return db.dialect() == sqldb::Dialect::kPostgres ? " FOR UPDATE" : "";
}

std::optional<Date> ParseOptionalDate(const sqldb::Cell& cell) {
  if (!cell || cell->empty()) return std::nullopt;
  auto d = knowledge::ParseDate(*cell);
  if (!d.ok()) return std::nullopt;
  return *d;
}

Date ParseDateOr(const sqldb::Cell& cell) {
  auto d = ParseOptionalDate(cell);
  return d ? *d : Date{};
}

std::string StringsJson(const std::vector<std::string>& v) { return json(v).dump(); }

std::vector<std::string> StringsFromJson(const std::string& text) {
  std::vector<std::string> out;
  json j = json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const json& e : j) {
    if (e.is_string()) out.push_back(e.get<std::string>());
  }
  return out;
}

std::string PeopleJson(const std::vector<Person>& people) {
  json j = json::array();
  for (const Person& p : people) j.push_back({{"name", p.name}, {"role", p.role}});
  return j.dump();
}

std::vector<Person> PeopleFromJson(const std::string& text) {
  std::vector<Person> out;
  json j = json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const json& e : j) {
    if (e.is_object()) out.push_back({e.value("name", ""), e.value("role", "")});
  }
  return out;
}

std::string DocumentsJson(const std::vector<Document>& docs) {
  json j = json::array();
  for (const Document& d : docs) {
    j.push_back({{"kind", d.kind}, {"name", d.name}, {"text", d.text}, {"ref", d.ref}});
  }
  return j.dump();
}

std::vector<Document> DocumentsFromJson(const std::string& text) {
  std::vector<Document> out;
  json j = json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const json& e : j) {
    if (e.is_object()) {
      out.push_back(
          {e.value("kind", ""), e.value("name", ""), e.value("text", ""), e.value("ref", "")});
    }
  }
  return out;
}

Status CheckItems(const std::vector<std::string>& items) {
  if (items.size() > kMaxListEntries) return LimitExceeded("more than 64 items");
  for (const std::string& i : items) RETURN_IF_ERROR(CheckText("an item id", i, 32, true));
  return Status::Ok();
}

Status CheckActor(const Actor& actor, const knowledge::ReviewProcess& process) {
  RETURN_IF_ERROR(CheckText("the actor's name", actor.name, kMaxNameBytes, true));
  if (std::find(process.roles.begin(), process.roles.end(), actor.role) == process.roles.end()) {
    return Refuse(kWrongRole, "'" + actor.role + "' is not a role of the process");
  }
  return Status::Ok();
}

// The column list every case query reads, joined with its app and version.
constexpr char kCaseColumns[] =
    "c.id, c.app_version_id, v.app_id, a.package, a.cert_sha256, a.developer, c.state, c.items, "
    "c.findings_json, c.people, c.opened, c.deadline_date, c.deadline_kind, c.deadline_action, "
    "a.store, a.label, v.version_name, v.version_code, v.apk_sha256, v.scan_ref";
constexpr char kCaseFrom[] =
    " FROM review_cases c JOIN review_app_versions v ON v.id = c.app_version_id"
    " JOIN review_apps a ON a.id = v.app_id";

CaseView CaseFromRow(const sqldb::Row& r, const knowledge::ReviewProcess& process, Date today) {
  CaseView c;
  c.id = sqldb::CellInt(r[0]);
  c.app_version_id = sqldb::CellInt(r[1]);
  c.app_id = sqldb::CellInt(r[2]);
  c.package = sqldb::CellText(r[3]);
  c.cert_sha256 = sqldb::CellText(r[4]);
  c.developer = sqldb::CellText(r[5]);
  c.state = sqldb::CellText(r[6]);
  c.items = StringsFromJson(sqldb::CellText(r[7]));
  c.findings_json = sqldb::CellText(r[8]);
  c.people = PeopleFromJson(sqldb::CellText(r[9]));
  c.opened = ParseDateOr(r[10]);
  c.deadline = ParseOptionalDate(r[11]);
  c.deadline_kind = sqldb::CellText(r[12]);
  c.deadline_action = sqldb::CellText(r[13]);
  c.store = sqldb::CellText(r[14]);
  c.label = sqldb::CellText(r[15]);
  c.version_name = sqldb::CellText(r[16]);
  c.version_code = sqldb::CellInt(r[17]);
  c.apk_sha256 = sqldb::CellText(r[18]);
  c.scan_ref = sqldb::CellText(r[19]);
  for (const ReviewTransition& t : process.transitions) {
    if (t.AllowsFrom(c.state)) c.next_actions.push_back(t.action);
  }
  c.overdue = c.deadline && c.deadline_kind == "due" && *c.deadline < today;
  return c;
}

Result<Date> DeadlineFrom(const knowledge::KnowledgeBase& kb, const knowledge::ReviewDeadline& d,
                          Date from) {
  if (d.unit == knowledge::DeadlineUnit::kCalendarDays) {
    return Date::FromDays(from.ToDays() + d.days);
  }
  return kb.calendar().AddWorkingDays(from, d.days);
}

std::string DeadlineRule(const knowledge::ReviewDeadline& d) {
  return std::to_string(d.days) + " " + std::string(knowledge::DeadlineUnitName(d.unit)) + " " +
         std::string(knowledge::DeadlineKindName(d.kind));
}

}  // namespace

Refusal RefusalOf(const Status& status) {
  if (status.ok() || status.code() != StatusCode::kInvalidInput) return Refusal::kNone;
  const std::string_view s = status.structure();
  if (s == kWrongState) return Refusal::kWrongState;
  if (s == kWrongRole) return Refusal::kWrongRole;
  if (s == kNotOwner) return Refusal::kNotOwner;
  if (s == kRequirement) return Refusal::kRequirement;
  if (s == kUnknownAction) return Refusal::kUnknownAction;
  return Refusal::kNone;
}

Status CreateReviewSchema(sqldb::Database& db) {
  const std::string id(db.AutoIdColumn());
  RETURN_IF_ERROR(db.ExecScript(
      "CREATE TABLE IF NOT EXISTS review_apps (id " + id +
      ", package TEXT NOT NULL, cert_sha256 TEXT NOT NULL, label TEXT NOT NULL,"
      " developer TEXT NOT NULL, store TEXT NOT NULL, added TEXT NOT NULL,"
      " UNIQUE (package, cert_sha256));"
      "CREATE TABLE IF NOT EXISTS review_app_versions (id " +
      id +
      ", app_id BIGINT NOT NULL REFERENCES review_apps(id), version_name TEXT NOT NULL,"
      " version_code BIGINT NOT NULL, apk_sha256 TEXT NOT NULL, scan_ref TEXT NOT NULL,"
      " added TEXT NOT NULL, UNIQUE (app_id, apk_sha256));"
      "CREATE TABLE IF NOT EXISTS review_cases (id " +
      id +
      ", app_version_id BIGINT NOT NULL REFERENCES review_app_versions(id),"
      " state TEXT NOT NULL, items TEXT NOT NULL, findings_json TEXT NOT NULL,"
      " people TEXT NOT NULL, opened TEXT NOT NULL, deadline_date TEXT, deadline_kind TEXT,"
      " deadline_action TEXT, last_step_date TEXT NOT NULL);"
      "CREATE TABLE IF NOT EXISTS review_complaints (id " +
      id +
      ", case_id BIGINT NOT NULL REFERENCES review_cases(id), received TEXT NOT NULL,"
      " complainant TEXT NOT NULL, channel TEXT NOT NULL, text TEXT NOT NULL);"
      "CREATE TABLE IF NOT EXISTS review_case_events (id " +
      id +
      ", case_id BIGINT NOT NULL REFERENCES review_cases(id), action TEXT NOT NULL,"
      " from_state TEXT NOT NULL, to_state TEXT NOT NULL, actor TEXT NOT NULL,"
      " actor_role TEXT NOT NULL, step_date TEXT NOT NULL, at TEXT NOT NULL,"
      " deadline_date TEXT, deadline_rule TEXT NOT NULL, basis TEXT NOT NULL,"
      " note TEXT NOT NULL, documents TEXT NOT NULL);"
      "CREATE TABLE IF NOT EXISTS review_notices (id " +
      id +
      ", case_id BIGINT NOT NULL REFERENCES review_cases(id), app_id BIGINT NOT NULL,"
      " published TEXT NOT NULL, text TEXT NOT NULL, basis TEXT NOT NULL);"
      "CREATE TABLE IF NOT EXISTS review_removals (id " +
      id +
      ", case_id BIGINT NOT NULL REFERENCES review_cases(id), app_id BIGINT NOT NULL,"
      " package TEXT NOT NULL, cert_sha256 TEXT NOT NULL, removed TEXT NOT NULL,"
      " direct INTEGER NOT NULL, basis TEXT NOT NULL);"
      "CREATE TABLE IF NOT EXISTS review_relisting_bars (id " +
      id +
      ", removal_id BIGINT NOT NULL REFERENCES review_removals(id),"
      " package TEXT NOT NULL, cert_sha256 TEXT NOT NULL, starts TEXT NOT NULL,"
      " ends TEXT NOT NULL);"
      "CREATE INDEX IF NOT EXISTS review_bars_package ON review_relisting_bars (package);"
      "CREATE INDEX IF NOT EXISTS review_bars_cert ON review_relisting_bars (cert_sha256);"
      "CREATE TABLE IF NOT EXISTS review_credit_list (id " +
      id +
      ", case_id BIGINT NOT NULL REFERENCES review_cases(id), app_id BIGINT NOT NULL,"
      " developer TEXT NOT NULL, reason TEXT NOT NULL, listed TEXT NOT NULL,"
      " note TEXT NOT NULL, basis TEXT NOT NULL);"));
  return CreateAuditSchema(db);
}

Result<ReviewStore> ReviewStore::Open(sqldb::Database& db, const knowledge::KnowledgeBase& kb) {
  const knowledge::ReviewProcess& p = kb.review_process();
  for (const char* action : {"publish_notice", "remove", "remove_directly", "add_to_credit_list"}) {
    if (!p.FindTransition(action)) {
      return NotFound(std::string("the review process has no step '") + action +
                      "' (data/review/process.yaml)");
    }
  }
  if (p.states.empty() || !p.FindState(p.initial)) {
    return NotFound("the knowledge base has no review process (data/review/process.yaml)");
  }
  return ReviewStore(db, kb);
}

Result<int64_t> ReviewStore::AddApp(const AppInput& app, const Actor& actor,
                                    const std::string& at) {
  RETURN_IF_ERROR(CheckActor(actor, kb_->review_process()));
  RETURN_IF_ERROR(CheckText("the package name", app.package, kMaxNameBytes, true));
  if (!IsLowerHex64(app.cert_sha256)) {
    return InvalidInput("the certificate digest must be 64 lower-case hex digits");
  }
  RETURN_IF_ERROR(CheckText("the label", app.label, kMaxNameBytes, false));
  RETURN_IF_ERROR(CheckText("the developer", app.developer, kMaxNameBytes, true));
  RETURN_IF_ERROR(CheckText("the store", app.store, kMaxNameBytes, false));
  sqldb::Transaction tx(*db_);
  RETURN_IF_ERROR(tx.Begin());
  ASSIGN_OR_RETURN(auto rows,
                   db_->Query("INSERT INTO review_apps (package, cert_sha256, label, developer, "
                              "store, added) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                              {std::string_view(app.package), std::string_view(app.cert_sha256),
                               std::string_view(app.label), std::string_view(app.developer),
                               std::string_view(app.store), std::string_view(at)}));
  const int64_t id = rows.empty() ? 0 : sqldb::CellInt(rows[0][0]);
  json detail = {{"package", app.package},
                 {"cert_sha256", app.cert_sha256},
                 {"developer", app.developer},
                 {"store", app.store}};
  RETURN_IF_ERROR(AppendAuditInTransaction(
      *db_, {at, actor.name, "app.add", "app/" + std::to_string(id), detail.dump()}));
  RETURN_IF_ERROR(tx.Commit());
  return id;
}

Result<int64_t> ReviewStore::AddAppVersion(const AppVersionInput& v, const Actor& actor,
                                           const std::string& at) {
  RETURN_IF_ERROR(CheckActor(actor, kb_->review_process()));
  RETURN_IF_ERROR(CheckText("the version name", v.version_name, kMaxNameBytes, false));
  if (!IsLowerHex64(v.apk_sha256)) {
    return InvalidInput("the APK digest must be 64 lower-case hex digits");
  }
  RETURN_IF_ERROR(CheckText("the scan reference", v.scan_ref, kMaxNameBytes, false));
  sqldb::Transaction tx(*db_);
  RETURN_IF_ERROR(tx.Begin());
  ASSIGN_OR_RETURN(auto app, db_->Query("SELECT id FROM review_apps WHERE id = $1", {v.app_id}));
  if (app.empty()) return NotFound("no app " + std::to_string(v.app_id));
  ASSIGN_OR_RETURN(
      auto rows,
      db_->Query(
          "INSERT INTO review_app_versions (app_id, version_name, version_code, apk_sha256,"
          " scan_ref, added) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
          {v.app_id, std::string_view(v.version_name), v.version_code,
           std::string_view(v.apk_sha256), std::string_view(v.scan_ref), std::string_view(at)}));
  const int64_t id = rows.empty() ? 0 : sqldb::CellInt(rows[0][0]);
  json detail = {{"app_id", v.app_id},
                 {"version_name", v.version_name},
                 {"version_code", v.version_code},
                 {"apk_sha256", v.apk_sha256}};
  RETURN_IF_ERROR(AppendAuditInTransaction(
      *db_,
      {at, actor.name, "app.version.add", "app_version/" + std::to_string(id), detail.dump()}));
  RETURN_IF_ERROR(tx.Commit());
  return id;
}

Result<int64_t> ReviewStore::FindApp(std::string_view package, std::string_view cert_sha256) {
  ASSIGN_OR_RETURN(auto rows,
                   db_->Query("SELECT id FROM review_apps WHERE package = $1 AND cert_sha256 = $2",
                              {package, cert_sha256}));
  if (rows.empty()) return NotFound("no app " + std::string(package));
  return sqldb::CellInt(rows[0][0]);
}

Result<std::optional<int64_t>> ReviewStore::FindAppVersion(int64_t app_id,
                                                           std::string_view apk_sha256) {
  ASSIGN_OR_RETURN(auto rows, db_->Query("SELECT id FROM review_app_versions WHERE app_id = $1 AND"
                                         " apk_sha256 = $2",
                                         {app_id, apk_sha256}));
  if (rows.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(sqldb::CellInt(rows[0][0]));
}

Result<int64_t> ReviewStore::OpenCase(const CaseInput& input, const Actor& actor, Date date,
                                      const std::string& at) {
  sqldb::Transaction tx(*db_);
  RETURN_IF_ERROR(tx.Begin());
  ASSIGN_OR_RETURN(int64_t id, OpenCaseInTransaction(input, actor, date, at));
  RETURN_IF_ERROR(tx.Commit());
  return id;
}

Result<int64_t> ReviewStore::OpenCaseInTransaction(const CaseInput& input, const Actor& actor,
                                                   Date date, const std::string& at) {
  const knowledge::ReviewProcess& p = kb_->review_process();
  RETURN_IF_ERROR(CheckActor(actor, p));
  bool may_start = false;
  for (const ReviewTransition& t : p.transitions) {
    may_start |= t.AllowsFrom(p.initial) && t.AllowsRole(actor.role);
  }
  if (!may_start) {
    return Refuse(kWrongRole, "the role '" + actor.role + "' may not open a case");
  }
  RETURN_IF_ERROR(CheckItems(input.items));
  RETURN_IF_ERROR(CheckText("the findings", input.findings_json, kMaxFindingsBytes, false));
  if (input.people.size() > kMaxListEntries) return LimitExceeded("more than 64 people");
  for (const Person& person : input.people) {
    RETURN_IF_ERROR(CheckText("a person's name", person.name, kMaxNameBytes, true));
    RETURN_IF_ERROR(CheckText("a person's role", person.role, kMaxNameBytes, false));
  }
  ASSIGN_OR_RETURN(auto version, db_->Query("SELECT id FROM review_app_versions WHERE id = $1",
                                            {input.app_version_id}));
  if (version.empty()) return NotFound("no app version " + std::to_string(input.app_version_id));
  const std::string day = date.ToString();
  const std::string items = StringsJson(input.items);
  const std::string people = PeopleJson(input.people);
  const std::string findings = input.findings_json.empty() ? "{}" : input.findings_json;
  ASSIGN_OR_RETURN(
      auto rows,
      db_->Query("INSERT INTO review_cases (app_version_id, state, items, findings_json, people,"
                 " opened, last_step_date) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
                 {input.app_version_id, std::string_view(p.initial), std::string_view(items),
                  std::string_view(findings), std::string_view(people), std::string_view(day)}));
  const int64_t id = rows.empty() ? 0 : sqldb::CellInt(rows[0][0]);
  json detail = {{"app_version_id", input.app_version_id},
                 {"items", input.items},
                 {"date", day},
                 {"role", actor.role}};
  RETURN_IF_ERROR(AppendAuditInTransaction(
      *db_, {at, actor.name, "case.open", "case/" + std::to_string(id), detail.dump()}));
  return id;
}

Result<int64_t> ReviewStore::FileComplaint(const ComplaintInput& input, const Actor& actor,
                                           Date date, const std::string& at) {
  RETURN_IF_ERROR(CheckText("the complainant", input.complainant, kMaxNameBytes, false));
  RETURN_IF_ERROR(CheckText("the channel", input.channel, kMaxNameBytes, false));
  RETURN_IF_ERROR(CheckText("the complaint", input.text, kMaxTextBytes, true));
  sqldb::Transaction tx(*db_);
  RETURN_IF_ERROR(tx.Begin());
  CaseInput c;
  c.app_version_id = input.app_version_id;
  c.items = input.items;
  c.people = {{actor.name, actor.role}};
  ASSIGN_OR_RETURN(int64_t case_id, OpenCaseInTransaction(c, actor, date, at));
  RETURN_IF_ERROR(
      db_->Exec("INSERT INTO review_complaints (case_id, received, complainant, channel, text) "
                "VALUES ($1, $2, $3, $4, $5)",
                {case_id, std::string_view(date.ToString()), std::string_view(input.complainant),
                 std::string_view(input.channel), std::string_view(input.text)}));
  StepRequest step;
  step.action = "receive_complaint";
  step.actor = actor;
  step.date = date;
  step.at = at;
  step.documents = {{"complaint", "complaint", input.text, ""}};
  RETURN_IF_ERROR(StepInTransaction(case_id, step));
  RETURN_IF_ERROR(tx.Commit());
  return case_id;
}

Result<CaseView> ReviewStore::LoadCase(int64_t case_id, Date today, bool lock) {
  // PostgreSQL cannot lock the nullable side of a join; lock the case row alone first.
  if (lock && db_->dialect() == sqldb::Dialect::kPostgres) {
    RETURN_IF_ERROR(
        db_->Query("SELECT id FROM review_cases WHERE id = $1" + LockClause(*db_), {case_id}));
  }
  ASSIGN_OR_RETURN(
      auto rows, db_->Query(std::string("SELECT ") + kCaseColumns + kCaseFrom + " WHERE c.id = $1",
                            {case_id}));
  if (rows.empty()) return NotFound("no case " + std::to_string(case_id));
  return CaseFromRow(rows[0], kb_->review_process(), today);
}

Result<CaseView> ReviewStore::Step(int64_t case_id, const StepRequest& request) {
  sqldb::Transaction tx(*db_);
  RETURN_IF_ERROR(tx.Begin());
  ASSIGN_OR_RETURN(CaseView view, StepInTransaction(case_id, request));
  RETURN_IF_ERROR(tx.Commit());
  return view;
}

Result<CaseView> ReviewStore::StepInTransaction(int64_t case_id, const StepRequest& req) {
  const knowledge::ReviewProcess& p = kb_->review_process();
  const ReviewTransition* t = p.FindTransition(req.action);
  if (!t) return Refuse(kUnknownAction, "'" + req.action + "' is not a step of the process");
  RETURN_IF_ERROR(CheckActor(req.actor, p));
  RETURN_IF_ERROR(CheckText("the audit time", req.at, kMaxNameBytes, true));
  RETURN_IF_ERROR(CheckText("the note", req.note, kMaxTextBytes, false));
  if (req.documents.size() > kMaxListEntries) return LimitExceeded("more than 64 documents");
  for (const Document& d : req.documents) {
    RETURN_IF_ERROR(CheckText("a document's kind", d.kind, kMaxNameBytes, false));
    RETURN_IF_ERROR(CheckText("a document's name", d.name, kMaxNameBytes, false));
    RETURN_IF_ERROR(CheckText("a document's text", d.text, kMaxTextBytes, false));
    RETURN_IF_ERROR(CheckText("a document's reference", d.ref, kMaxNameBytes, false));
  }
  ASSIGN_OR_RETURN(CaseView c, LoadCase(case_id, req.date, /*lock=*/true));
  if (!t->AllowsRole(req.actor.role)) {
    std::string roles;
    for (const std::string& r : t->roles) roles += (roles.empty() ? "" : ", ") + r;
    return Refuse(kWrongRole, "case " + std::to_string(case_id) + ": '" + req.action +
                                  "' may be taken by " + roles + ", not by the role '" +
                                  req.actor.role + "'");
  }
  if (req.actor.role == "developer" && req.actor.name != c.developer) {
    return Refuse(kNotOwner, "case " + std::to_string(case_id) + ": " + req.actor.name +
                                 " is not the developer of " + c.package);
  }
  if (!t->AllowsFrom(c.state)) {
    std::string allowed;
    for (const std::string& a : c.next_actions) allowed += (allowed.empty() ? "" : ", ") + a;
    return Refuse(kWrongState, "case " + std::to_string(case_id) + " is '" + c.state + "': '" +
                                   req.action + "' is not allowed from it (allowed: " +
                                   (allowed.empty() ? "none" : allowed) + ")");
  }
  ASSIGN_OR_RETURN(auto last,
                   db_->Query("SELECT last_step_date FROM review_cases WHERE id = $1", {case_id}));
  if (!last.empty()) {
    if (auto last_date = ParseOptionalDate(last[0][0]); last_date && req.date < *last_date) {
      return Refuse(kRequirement, "case " + std::to_string(case_id) + ": the step is dated " +
                                      req.date.ToString() + ", before the case's last step (" +
                                      last_date->ToString() + ")");
    }
  }
  // Requirements.
  if (t->Requires("deadline_passed")) {
    if (!c.deadline) {
      return Refuse(kRequirement,
                    "case " + std::to_string(case_id) + ": '" + req.action + "' needs a deadline");
    }
    if (!(req.date > *c.deadline)) {
      return Refuse(kRequirement, "case " + std::to_string(case_id) + ": '" + req.action +
                                      "' only after " + c.deadline->ToString() + " (set by '" +
                                      c.deadline_action + "'); the step is dated " +
                                      req.date.ToString());
    }
  }
  if (t->Requires("rescan_clean")) {
    if (!req.rescan) {
      return Refuse(kRequirement, "case " + std::to_string(case_id) + ": '" + req.action +
                                      "' needs the re-scan of a newer version");
    }
    ASSIGN_OR_RETURN(
        auto versions,
        db_->Query("SELECT n.app_id, n.version_code, o.app_id, o.version_code FROM "
                   "review_app_versions n, review_app_versions o WHERE n.id = $1 AND o.id = $2",
                   {req.rescan->app_version_id, c.app_version_id}));
    if (versions.empty()) {
      return Refuse(kRequirement,
                    "no app version " + std::to_string(req.rescan->app_version_id) + " to re-scan");
    }
    const sqldb::Row& v = versions[0];
    if (sqldb::CellInt(v[0]) != sqldb::CellInt(v[2])) {
      return Refuse(kRequirement,
                    "the re-scanned version belongs to another app (package and "
                    "certificate must match the case's)");
    }
    if (sqldb::CellInt(v[1]) <= sqldb::CellInt(v[3])) {
      return Refuse(kRequirement, "the re-scanned version (code " + sqldb::CellText(v[1]) +
                                      ") is not newer than the case's (code " +
                                      sqldb::CellText(v[3]) + ")");
    }
    std::vector<std::string> still;
    for (const std::string& item : c.items) {
      if (std::find(req.rescan->failing_items.begin(), req.rescan->failing_items.end(), item) !=
          req.rescan->failing_items.end()) {
        still.push_back(item);
      }
    }
    if (!still.empty()) {
      std::string list;
      for (const std::string& s : still) list += (list.empty() ? "" : ", ") + s;
      return Refuse(kRequirement,
                    "case " + std::to_string(case_id) + ": the re-scan still finds " + list);
    }
  }
  if (t->Requires("pledge")) {
    const bool pledged = std::any_of(req.documents.begin(), req.documents.end(), [](const auto& d) {
      return d.kind == "pledge" && !d.text.empty();
    });
    if (!pledged) {
      return Refuse(kRequirement, "case " + std::to_string(case_id) + ": '" + req.action +
                                      "' needs a self-discipline pledge (a document of kind "
                                      "'pledge')");
    }
  }
  if (t->Requires("relisting_bar_ended")) {
    ASSIGN_OR_RETURN(ListingCheck bar, CheckBar(c.package, c.cert_sha256, req.date));
    if (!bar.allowed) return Refuse(kRequirement, bar.reason);
  }
  if (t->Requires("credit_reason") && req.credit_reason != "serious" &&
      req.credit_reason != "repeated") {
    return Refuse(kRequirement,
                  "a credit/risk list entry needs the reason 'serious' or "
                  "'repeated'");
  }

  // The step.
  std::optional<Date> deadline;
  std::string rule;
  if (t->deadline) {
    ASSIGN_OR_RETURN(Date d, DeadlineFrom(*kb_, *t->deadline, req.date));
    deadline = d;
    rule = DeadlineRule(*t->deadline);
  }
  const std::string to = t->to.empty() ? c.state : t->to;
  const std::string day = req.date.ToString();
  const std::string deadline_text = deadline ? deadline->ToString() : std::string();
  const sqldb::Param deadline_param =
      deadline ? sqldb::Param(std::string_view(deadline_text)) : sqldb::Param(nullptr);
  if (!t->to.empty()) {
    const std::string kind =
        t->deadline ? std::string(knowledge::DeadlineKindName(t->deadline->kind)) : "";
    RETURN_IF_ERROR(
        db_->Exec("UPDATE review_cases SET state = $1, deadline_date = $2, deadline_kind = $3,"
                  " deadline_action = $4, last_step_date = $5 WHERE id = $6",
                  {std::string_view(to), deadline_param,
                   t->deadline ? sqldb::Param(std::string_view(kind)) : sqldb::Param(nullptr),
                   t->deadline ? sqldb::Param(std::string_view(t->action)) : sqldb::Param(nullptr),
                   std::string_view(day), case_id}));
  } else {
    RETURN_IF_ERROR(db_->Exec("UPDATE review_cases SET last_step_date = $1 WHERE id = $2",
                              {std::string_view(day), case_id}));
  }
  const std::string documents = DocumentsJson(req.documents);
  RETURN_IF_ERROR(db_->Exec(
      "INSERT INTO review_case_events (case_id, action, from_state, to_state, actor, actor_role,"
      " step_date, at, deadline_date, deadline_rule, basis, note, documents)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
      {case_id, std::string_view(t->action), std::string_view(c.state), std::string_view(to),
       std::string_view(req.actor.name), std::string_view(req.actor.role), std::string_view(day),
       std::string_view(req.at), deadline_param, std::string_view(rule), std::string_view(t->basis),
       std::string_view(req.note), std::string_view(documents)}));
  // Side tables.
  if (t->action == "publish_notice") {
    std::string text;
    for (const Document& d : req.documents) {
      if (d.kind == "notice") text = d.text;
    }
    RETURN_IF_ERROR(
        db_->Exec("INSERT INTO review_notices (case_id, app_id, published, text, basis)"
                  " VALUES ($1, $2, $3, $4, $5)",
                  {case_id, c.app_id, std::string_view(day), std::string_view(text),
                   std::string_view(t->basis)}));
  } else if (t->action == "remove" || t->action == "remove_directly") {
    ASSIGN_OR_RETURN(
        auto removal,
        db_->Query("INSERT INTO review_removals (case_id, app_id, package, cert_sha256, removed,"
                   " direct, basis) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                   {case_id, c.app_id, std::string_view(c.package), std::string_view(c.cert_sha256),
                    std::string_view(day), int64_t{t->action == "remove_directly"},
                    std::string_view(t->basis)}));
    if (!deadline) {
      return InternalError("'" + t->action + "' has no deadline: the relisting bar needs one");
    }
    RETURN_IF_ERROR(db_->Exec(
        "INSERT INTO review_relisting_bars (removal_id, package, cert_sha256, starts, ends)"
        " VALUES ($1, $2, $3, $4, $5)",
        {sqldb::CellInt(removal.empty() ? sqldb::Cell() : removal[0][0]),
         std::string_view(c.package), std::string_view(c.cert_sha256), std::string_view(day),
         std::string_view(deadline_text)}));
  } else if (t->action == "add_to_credit_list") {
    RETURN_IF_ERROR(db_->Exec(
        "INSERT INTO review_credit_list (case_id, app_id, developer, reason, listed, note, basis)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {case_id, c.app_id, std::string_view(c.developer), std::string_view(req.credit_reason),
         std::string_view(day), std::string_view(req.note), std::string_view(t->basis)}));
  }
  json detail = {
      {"from", c.state}, {"to", to}, {"date", day}, {"role", req.actor.role}, {"basis", t->basis}};
  if (deadline) detail["deadline"] = deadline_text;
  if (req.rescan) detail["rescan_version"] = req.rescan->app_version_id;
  if (!req.credit_reason.empty()) detail["credit_reason"] = req.credit_reason;
  RETURN_IF_ERROR(
      AppendAuditInTransaction(*db_, {req.at, req.actor.name, "case.step." + t->action,
                                      "case/" + std::to_string(case_id), detail.dump()}));
  return LoadCase(case_id, req.date, /*lock=*/false);
}

Result<CaseView> ReviewStore::GetCase(int64_t case_id, Date today) {
  return LoadCase(case_id, today, /*lock=*/false);
}

Result<std::vector<CaseEvent>> ReviewStore::Timeline(int64_t case_id) {
  ASSIGN_OR_RETURN(
      auto rows,
      db_->Query("SELECT id, action, from_state, to_state, actor, actor_role, step_date, at,"
                 " deadline_date, deadline_rule, basis, note, documents FROM review_case_events"
                 " WHERE case_id = $1 ORDER BY id",
                 {case_id}));
  std::vector<CaseEvent> out;
  for (const sqldb::Row& r : rows) {
    CaseEvent e;
    e.id = sqldb::CellInt(r[0]);
    e.action = sqldb::CellText(r[1]);
    e.from_state = sqldb::CellText(r[2]);
    e.to_state = sqldb::CellText(r[3]);
    e.actor = {sqldb::CellText(r[4]), sqldb::CellText(r[5])};
    e.date = ParseDateOr(r[6]);
    e.at = sqldb::CellText(r[7]);
    e.deadline = ParseOptionalDate(r[8]);
    e.deadline_rule = sqldb::CellText(r[9]);
    e.basis = sqldb::CellText(r[10]);
    e.note = sqldb::CellText(r[11]);
    e.documents = DocumentsFromJson(sqldb::CellText(r[12]));
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<CaseView>> ReviewStore::ListCases(const CaseFilter& filter, Date today) {
  const int64_t limit = std::clamp<int64_t>(filter.limit, 1, 10000);
  ASSIGN_OR_RETURN(
      auto rows, db_->Query(std::string("SELECT ") + kCaseColumns + kCaseFrom +
                                " WHERE (c.state = $1 OR $1 = '') AND (a.developer = $2 OR $2 = '')"
                                " AND (a.id = $3 OR $3 = 0) AND (a.store = $5 OR $5 = '')"
                                " ORDER BY c.id DESC LIMIT $4",
                            {std::string_view(filter.state), std::string_view(filter.developer),
                             filter.app_id, limit, std::string_view(filter.store)}));
  std::vector<CaseView> out;
  for (const sqldb::Row& r : rows) out.push_back(CaseFromRow(r, kb_->review_process(), today));
  return out;
}

Result<std::vector<std::pair<std::string, int64_t>>> ReviewStore::CountByState() {
  ASSIGN_OR_RETURN(auto rows,
                   db_->Query("SELECT state, COUNT(*) FROM review_cases GROUP BY state"));
  std::vector<std::pair<std::string, int64_t>> out;
  for (const knowledge::ReviewState& s : kb_->review_process().states) {
    int64_t n = 0;
    for (const sqldb::Row& r : rows) {
      if (sqldb::CellText(r[0]) == s.id) n = sqldb::CellInt(r[1]);
    }
    out.emplace_back(s.id, n);
  }
  return out;
}

Result<std::vector<CaseView>> ReviewStore::Overdue(Date today) {
  ASSIGN_OR_RETURN(auto rows,
                   db_->Query(std::string("SELECT ") + kCaseColumns + kCaseFrom +
                                  " WHERE c.deadline_kind = 'due' AND c.deadline_date < $1"
                                  " ORDER BY c.deadline_date, c.id",
                              {std::string_view(today.ToString())}));
  std::vector<CaseView> out;
  for (const sqldb::Row& r : rows) out.push_back(CaseFromRow(r, kb_->review_process(), today));
  return out;
}

Result<std::vector<CaseView>> ReviewStore::DueThisWeek(Date today) {
  const Date sunday = Date::FromDays(today.ToDays() + (6 - today.Weekday()));
  ASSIGN_OR_RETURN(auto rows, db_->Query(std::string("SELECT ") + kCaseColumns + kCaseFrom +
                                             " WHERE c.deadline_kind = 'due' AND c.deadline_date"
                                             " >= $1 AND c.deadline_date <= $2"
                                             " ORDER BY c.deadline_date, c.id",
                                         {std::string_view(today.ToString()),
                                          std::string_view(sunday.ToString())}));
  std::vector<CaseView> out;
  for (const sqldb::Row& r : rows) out.push_back(CaseFromRow(r, kb_->review_process(), today));
  return out;
}

Result<ListingCheck> ReviewStore::CheckBar(std::string_view package, std::string_view cert,
                                           Date date) {
  ASSIGN_OR_RETURN(
      auto rows,
      db_->Query("SELECT r.id, r.case_id, b.package, b.cert_sha256, b.starts, b.ends"
                 " FROM review_relisting_bars b JOIN review_removals r ON r.id = b.removal_id"
                 " WHERE (b.package = $1 OR b.cert_sha256 = $2) AND b.ends >= $3"
                 " ORDER BY b.ends DESC, r.id LIMIT 1",
                 {package, cert, std::string_view(date.ToString())}));
  ListingCheck check;
  if (rows.empty()) return check;
  const sqldb::Row& r = rows[0];
  check.allowed = false;
  check.removal_id = sqldb::CellInt(r[0]);
  check.case_id = sqldb::CellInt(r[1]);
  check.removed_package = sqldb::CellText(r[2]);
  const bool same_package = check.removed_package == package;
  const bool same_cert = sqldb::CellText(r[3]) == cert;
  check.matched = same_package && same_cert ? "package and certificate"
                  : same_package            ? "package"
                                            : "certificate";
  check.removed_on = ParseDateOr(r[4]);
  check.bar_ends = ParseDateOr(r[5]);
  check.reason = "refused: the " + check.matched + " matches removal " +
                 std::to_string(check.removal_id) + " (case " + std::to_string(check.case_id) +
                 ", " + check.removed_package + " removed on " + check.removed_on.ToString() +
                 "); no listing by any means until the bar ends on " + check.bar_ends.ToString() +
                 " (40 working days; allowed from the next day)";
  return check;
}

Result<ListingCheck> ReviewStore::CanList(std::string_view package, std::string_view cert_sha256,
                                          Date date) {
  if (package.empty() || package.size() > kMaxNameBytes || !IsLowerHex64(cert_sha256)) {
    return InvalidInput("CanList needs a package name and a 64-hex-digit certificate digest");
  }
  return CheckBar(package, cert_sha256, date);
}

Result<std::vector<PublicEntry>> ReviewStore::PublicNotices(int64_t limit) {
  limit = std::clamp<int64_t>(limit, 1, 10000);
  ASSIGN_OR_RETURN(
      auto rows,
      db_->Query(
          "SELECT 'notice', n.case_id, a.package, a.label, n.published, NULL, n.basis, n.id"
          " FROM review_notices n JOIN review_apps a ON a.id = n.app_id"
          " UNION ALL"
          " SELECT 'removal', r.case_id, r.package, a.label, r.removed, b.ends, r.basis, r.id"
          " FROM review_removals r JOIN review_apps a ON a.id = r.app_id"
          " LEFT JOIN review_relisting_bars b ON b.removal_id = r.id"
          " ORDER BY 5 DESC, 8 DESC LIMIT $1",
          {limit}));
  std::vector<PublicEntry> out;
  for (const sqldb::Row& r : rows) {
    PublicEntry e;
    e.kind = sqldb::CellText(r[0]);
    e.case_id = sqldb::CellInt(r[1]);
    e.package = sqldb::CellText(r[2]);
    e.label = sqldb::CellText(r[3]);
    e.date = ParseDateOr(r[4]);
    e.bar_ends = ParseOptionalDate(r[5]);
    e.basis = sqldb::CellText(r[6]);
    out.push_back(std::move(e));
  }
  return out;
}

Status ReviewStore::RecordRead(const Actor& actor, const std::string& subject,
                               const std::string& at) {
  RETURN_IF_ERROR(CheckText("the subject", subject, kMaxNameBytes, true));
  auto seq =
      AppendAudit(*db_, {at, actor.name, "read", subject, json({{"role", actor.role}}).dump()});
  return seq.ok() ? Status::Ok() : seq.status();
}

}  // namespace piaudit::review
