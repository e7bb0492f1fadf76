// The service's HTTP API and pages over a server started in-process on a free loopback port with
// a throwaway database: SQLite always, PostgreSQL when PIAUDIT_TEST_PG_URL names a server (ctest
// `service_postgres_test` starts a throwaway cluster). The role matrix covers every endpoint for
// every role and for no token, a wrong token and an expired one; then CSRF, stored XSS, upload
// names and limits, the login rate limit, and one sample APK scanned by a real batch worker.
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
                                   "service_submissions, jobs")
                      .ok());
    }
    ServerOptions o;
    o.db_url = url_;
    o.port = 0;
    o.data_dir = (dir_ / "data").string();
    o.kb_dir = PIAUDIT_DATA_DIR;
    o.max_upload_bytes = kMaxUpload;
    o.threads = 4;
    auto server = Server::Start(o);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
    thread_ = std::thread([this] { server_->Run(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(60, 0);
    for (int i = 0; i < 200; ++i) {
      auto r = client_->Get("/api/v1/health");
      if (r && r->status == 200) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    auto db = sqldb::Open(url_);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
  }

  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    fs::remove_all(dir_);
  }

  void AddUserOrDie(const std::string& name, Role role, const std::string& store = "") {
    auto u = AddUser(*db_, name, role, store, kPassword);
    ASSERT_TRUE(u.ok()) << u.status().ToString();
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

  fs::path dir_;
  std::string url_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
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
  AddUserOrDie("admin", Role::kAdmin);
  AddUserOrDie("inspector", Role::kInspector);
  AddUserOrDie("store-a", Role::kStore, "shop-a");
  AddUserOrDie("store-b", Role::kStore, "shop-b");
  AddUserOrDie("dev-x", Role::kDeveloper);
  AddUserOrDie("dev-y", Role::kDeveloper);
  std::map<std::string, std::string> token;
  for (const char* n : {"admin", "inspector", "store-a", "store-b", "dev-x", "dev-y"}) {
    token[n] = Login(n);
    ASSERT_EQ(token[n].size(), 64u) << n;
  }
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
  const std::string cmd = "'" + piaudit.string() + "' batch work --db '" + url_ + "' -o '" +
                          (dir_ / "out").string() + "' > '" + (dir_ / "worker.log").string() +
                          "' 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << ReadFile(dir_ / "worker.log");
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

INSTANTIATE_TEST_SUITE_P(BothDatabases, ServiceTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace piaudit::service
