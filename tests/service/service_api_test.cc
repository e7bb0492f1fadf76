// The service's HTTP API and pages over a server started in-process on a free loopback port with
// a throwaway database: SQLite always, PostgreSQL when PIAUDIT_TEST_PG_URL names a server (ctest
// `service_postgres_test` starts a throwaway cluster). The role matrix covers every endpoint for
// every role and for no token, a wrong token and an expired one; then CSRF, stored XSS, upload
// names and limits, the login rate limit, and one sample APK scanned by a real batch worker; the
// oversight routes (cases, steps, complaints, listing checks, notices, report formats and the
// audit of report reads) over that real scan, every role against every one of them.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "batch/job_store.h"
#include "knowledge/knowledge_base.h"
#include "review/audit_log.h"
#include "review/review_store.h"
#include "service/accounts.h"
#include "service/server.h"
#include "sqldb/database.h"

namespace piaudit::service {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr char kPassword[] = "correct horse battery";
constexpr int64_t kMaxUpload = 8ll << 20;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A zip's first bytes are enough for the upload check (the worker would fail it as no APK).
std::string FakeApk(const std::string& tag) { return std::string("PK\x03\x04", 4) + tag; }

class ServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : name) {
      if (c == '/') c = '_';
    }
    dir_ = fs::temp_directory_path() /
           ("piaudit_service_test_" + std::to_string(::getpid()) + "_" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    if (GetParam() == "sqlite") {
      url_ = "sqlite:" + (dir_ / "service.db").string();
    } else {
      const char* pg = std::getenv("PIAUDIT_TEST_PG_URL");
      if (pg == nullptr || *pg == '\0') {
        GTEST_SKIP() << "PIAUDIT_TEST_PG_URL not set (ctest service_postgres_test sets it)";
      }
      url_ = pg;
      auto db = sqldb::Open(url_);
      ASSERT_TRUE(db.ok()) << db.status().ToString();
      ASSERT_TRUE((*db)
                      ->ExecScript("DROP TABLE IF EXISTS service_tokens, service_users, "
                                   "service_submissions, jobs, review_apps, review_app_versions, "
                                   "review_cases, review_complaints, review_case_events, "
                                   "review_notices, review_removals, review_relisting_bars, "
                                   "review_credit_list, review_audit_log, review_audit_head, "
                                   "service_login_failures")
                      .ok());
    }
    main_ = Launch(Options());
    ASSERT_TRUE(main_.server) << main_.error;
    client_ = main_.client.get();
    auto db = sqldb::Open(url_);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
  }

  void TearDown() override {
    main_ = Running();
    fs::remove_all(dir_);
  }

  // A server of this test on a free loopback port, stopped when the value goes.
  struct Running {
    std::unique_ptr<Server> server;
    std::thread thread;
    std::unique_ptr<httplib::Client> client;
    std::string error;
    Running() = default;
    Running(Running&&) = default;
    Running& operator=(Running&& other) {
      Stop();
      server = std::move(other.server);
      thread = std::move(other.thread);
      client = std::move(other.client);
      error = std::move(other.error);
      return *this;
    }
    ~Running() { Stop(); }
    void Stop() {
      if (server) server->Stop();
      if (thread.joinable()) thread.join();
      server.reset();
    }
  };

  ServerOptions Options() {
    ServerOptions o;
    o.db_url = url_;
    o.port = 0;
    o.data_dir = (dir_ / "data").string();
    o.kb_dir = PIAUDIT_DATA_DIR;
    o.gate_file = std::string(PIAUDIT_DATA_DIR) + "/gate/store_default.yaml";
    o.max_upload_bytes = kMaxUpload;
    o.threads = 4;
    return o;
  }

  static Running Launch(const ServerOptions& o) {
    Running r;
    auto server = Server::Start(o);
    if (!server.ok()) {
      r.error = server.status().ToString();
      return r;
    }
    r.server = std::move(*server);
    Server* raw = r.server.get();
    r.thread = std::thread([raw] { raw->Run(); });
    r.client = std::make_unique<httplib::Client>("127.0.0.1", raw->port());
    r.client->set_read_timeout(60, 0);
    for (int i = 0; i < 200; ++i) {
      auto h = r.client->Get("/api/v1/health");
      if (h && h->status == 200) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return r;
  }

  void AddUserOrDie(const std::string& name, Role role, const std::string& store = "") {
    auto u = AddUser(*db_, name, role, store, kPassword);
    ASSERT_TRUE(u.ok()) << u.status().ToString();
  }

  // One account per role and tenant (admin, inspector, store-a of shop-a, store-b of shop-b,
  // dev-x, dev-y), logged in: name -> API token.
  std::map<std::string, std::string> SixRoles() {
    AddUserOrDie("admin", Role::kAdmin);
    AddUserOrDie("inspector", Role::kInspector);
    AddUserOrDie("store-a", Role::kStore, "shop-a");
    AddUserOrDie("store-b", Role::kStore, "shop-b");
    AddUserOrDie("dev-x", Role::kDeveloper);
    AddUserOrDie("dev-y", Role::kDeveloper);
    std::map<std::string, std::string> token;
    for (const char* n : {"admin", "inspector", "store-a", "store-b", "dev-x", "dev-y"}) {
      token[n] = Login(n);
    }
    return token;
  }

  std::string Login(const std::string& name, const std::string& password = kPassword,
                    int* status = nullptr) {
    auto r = client_->Post("/api/v1/login", json{{"name", name}, {"password", password}}.dump(),
                           "application/json");
    if (status) *status = r ? r->status : -1;
    if (!r || r->status != 200) return "";
    return json::parse(r->body)["token"].get<std::string>();
  }

  // A UI session: the login form posted with its double-submit CSRF cookie.
  struct Session {
    std::string cookie;
    std::string csrf;
  };
  Session PageLogin(const std::string& name) {
    httplib::Headers h{{"Cookie", "piaudit_login_csrf=abcdabcdabcdabcd"}};
    auto r = client_->Post(
        "/login", h,
        httplib::Params{{"csrf", "abcdabcdabcdabcd"}, {"name", name}, {"password", kPassword}});
    Session s;
    if (!r || r->status != 303) return s;
    const std::string set = r->get_header_value("Set-Cookie");
    s.cookie = set.substr(0, set.find(';'));
    auto page = client_->Get("/upload", httplib::Headers{{"Cookie", s.cookie}});
    if (!page) return s;
    const std::string marker = "name=\"csrf\" value=\"";
    size_t at = page->body.find(marker);
    if (at != std::string::npos) s.csrf = page->body.substr(at + marker.size(), 64);
    return s;
  }

  httplib::Result Get(const std::string& path, const std::string& token) {
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    return client_->Get(path, h);
  }

  httplib::Result Upload(const std::string& token, const std::string& apk,
                         const std::string& file_name,
                         std::vector<httplib::MultipartFormData> extra = {}) {
    httplib::MultipartFormDataItems items{{"apk", apk, file_name, "application/octet-stream"}};
    for (auto& e : extra) items.push_back(e);
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    return client_->Post("/api/v1/apps", h, items);
  }

  int64_t UploadOk(const std::string& token, const std::string& apk, const std::string& name,
                   std::vector<httplib::MultipartFormData> extra = {}) {
    auto r = Upload(token, apk, name, std::move(extra));
    EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "no answer");
    if (!r || r->status != 201) return 0;
    return json::parse(r->body)["scan_id"].get<int64_t>();
  }

  // Plays a batch worker's part without scanning: the job ends failed with this package.
  void FinishAs(const std::string& package) {
    auto jobs = batch::OpenJobStore(url_);
    ASSERT_TRUE(jobs.ok());
    auto job = (*jobs)->Claim("test:1:1", 60, 3);
    ASSERT_TRUE(job.ok() && job->has_value());
    batch::JobOutcome out;
    out.ok = false;
    out.permanent = true;
    out.package = package;
    out.version = "1.0";
    out.error = "exit 3: not an APK <b>bold</b>";
    ASSERT_TRUE((*jobs)->Finish((**job).id, "test:1:1", out).ok());
  }

  // Runs `piaudit batch work` once over the queue (every queued app scanned for real).
  bool RunWorker() {
    const fs::path piaudit = fs::path(PIAUDIT_BINARY_DIR) / "tools/piaudit/piaudit";
    const std::string cmd = "'" + piaudit.string() + "' batch work --db '" + url_ + "' -o '" +
                            (dir_ / "out").string() + "' > '" + (dir_ / "worker.log").string() +
                            "' 2>&1";
    return std::system(cmd.c_str()) == 0;
  }

  httplib::Result PostJson(const std::string& path, const std::string& token, const json& body) {
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    return client_->Post(path, h, body.dump(), "application/json");
  }

  fs::path dir_;
  std::string url_;
  Running main_;
  httplib::Client* client_ = nullptr;
  std::unique_ptr<sqldb::Database> db_;
};

