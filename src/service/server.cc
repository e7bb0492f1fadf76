#include "service/server.h"

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <vector>

#include "base/clock.h"
#include "base/limits.h"
#include "base/utf8.h"
#include "base/version.h"
#include "batch/gate.h"
#include "batch/job_store.h"
#include "evidence/evidence_json.h"
#include "knowledge/knowledge_base.h"
#include "policy/fetch_guard.h"
#include "policy/policy_fetch.h"
#include "report/html_report.h"
#include "report/report_json.h"
#include "review/audit_log.h"
#include "rules/evaluate.h"
#include "service/login_limiter.h"
#include "service/oversight.h"
#include "service/oversight_pages.h"
#include "service/pages.h"
#include "service/report_cache.h"
#include "service/submissions.h"
#include "sqldb/database.h"

namespace piaudit::service {

using nlohmann::json;

// ---- connections ----

// At most `max` pairs of (database, job store) connections, made on demand and reused; a
// request that finds none free waits for one.
class ConnectionPool {
 public:
  struct Pair {
    std::unique_ptr<sqldb::Database> db;
    std::unique_ptr<batch::JobStore> jobs;
  };
  ConnectionPool(std::string url, int max) : url_(std::move(url)), max_(max) {}

  Result<std::unique_ptr<Pair>> Acquire() {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return !idle_.empty() || made_ < max_; });
      if (!idle_.empty()) {
        std::unique_ptr<Pair> p = std::move(idle_.back());
        idle_.pop_back();
        return p;
      }
      ++made_;
    }
    auto p = std::make_unique<Pair>();
    Result<std::unique_ptr<sqldb::Database>> db = sqldb::Open(url_);
    Result<std::unique_ptr<batch::JobStore>> jobs =
        db.ok() ? batch::OpenJobStore(url_) : Result<std::unique_ptr<batch::JobStore>>(db.status());
    if (!db.ok() || !jobs.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      --made_;
      cv_.notify_one();
      return db.ok() ? jobs.status() : db.status();
    }
    p->db = std::move(*db);
    p->jobs = std::move(*jobs);
    return p;
  }
  void Release(std::unique_ptr<Pair> p) {
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_back(std::move(p));
    cv_.notify_one();
  }

 private:
  std::string url_;
  int max_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Pair>> idle_;
  int made_ = 0;
};

struct RequestContext::Lease {
  Lease(ConnectionPool& p, std::unique_ptr<ConnectionPool::Pair> borrowed)
      : pool(p), pair(std::move(borrowed)) {}
  ConnectionPool& pool;
  std::unique_ptr<ConnectionPool::Pair> pair;
  ~Lease() {
    if (pair) pool.Release(std::move(pair));
  }
};

RequestContext::RequestContext(const httplib::Request& req_in, httplib::Response& res_in,
                               const knowledge::KnowledgeBase& kb_in,
                               const ServerOptions& options_in, ReportCache& reports_in,
                               ConnectionPool& pool_in)
    : req(req_in),
      res(res_in),
      kb(kb_in),
      options(options_in),
      reports(reports_in),
      pool(pool_in) {}
RequestContext::~RequestContext() = default;

Status RequestContext::Borrow() {
  if (lease_) return Status();
  Result<std::unique_ptr<ConnectionPool::Pair>> p = pool.Acquire();
  if (!p.ok()) return p.status();
  lease_ = std::make_unique<Lease>(pool, std::move(*p));
  return Status();
}

Result<sqldb::Database*> RequestContext::db() {
  if (Status s = Borrow(); !s.ok()) return s;
  return lease_->pair->db.get();
}

Result<batch::JobStore*> RequestContext::jobs() {
  if (Status s = Borrow(); !s.ok()) return s;
  return lease_->pair->jobs.get();
}

void RequestContext::Json(int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json; charset=utf-8");
}

void RequestContext::Error(int status, std::string_view message) {
  Json(status, json{{"error", std::string(message)}}.dump());
}

void RequestContext::Html(int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "text/html; charset=utf-8");
}

std::string RequestContext::T(std::string_view id) const {
  const knowledge::Message* m = kb.FindMessage(id);
  return m ? m->text(lang) : "[" + std::string(id) + "]";
}

void RequestContext::Fail(const Status& s) {
  std::fprintf(stderr, "piaudit serve: %s %s: %s\n", req.method.c_str(), req.path.c_str(),
               s.ToString().c_str());
  Error(500, "internal error");
}

PageFrame RequestContext::Frame() const {
  return PageFrame{kb, lang, who ? &*who : nullptr, req.path, Today().ToString()};
}

knowledge::Date RequestContext::Today() const {
  // Deadlines are Chinese working days: the day changes at midnight in Beijing (no DST there).
  constexpr int64_t kChinaOffsetSeconds = 8 * 3600;
  const int64_t now = static_cast<int64_t>(std::time(nullptr)) + kChinaOffsetSeconds;
  return knowledge::Date::FromDays(now / 86400);
}

void RequestContext::Page(int status, std::string_view title_id, const std::string& body) {
  const PageFrame f = Frame();
  Html(status, RenderPage(f, f.T(title_id), body));
}

std::string RequestContext::LangQuery() const {
  return lang == knowledge::Lang::kEn ? "?lang=en" : "";
}

