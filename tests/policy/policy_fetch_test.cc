// Tests for policy/policy_fetch.cc against a local server on 127.0.0.1 (python3 -m http.server
// started by the test, never the internet), plus a silent socket for the time-out.
#include "policy/policy_fetch.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
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
    port_ = FreePort();
    pid_ = fork();
    if (pid_ == 0) {
      std::string port = std::to_string(port_);
      std::string d = dir_.string();
      freopen("/dev/null", "w", stderr);
      execlp("python3", "python3", "-m", "http.server", port.c_str(), "--bind", "127.0.0.1",
             "--directory", d.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    // Wait until the server accepts connections (at most ~5 s).
    for (int i = 0; i < 100; ++i) {
      int s = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(port_);
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      bool ok = connect(s, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
      close(s);
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
  std::string Url(const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(port_) + "/" + path;
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