TEST_P(ServiceTest, HealthAndLoginContract) {
  auto r = client_->Get("/api/v1/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body), json({{"status", "ok"}}));
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_NE(r->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'"),
            std::string::npos);
  AddUserOrDie("alice", Role::kAdmin);
  int status = 0;
  const std::string token = Login("alice", kPassword, &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(token.size(), 64u);
  EXPECT_EQ(Login("alice", "wrong password", &status), "");
  EXPECT_EQ(status, 401);
  EXPECT_EQ(Login("nobody", kPassword, &status), "");
  EXPECT_EQ(status, 401);
  // Only the token's SHA-256 is stored.
  auto rows = db_->Query("SELECT token_sha256 FROM service_tokens");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(sqldb::CellText((*rows)[0][0]), Sha256Hex(token));
  auto me = Get("/api/v1/me", token);
  ASSERT_TRUE(me);
  EXPECT_EQ(json::parse(me->body)["role"], "admin");
  // Logout revokes the token.
  auto out = client_->Post("/api/v1/logout", httplib::Headers{{"Authorization", "Bearer " + token}},
                           "", "application/json");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 200);
  EXPECT_EQ(Get("/api/v1/me", token)->status, 401);
}

TEST_P(ServiceTest, RoleMatrix) {
  std::map<std::string, std::string> token = SixRoles();
  for (const auto& [n, t] : token) ASSERT_EQ(t.size(), 64u) << n;
  token["none"] = "";
  token["bad"] = std::string(64, 'a');
  {
    auto u = FindUser(*db_, "admin");
    ASSERT_TRUE(u.ok() && u->has_value());
    auto t = IssueToken(*db_, **u, false, -10);
    ASSERT_TRUE(t.ok());
    token["expired"] = t->token;
  }
  // store-a submits app A for dev-x; store-b submits app B for dev-y.
  const int64_t a =
      UploadOk(token["store-a"], FakeApk("A"), "a.apk", {{"developer", "dev-x", "", ""}});
  const int64_t b =
      UploadOk(token["store-b"], FakeApk("B"), "b.apk", {{"developer", "dev-y", "", ""}});
  ASSERT_GT(a, 0);
  ASSERT_GT(b, 0);
  ASSERT_NE(a, b);
  FinishAs("com.example.a");
  FinishAs("com.example.b");
  const std::string sa = std::to_string(a);

  // Which callers may see app A.
  const std::map<std::string, bool> sees_a{{"admin", true},   {"inspector", true},
                                           {"store-a", true}, {"store-b", false},
                                           {"dev-x", true},   {"dev-y", false}};
  const std::vector<std::string> anonymous{"none", "bad", "expired"};
  int checked = 0;
  for (const auto& [who, allowed] : sees_a) {
    SCOPED_TRACE(who);
    const std::string& t = token[who];
    EXPECT_EQ(Get("/api/v1/health", t)->status, 200);
    EXPECT_EQ(Get("/api/v1/me", t)->status, 200);
    auto scan = Get("/api/v1/scans/" + sa, t);
    EXPECT_EQ(scan->status, allowed ? 200 : 404);
    if (allowed) {
      EXPECT_EQ(json::parse(scan->body)["status"], "failed");
    } else {
      EXPECT_EQ(scan->body.find("com.example.a"), std::string::npos);
    }
    EXPECT_EQ(Get("/api/v1/scans/" + sa + "/report", t)->status, allowed ? 409 : 404);
    auto app = Get("/api/v1/apps/com.example.a", t);
    EXPECT_EQ(app->status, allowed ? 200 : 404);
    auto scans = Get("/api/v1/scans", t);
    EXPECT_EQ(scans->status, 200);
    EXPECT_EQ(scans->body.find("com.example.a") != std::string::npos, allowed);
    auto apps = Get("/api/v1/apps", t);
    EXPECT_EQ(apps->status, 200);
    EXPECT_EQ(apps->body.find("com.example.a") != std::string::npos, allowed);
    // Everybody logged in may upload; only admin adds users.
    auto up = Upload(t, FakeApk("by " + who), "c.apk");
    EXPECT_EQ(up->status, 201);
    auto add = client_->Post(
        "/api/v1/users", httplib::Headers{{"Authorization", "Bearer " + t}},
        json{{"name", "new-" + who}, {"role", "developer"}, {"password", kPassword}}.dump(),
        "application/json");
    EXPECT_EQ(add->status, who == "admin" ? 201 : 403);
    checked += 9;
  }
  // Store B and developer Y see app B, not A; A's operator and developer do not see B.
  EXPECT_EQ(Get("/api/v1/scans/" + std::to_string(b), token["store-b"])->status, 200);
  EXPECT_EQ(Get("/api/v1/scans/" + std::to_string(b), token["dev-y"])->status, 200);
  EXPECT_EQ(Get("/api/v1/scans/" + std::to_string(b), token["store-a"])->status, 404);
  EXPECT_EQ(Get("/api/v1/scans/" + std::to_string(b), token["dev-x"])->status, 404);
  for (const std::string& who : anonymous) {
    SCOPED_TRACE(who);
    const std::string& t = token[who];
    EXPECT_EQ(Get("/api/v1/health", t)->status, 200);
    for (const std::string& path : std::vector<std::string>{
             "/api/v1/me", "/api/v1/scans", "/api/v1/apps", "/api/v1/scans/" + sa,
             "/api/v1/scans/" + sa + "/report", "/api/v1/apps/com.example.a"}) {
      auto r = Get(path, t);
      EXPECT_EQ(r->status, 401) << path;
      EXPECT_EQ(r->body.find("com.example"), std::string::npos);
    }
    EXPECT_EQ(Upload(t, FakeApk("anon"), "x.apk")->status, 401);
    EXPECT_EQ(client_->Post("/api/v1/users", "{}", "application/json")->status, 401);
    checked += 9;
  }
  EXPECT_EQ(checked, 9 * 9);

  // The pages, with a session per role; without one a page redirects to the login.
  for (const auto& [who, allowed] : sees_a) {
    SCOPED_TRACE("page " + who);
    Session s = PageLogin(who);
    ASSERT_FALSE(s.cookie.empty());
    ASSERT_EQ(s.csrf.size(), 64u);
    httplib::Headers h{{"Cookie", s.cookie}};
    EXPECT_EQ(client_->Get("/", h)->status, 200);
    auto apps = client_->Get("/apps", h);
    EXPECT_EQ(apps->status, 200);
    EXPECT_EQ(apps->body.find("com.example.a") != std::string::npos, allowed);
    EXPECT_EQ(client_->Get("/scans/" + sa, h)->status, allowed ? 200 : 404);
    EXPECT_EQ(client_->Get("/apps/com.example.a", h)->status, allowed ? 200 : 404);
    EXPECT_EQ(client_->Get("/upload", h)->status, 200);
    // A session cookie is not an API token, nor the reverse.
    EXPECT_EQ(Get("/api/v1/me", s.cookie.substr(s.cookie.find('=') + 1))->status, 401);
  }
  for (const char* path : {"/", "/apps", "/upload"}) {
    auto r = client_->Get(path);
    EXPECT_EQ(r->status, 303) << path;
    EXPECT_EQ(r->get_header_value("Location"), "/login");
    auto api_as_cookie =
        client_->Get(path, httplib::Headers{{"Cookie", "piaudit_session=" + token["admin"]}});
    EXPECT_EQ(api_as_cookie->status, 303) << path;
  }
  EXPECT_EQ(client_->Get("/scans/" + sa)->status, 303);
}

TEST_P(ServiceTest, CsrfRequiredOnEveryPagePost) {
  AddUserOrDie("store-a", Role::kStore, "shop-a");
  Session s = PageLogin("store-a");
  ASSERT_FALSE(s.cookie.empty());
  httplib::Headers h{{"Cookie", s.cookie}};
  httplib::MultipartFormDataItems without{{"apk", FakeApk("csrf"), "a.apk", ""}};
  EXPECT_EQ(client_->Post("/upload", h, without)->status, 403);
  httplib::MultipartFormDataItems wrong{{"apk", FakeApk("csrf"), "a.apk", ""},
                                        {"csrf", std::string(64, '0'), "", ""}};
  EXPECT_EQ(client_->Post("/upload", h, wrong)->status, 403);
  httplib::MultipartFormDataItems right{{"apk", FakeApk("csrf"), "a.apk", ""},
                                        {"csrf", s.csrf, "", ""}};
  auto ok = client_->Post("/upload", h, right);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 303);
  EXPECT_EQ(ok->get_header_value("Location").rfind("/scans/", 0), 0u);
  // Logout needs it too, and ends the session.
  EXPECT_EQ(client_->Post("/logout", h, httplib::Params{})->status, 403);
  EXPECT_EQ(client_->Get("/upload", h)->status, 200);
  EXPECT_EQ(client_->Post("/logout", h, httplib::Params{{"csrf", s.csrf}})->status, 303);
  EXPECT_EQ(client_->Get("/upload", h)->status, 303);
  // The login form's double-submit token.
  auto no_cookie = client_->Post(
      "/login", httplib::Params{{"csrf", "x"}, {"name", "store-a"}, {"password", kPassword}});
  EXPECT_EQ(no_cookie->status, 403);
  // The session cookie's attributes.
  auto login = client_->Get("/login");
  EXPECT_NE(login->get_header_value("Set-Cookie").find("HttpOnly; SameSite=Strict"),
            std::string::npos);
}