void RequestContext::Redirect(const std::string& location) {
  res.status = 303;
  res.set_header("Location", location);
}

// ---- routing ----

void Router::Get(const std::string& pattern, Access access, Handler handler) {
  auto dispatch = dispatch_;
  http_.Get(pattern,
            [dispatch, access, handler](const httplib::Request& req, httplib::Response& res) {
              dispatch(access, req, res, handler);
            });
}

void Router::Post(const std::string& pattern, Access access, Handler handler) {
  auto dispatch = dispatch_;
  http_.Post(pattern,
             [dispatch, access, handler](const httplib::Request& req, httplib::Response& res) {
               dispatch(access, req, res, handler);
             });
}

namespace {

constexpr char kSessionCookie[] = "piaudit_session";
constexpr char kLoginCsrfCookie[] = "piaudit_login_csrf";
// Pages and API answers: nothing but our own stylesheet may load, no script at all, no framing.
constexpr char kCsp[] =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";
// The HTML report and the disclosure lists are self-contained documents with their own <style>
// (report/html_report.h, report/disclose.h).
constexpr char kDocumentCsp[] =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; "
    "frame-ancestors 'none'; base-uri 'none'";
// Parts of one upload request: apk, policy or policy_url, store, developer, csrf.
constexpr size_t kMaxUploadParts = 6;
constexpr size_t kMaxUrlBytes = 2048;
constexpr int kListLimit = 500;

std::string CookieValue(const httplib::Request& req, std::string_view name) {
  const std::string header = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string_view part(header.data() + pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    pos = end + 1;
  }
  return "";
}

std::string BearerToken(const httplib::Request& req) {
  const std::string h = req.get_header_value("Authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (h.size() <= kPrefix.size() || std::string_view(h).substr(0, kPrefix.size()) != kPrefix) {
    return "";
  }
  return h.substr(kPrefix.size());
}

// Compares without an early exit, so the time does not tell how much of a CSRF token matched.
bool SameSecret(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string FormValue(const httplib::Request& req, const std::string& name) {
  if (req.is_multipart_form_data()) {
    return req.has_file(name) ? req.get_file_value(name).content : "";
  }
  return req.has_param(name) ? req.get_param_value(name) : "";
}

json ScanJson(const ScanView& s) {
  json j{{"scan_id", s.scan_id}, {"sha256", s.apk_sha256},   {"status", s.status},
         {"package", s.package}, {"version", s.version},     {"gate", s.gate},
         {"error", s.error},     {"file_name", s.file_name}, {"uploader", s.uploader},
         {"store", s.store},     {"developer", s.developer}, {"submitted_at", s.created_at}};
  json verdicts = json::parse(s.verdicts, nullptr, false);
  j["verdicts"] = verdicts.is_object() ? verdicts : json::object();
  return j;
}

std::string DumpJson(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

Status WriteOnce(const std::filesystem::path& path, std::string_view bytes) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return Status();
  const std::filesystem::path tmp = path.string() + ".tmp-" + RandomHex(8);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return IoError("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) return IoError("cannot rename " + tmp.string() + ": " + ec.message());
  return Status();
}

}  // namespace

void RequestContext::AllowInlineStyle() {
  res.headers.erase("Content-Security-Policy");  // set_header adds: this one replaces the page's
  res.set_header("Content-Security-Policy", kDocumentCsp);
}

// ---- the server ----

struct Server::State {
  ServerOptions options;
  std::unique_ptr<knowledge::KnowledgeBase> kb;
  std::unique_ptr<batch::Gate> gate;
  policy::FetchGuard fetch_guard;
  httplib::Server http;
  std::unique_ptr<ConnectionPool> pool;
  std::unique_ptr<ReportCache> reports;
  std::unique_ptr<Router> router;
  int port = 0;

  void Dispatch(Access access, const httplib::Request& req, httplib::Response& res,
                const Handler& handler);
  void AddRoutes();

  // Handlers.
  void Health(RequestContext& c);
  Result<std::optional<User>> Login(RequestContext& c, const std::string& name,
                                    const std::string& password, int* status);
  void ApiLogin(RequestContext& c);
  void ApiLogout(RequestContext& c);
  void ApiMe(RequestContext& c);
  void ApiUpload(RequestContext& c);
  void ApiApps(RequestContext& c);
  void ApiApp(RequestContext& c);
  void ApiScans(RequestContext& c);
  void ApiScan(RequestContext& c);
  void ApiReport(RequestContext& c);
  void ServeReport(RequestContext& c, const std::string& format, bool page);
  void ApiAddUser(RequestContext& c);
  void PageLogin(RequestContext& c, std::string_view error, int status);
  void PageLoginPost(RequestContext& c);
  void PageLogout(RequestContext& c);
  void PageDashboard(RequestContext& c);
  void PageApps(RequestContext& c);
  void PageApp(RequestContext& c);
  void PageScan(RequestContext& c);
  void PageUpload(RequestContext& c);
  void PageUploadPost(RequestContext& c);

  // Shared steps.
  struct Uploaded {
    int64_t scan_id = 0;
    std::string sha256;
  };
  // The upload of `c` (multipart): the scan, or an HTTP status with its message.
  Result<Uploaded> Upload(RequestContext& c, int* http_status);
  Result<std::optional<ScanView>> FindScan(RequestContext& c, int64_t id);
};

void Server::State::Dispatch(Access access, const httplib::Request& req, httplib::Response& res,
                             const Handler& handler) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Content-Security-Policy", kCsp);
  res.set_header("Cache-Control", "no-store");
  RequestContext c(req, res, *kb, options, *reports, *pool);
  c.lang = req.get_param_value("lang") == "en" ? knowledge::Lang::kEn : knowledge::Lang::kZh;
  try {
    if (access != Access::kPublic) {
      const std::string token =
          access == Access::kApi ? BearerToken(req) : CookieValue(req, kSessionCookie);
      std::optional<Principal> who;
      if (!token.empty()) {
        Result<sqldb::Database*> db = c.db();
        if (!db.ok()) return c.Fail(db.status());
        Result<std::optional<Principal>> p = LookupToken(**db, token);
        if (!p.ok()) return c.Fail(p.status());
        who = std::move(*p);
      }
      // A token of one kind is not accepted as the other: a stolen session cookie does not
      // open the API, an API token pasted into a cookie does not skip the CSRF check.
      if (who && who->session != (access == Access::kPage)) who.reset();
      if (!who) {
        if (access == Access::kApi) {
          res.set_header("WWW-Authenticate", "Bearer");
          return c.Error(401, "login required: Authorization: Bearer TOKEN");
        }
        if (req.method == "GET") {
          res.status = 303;
          res.set_header("Location", c.lang == knowledge::Lang::kEn ? "/login?lang=en" : "/login");
          return;
        }
        return c.Error(401, "login required");
      }
      if (access == Access::kPage && req.method != "GET" &&
          !SameSecret(FormValue(req, "csrf"), who->csrf)) {
        return c.Error(403, "missing or wrong CSRF token");
      }
      c.who = std::move(who);
    }
    handler(c);
  } catch (const std::exception& e) {
    c.Fail(InternalError(e.what()));
  }
}

void Server::State::AddRoutes() {
  Router& r = *router;
  auto bind = [this](void (State::*m)(RequestContext&)) {
    return [this, m](RequestContext& c) { (this->*m)(c); };
  };
  http.Get("/static/service.css", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Cache-Control", "max-age=3600");
    res.set_content(kServiceCss, "text/css; charset=utf-8");
  });
  // Browsers ask for it on every site; an answer keeps their consoles free of 404s.
  http.Get("/favicon.ico", [](const httplib::Request&, httplib::Response& res) {
    res.status = 204;
    res.set_header("Cache-Control", "max-age=86400");
  });
  // The API (docs/service.md).
  r.Get("/api/v1/health", Access::kPublic, bind(&State::Health));
  r.Post("/api/v1/login", Access::kPublic, bind(&State::ApiLogin));
  r.Post("/api/v1/logout", Access::kApi, bind(&State::ApiLogout));
  r.Get("/api/v1/me", Access::kApi, bind(&State::ApiMe));
  r.Post("/api/v1/users", Access::kApi, bind(&State::ApiAddUser));
  r.Post("/api/v1/apps", Access::kApi, bind(&State::ApiUpload));
  r.Get("/api/v1/apps", Access::kApi, bind(&State::ApiApps));
  r.Get(R"(/api/v1/apps/([A-Za-z0-9._-]{1,255}))", Access::kApi, bind(&State::ApiApp));
  r.Get("/api/v1/scans", Access::kApi, bind(&State::ApiScans));
  r.Get(R"(/api/v1/scans/(\d{1,18}))", Access::kApi, bind(&State::ApiScan));
  r.Get(R"(/api/v1/scans/(\d{1,18})/report)", Access::kApi, bind(&State::ApiReport));
  // The web UI.
  r.Get("/login", Access::kPublic, [this](RequestContext& c) { PageLogin(c, "", 200); });
  r.Post("/login", Access::kPublic, bind(&State::PageLoginPost));
  r.Post("/logout", Access::kPage, bind(&State::PageLogout));
  r.Get("/", Access::kPage, bind(&State::PageDashboard));
  r.Get("/apps", Access::kPage, bind(&State::PageApps));
  r.Get(R"(/apps/([A-Za-z0-9._-]{1,255}))", Access::kPage, bind(&State::PageApp));
  r.Get(R"(/scans/(\d{1,18}))", Access::kPage, bind(&State::PageScan));
  for (const char* format : {"html", "sarif", "pdf", "evidence"}) {
    r.Get(std::string(R"(/scans/(\d{1,18})/report\.)") + format, Access::kPage,
          [this, f = std::string(format)](RequestContext& c) { ServeReport(c, f, true); });
  }
  r.Get("/upload", Access::kPage, bind(&State::PageUpload));
  r.Post("/upload", Access::kPage, bind(&State::PageUploadPost));
  AddOversightRoutes(r);
}

