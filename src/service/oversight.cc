#include "service/oversight.h"

#include <httplib.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/utf8.h"
#include "batch/job_store.h"
#include "compare/version_compare.h"
#include "knowledge/knowledge_base.h"
#include "report/disclose.h"
#include "review/audit_log.h"
#include "review/review_store.h"
#include "service/oversight_pages.h"
#include "service/report_cache.h"
#include "service/server.h"
#include "service/submissions.h"
#include "sqldb/database.h"

namespace piaudit::service {
namespace {

using knowledge::Date;
using nlohmann::json;

constexpr int64_t kCaseListLimit = 500;
constexpr int64_t kNoticeLimit = 500;
// The store's queue judges each done scan for its gate (kept in the report cache): bounded.
constexpr int kQueueLimit = 100;
constexpr size_t kMaxDocumentBytes = 64 * 1024;

// What an operation answers when it does not succeed: the HTTP status and why (the cause too
// when it is the server's failure, 500).
struct Answer {
  int status = 200;
  std::string message;
  Status cause;

  bool ok() const { return status < 300; }
  static Answer Internal(Status s) { return Answer{500, "internal error", std::move(s)}; }
};

Answer Refused(int status, std::string_view message) {
  return Answer{status, std::string(message), {}};
}

void ReplyApi(RequestContext& c, const Answer& a) {
  if (a.status == 500) return c.Fail(a.cause);
  c.Error(a.status, a.message);
}

review::Actor ActorOf(const User& u) { return {u.name, std::string(RoleName(u.role))}; }

bool IsOfficial(const User& u) { return u.role == Role::kAdmin || u.role == Role::kInspector; }

// The tenant rule of cases: officials see every case, a store its store's apps, a developer
// their own apps.
bool MaySee(const User& u, const review::CaseView& c) {
  switch (u.role) {
    case Role::kAdmin:
    case Role::kInspector:
      return true;
    case Role::kStore:
      return !u.store.empty() && c.store == u.store;
    case Role::kDeveloper:
      return c.developer == u.name;
  }
  return false;
}

review::CaseFilter FilterFor(const User& u) {
  review::CaseFilter f;
  if (u.role == Role::kStore) f.store = u.store.empty() ? "\x01none" : u.store;
  if (u.role == Role::kDeveloper) f.developer = u.name;
  f.limit = kCaseListLimit;
  return f;
}

// The legal date of an act: today when absent; never after today.
Answer ParseActDate(const RequestContext& c, std::string_view text, Date* out) {
  const Date today = c.Today();
  if (text.empty()) {
    *out = today;
    return {};
  }
  Result<Date> d = knowledge::ParseDate(text);
  if (!d.ok()) return Refused(400, "date: expected YYYY-MM-DD");
  if (*d > today) {
    return Refused(400, "date " + d->ToString() + " is after today (" + today.ToString() +
                            "): acts are recorded when they happened");
  }
  *out = *d;
  return {};
}

Result<review::ReviewStore> StoreOf(RequestContext& c) {
  Result<sqldb::Database*> db = c.db();
  if (!db.ok()) return db.status();
  return review::ReviewStore::Open(**db, c.kb);
}

// A done scan the caller may see, judged.
struct JudgedView {
  ScanView scan;
  std::shared_ptr<const JudgedScan> judged;
};

Answer LoadJudged(RequestContext& c, int64_t scan_id, JudgedView* out) {
  Result<sqldb::Database*> db = c.db();
  if (!db.ok()) return Answer::Internal(db.status());
  Result<std::optional<ScanView>> s = VisibleScan(**db, c.user(), scan_id);
  if (!s.ok()) return Answer::Internal(s.status());
  if (!s->has_value()) return Refused(404, "no such scan");
  if ((*s)->status != "done") return Refused(409, "scan is " + (*s)->status + ", not done");
  Result<batch::JobStore*> jobs = c.jobs();
  if (!jobs.ok()) return Answer::Internal(jobs.status());
  Result<std::shared_ptr<const JudgedScan>> j =
      c.reports.Get(**jobs, (*s)->scan_id, (*s)->apk_sha256);
  if (!j.ok()) return Answer::Internal(j.status());
  out->scan = std::move(**s);
  out->judged = *j;
  // The server's gate (its --gate on the server's judgement) wins over the worker's.
  if (!out->judged->gate.empty()) out->scan.gate = out->judged->gate;
  return {};
}

// The review app version of a judged scan (package + certificate), recorded on first use.
Answer VersionOf(RequestContext& c, review::ReviewStore& store, const JudgedView& v,
                 int64_t* version_id) {
  const evidence::AppFacts& app = v.judged->evidence.app;
  if (app.signers.empty()) {
    return Refused(409,
                   "the APK's signing certificate could not be read: an app is its package "
                   "and certificate");
  }
  const std::string at = IsoUtcNow();
  const review::Actor actor = ActorOf(c.user());
  Result<int64_t> app_id = store.FindApp(app.package, app.signers[0].sha256);
  if (!app_id.ok() && app_id.status().code() == StatusCode::kNotFound) {
    review::AppInput in{app.package, app.signers[0].sha256, BoundedUtf8(app.label, 200),
                        v.scan.developer, v.scan.store};
    app_id = store.AddApp(in, actor, at);
  }
  if (!app_id.ok()) {
    if (app_id.status().code() == StatusCode::kInvalidInput) {
      return Refused(422, app_id.status().message());
    }
    return Answer::Internal(app_id.status());
  }
  Result<std::optional<int64_t>> found = store.FindAppVersion(*app_id, v.scan.apk_sha256);
  if (!found.ok()) return Answer::Internal(found.status());
  if (found->has_value()) {
    *version_id = **found;
    return {};
  }
  review::AppVersionInput in{*app_id, BoundedUtf8(app.version_name, 200), app.version_code,
                             v.scan.apk_sha256, "scan/" + std::to_string(v.scan.scan_id)};
  Result<int64_t> id = store.AddAppVersion(in, actor, at);
  if (!id.ok()) return Answer::Internal(id.status());
  *version_id = *id;
  return {};
}

std::vector<std::string> ValidItems(const knowledge::KnowledgeBase& kb,
                                    const std::vector<std::string>& asked) {
  std::vector<std::string> out;
  for (const std::string& id : asked) {
    if (kb.FindItem(id) != nullptr && std::find(out.begin(), out.end(), id) == out.end()) {
      out.push_back(id);
    }
  }
  return out;
}

// The items a scan still fails: anything it cannot show compliant or not applicable (a verdict
// that needs dynamic or manual evidence is not a rectification).
std::vector<std::string> FailingItems(std::span<const rules::ItemResult> items) {
  std::vector<std::string> out;
  for (const rules::ItemResult& r : items) {
    if (r.verdict != rules::Verdict::kCompliant && r.verdict != rules::Verdict::kNotApplicable) {
      out.push_back(r.id);
    }
  }
  return out;
}

std::string FindingsJson(const JudgedScan& j, const std::vector<std::string>& items) {
  json out = json::array();
  for (const rules::ItemResult& r : j.items) {
    if (std::find(items.begin(), items.end(), r.id) == items.end()) continue;
    json findings = json::array();
    for (const rules::Finding& f : r.findings) {
      if (findings.size() >= 20) break;
      findings.push_back(json{{"strength", std::string(rules::StrengthName(f.strength))},
                              {"owner", f.owner},
                              {"message", f.message},
                              {"message_zh", f.message_zh}});
    }
    out.push_back(json{{"item", r.id},
                       {"verdict", std::string(rules::VerdictName(r.verdict))},
                       {"findings", findings}});
  }
  std::string text = out.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > (1u << 20)) text = "[]";  // the review store's bound; the scan keeps them all
  return text;
}

// ---- operations (one per act, used by the API and the pages alike) ----

struct OpenInput {
  int64_t scan_id = 0;
  std::vector<std::string> items;
  std::string date;
};

Answer OpenCaseFromScan(RequestContext& c, const OpenInput& in, int64_t* case_id) {
  if (!IsOfficial(c.user())) return Refused(403, "only admin and inspector open cases");
  Date date;
  if (Answer a = ParseActDate(c, in.date, &date); !a.ok()) return a;
  JudgedView v;
  if (Answer a = LoadJudged(c, in.scan_id, &v); !a.ok()) return a;
  std::vector<std::string> items = ValidItems(c.kb, in.items);
  if (items.empty()) {
    for (const rules::ItemResult& r : v.judged->items) {
      if (r.verdict == rules::Verdict::kViolation) items.push_back(r.id);
    }
  }
  if (items.empty())
    return Refused(422, "a case needs at least one item (the scan has no violation)");
  Result<review::ReviewStore> store = StoreOf(c);
  if (!store.ok()) return Answer::Internal(store.status());
  int64_t version = 0;
  if (Answer a = VersionOf(c, *store, v, &version); !a.ok()) return a;
  review::CaseInput input{version,
                          items,
                          FindingsJson(*v.judged, items),
                          {{c.user().name, std::string(RoleName(c.user().role))}}};
  Result<int64_t> id = store->OpenCase(input, ActorOf(c.user()), date, IsoUtcNow());
  if (!id.ok()) {
    if (id.status().code() == StatusCode::kInvalidInput) return Refused(422, id.status().message());
    return Answer::Internal(id.status());
  }
  *case_id = *id;
  return {};
}

struct ComplaintIn {
  int64_t scan_id = 0;
  std::string complainant;
  std::string channel;
  std::string text;
  std::vector<std::string> items;
  std::string date;
};

Answer FileComplaintFromScan(RequestContext& c, const ComplaintIn& in, int64_t* case_id) {
  if (!IsOfficial(c.user())) return Refused(403, "only admin and inspector record complaints");
  if (in.text.empty() || in.text.size() > kMaxDocumentBytes) {
    return Refused(400, "text: 1 byte to 64 KiB");
  }
  if (in.complainant.empty() || in.complainant.size() > 200 || in.channel.size() > 64) {
    return Refused(400, "complainant: 1-200 bytes; channel: at most 64");
  }
  Date date;
  if (Answer a = ParseActDate(c, in.date, &date); !a.ok()) return a;
  JudgedView v;
  if (Answer a = LoadJudged(c, in.scan_id, &v); !a.ok()) return a;
  Result<review::ReviewStore> store = StoreOf(c);
  if (!store.ok()) return Answer::Internal(store.status());
  int64_t version = 0;
  if (Answer a = VersionOf(c, *store, v, &version); !a.ok()) return a;
  review::ComplaintInput input{version, in.complainant, in.channel.empty() ? "web" : in.channel,
                               in.text, ValidItems(c.kb, in.items)};
  Result<int64_t> id = store->FileComplaint(input, ActorOf(c.user()), date, IsoUtcNow());
  if (!id.ok()) {
    if (id.status().code() == StatusCode::kInvalidInput) return Refused(422, id.status().message());
    return Answer::Internal(id.status());
  }
  *case_id = *id;
  return {};
}

// A case the caller may see (404 otherwise: another tenant's case is not there for them).
Answer LoadCase(RequestContext& c, review::ReviewStore& store, int64_t id, review::CaseView* out) {
  Result<review::CaseView> cv = store.GetCase(id, c.Today());
  if (!cv.ok()) {
    if (cv.status().code() == StatusCode::kNotFound) return Refused(404, "no such case");
    return Answer::Internal(cv.status());
  }
  if (!MaySee(c.user(), *cv)) return Refused(404, "no such case");
  *out = std::move(*cv);
  return {};
}

struct StepIn {
  std::string action;
  std::string date;
  std::string note;
  std::string document;  // the order, answer or notice text
  std::string pledge;
  std::string credit_reason;
  int64_t rescan_scan = 0;
};

Answer StepCase(RequestContext& c, int64_t case_id, const StepIn& in, review::CaseView* out) {
  if (in.note.size() > kMaxDocumentBytes || in.document.size() > kMaxDocumentBytes ||
      in.pledge.size() > kMaxDocumentBytes) {
    return Refused(413, "note, document and pledge: at most 64 KiB each");
  }
  Result<review::ReviewStore> store = StoreOf(c);
  if (!store.ok()) return Answer::Internal(store.status());
  review::CaseView current;
  if (Answer a = LoadCase(c, *store, case_id, &current); !a.ok()) return a;
  review::StepRequest req;
  req.action = in.action;
  req.actor = ActorOf(c.user());
  if (Answer a = ParseActDate(c, in.date, &req.date); !a.ok()) return a;
  req.at = IsoUtcNow();
  req.note = in.note;
  req.credit_reason = in.credit_reason;
  if (!in.document.empty()) {
    req.documents.push_back(review::Document{in.action == "answer_complaint" ? "answer"
                                             : in.action == "publish_notice" ? "notice"
                                                                             : "order",
                                             in.action, in.document, ""});
  }
  if (!in.pledge.empty())
    req.documents.push_back(review::Document{"pledge", "pledge", in.pledge, ""});
  if (in.rescan_scan != 0) {
    JudgedView v;
    if (Answer a = LoadJudged(c, in.rescan_scan, &v); !a.ok()) return a;
    int64_t version = 0;
    if (Answer a = VersionOf(c, *store, v, &version); !a.ok()) return a;
    const std::vector<std::string> failing = FailingItems(v.judged->items);
    req.rescan = review::Rescan{version, failing};
    std::string still;
    for (const std::string& item : current.items) {
      if (std::find(failing.begin(), failing.end(), item) != failing.end()) {
        still += (still.empty() ? "" : ", ") + item;
      }
    }
    req.documents.push_back(review::Document{
        "rescan", "scan " + std::to_string(v.scan.scan_id) + " (" + v.scan.version + ")",
        still.empty() ? "case items compliant or not applicable" : "still failing: " + still,
        "scan/" + std::to_string(v.scan.scan_id)});
  }
  Result<review::CaseView> stepped = store->Step(case_id, req);
  if (!stepped.ok()) {
    switch (review::RefusalOf(stepped.status())) {
      case review::Refusal::kUnknownAction:
        return Refused(400, stepped.status().message());
      case review::Refusal::kWrongRole:
        return Refused(403, stepped.status().message());
      case review::Refusal::kNotOwner:
        return Refused(404, "no such case");
      case review::Refusal::kWrongState:
        return Refused(409, stepped.status().message());
      case review::Refusal::kRequirement:
        return Refused(422, stepped.status().message());
      case review::Refusal::kNone:
        break;
    }
    if (stepped.status().code() == StatusCode::kInvalidInput) {
      return Refused(400, stepped.status().message());
    }
    return Answer::Internal(stepped.status());
  }
  *out = std::move(*stepped);
  return {};
}

Answer CheckListing(RequestContext& c, int64_t scan_id, const std::string& date_text, JudgedView* v,
                    review::ListingCheck* out, Date* date) {
  if (c.user().role == Role::kDeveloper) return Refused(403, "listing checks are the stores'");
  if (Answer a = ParseActDate(c, date_text, date); !a.ok()) return a;
  if (Answer a = LoadJudged(c, scan_id, v); !a.ok()) return a;
  const evidence::AppFacts& app = v->judged->evidence.app;
  Result<review::ReviewStore> store = StoreOf(c);
  if (!store.ok()) return Answer::Internal(store.status());
  if (app.signers.empty()) {
    return Refused(409,
                   "the APK's signing certificate could not be read: the relisting bar "
                   "matches package and certificate, so it cannot be checked");
  }
  const std::string& cert = app.signers[0].sha256;
  Result<review::ListingCheck> check = store->CanList(app.package, cert, *date);
  if (!check.ok()) return Answer::Internal(check.status());
  Result<sqldb::Database*> db = c.db();
  if (!db.ok()) return Answer::Internal(db.status());
  json detail{{"package", app.package},    {"cert_sha256", cert},     {"date", date->ToString()},
              {"allowed", check->allowed}, {"reason", check->reason}, {"gate", v->scan.gate}};
  Result<int64_t> logged = review::AppendAudit(
      **db, {IsoUtcNow(), c.user().name, "listing.check", "scan/" + std::to_string(scan_id),
             detail.dump(-1, ' ', false, json::error_handler_t::replace)});
  if (!logged.ok()) return Answer::Internal(logged.status());
  *out = std::move(*check);
  return {};
}

// ---- JSON ----

json DateJson(const std::optional<Date>& d) { return d ? json(d->ToString()) : json(nullptr); }

json CaseJson(const RequestContext& c, const review::CaseView& v) {
  json actions = json::array();
  json mine = json::array();
  for (const std::string& a : v.next_actions) {
    actions.push_back(a);
    const knowledge::ReviewTransition* t = c.kb.review_process().FindTransition(a);
    if (t != nullptr && t->AllowsRole(RoleName(c.user().role))) mine.push_back(a);
  }
  json people = json::array();
  for (const review::Person& p : v.people) people.push_back({{"name", p.name}, {"role", p.role}});
  const std::string scan = v.scan_ref.rfind("scan/", 0) == 0 ? v.scan_ref.substr(5) : "";
  json findings = json::parse(v.findings_json, nullptr, false);
  return json{{"id", v.id},
              {"state", v.state},
              {"package", v.package},
              {"label", v.label},
              {"cert_sha256", v.cert_sha256},
              {"developer", v.developer},
              {"store", v.store},
              {"version_name", v.version_name},
              {"version_code", v.version_code},
              {"scan_id", scan.empty() ? json(nullptr) : json(std::stoll(scan))},
              {"items", v.items},
              {"findings", findings.is_discarded() ? json::array() : findings},
              {"people", people},
              {"opened", v.opened.ToString()},
              {"deadline", DateJson(v.deadline)},
              {"deadline_kind", v.deadline_kind},
              {"deadline_action", v.deadline_action},
              {"overdue", v.overdue},
              {"next_actions", actions},
              {"your_actions", mine}};
}

json EventJson(const review::CaseEvent& e) {
  json docs = json::array();
  for (const review::Document& d : e.documents) {
    docs.push_back({{"kind", d.kind}, {"name", d.name}, {"text", d.text}, {"ref", d.ref}});
  }
  return json{{"id", e.id},
              {"action", e.action},
              {"from", e.from_state},
              {"to", e.to_state},
              {"actor", e.actor.name},
              {"role", e.actor.role},
              {"date", e.date.ToString()},
              {"at", e.at},
              {"deadline", DateJson(e.deadline)},
              {"deadline_rule", e.deadline_rule},
              {"basis", e.basis},
              {"note", e.note},
              {"documents", docs}};
}

std::string Dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

// ---- request parameters ----

int64_t ToId(const std::string& text) {
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return 0;
  }
  return std::stoll(text);
}

