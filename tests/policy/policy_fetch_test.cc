// Tests for policy/policy_fetch.cc against a local server on 127.0.0.1 and 127.0.0.2 (python3's
// http.server with a redirect path, started by the test, never the internet), plus a silent socket
// for the time-out. The guarded tests check the SSRF guard (policy/fetch_guard.h) on real
// connections: loopback refused however it is spelt, an allowed 127.0.0.2 fetched, and a redirect
// from it back to 127.0.0.1 refused.
#include "policy/policy_fetch.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

namespace piaudit::policy {
namespace {

int FreePort() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  socklen_t len = sizeof(a);
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  close(s);
  return ntohs(a.sin_port);
}

class FetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("piaudit_fetch_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "policy.html")
        << "<html><body><p>我们会收集您的手机号码。</p></body></html>";
    std::ofstream(dir_ / "big.txt") << std::string(200000, 'a');
    // The same files on 127.0.0.1 and 127.0.0.2 (both loopback on Linux), one port; GET
    // /redirect?URL answers 302 to URL.
    std::ofstream(dir_ / "server.py") << R"py(
import functools, http.server, sys, threading
class H(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/redirect?"):
            self.send_response(302)
            self.send_header("Location", self.path[len("/redirect?"):])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()
    def log_message(self, *a):
        pass
h = functools.partial(H, directory=sys.argv[2])
servers = [http.server.ThreadingHTTPServer((host, int(sys.argv[1])), h)
           for host in ("127.0.0.1", "127.0.0.2")]
threading.Thread(target=servers[1].serve_forever, daemon=True).start()
servers[0].serve_forever()
)py";
    port_ = FreePort();
    pid_ = fork();
    if (pid_ == 0) {
      std::string port = std::to_string(port_);
      std::string d = dir_.string();
      std::string script = (dir_ / "server.py").string();
      freopen("/dev/null", "w", stderr);
      execlp("python3", "python3", script.c_str(), port.c_str(), d.c_str(),
             static_cast<char*>(nullptr));
      _exit(127);
    }
    // Wait until both addresses accept connections (at most ~5 s).
    for (int i = 0; i < 100; ++i) {
      bool ok = true;
      for (const char* host : {"127.0.0.1", "127.0.0.2"}) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port_);
        inet_pton(AF_INET, host, &a.sin_addr);
        ok = ok && connect(s, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
        close(s);
      }
      if (ok) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    GTEST_SKIP() << "python3 http.server did not start";
  }
  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    std::filesystem::remove_all(dir_);
  }
  std::string Url(const std::string& path, const std::string& host = "127.0.0.1") {
    return "http://" + host + ":" + std::to_string(port_) + "/" + path;
  }
  // Guarded, with the test server's port allowed (else every refusal would be about the port).
  FetchGuard Guard(std::vector<std::string> allow_cidrs = {}) {
    FetchGuard g;
    g.public_only = true;
    g.allow_cidrs = std::move(allow_cidrs);
    g.allow_ports = {static_cast<uint16_t>(port_)};
    return g;
  }
  void ExpectRefused(const Result<FetchedPolicy>& r, const std::string& address,
                     const std::string& why) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput) << r.status().ToString();
    EXPECT_NE(r.status().message().find("refused " + address + " port"), std::string_view::npos)
        << r.status().ToString();
    EXPECT_NE(r.status().message().find(why), std::string_view::npos) << r.status().ToString();
  }
  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

TEST_F(FetchTest, FetchesHtml) {
  auto r = FetchPolicy(Url("policy.html"), Limits());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NE(r->body.find("手机号码"), std::string::npos);
  EXPECT_EQ(r->hint, PolicyFormatHint::kHtml);
}

TEST_F(FetchTest, NotFoundIsAnError) {
  auto r = FetchPolicy(Url("missing.html"), Limits());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("404"), std::string_view::npos);
}

TEST_F(FetchTest, SizeCap) {
  Limits limits;
  limits.max_download_bytes = 1000;
  auto r = FetchPolicy(Url("big.txt"), limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kLimitExceeded);
}

TEST_F(FetchTest, UnguardedFollowsRedirects) {
  auto r = FetchPolicy(Url("redirect?" + Url("policy.html")), Limits());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NE(r->body.find("手机号码"), std::string::npos);
  EXPECT_EQ(r->final_url, Url("policy.html"));
  auto file = FetchPolicy(Url("redirect?file:///etc/passwd"), Limits());
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), StatusCode::kInvalidInput);
  Limits one;
  one.max_redirects = 1;
  auto loop = FetchPolicy(Url("redirect?" + Url("redirect?" + Url("policy.html"))), one);
  ASSERT_FALSE(loop.ok());
  EXPECT_EQ(loop.status().code(), StatusCode::kLimitExceeded);
}

TEST_F(FetchTest, GuardRefusesLoopback) {
  ExpectRefused(FetchPolicy(Url("policy.html"), Limits(), Guard()), "127.0.0.1",
                "loopback (127.0.0.0/8)");
}