// ---- API handlers ----

void Server::State::Health(RequestContext& c) { c.Json(200, "{\"status\":\"ok\"}\n"); }

// Both logins: the rate limit (Retry-After set on 429), the password, the count of failures.
// The user, or nullopt with *status 401 (wrong name or password) or 429 (wait).
Result<std::optional<User>> Server::State::Login(RequestContext& c, const std::string& name,
                                                 const std::string& password, int* status) {
  Result<sqldb::Database*> db = c.db();
  if (!db.ok()) return db.status();
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  ASSIGN_OR_RETURN(int64_t wait, LoginRetryAfter(**db, name, c.req.remote_addr, now));
  if (wait > 0) {
    c.res.set_header("Retry-After", std::to_string(wait));
    *status = 429;
    return std::optional<User>();
  }
  ASSIGN_OR_RETURN(std::optional<User> user, CheckPassword(**db, name, password));
  if (!user) {
    RETURN_IF_ERROR(LoginFailed(**db, name, c.req.remote_addr, now));
    *status = 401;
    return user;
  }
  RETURN_IF_ERROR(LoginSucceeded(**db, name));
  *status = 200;
  return user;
}

void Server::State::ApiLogin(RequestContext& c) {
  json body = json::parse(c.req.body, nullptr, false);
  if (!body.is_object() || !body.contains("name") || !body.contains("password") ||
      !body["name"].is_string() || !body["password"].is_string()) {
    return c.Error(400, "expected JSON {\"name\": ..., \"password\": ...}");
  }
  const std::string name = body["name"].get<std::string>();
  const std::string password = body["password"].get<std::string>();
  int status = 0;
  Result<std::optional<User>> user = Login(c, name, password, &status);
  if (!user.ok()) return c.Fail(user.status());
  if (status == 429) return c.Error(429, "too many failed logins; retry later");
  if (status == 401) return c.Error(401, "wrong name or password");
  Result<sqldb::Database*> db = c.db();
  if (!db.ok()) return c.Fail(db.status());
  Result<IssuedToken> t = IssueToken(**db, **user, false, options.token_seconds);
  if (!t.ok()) return c.Fail(t.status());
  c.Json(200, DumpJson(json{{"token", t->token}, {"expires_in", options.token_seconds}}));
}