std::string Form(const httplib::Request& req, const char* name) {
  return req.has_param(name) ? req.get_param_value(name) : "";
}

std::vector<std::string> FormList(const httplib::Request& req, const char* name) {
  std::vector<std::string> out;
  const size_t n = std::min<size_t>(req.get_param_value_count(name), 64);
  for (size_t i = 0; i < n; ++i) out.push_back(req.get_param_value(name, i));
  return out;
}

// The API's JSON body, or 400.
bool JsonBody(RequestContext& c, json* body) {
  *body = json::parse(c.req.body, nullptr, false);
  if (!body->is_object()) {
    c.Error(400, "expected a JSON object");
    return false;
  }
  return true;
}

std::string Str(const json& body, const char* key) {
  auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : "";
}

int64_t Int(const json& body, const char* key) {
  auto it = body.find(key);
  return it != body.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

std::vector<std::string> StrList(const json& body, const char* key) {
  std::vector<std::string> out;
  auto it = body.find(key);
  if (it == body.end() || !it->is_array()) return out;
  for (const json& v : *it) {
    if (v.is_string() && out.size() < 64) out.push_back(v.get<std::string>());
  }
  return out;
}

// ---- API handlers ----

void ApiCases(RequestContext& c) {
  Result<review::ReviewStore> store = StoreOf(c);
  if (!store.ok()) return c.Fail(store.status());
  review::CaseFilter filter = FilterFor(c.user());
  filter.state = c.req.has_param("state") ? c.req.get_param_value("state") : "";
  Result<std::vector<review::CaseView>> cases = store->ListCases(filter, c.Today());
  if (!cases.ok()) return c.Fail(cases.status());
  json list = json::array();
  for (const review::CaseView& v : *cases) list.push_back(CaseJson(c, v));
  c.Json(200, Dump(json{{"cases", list}}));
}

void ApiOpenCase(RequestContext& c) {
  json body;
  if (!JsonBody(c, &body)) return;
  int64_t id = 0;
  Answer a =
      OpenCaseFromScan(c, {Int(body, "scan_id"), StrList(body, "items"), Str(body, "date")}, &id);
  if (!a.ok()) return ReplyApi(c, a);
  c.Json(201, Dump(json{{"case_id", id}}));
}

void ApiComplaint(RequestContext& c) {
  json body;
  if (!JsonBody(c, &body)) return;
  int64_t id = 0;
  Answer a =
      FileComplaintFromScan(c,
                            {Int(body, "scan_id"), Str(body, "complainant"), Str(body, "channel"),
                             Str(body, "text"), StrList(body, "items"), Str(body, "date")},
                            &id);
  if (!a.ok()) return ReplyApi(c, a);
  c.Json(201, Dump(json{{"case_id", id}}));
}

void ApiCase(RequestContext& c) {
  Result<review::ReviewStore> store = StoreOf(c);
  if (!store.ok()) return c.Fail(store.status());
  review::CaseView v;
  if (Answer a = LoadCase(c, *store, ToId(c.req.matches[1]), &v); !a.ok()) return ReplyApi(c, a);
  Result<std::vector<review::CaseEvent>> events = store->Timeline(v.id);
  if (!events.ok()) return c.Fail(events.status());
  json j = CaseJson(c, v);
  json timeline = json::array();
  for (const review::CaseEvent& e : *events) timeline.push_back(EventJson(e));
  j["timeline"] = timeline;
  c.Json(200, Dump(j));
}

void ApiStep(RequestContext& c) {
  json body;
  if (!JsonBody(c, &body)) return;
  StepIn in{Str(body, "action"),        Str(body, "date"),   Str(body, "note"),
            Str(body, "document"),      Str(body, "pledge"), Str(body, "credit_reason"),
            Int(body, "rescan_scan_id")};
  review::CaseView v;
  if (Answer a = StepCase(c, ToId(c.req.matches[1]), in, &v); !a.ok()) return ReplyApi(c, a);
  c.Json(200, Dump(CaseJson(c, v)));
}

Answer LoadDashboard(RequestContext& c, CaseDashboard* out) {
  Result<review::ReviewStore> store = StoreOf(c);
  if (!store.ok()) return Answer::Internal(store.status());
  const Date today = c.Today();
  out->today = today.ToString();
  Result<std::vector<review::CaseView>> overdue = store->Overdue(today);
  if (!overdue.ok()) return Answer::Internal(overdue.status());
  Result<std::vector<review::CaseView>> due = store->DueThisWeek(today);
  if (!due.ok()) return Answer::Internal(due.status());
  const User& u = c.user();
  for (review::CaseView& v : *overdue) {
    if (MaySee(u, v)) out->overdue.push_back(std::move(v));
  }
  for (review::CaseView& v : *due) {
    if (MaySee(u, v)) out->due_this_week.push_back(std::move(v));
  }
  if (IsOfficial(u)) {
    Result<std::vector<std::pair<std::string, int64_t>>> counts = store->CountByState();
    if (!counts.ok()) return Answer::Internal(counts.status());
    out->counts = std::move(*counts);
    return {};
  }
  review::CaseFilter filter = FilterFor(u);
  filter.limit = 10000;
  Result<std::vector<review::CaseView>> mine = store->ListCases(filter, today);
  if (!mine.ok()) return Answer::Internal(mine.status());
  for (const knowledge::ReviewState& s : c.kb.review_process().states) {
    const int64_t n = std::count_if(mine->begin(), mine->end(),
                                    [&](const review::CaseView& v) { return v.state == s.id; });
    out->counts.emplace_back(s.id, n);
  }
  return {};
}

void ApiDashboard(RequestContext& c) {
  CaseDashboard d;
  if (Answer a = LoadDashboard(c, &d); !a.ok()) return ReplyApi(c, a);
  json counts = json::object();
  for (const auto& [state, n] : d.counts) counts[state] = n;
  json overdue = json::array();
  for (const review::CaseView& v : d.overdue) overdue.push_back(CaseJson(c, v));
  json due = json::array();
  for (const review::CaseView& v : d.due_this_week) due.push_back(CaseJson(c, v));
  c.Json(200, Dump(json{{"today", d.today},
                        {"cases_by_state", counts},
                        {"overdue", overdue},
                        {"due_this_week", due}}));
}

json ListingJson(const JudgedView& v, const review::ListingCheck& check, Date date) {
  json j{{"scan_id", v.scan.scan_id},
         {"package", v.scan.package},
         {"date", date.ToString()},
         {"gate", v.scan.gate},
         {"gate_reasons", v.judged->gate_reasons},
         {"allowed", check.allowed}};
  if (!check.allowed) {
    j["reason"] = check.reason;
    j["matched"] = check.matched;
    j["case_id"] = check.case_id;
    j["removed_package"] = check.removed_package;
    j["removed_on"] = check.removed_on.ToString();
    j["bar_ends"] = check.bar_ends.ToString();
  }
  return j;
}

void ApiListingCheck(RequestContext& c) {
  json body;
  if (!JsonBody(c, &body)) return;
  JudgedView v;
  review::ListingCheck check;
  Date date;
  if (Answer a = CheckListing(c, Int(body, "scan_id"), Str(body, "date"), &v, &check, &date);
      !a.ok()) {
    return ReplyApi(c, a);
  }
  c.Json(200, Dump(ListingJson(v, check, date)));
}

// ---- pages ----

void ReplyPage(RequestContext& c, const Answer& a) {
  if (a.status == 500) return c.Fail(a.cause);
  c.Page(a.status, "service.error.title",
         "<h1>" + E(c.T("service.error.title")) + "</h1><p class=\"error\" id=\"error\">" +
             E(a.message) + "</p>");
}

void PageCases(RequestContext& c) {
  Result<review::ReviewStore> store = StoreOf(c);
  if (!store.ok()) return c.Fail(store.status());
  review::CaseFilter filter = FilterFor(c.user());
  filter.state = Form(c.req, "state");
  Result<std::vector<review::CaseView>> cases = store->ListCases(filter, c.Today());
  if (!cases.ok()) return c.Fail(cases.status());
  c.Page(200, "service.case.list_title", CasesBody(c.Frame(), *cases, filter.state));
}

void PageCase(RequestContext& c, int64_t id, const std::string& message, int status) {
  Result<review::ReviewStore> store = StoreOf(c);
  if (!store.ok()) return c.Fail(store.status());
  review::CaseView v;
  if (Answer a = LoadCase(c, *store, id, &v); !a.ok()) return ReplyPage(c, a);
  Result<std::vector<review::CaseEvent>> events = store->Timeline(v.id);
  if (!events.ok()) return c.Fail(events.status());
  CasePage page;
  page.c = &v;
  page.timeline = *events;
  page.message = message;
  for (const std::string& a : v.next_actions) {
    const knowledge::ReviewTransition* t = c.kb.review_process().FindTransition(a);
    if (t != nullptr && t->AllowsRole(RoleName(c.user().role))) page.actions.push_back(a);
  }
  // Candidate re-scans: done scans of the same package the caller may see, other than the case's.
  Result<sqldb::Database*> db = c.db();
  if (!db.ok()) return c.Fail(db.status());
  Result<std::vector<ScanView>> scans = VisibleScans(**db, c.user(), v.package, 50);
  if (!scans.ok()) return c.Fail(scans.status());
  for (ScanView& s : *scans) {
    if (s.status == "done" && s.apk_sha256 != v.apk_sha256) page.rescans.push_back(std::move(s));
  }
  // The comparison asked for (?rescan=N), else the one of the latest step that carried a re-scan.
  int64_t rescan = ToId(Form(c.req, "rescan"));
  if (rescan == 0) {
    for (const review::CaseEvent& e : *events) {
      for (const review::Document& d : e.documents) {
        if (d.kind == "rescan" && d.ref.rfind("scan/", 0) == 0) rescan = ToId(d.ref.substr(5));
      }
    }
  }
  const int64_t old_scan = v.scan_ref.rfind("scan/", 0) == 0 ? ToId(v.scan_ref.substr(5)) : 0;
  JudgedView before, after;
  RescanView rv;
  std::optional<evidence::VersionChanges> changes;
  if (rescan != 0 && old_scan != 0 && LoadJudged(c, old_scan, &before).ok() &&
      LoadJudged(c, rescan, &after).ok()) {
    rv.old_scan = old_scan;
    rv.new_scan = rescan;
    rv.new_version = after.scan.version;
    rv.old_items = before.judged->items;
    rv.new_items = after.judged->items;
    const Status same = compare::CheckSameApp(before.judged->evidence, after.judged->evidence);
    if (same.ok()) {
      changes = compare::CompareVersions({&before.judged->evidence, nullptr},
                                         {&after.judged->evidence, nullptr}, c.kb);
      rv.changes = &*changes;
    } else {
      rv.not_comparable = same.message();
    }
    page.rescan = &rv;
  }
  c.Page(status, "service.case.title", CaseBody(c.Frame(), page));
}

void PageOpenCase(RequestContext& c) {
  int64_t id = 0;
  Answer a = OpenCaseFromScan(
      c, {ToId(Form(c.req, "scan_id")), FormList(c.req, "items"), Form(c.req, "date")}, &id);
  if (!a.ok()) return ReplyPage(c, a);
  c.Redirect("/cases/" + std::to_string(id) + c.LangQuery());
}

void PageComplaint(RequestContext& c) {
  int64_t id = 0;
  Answer a = FileComplaintFromScan(
      c,
      {ToId(Form(c.req, "scan_id")), Form(c.req, "complainant"), Form(c.req, "channel"),
       Form(c.req, "text"), FormList(c.req, "items"), Form(c.req, "date")},
      &id);
  if (!a.ok()) return ReplyPage(c, a);
  c.Redirect("/cases/" + std::to_string(id) + c.LangQuery());
}

void PageStep(RequestContext& c) {
  const int64_t id = ToId(c.req.matches[1]);
  StepIn in{Form(c.req, "action"),           Form(c.req, "date"),   Form(c.req, "note"),
            Form(c.req, "document"),         Form(c.req, "pledge"), Form(c.req, "credit_reason"),
            ToId(Form(c.req, "rescan_scan"))};
  review::CaseView v;
  Answer a = StepCase(c, id, in, &v);
  if (a.status == 500 || a.status == 404) return ReplyPage(c, a);
  if (!a.ok()) return PageCase(c, id, a.message, a.status);
  c.Redirect("/cases/" + std::to_string(id) + c.LangQuery());
}

void PageStore(RequestContext& c) {
  if (c.user().role == Role::kDeveloper) return ReplyPage(c, Refused(403, "stores only"));
  Result<sqldb::Database*> db = c.db();
  if (!db.ok()) return c.Fail(db.status());
  Result<std::vector<ScanView>> scans = VisibleScans(**db, c.user(), "", kQueueLimit);
  if (!scans.ok()) return c.Fail(scans.status());
  Result<batch::JobStore*> jobs = c.jobs();
  if (!jobs.ok()) return c.Fail(jobs.status());
  for (ScanView& s : *scans) {
    if (s.status != "done") continue;
    Result<std::shared_ptr<const JudgedScan>> j = c.reports.Get(**jobs, s.scan_id, s.apk_sha256);
    if (!j.ok()) return c.Fail(j.status());
    if (!(*j)->gate.empty()) s.gate = (*j)->gate;
  }
  c.Page(200, "service.store.title", StoreQueueBody(c.Frame(), *scans));
}

void PageListingCheck(RequestContext& c) {
  JudgedView v;
  review::ListingCheck check;
  Date date;
  if (Answer a =
          CheckListing(c, ToId(Form(c.req, "scan_id")), Form(c.req, "date"), &v, &check, &date);
      !a.ok()) {
    return ReplyPage(c, a);
  }
  c.Page(200, "service.listing.title",
         ListingCheckBody(c.Frame(), v.scan, v.judged->gate_reasons, check, date.ToString()));
}

void PageDisclosure(RequestContext& c) {
  JudgedView v;
  if (Answer a = LoadJudged(c, ToId(c.req.matches[1]), &v); !a.ok()) return ReplyPage(c, a);
  c.AllowInlineStyle();
  c.Html(200, report::RenderDiscloseHtml(v.judged->evidence, &c.kb, c.lang));
}

void PagePublicNotices(RequestContext& c) {
  Result<review::ReviewStore> store = StoreOf(c);
  if (!store.ok()) return c.Fail(store.status());
  Result<std::vector<review::PublicEntry>> entries = store->PublicNotices(kNoticeLimit);
  if (!entries.ok()) return c.Fail(entries.status());
  c.Page(200, "service.notices.title", PublicNoticesBody(c.Frame(), *entries));
}

}  // namespace