TEST_P(ServiceTest, HostileTextIsEscapedAndNamesAreData) {
  AddUserOrDie("admin", Role::kAdmin);
  const std::string t = Login("admin");
  const std::string hostile = "<script>alert(1)</script>";
  const int64_t id = UploadOk(t, FakeApk("xss"), "../../etc/passwd",
                              {{"policy", "我们收集" + hostile + "您的信息", "policy.txt", ""}});
  ASSERT_GT(id, 0);
  FinishAs(hostile);
  // The upload is stored by its hash; the client's name is only shown.
  const std::string sha = Sha256Hex(FakeApk("xss"));
  EXPECT_TRUE(fs::exists(dir_ / "data" / "apks" / (sha + ".apk")));
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "data")) {
    if (e.is_regular_file()) {
      ++files;
      EXPECT_EQ(e.path().filename().string().find("passwd"), std::string::npos);
    }
  }
  EXPECT_EQ(files, 2);  // the APK and the policy
  auto scan = Get("/api/v1/scans/" + std::to_string(id), t);
  EXPECT_EQ(json::parse(scan->body)["file_name"], "../../etc/passwd");
  EXPECT_EQ(json::parse(scan->body)["package"], hostile);
  Session s = PageLogin("admin");
  httplib::Headers h{{"Cookie", s.cookie}};
  for (const std::string& path :
       std::vector<std::string>{"/apps", "/scans/" + std::to_string(id), "/"}) {
    auto page = client_->Get(path, h);
    ASSERT_EQ(page->status, 200) << path;
    EXPECT_EQ(page->body.find("<script"), std::string::npos) << path;
    EXPECT_EQ(page->body.find("<b>bold"), std::string::npos) << path;
    EXPECT_NE(page->body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos) << path;
  }
  auto scan_page = client_->Get("/scans/" + std::to_string(id), h);
  EXPECT_NE(scan_page->body.find("我们收集&lt;script&gt;"), std::string::npos);
  EXPECT_NE(scan_page->body.find("../../etc/passwd"), std::string::npos);
  EXPECT_NE(scan_page->get_header_value("Content-Security-Policy").find("default-src 'none'"),
            std::string::npos);
  // English on request.
  auto en = client_->Get("/scans/" + std::to_string(id) + "?lang=en", h);
  EXPECT_NE(en->body.find("Uploaded file name"), std::string::npos);
  EXPECT_NE(scan_page->body.find("上传文件名"), std::string::npos);
}