void Server::State::ApiLogout(RequestContext& c) {
  Result<sqldb::Database*> db = c.db();
  if (!db.ok()) return c.Fail(db.status());
  if (Status s = RevokeToken(**db, BearerToken(c.req)); !s.ok()) return c.Fail(s);
  c.Json(200, "{\"status\":\"logged out\"}\n");
}

void Server::State::ApiMe(RequestContext& c) {
  c.Json(200, DumpJson(json{{"name", c.user().name},
                            {"role", std::string(RoleName(c.user().role))},
                            {"store", c.user().store}}));
}

void Server::State::ApiAddUser(RequestContext& c) {
  if (c.user().role != Role::kAdmin) return c.Error(403, "only admin may add users");
  json body = json::parse(c.req.body, nullptr, false);
  if (!body.is_object() || !body.value("name", json()).is_string() ||
      !body.value("role", json()).is_string() || !body.value("password", json()).is_string()) {
    return c.Error(400, "expected JSON {\"name\", \"role\", \"password\"[, \"store\"]}");
  }
  std::optional<Role> role = ParseRole(body["role"].get<std::string>());
  if (!role) return c.Error(400, "role must be admin, inspector, store or developer");
  const std::string store = body.value("store", json("")).is_string()
                                ? body.value("store", std::string())
                                : std::string();
  Result<sqldb::Database*> db = c.db();
  if (!db.ok()) return c.Fail(db.status());
  Result<User> u = AddUser(**db, body["name"].get<std::string>(), *role, store,
                           body["password"].get<std::string>());
  if (!u.ok()) {
    if (sqldb::IsUniqueViolation(u.status())) return c.Error(409, "user name taken");
    if (u.status().code() == StatusCode::kInvalidInput) return c.Error(400, u.status().message());
    return c.Fail(u.status());
  }
  c.Json(201, DumpJson(json{{"id", u->id}, {"name", u->name}}));
}