Status CreateOversightTables(sqldb::Database& db) { return review::CreateReviewSchema(db); }

Result<std::string> OversightDashboard(RequestContext& c) {
  CaseDashboard d;
  if (Answer a = LoadDashboard(c, &d); !a.ok()) {
    return a.status == 500 ? a.cause : InternalError(a.message);
  }
  return CaseDashboardBody(c.Frame(), d);
}

void AddOversightRoutes(Router& r) {
  r.Get("/api/v1/dashboard", Access::kApi, ApiDashboard);
  r.Get("/api/v1/cases", Access::kApi, ApiCases);
  r.Post("/api/v1/cases", Access::kApi, ApiOpenCase);
  r.Get(R"(/api/v1/cases/(\d{1,18}))", Access::kApi, ApiCase);
  r.Post(R"(/api/v1/cases/(\d{1,18})/steps)", Access::kApi, ApiStep);
  r.Post("/api/v1/complaints", Access::kApi, ApiComplaint);
  r.Post("/api/v1/listing-checks", Access::kApi, ApiListingCheck);
  r.Get("/cases", Access::kPage, PageCases);
  r.Post("/cases", Access::kPage, PageOpenCase);
  r.Get(R"(/cases/(\d{1,18}))", Access::kPage,
        [](RequestContext& c) { PageCase(c, ToId(c.req.matches[1]), "", 200); });
  r.Post(R"(/cases/(\d{1,18})/steps)", Access::kPage, PageStep);
  r.Post("/complaints", Access::kPage, PageComplaint);
  r.Get("/store", Access::kPage, PageStore);
  r.Post("/listing-checks", Access::kPage, PageListingCheck);
  r.Get(R"(/scans/(\d{1,18})/disclosure\.html)", Access::kPage, PageDisclosure);
  r.Get("/public/notices", Access::kPublic, PagePublicNotices);
}

}  // namespace piaudit::service