TEST_P(ServiceTest, UploadLimitsAndSameApkSameScan) {
  AddUserOrDie("dev-x", Role::kDeveloper);
  const std::string t = Login("dev-x");
  const int64_t first = UploadOk(t, FakeApk("same"), "one.apk");
  const int64_t again = UploadOk(t, FakeApk("same"), "two.apk");
  EXPECT_EQ(first, again);
  auto big = Upload(t, FakeApk(std::string(kMaxUpload + 1024, 'x')), "big.apk");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  std::vector<httplib::MultipartFormData> many;
  for (int i = 0; i < 6; ++i) many.push_back({"policy", "p", "p.txt", ""});
  EXPECT_EQ(Upload(t, FakeApk("many"), "m.apk", many)->status, 413);
  EXPECT_EQ(Upload(t, "not a zip", "n.apk")->status, 400);
  auto jobs = batch::OpenJobStore(url_);
  ASSERT_TRUE(jobs.ok());
  auto counts = (*jobs)->Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->total(), 1);
}

TEST_P(ServiceTest, LoginRateLimit) {
  AddUserOrDie("dev-x", Role::kDeveloper);
  int status = 0;
  for (int i = 0; i < 5; ++i) {
    Login("dev-x", "wrong password", &status);
    EXPECT_EQ(status, 401) << i;
  }
  // Past the fifth failure even the right password waits.
  auto r = client_->Post("/api/v1/login", json{{"name", "dev-x"}, {"password", kPassword}}.dump(),
                         "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 429);
  EXPECT_FALSE(r->get_header_value("Retry-After").empty());
  // The address is limited too: another name from the same client waits as well.
  Login("someone-else", kPassword, &status);
  EXPECT_EQ(status, 429);
  // The count is the database's: a second server on the same database refuses too (servers
  // behind one load balancer share it), and the rows name only the keys.
  ServerOptions o = Options();
  o.data_dir = (dir_ / "data2").string();
  Running second = Launch(o);
  ASSERT_TRUE(second.server) << second.error;
  auto r2 = second.client->Post(
      "/api/v1/login", json{{"name", "dev-x"}, {"password", kPassword}}.dump(), "application/json");
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->status, 429);
  auto rows = db_->Query("SELECT key, failures FROM service_login_failures ORDER BY key");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(sqldb::CellText((*rows)[0][0]), "a:127.0.0.1");
  EXPECT_EQ(sqldb::CellText((*rows)[1][0]), "n:dev-x");
  EXPECT_EQ(sqldb::CellInt((*rows)[1][1]), 5);
}