Result<Server::State::Uploaded> Server::State::Upload(RequestContext& c, int* http_status) {
  *http_status = 400;
  if (!c.req.is_multipart_form_data()) return InvalidInput("expected multipart/form-data");
  if (c.req.files.size() > kMaxUploadParts) {
    *http_status = 413;
    return LimitExceeded(
        "at most 6 form fields per upload: apk or apk_url, policy or policy_url, store, "
        "developer, csrf");
  }
  for (const auto& [name, part] : c.req.files) {
    if (name != "apk" && name != "apk_url" && name != "policy" && name != "policy_url" &&
        name != "store" && name != "developer" && name != "csrf") {
      return InvalidInput("unknown form field");
    }
    if (c.req.files.count(name) > 1) {
      *http_status = 413;
      return LimitExceeded("one file per upload");
    }
  }
  httplib::MultipartFormData apk;
  if (c.req.has_file("apk")) {
    apk = c.req.get_file_value("apk");
  } else if (const std::string url = FormValue(c.req, "apk_url"); !url.empty()) {
    // A store points at the build instead of uploading it: fetched like a policy URL, through
    // the same guard (public addresses only), and bounded by the upload limit.
    *http_status = 422;
    if (url.size() > kMaxUrlBytes) return InvalidInput("apk_url longer than 2048 bytes");
    Limits limits;
    limits.max_download_bytes = static_cast<uint64_t>(options.max_upload_bytes);
    Result<policy::FetchedPolicy> fetched = policy::FetchPolicy(url, limits, fetch_guard);
    if (!fetched.ok()) return InvalidInput("apk_url: " + std::string(fetched.status().message()));
    apk.content = std::move(fetched->body);
    apk.filename = fetched->final_url;
    *http_status = 400;
  } else {
    return InvalidInput("missing form field apk (or apk_url)");
  }
  if (apk.content.size() < 4 || apk.content.compare(0, 2, "PK") != 0) {
    return InvalidInput("apk is not a zip archive");
  }
  const User& who = c.user();
  // Tenancy fields: a store operator always submits for their store, a developer as themself.
  std::string store = who.role == Role::kStore ? who.store : FormValue(c.req, "store");
  std::string developer = who.role == Role::kDeveloper ? who.name : FormValue(c.req, "developer");
  if ((!store.empty() && !ValidName(store)) || (!developer.empty() && !ValidName(developer))) {
    return InvalidInput("store and developer are names of 1-64 characters of A-Z a-z 0-9 . _ @ -");
  }
  NewSubmission s;
  s.apk_sha256 = Sha256Hex(apk.content);
  // The client's file name is data: kept (bounded) for display, never part of a path.
  s.file_name = apk.filename.substr(0, 255);
  s.apk_bytes = static_cast<int64_t>(apk.content.size());
  s.store = std::move(store);
  s.developer = std::move(developer);
  const std::filesystem::path apk_path =
      std::filesystem::path(options.data_dir) / "apks" / (s.apk_sha256 + ".apk");
  *http_status = 500;
  if (Status st = WriteOnce(apk_path, apk.content); !st.ok()) return st;
  std::string policy = c.req.has_file("policy") ? c.req.get_file_value("policy").content : "";
  const std::string policy_url = FormValue(c.req, "policy_url");
  if (!policy.empty() && !policy_url.empty()) {
    *http_status = 400;
    return InvalidInput("give a policy file or a policy_url, not both");
  }
  if (!policy_url.empty()) {
    // The server fetches on a caller's word: only public addresses (policy/fetch_guard.h), so
    // a URL cannot make it reach its own network (SSRF).
    *http_status = 422;
    if (policy_url.size() > kMaxUrlBytes) return InvalidInput("policy_url longer than 2048 bytes");
    Result<policy::FetchedPolicy> fetched = policy::FetchPolicy(policy_url, Limits(), fetch_guard);
    if (!fetched.ok())
      return InvalidInput("policy_url: " + std::string(fetched.status().message()));
    policy = std::move(fetched->body);
    *http_status = 500;
  }
  std::string policy_path;
  if (!policy.empty()) {
    s.policy_sha256 = Sha256Hex(policy);
    s.policy_excerpt = BoundedUtf8(policy, kMaxPolicyExcerptBytes);
    // The format is sniffed from the bytes by the scan (text, HTML or PDF), not from the name.
    policy_path =
        (std::filesystem::path(options.data_dir) / "policies" / (s.policy_sha256 + ".policy"))
            .string();
    if (Status st = WriteOnce(policy_path, policy); !st.ok()) return st;
  }
  // The same APK with another policy is another judgement, hence another job (batch::JobKey).
  const std::string key = batch::JobKey(s.apk_sha256, s.policy_sha256);
  Result<batch::JobStore*> jobs = c.jobs();
  if (!jobs.ok()) return jobs.status();
  Result<int64_t> added = (*jobs)->Submit({batch::Submission{key, apk_path.string(), policy_path}},
                                          options.max_attempts);
  if (!added.ok()) return added.status();
  Result<sqldb::Database*> db = c.db();
  if (!db.ok()) return db.status();
  Result<std::optional<int64_t>> id = JobIdOf(**db, key);
  if (!id.ok()) return id.status();
  if (!id->has_value()) return InternalError("job missing after submit");
  s.job_id = **id;
  if (Status st = RecordSubmission(**db, who, s); !st.ok()) return st;
  return Uploaded{s.job_id, s.apk_sha256};
}

void Server::State::ApiUpload(RequestContext& c) {
  int http_status = 400;
  Result<Uploaded> up = Upload(c, &http_status);
  if (!up.ok()) {
    if (http_status == 500) return c.Fail(up.status());
    return c.Error(http_status, up.status().message());
  }
  c.Json(201, DumpJson(json{{"scan_id", up->scan_id}, {"sha256", up->sha256}}));
}

Result<std::optional<ScanView>> Server::State::FindScan(RequestContext& c, int64_t id) {
  Result<sqldb::Database*> db = c.db();
  if (!db.ok()) return db.status();
  return VisibleScan(**db, c.user(), id);
}

void Server::State::ApiScans(RequestContext& c) {
  Result<sqldb::Database*> db = c.db();
  if (!db.ok()) return c.Fail(db.status());
  Result<std::vector<ScanView>> scans = VisibleScans(**db, c.user(), "", kListLimit);
  if (!scans.ok()) return c.Fail(scans.status());
  json list = json::array();
  for (const ScanView& s : *scans) list.push_back(ScanJson(s));
  c.Json(200, DumpJson(json{{"scans", list}}));
}