TEST_F(FetchTest, GuardRefusesOtherPorts) {
  FetchGuard g;
  g.public_only = true;
  g.allow_cidrs = {"127.0.0.2/32"};  // the address is allowed, its port is not
  ExpectRefused(FetchPolicy(Url("policy.html", "127.0.0.2"), Limits(), g), "127.0.0.2",
                "port not 80 or 443");
}

TEST_F(FetchTest, GuardRefusesLocalhost) {
  auto r = FetchPolicy(Url("policy.html", "localhost"), Limits(), Guard());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("fetch guard: refused"), std::string_view::npos)
      << r.status().ToString();
  EXPECT_NE(r.status().message().find("loopback"), std::string_view::npos);
}

TEST_F(FetchTest, GuardRefusesOtherSpellingsOfLoopback) {
  for (const char* host : {"2130706433", "0x7f.1", "0x7f000001", "0177.0.0.1", "127.1",
                           "[::ffff:127.0.0.1]", "[::ffff:7f00:1]"}) {
    auto r = FetchPolicy(Url("policy.html", host), Limits(), Guard());
    ASSERT_FALSE(r.ok()) << host;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput) << host << r.status().ToString();
    EXPECT_NE(r.status().message().find("loopback"), std::string_view::npos)
        << host << ": " << r.status().ToString();
  }
}

TEST_F(FetchTest, GuardAllowsListedRangeButNotRedirectsOutOfIt) {
  auto ok = FetchPolicy(Url("policy.html", "127.0.0.2"), Limits(), Guard({"127.0.0.2/32"}));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_NE(ok->body.find("手机号码"), std::string::npos);
  // A redirect inside the allowed range is followed ...
  auto inside = FetchPolicy(Url("redirect?" + Url("policy.html", "127.0.0.2"), "127.0.0.2"),
                            Limits(), Guard({"127.0.0.2/32"}));
  ASSERT_TRUE(inside.ok()) << inside.status().ToString();
  // ... one out of it, to 127.0.0.1 (same port, same server), is refused at the connection.
  ExpectRefused(FetchPolicy(Url("redirect?" + Url("policy.html"), "127.0.0.2"), Limits(),
                            Guard({"127.0.0.2/32"})),
                "127.0.0.1", "loopback");
  // A redirect to a short spelling of 127.0.0.1 is refused the same way.
  auto spelt = FetchPolicy(
      Url("redirect?http://2130706433:" + std::to_string(port_) + "/policy.html", "127.0.0.2"),
      Limits(), Guard({"127.0.0.2/32"}));
  ExpectRefused(spelt, "127.0.0.1", "loopback");
}

TEST_F(FetchTest, GuardRefusesCredentialsInUrls) {
  auto direct = FetchPolicy("http://user:pw@127.0.0.2:" + std::to_string(port_) + "/policy.html",
                            Limits(), Guard({"127.0.0.2/32"}));
  ASSERT_FALSE(direct.ok());
  EXPECT_NE(direct.status().message().find("user:password@"), std::string_view::npos);
  auto redirected = FetchPolicy(
      Url("redirect?http://u:p@127.0.0.2:" + std::to_string(port_) + "/policy.html", "127.0.0.2"),
      Limits(), Guard({"127.0.0.2/32"}));
  ASSERT_FALSE(redirected.ok());
  EXPECT_NE(redirected.status().message().find("a redirect"), std::string_view::npos)
      << redirected.status().ToString();
}

TEST_F(FetchTest, GuardIgnoresProxyVariables) {
  // A proxy would make the connection for us, to any address; guarded fetches never use one.
  setenv("http_proxy", "http://127.0.0.1:1", 1);
  auto r = FetchPolicy(Url("policy.html", "127.0.0.2"), Limits(), Guard({"127.0.0.2/32"}));
  auto unguarded = FetchPolicy(Url("policy.html", "127.0.0.2"), Limits());
  unsetenv("http_proxy");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(unguarded.ok()) << "the proxy variable was not in effect: the test proves nothing";
}

TEST(FetchNoServerTest, GuardRejectsBadAllowList) {
  FetchGuard g;
  g.public_only = true;
  g.allow_cidrs = {"127.0.0.300/32"};
  auto r = FetchPolicy("http://127.0.0.1/", Limits(), g);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
}

TEST(FetchNoServerTest, RejectsOtherSchemes) {
  for (const char* u : {"file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://x"}) {
    auto r = FetchPolicy(u, Limits());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  }
}

TEST(FetchNoServerTest, SilentServerTimesOut) {
  // A listening socket that never answers: the kernel completes the handshake, nobody replies.
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(s, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  ASSERT_EQ(listen(s, 4), 0);
  socklen_t len = sizeof(a);
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  Limits limits;
  limits.http_timeout_ms = 500;
  auto t0 = std::chrono::steady_clock::now();
  auto r = FetchPolicy("http://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/", limits);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  close(s);
  ASSERT_FALSE(r.ok());
  EXPECT_LT(ms, 5000);
}

}  // namespace
}  // namespace piaudit::policy