// One real scan: the sample APK uploaded, scanned by `piaudit batch work` on the same database,
// its report served from the stored evidence.
TEST_P(ServiceTest, SampleApkScannedByWorkerAndReportServed) {
  const fs::path sample = fs::path(PIAUDIT_BINARY_DIR) / "samples/sample_app/sample.apk";
  const fs::path piaudit = fs::path(PIAUDIT_BINARY_DIR) / "tools/piaudit/piaudit";
  if (!fs::exists(sample) || !fs::exists(piaudit)) {
    GTEST_SKIP() << "build the sample app and piaudit first (" << sample << ")";
  }
  AddUserOrDie("store-a", Role::kStore, "shop-a");
  const std::string t = Login("store-a");
  const int64_t id = UploadOk(t, ReadFile(sample), "sample.apk");
  ASSERT_GT(id, 0);
  EXPECT_EQ(json::parse(Get("/api/v1/scans/" + std::to_string(id), t)->body)["status"], "queued");
  ASSERT_TRUE(RunWorker()) << ReadFile(dir_ / "worker.log");
  auto scan = Get("/api/v1/scans/" + std::to_string(id), t);
  json j = json::parse(scan->body);
  ASSERT_EQ(j["status"], "done") << scan->body;
  EXPECT_FALSE(j["package"].get<std::string>().empty());
  auto report = Get("/api/v1/scans/" + std::to_string(id) + "/report", t);
  ASSERT_EQ(report->status, 200);
  json rj = json::parse(report->body);
  EXPECT_EQ(rj["schema"], "piaudit.report/1");
  EXPECT_EQ(rj["items"].size(), 31u);
  Session s = PageLogin("store-a");
  httplib::Headers h{{"Cookie", s.cookie}};
  auto page = client_->Get("/apps/" + j["package"].get<std::string>(), h);
  ASSERT_EQ(page->status, 200);
  size_t cells = 0;
  for (size_t at = 0; (at = page->body.find("data-item=\"IM-", at)) != std::string::npos; ++at) {
    ++cells;
  }
  EXPECT_EQ(cells, 31u);
  auto html = client_->Get("/scans/" + std::to_string(id) + "/report.html", h);
  ASSERT_EQ(html->status, 200);
  EXPECT_NE(html->body.find("IM-6.5"), std::string::npos);
  // One policy, allowing the report's own <style> (two headers would both apply).
  EXPECT_EQ(html->get_header_value_count("Content-Security-Policy"), 1u);
  EXPECT_NE(html->get_header_value("Content-Security-Policy").find("style-src 'unsafe-inline'"),
            std::string::npos);
}