void Server::State::ApiApps(RequestContext& c) {
  Result<sqldb::Database*> db = c.db();
  if (!db.ok()) return c.Fail(db.status());
  Result<std::vector<ScanView>> scans = VisibleScans(**db, c.user(), "", kListLimit);
  if (!scans.ok()) return c.Fail(scans.status());
  // One entry per package (newest scan first); scans not yet done have no package yet.
  json apps = json::array();
  std::map<std::string, size_t> index;
  for (const ScanView& s : *scans) {
    if (s.package.empty()) continue;
    auto [it, fresh] = index.emplace(s.package, apps.size());
    if (fresh) {
      apps.push_back(json{{"package", s.package}, {"latest", ScanJson(s)}, {"scans", 0}});
    }
    apps[it->second]["scans"] = apps[it->second]["scans"].get<int>() + 1;
  }
  c.Json(200, DumpJson(json{{"apps", apps}}));
}

void Server::State::ApiApp(RequestContext& c) {
  Result<sqldb::Database*> db = c.db();
  if (!db.ok()) return c.Fail(db.status());
  Result<std::vector<ScanView>> scans = VisibleScans(**db, c.user(), c.req.matches[1], kListLimit);
  if (!scans.ok()) return c.Fail(scans.status());
  if (scans->empty()) return c.Error(404, "no such app");
  json list = json::array();
  for (const ScanView& s : *scans) list.push_back(ScanJson(s));
  c.Json(200, DumpJson(json{{"package", std::string(c.req.matches[1])}, {"scans", list}}));
}

void Server::State::ApiScan(RequestContext& c) {
  Result<std::optional<ScanView>> s = FindScan(c, std::stoll(c.req.matches[1]));
  if (!s.ok()) return c.Fail(s.status());
  if (!s->has_value()) return c.Error(404, "no such scan");
  c.Json(200, DumpJson(ScanJson(**s)));
}

void Server::State::ApiReport(RequestContext& c) {
  const std::string format = c.req.has_param("format") ? c.req.get_param_value("format") : "json";
  ServeReport(c, format, false);
}

// One report of a done scan in `format` (json, html, sarif, pdf); every read goes into the audit
// log (who read which scan's report, in which format). Pages answer 404 pages, the API JSON.
void Server::State::ServeReport(RequestContext& c, const std::string& format, bool page) {
  auto missing = [&](int status, const std::string& message) {
    if (page) return c.Page(status, "service.not_found", "<h1>" + std::to_string(status) + "</h1>");
    c.Error(status, message);
  };
  if (format != "json" && format != "html" && format != "sarif" && format != "pdf" &&
      format != "evidence") {
    return missing(400, "format: json, html, sarif, pdf or evidence");
  }
  Result<std::optional<ScanView>> s = FindScan(c, std::stoll(c.req.matches[1]));
  if (!s.ok()) return c.Fail(s.status());
  if (!s->has_value()) return missing(404, "no such scan");
  if ((*s)->status != "done") return missing(409, "scan is " + (*s)->status + ", not done");
  Result<batch::JobStore*> jobs = c.jobs();
  if (!jobs.ok()) return c.Fail(jobs.status());
  Result<std::shared_ptr<const JudgedScan>> j =
      reports->Get(**jobs, (*s)->scan_id, (*s)->apk_sha256);
  if (!j.ok()) return c.Fail(j.status());
  std::string body;
  std::string type;
  if (format == "json") {
    body = (*j)->report_json;
    type = "application/json; charset=utf-8";
  } else if (format == "sarif") {
    body = reports->Sarif(**j);
    type = "application/sarif+json; charset=utf-8";
  } else if (format == "evidence") {
    // The record as the worker kept it (piaudit.evidence/1): what `piaudit judge` re-judges.
    Result<std::string> record = (*jobs)->Evidence((*s)->scan_id);
    if (!record.ok()) return c.Fail(record.status());
    body = std::move(*record);
    type = "application/json; charset=utf-8";
  } else if (format == "html") {
    body = reports->Html(**j, c.lang);
    type = "text/html; charset=utf-8";
  } else {
    Result<std::string> pdf = reports->Pdf(**j, c.lang, options.data_dir + "/reports");
    if (!pdf.ok()) {
      if (pdf.status().code() == StatusCode::kNotFound) {
        return missing(503,
                       "PDF printing is not available: " + std::string(pdf.status().message()));
      }
      return c.Fail(pdf.status());
    }
    body = std::move(*pdf);
    type = "application/pdf";
    c.res.set_header("Content-Disposition", "attachment; filename=\"piaudit-scan-" +
                                                std::to_string((*s)->scan_id) + ".pdf\"");
  }
  Result<sqldb::Database*> db = c.db();
  if (!db.ok()) return c.Fail(db.status());
  const json detail{{"format", format}, {"lang", c.lang == knowledge::Lang::kEn ? "en" : "zh"}};
  Result<int64_t> logged = review::AppendAudit(
      **db, {IsoUtcNow(), c.user().name, "report.read",
             "scan/" + std::to_string((*s)->scan_id) + "/report", detail.dump()});
  if (!logged.ok()) return c.Fail(logged.status());
  if (format == "html") c.AllowInlineStyle();
  c.res.status = 200;
  c.res.set_content(body, type);
}

// ---- pages ----