// The oversight routes over one real scan: who may open, see and step a case, the refusals with
// their statuses, complaint intake, the store's listing check, the dashboard, the public page,
// the report formats, and the audit log of every report read.
TEST_P(ServiceTest, OversightRoutesRoleMatrixAndProcess) {
  const fs::path sample = fs::path(PIAUDIT_BINARY_DIR) / "samples/sample_app/sample.apk";
  if (!fs::exists(sample) || !fs::exists(fs::path(PIAUDIT_BINARY_DIR) / "tools/piaudit/piaudit")) {
    GTEST_SKIP() << "build the sample app and piaudit first (" << sample << ")";
  }
  std::map<std::string, std::string> token = SixRoles();
  const int64_t scan =
      UploadOk(token["dev-x"], ReadFile(sample), "sample.apk", {{"store", "shop-a", "", ""}});
  ASSERT_GT(scan, 0);
  // A case needs a done scan.
  EXPECT_EQ(PostJson("/api/v1/cases", token["inspector"], {{"scan_id", scan}})->status, 409);
  ASSERT_TRUE(RunWorker()) << ReadFile(dir_ / "worker.log");

  // Opening a case: officials only; anonymous 401; a scan outside the tenant is not there.
  const json open{{"scan_id", scan}, {"items", {"IM-3.8", "IM-6.1"}}, {"date", "2026-04-30"}};
  for (const char* who : {"store-a", "store-b", "dev-x", "dev-y"}) {
    EXPECT_EQ(PostJson("/api/v1/cases", token[who], open)->status, 403) << who;
  }
  EXPECT_EQ(PostJson("/api/v1/cases", "", open)->status, 401);
  EXPECT_EQ(PostJson("/api/v1/cases", token["inspector"], json{{"scan_id", 999}})->status, 404);
  EXPECT_EQ(
      PostJson("/api/v1/cases", token["inspector"], json{{"scan_id", scan}, {"date", "2999-01-01"}})
          ->status,
      400);
  auto opened = PostJson("/api/v1/cases", token["inspector"], open);
  ASSERT_EQ(opened->status, 201) << opened->body;
  const int64_t id = json::parse(opened->body)["case_id"].get<int64_t>();
  const std::string path = "/api/v1/cases/" + std::to_string(id);

  // Seeing it: officials, the app's store and its developer; the others get 404, never the data.
  const std::map<std::string, bool> sees{{"admin", true},    {"inspector", true}, {"store-a", true},
                                         {"store-b", false}, {"dev-x", true},     {"dev-y", false}};
  for (const auto& [who, allowed] : sees) {
    SCOPED_TRACE(who);
    auto r = Get(path, token[who]);
    EXPECT_EQ(r->status, allowed ? 200 : 404);
    EXPECT_EQ(r->body.find("com.piaudit.sample"),
              allowed ? r->body.find("com.piaudit.sample") : std::string::npos);
    auto list = Get("/api/v1/cases", token[who]);
    EXPECT_EQ(list->status, 200);
    EXPECT_EQ(list->body.find("com.piaudit.sample") != std::string::npos, allowed);
    auto dash = Get("/api/v1/dashboard", token[who]);
    ASSERT_EQ(dash->status, 200);
    EXPECT_EQ(json::parse(dash->body)["cases_by_state"]["new"].get<int64_t>(), allowed ? 1 : 0);
  }
  EXPECT_EQ(Get(path, "")->status, 401);
  json c = json::parse(Get(path, token["inspector"])->body);
  EXPECT_EQ(c["state"], "new");
  EXPECT_EQ(c["items"], json({"IM-3.8", "IM-6.1"}));
  EXPECT_EQ(c["cert_sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(c["scan_id"], scan);
  EXPECT_EQ(c["developer"], "dev-x");
  EXPECT_EQ(c["store"], "shop-a");

  // Steps: the process decides, the statuses tell why.
  const std::string steps = path + "/steps";
  const json order{{"action", "order_rectification"}, {"date", "2026-04-30"}};
  EXPECT_EQ(PostJson(steps, token["dev-x"], order)->status, 403);    // wrong role
  EXPECT_EQ(PostJson(steps, token["store-b"], order)->status, 404);  // another tenant
  EXPECT_EQ(PostJson(steps, token["inspector"], json{{"action", "fly"}})->status, 400);
  EXPECT_EQ(PostJson(steps, token["inspector"], json{{"action", "relist"}})->status, 409);
  auto ordered = PostJson(steps, token["inspector"], order);
  ASSERT_EQ(ordered->status, 200) << ordered->body;
  // 2026-04-30 + 5 working days: 劳动节 (May 1-5) skipped, make-up Saturday 05-09 counted.
  EXPECT_EQ(json::parse(ordered->body)["deadline"], "2026-05-11");
  auto early =
      PostJson(steps, token["inspector"], {{"action", "mark_overdue"}, {"date", "2026-05-11"}});
  EXPECT_EQ(early->status, 422);
  EXPECT_NE(early->body.find("2026-05-11"), std::string::npos);
  auto dash = json::parse(Get("/api/v1/dashboard", token["inspector"])->body);
  ASSERT_EQ(dash["overdue"].size(), 1u);  // today is long after 2026-05-11
  EXPECT_EQ(dash["overdue"][0]["id"], id);
  EXPECT_EQ(
      PostJson(steps, token["inspector"], {{"action", "mark_overdue"}, {"date", "2026-05-12"}})
          ->status,
      200);
  EXPECT_EQ(PostJson(steps, token["inspector"],
                     {{"action", "publish_notice"}, {"date", "2026-05-12"}, {"document", "公告"}})
                ->status,
            200);
  EXPECT_EQ(PostJson(steps, token["admin"], {{"action", "remove"}, {"date", "2026-05-18"}})->status,
            200);
  json removed = json::parse(Get(path, token["dev-x"])->body);
  EXPECT_EQ(removed["state"], "removed");
  EXPECT_EQ(removed["your_actions"], json({"apply_relist"}));
  ASSERT_TRUE(removed["timeline"].is_array());
  EXPECT_EQ(removed["timeline"].size(), 4u);

  // The store's listing check: the same app inside the bar is refused; developers may not ask;
  // another store does not see the scan.
  auto listing = PostJson("/api/v1/listing-checks", token["store-a"],
                          {{"scan_id", scan}, {"date", "2026-06-01"}});
  ASSERT_EQ(listing->status, 200) << listing->body;
  json lj = json::parse(listing->body);
  EXPECT_FALSE(lj["allowed"].get<bool>());
  EXPECT_EQ(lj["matched"], "package and certificate");
  // The server's store gate on its own judgement: the sample's likely violations need a person.
  EXPECT_EQ(lj["gate"], "review");
  ASSERT_FALSE(lj["gate_reasons"].empty());
  EXPECT_NE(lj["gate_reasons"][0].get<std::string>().find("store_default.yaml"), std::string::npos);
  EXPECT_EQ(PostJson("/api/v1/listing-checks", token["dev-x"], {{"scan_id", scan}})->status, 403);
  EXPECT_EQ(PostJson("/api/v1/listing-checks", token["store-b"], {{"scan_id", scan}})->status, 404);
  auto after = PostJson("/api/v1/listing-checks", token["store-a"],
                        {{"scan_id", scan}, {"date", lj["bar_ends"].get<std::string>()}});
  EXPECT_FALSE(json::parse(after->body)["allowed"].get<bool>());  // the last day still bars

  // A complaint: officials record it; its answer is due in 15 working days.
  const json complaint{{"scan_id", scan},
                       {"complainant", "<b>Li Si</b>"},
                       {"text", "<script>alert(1)</script>"},
                       {"date", "2026-04-20"}};
  EXPECT_EQ(PostJson("/api/v1/complaints", token["dev-y"], complaint)->status, 403);
  EXPECT_EQ(PostJson("/api/v1/complaints", token["store-a"], complaint)->status, 403);
  auto filed = PostJson("/api/v1/complaints", token["inspector"], complaint);
  ASSERT_EQ(filed->status, 201) << filed->body;
  json fc = json::parse(
      Get("/api/v1/cases/" + std::to_string(json::parse(filed->body)["case_id"].get<int64_t>()),
          token["inspector"])
          ->body);
  EXPECT_EQ(fc["state"], "complaint_received");
  EXPECT_EQ(fc["deadline"], "2026-05-13");

  // The public page: no login, the notice and the removal, nothing of the complaint.
  auto pub = client_->Get("/public/notices");
  ASSERT_EQ(pub->status, 200);
  EXPECT_NE(pub->body.find("com.piaudit.sample.torch"), std::string::npos);
  EXPECT_NE(pub->body.find("data-kind=\"removal\""), std::string::npos);
  EXPECT_NE(pub->body.find("data-kind=\"notice\""), std::string::npos);
  EXPECT_EQ(pub->body.find("Li Si"), std::string::npos);

  // Pages: the case page per tenant, hostile complaint text escaped, CSRF on its forms.
  for (const auto& [who, allowed] : sees) {
    SCOPED_TRACE("page " + who);
    Session s = PageLogin(who);
    httplib::Headers h{{"Cookie", s.cookie}};
    auto page = client_->Get("/cases/" + std::to_string(id), h);
    EXPECT_EQ(page->status, allowed ? 200 : 404);
    EXPECT_EQ(client_->Get("/cases", h)->status, 200);
    EXPECT_EQ(client_->Get("/", h)->status, 200);
    EXPECT_EQ(client_->Get("/store", h)->status, who.rfind("dev", 0) == 0 ? 403 : 200);
  }
  Session s = PageLogin("inspector");
  httplib::Headers h{{"Cookie", s.cookie}};
  auto complaint_case = client_->Get(
      "/cases/" + std::to_string(json::parse(filed->body)["case_id"].get<int64_t>()), h);
  EXPECT_EQ(complaint_case->body.find("<script>alert"), std::string::npos);
  const httplib::Params step_form{{"action", "answer_complaint"}, {"date", "2026-04-21"}};
  EXPECT_EQ(client_->Post("/cases/1/steps", h, step_form)->status, 403);  // no CSRF token
  EXPECT_EQ(client_->Post("/cases", h, httplib::Params{{"scan_id", std::to_string(scan)}})->status,
            403);
  EXPECT_EQ(client_->Get("/cases/" + std::to_string(id))->status, 303);  // no session: to the login

  // Report formats, and every read in the audit log.
  EXPECT_EQ(
      Get("/api/v1/scans/" + std::to_string(scan) + "/report?format=xml", token["admin"])->status,
      400);
  auto sarif =
      Get("/api/v1/scans/" + std::to_string(scan) + "/report?format=sarif", token["dev-x"]);
  ASSERT_EQ(sarif->status, 200);
  EXPECT_EQ(json::parse(sarif->body)["version"], "2.1.0");
  EXPECT_EQ(Get("/api/v1/scans/" + std::to_string(scan) + "/report?format=sarif", token["store-b"])
                ->status,
            404);
  auto page_sarif = client_->Get("/scans/" + std::to_string(scan) + "/report.sarif", h);
  EXPECT_EQ(page_sarif->status, 200);
  auto evidence = client_->Get("/scans/" + std::to_string(scan) + "/report.evidence", h);
  ASSERT_EQ(evidence->status, 200);
  EXPECT_EQ(json::parse(evidence->body)["schema"], "piaudit.evidence/1");
  auto disclosure = client_->Get("/scans/" + std::to_string(scan) + "/disclosure.html", h);
  EXPECT_EQ(disclosure->status, 200);
  EXPECT_NE(disclosure->body.find("android.permission.CAMERA"), std::string::npos);
  int pdf_reads = 0;
  if (GetParam() == "sqlite" && fs::exists("/usr/bin/chromium")) {
    // Printed once by Chromium, then served from the data directory.
    auto pdf = Get("/api/v1/scans/" + std::to_string(scan) + "/report?format=pdf", token["admin"]);
    ASSERT_EQ(pdf->status, 200) << pdf->body;
    EXPECT_EQ(pdf->body.rfind("%PDF-", 0), 0u);
    EXPECT_EQ(pdf->get_header_value("Content-Type"), "application/pdf");
    int kept = 0;
    for (const auto& e : fs::directory_iterator(dir_ / "data" / "reports")) {
      kept += e.path().extension() == ".pdf";
    }
    EXPECT_EQ(kept, 1);
    pdf_reads = 1;
  }
  auto reads = db_->Query(
      "SELECT actor, subject, detail FROM review_audit_log WHERE action = "
      "'report.read' ORDER BY seq");
  ASSERT_TRUE(reads.ok());
  // The API's SARIF, the page's, the evidence, the PDF; refused reads are not reads.
  ASSERT_EQ(reads->size(), 3u + pdf_reads);
  EXPECT_EQ(sqldb::CellText((*reads)[0][0]), "dev-x");
  EXPECT_EQ(sqldb::CellText((*reads)[0][1]), "scan/" + std::to_string(scan) + "/report");
  EXPECT_NE(sqldb::CellText((*reads)[0][2]).find("sarif"), std::string::npos);
  auto verified = review::VerifyAuditLog(*db_);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_TRUE(verified->intact);
}

// A label from an APK is hostile text: on the public page it stays text.
TEST_P(ServiceTest, PublicNoticesEscapeTheAppLabel) {
  auto kb = knowledge::KnowledgeBase::Load(PIAUDIT_DATA_DIR, nullptr);
  ASSERT_TRUE(kb.ok()) << kb.status().ToString();
  auto store = review::ReviewStore::Open(*db_, *kb);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const review::Actor admin{"admin", "admin"};
  auto app = store->AddApp(
      {"com.example.evil", std::string(64, 'a'), "<img src=x onerror=alert(1)>", "dev-x", ""},
      admin, "2026-05-01T00:00:00Z");
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  auto version = store->AddAppVersion({*app, "1.0", 1, std::string(64, 'b'), ""}, admin,
                                      "2026-05-01T00:00:00Z");
  ASSERT_TRUE(version.ok());
  auto id = store->OpenCase({*version, {"IM-3.1"}, "[]", {}}, admin, {2026, 5, 6},
                            "2026-05-06T00:00:00Z");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  review::StepRequest remove;
  remove.action = "remove_directly";
  remove.actor = admin;
  remove.date = {2026, 5, 7};
  remove.at = "2026-05-07T00:00:00Z";
  ASSERT_TRUE(store->Step(*id, remove).ok());
  auto pub = client_->Get("/public/notices?lang=en");
  ASSERT_EQ(pub->status, 200);
  EXPECT_EQ(pub->body.find("<img"), std::string::npos);
  EXPECT_NE(pub->body.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_NE(pub->body.find("com.example.evil"), std::string::npos);
}

// A policy URL is fetched by the server: only from public addresses on 80/443 (SSRF), each hop of
// a redirect checked; an operator's allowed range opens one host, not its neighbours.
TEST_P(ServiceTest, PolicyUrlFetchedOnlyFromPublicAddresses) {
  AddUserOrDie("store-a", Role::kStore, "shop-a");
  const std::string t = Login("store-a");
  httplib::Server policy_host;
  policy_host.Get("/app.apk", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(FakeApk("pointed at"), "application/vnd.android.package-archive");
  });
  policy_host.Get("/policy.html", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<html><body><p>我们收集您的手机号码用于账号注册。</p></body></html>",
                    "text/html; charset=utf-8");
  });
  int port = 0;
  policy_host.Get("/away", [&port](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("http://127.0.0.1:" + std::to_string(port) + "/policy.html");
  });
  port = policy_host.bind_to_any_port("127.0.0.2");
  ASSERT_GT(port, 0) << "cannot bind 127.0.0.2";
  std::thread host([&] { policy_host.listen_after_bind(); });
  const std::string at2 = "http://127.0.0.2:" + std::to_string(port);
  auto upload_with_url = [&](httplib::Client& client, const std::string& url) {
    httplib::MultipartFormDataItems items{{"apk", FakeApk("url " + url), "a.apk", ""},
                                          {"policy_url", url, "", ""}};
    return client.Post("/api/v1/apps", httplib::Headers{{"Authorization", "Bearer " + t}}, items);
  };
  // The server as deployed: nothing private, loopback, link-local or off-port.
  for (const std::string& url : std::vector<std::string>{
           "http://127.0.0.1:" + std::to_string(port) + "/policy.html", at2 + "/policy.html",
           "http://localhost/", "http://[::1]/", "http://169.254.169.254/latest/meta-data/",
           "http://10.0.0.1/", "http://2130706433/", "file:///etc/passwd"}) {
    SCOPED_TRACE(url);
    auto r = upload_with_url(*client_, url);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422);
    EXPECT_NE(r->body.find("policy_url"), std::string::npos);
  }
  auto jobs = batch::OpenJobStore(url_);
  ASSERT_TRUE(jobs.ok());
  EXPECT_EQ((*jobs)->Counts()->total(), 0);  // a refused URL queues nothing
  // An operator opens 127.0.0.2 and the port: that host serves, its redirect to 127.0.0.1 does not.
  ServerOptions o = Options();
  o.fetch_allow_cidrs = {"127.0.0.2/32"};
  o.fetch_allow_ports = {static_cast<uint16_t>(port)};
  Running open = Launch(o);
  ASSERT_TRUE(open.server) << open.error;
  auto fetched = upload_with_url(*open.client, at2 + "/policy.html");
  ASSERT_TRUE(fetched);
  EXPECT_EQ(fetched->status, 201) << fetched->body;
  // A store may point at the build instead of uploading it: the same guard.
  auto point = [&](httplib::Client& client, const std::string& url) {
    httplib::MultipartFormDataItems items{{"apk_url", url, "", ""}};
    return client.Post("/api/v1/apps", httplib::Headers{{"Authorization", "Bearer " + t}}, items);
  };
  auto refused = point(*client_, at2 + "/app.apk");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 422);
  EXPECT_NE(refused->body.find("apk_url"), std::string::npos);
  auto pointed = point(*open.client, at2 + "/app.apk");
  ASSERT_TRUE(pointed);
  ASSERT_EQ(pointed->status, 201) << pointed->body;
  EXPECT_EQ(json::parse(pointed->body)["sha256"], Sha256Hex(FakeApk("pointed at")));
  auto redirected = upload_with_url(*open.client, at2 + "/away");
  ASSERT_TRUE(redirected);
  EXPECT_EQ(redirected->status, 422);
  EXPECT_NE(redirected->body.find("127.0.0.1"), std::string::npos) << redirected->body;
  policy_host.stop();
  host.join();
  // The fetched policy is the job's: stored by its hash and handed to the scan.
  auto rows = db_->Query("SELECT sha256, policy_path FROM jobs WHERE policy_path <> ''");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  const std::string key = sqldb::CellText((*rows)[0][0]);
  const std::string path = sqldb::CellText((*rows)[0][1]);
  EXPECT_EQ(key.size(), 64u + 1 + 64u);  // APK.POLICY
  ASSERT_FALSE(path.empty());
  EXPECT_NE(ReadFile(path).find("手机号码"), std::string::npos);
  auto scan = Get(
      "/api/v1/scans/" + std::to_string(json::parse(fetched->body)["scan_id"].get<int64_t>()), t);
  EXPECT_EQ(json::parse(scan->body)["sha256"], key.substr(0, 64));
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, ServiceTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace piaudit::service