void Server::State::PageLogin(RequestContext& c, std::string_view error, int status) {
  // Login CSRF: the form carries the value of a cookie set with it (double submit), so another
  // site cannot log a browser in to an account of its choosing.
  const std::string login_csrf = RandomHex(16);
  c.res.set_header("Set-Cookie", std::string(kLoginCsrfCookie) + "=" + login_csrf +
                                     "; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600");
  const PageFrame f = c.Frame();
  c.Html(status, RenderPage(f, f.T("service.login.title"), LoginBody(f, login_csrf, error)));
}

void Server::State::PageLoginPost(RequestContext& c) {
  if (!SameSecret(FormValue(c.req, "csrf"), CookieValue(c.req, kLoginCsrfCookie))) {
    return c.Error(403, "missing or wrong CSRF token");
  }
  const std::string name = FormValue(c.req, "name");
  const std::string password = FormValue(c.req, "password");
  int status = 0;
  Result<std::optional<User>> user = Login(c, name, password, &status);
  if (!user.ok()) return c.Fail(user.status());
  if (status == 429) return PageLogin(c, c.T("service.login.limited"), 429);
  if (status == 401) return PageLogin(c, c.T("service.login.failed"), 401);
  Result<sqldb::Database*> db = c.db();
  if (!db.ok()) return c.Fail(db.status());
  Result<IssuedToken> t = IssueToken(**db, **user, true, options.session_seconds);
  if (!t.ok()) return c.Fail(t.status());
  // Secure is left to the TLS proxy in front (docs/service.md): over plain HTTP on loopback a
  // Secure cookie would never come back.
  c.res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + t->token +
                                     "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                     std::to_string(options.session_seconds));
  c.res.status = 303;
  c.res.set_header("Location", c.lang == knowledge::Lang::kEn ? "/?lang=en" : "/");
}

void Server::State::PageLogout(RequestContext& c) {
  Result<sqldb::Database*> db = c.db();
  if (!db.ok()) return c.Fail(db.status());
  if (Status s = RevokeToken(**db, CookieValue(c.req, kSessionCookie)); !s.ok()) {
    return c.Fail(s);
  }
  c.res.set_header("Set-Cookie",
                   std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  c.res.status = 303;
  c.res.set_header("Location", "/login");
}

void Server::State::PageDashboard(RequestContext& c) {
  Result<sqldb::Database*> db = c.db();
  if (!db.ok()) return c.Fail(db.status());
  Result<std::vector<ScanView>> scans = VisibleScans(**db, c.user(), "", kListLimit);
  if (!scans.ok()) return c.Fail(scans.status());
  Result<std::string> oversight = OversightDashboard(c);
  if (!oversight.ok()) return c.Fail(oversight.status());
  c.Page(200, "service.dashboard.title", DashboardBody(c.Frame(), *scans, *oversight));
}

void Server::State::PageApps(RequestContext& c) {
  Result<sqldb::Database*> db = c.db();
  if (!db.ok()) return c.Fail(db.status());
  Result<std::vector<ScanView>> scans = VisibleScans(**db, c.user(), "", kListLimit);
  if (!scans.ok()) return c.Fail(scans.status());
  c.Page(200, "service.apps.title", AppsBody(c.Frame(), *scans));
}

void Server::State::PageApp(RequestContext& c) {
  Result<sqldb::Database*> db = c.db();
  if (!db.ok()) return c.Fail(db.status());
  const std::string package = c.req.matches[1];
  Result<std::vector<ScanView>> scans = VisibleScans(**db, c.user(), package, kListLimit);
  if (!scans.ok()) return c.Fail(scans.status());
  if (scans->empty()) return c.Page(404, "service.not_found", "<h1>404</h1>");
  std::shared_ptr<const JudgedScan> judged;
  int64_t latest_done = 0;
  for (const ScanView& s : *scans) {
    if (s.status != "done") continue;
    Result<batch::JobStore*> jobs = c.jobs();
    if (!jobs.ok()) return c.Fail(jobs.status());
    Result<std::shared_ptr<const JudgedScan>> j = reports->Get(**jobs, s.scan_id, s.apk_sha256);
    if (!j.ok()) return c.Fail(j.status());
    judged = *j;
    latest_done = s.scan_id;
    break;
  }
  c.Page(200, "service.app.title",
         AppBody(c.Frame(), package, *scans, latest_done,
                 judged ? std::span<const rules::ItemResult>(judged->items)
                        : std::span<const rules::ItemResult>()));
}

void Server::State::PageScan(RequestContext& c) {
  Result<std::optional<ScanView>> s = FindScan(c, std::stoll(c.req.matches[1]));
  if (!s.ok()) return c.Fail(s.status());
  if (!s->has_value()) return c.Page(404, "service.not_found", "<h1>404</h1>");
  std::shared_ptr<const JudgedScan> judged;
  if ((*s)->status == "done") {
    Result<batch::JobStore*> jobs = c.jobs();
    if (!jobs.ok()) return c.Fail(jobs.status());
    Result<std::shared_ptr<const JudgedScan>> j =
        reports->Get(**jobs, (*s)->scan_id, (*s)->apk_sha256);
    if (!j.ok()) return c.Fail(j.status());
    judged = *j;
  }
  const std::span<const rules::ItemResult> items =
      judged ? std::span<const rules::ItemResult>(judged->items)
             : std::span<const rules::ItemResult>();
  ScanView shown = **s;
  if (judged && !judged->gate.empty()) shown.gate = judged->gate;
  const PageFrame f = c.Frame();
  c.Page(200, "service.scan.title",
         ScanBody(f, shown, items) + ScanOversightForms(f, shown, items, f.today));
}

void Server::State::PageUpload(RequestContext& c) {
  c.Page(200, "service.upload.title", UploadBody(c.Frame(), "", options.max_upload_bytes));
}

void Server::State::PageUploadPost(RequestContext& c) {
  int http_status = 400;
  Result<Uploaded> up = Upload(c, &http_status);
  if (!up.ok()) {
    if (http_status == 500) return c.Fail(up.status());
    return c.Page(http_status, "service.upload.title",
                  UploadBody(c.Frame(), up.status().message(), options.max_upload_bytes));
  }
  c.res.status = 303;
  c.res.set_header("Location", "/scans/" + std::to_string(up->scan_id) +
                                   (c.lang == knowledge::Lang::kEn ? "?lang=en" : ""));
}

// ---- lifetime ----

Server::Server() : state_(std::make_unique<State>()) {}
Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  std::unique_ptr<Server> server(new Server());
  State& st = *server->state_;
  st.options = options;
  if (st.options.threads < 1) st.options.threads = 1;
  std::error_code ec;
  const std::filesystem::path data = std::filesystem::absolute(options.data_dir, ec);
  if (ec) return IoError("--data " + options.data_dir + ": " + ec.message());
  st.options.data_dir = data.string();
  for (const char* sub : {"apks", "policies", "reports"}) {
    std::filesystem::create_directories(data / sub, ec);
    if (ec) return IoError("cannot create " + (data / sub).string() + ": " + ec.message());
  }
  // The tables: the batch queue's (OpenJobStore creates them) and the service's.
  {
    Result<std::unique_ptr<batch::JobStore>> jobs = batch::OpenJobStore(options.db_url);
    if (!jobs.ok()) return jobs.status();
    Result<std::unique_ptr<sqldb::Database>> db = sqldb::Open(options.db_url);
    if (!db.ok()) return db.status();
    if (Status s = CreateAccountTables(**db); !s.ok()) return s;
    if (Status s = CreateSubmissionTables(**db); !s.ok()) return s;
    if (Status s = CreateOversightTables(**db); !s.ok()) return s;
    if (Status s = CreateLoginLimiterTable(**db); !s.ok()) return s;
  }
  Diagnostics diagnostics;
  Result<knowledge::KnowledgeBase> kb =
      knowledge::KnowledgeBase::Load(options.kb_dir, &diagnostics);
  if (!kb.ok()) return kb.status();
  st.kb = std::make_unique<knowledge::KnowledgeBase>(std::move(*kb));
  st.pool = std::make_unique<ConnectionPool>(options.db_url, st.options.threads);
  if (!options.gate_file.empty()) {
    Result<batch::Gate> gate = batch::LoadGate(options.gate_file);
    if (!gate.ok()) return gate.status();
    st.gate = std::make_unique<batch::Gate>(std::move(*gate));
  }
  st.reports = std::make_unique<ReportCache>(*st.kb, st.gate.get());
  st.fetch_guard.public_only = true;
  st.fetch_guard.allow_cidrs = options.fetch_allow_cidrs;
  st.fetch_guard.allow_ports = options.fetch_allow_ports;
  if (Result<policy::AddressPolicy> checked = policy::AddressPolicy::Make(st.fetch_guard);
      !checked.ok()) {
    return checked.status();
  }
  st.router = std::make_unique<Router>(
      st.http, [&st](Access a, const httplib::Request& req, httplib::Response& res,
                     const Handler& h) { st.Dispatch(a, req, res, h); });
  const int threads = st.options.threads;
  st.http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  st.http.set_payload_max_length(static_cast<size_t>(options.max_upload_bytes));
  // Headers and body go out in two writes: without TCP_NODELAY a small answer waits ~40 ms for
  // the client's delayed ACK (measured: health at 42 ms median, 277 requests/s).
  st.http.set_tcp_nodelay(true);
  st.http.set_read_timeout(30, 0);
  st.http.set_write_timeout(30, 0);
  st.http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Content-Security-Policy", kCsp);
    if (res.body.empty()) {
      res.set_content(json{{"error", "HTTP " + std::to_string(res.status)}}.dump() + "\n",
                      "application/json; charset=utf-8");
    }
  });
  st.AddRoutes();
  if (options.port == 0) {
    st.port = st.http.bind_to_any_port(options.listen_host);
    if (st.port <= 0) return IoError("cannot listen on " + options.listen_host + ":0");
  } else {
    if (!st.http.bind_to_port(options.listen_host, options.port)) {
      return IoError("cannot listen on " + options.listen_host + ":" +
                     std::to_string(options.port));
    }
    st.port = options.port;
  }
  return server;
}

int Server::port() const { return state_->port; }
Router& Server::router() { return *state_->router; }
void Server::Run() { state_->http.listen_after_bind(); }
void Server::Stop() {
  if (state_) state_->http.stop();
}

}  // namespace piaudit::service
