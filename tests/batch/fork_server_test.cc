// The fork server with real processes: a child inherits what the worker loaded before Start, exits
// with the body's code and error line, crashes and hangs are named and killed, the address-space
// limit holds, one server runs many children in turn, and a process with threads is refused.
#include "batch/fork_server.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <new>
#include <string>
#include <thread>
#include <vector>

namespace piaudit::batch {
namespace {

// Set before Start(): the children must see it without loading anything (copy-on-write).
std::string g_loaded;

int Body(const std::vector<std::string>& args) {
  const std::string& what = args.at(0);
  if (what == "echo") {
    std::fprintf(stderr, "first line\n%s %s\n", g_loaded.c_str(), args.at(1).c_str());
    return std::stoi(args.at(2));
  }
  if (what == "crash") raise(SIGSEGV);
  if (what == "hang") std::this_thread::sleep_for(std::chrono::seconds(60));
  if (what == "allocate") {
    std::vector<std::vector<char>> hold;
    for (int i = 0; i < 64; ++i) hold.emplace_back(64u << 20, 'x');  // 4 GiB
    return 0;
  }
  return 99;
}

class ForkServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = (std::filesystem::temp_directory_path() /
            ("piaudit_fork_server_test_" + std::to_string(getpid()) + ".log"))
               .string();
    g_loaded = "knowledge-base-loaded";
    Result<std::unique_ptr<ForkServer>> server = ForkServer::Start(Body);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove(log_);
  }
  Result<ChildOutcome> Run(const std::vector<std::string>& args, const ChildLimits& limits = {},
                           const std::function<void()>& tick = nullptr) {
    return server_->Run(args, limits, log_, 0.05, tick);
  }
  std::unique_ptr<ForkServer> server_;
  std::string log_;
};

TEST_F(ForkServerTest, ChildInheritsWhatWasLoadedAndExitsWithTheBodysCode) {
  Result<ChildOutcome> r = Run({"echo", "x.apk", "3"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->exited);
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->stderr_tail, "knowledge-base-loaded x.apk");
}

TEST_F(ForkServerTest, OneServerRunsManyChildrenInTurn) {
  for (int i = 0; i < 20; ++i) {
    Result<ChildOutcome> r = Run({"echo", "app" + std::to_string(i), std::to_string(i % 4)});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->exit_code, i % 4);
    EXPECT_EQ(r->stderr_tail, "knowledge-base-loaded app" + std::to_string(i));
  }
}

TEST_F(ForkServerTest, CrashIsNamedAndTheServerGoesOn) {
  Result<ChildOutcome> r = Run({"crash"});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->exited);
  EXPECT_EQ(r->signal, SIGSEGV);
  EXPECT_EQ(r->Describe({}), "killed by SIGSEGV");
  Result<ChildOutcome> next = Run({"echo", "after", "0"});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->exit_code, 0);
}

TEST_F(ForkServerTest, WallDeadlineKillsAHangAndTicksRun) {
  ChildLimits limits;
  limits.wall_seconds = 0.3;
  int ticks = 0;
  Result<ChildOutcome> r = Run({"hang"}, limits, [&] { ++ticks; });
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->wall_deadline_hit);
  EXPECT_LT(r->wall_ms, 10000);
  EXPECT_GE(ticks, 2);
  Result<ChildOutcome> next = Run({"echo", "after", "1"});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->exit_code, 1);
}

TEST_F(ForkServerTest, AStoppedServerDoesNotHoldTheWorker) {
  ChildLimits limits;
  limits.wall_seconds = 0.3;
  std::thread stopper([pid = server_->server_pid()] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    kill(pid, SIGSTOP);
  });
  Result<ChildOutcome> r = Run({"hang"}, limits);
  stopper.join();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->wall_deadline_hit);
  EXPECT_TRUE(server_->broken());
  EXPECT_FALSE(Run({"echo", "after", "0"}).ok());
}

TEST_F(ForkServerTest, AddressSpaceLimitStopsABomb) {
  ChildLimits limits;
  limits.address_space_bytes = 1ull << 30;
  Result<ChildOutcome> r = Run({"allocate"}, limits);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->exited && r->exit_code == 0) << "4 GiB allocated under a 1 GiB limit";
}

TEST(ForkServerStart, RefusedWhenTheProcessHasThreads) {
  std::atomic<bool> stop{false};
  std::thread other([&] {
    while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  });
  Result<std::unique_ptr<ForkServer>> server = ForkServer::Start(Body);
  stop = true;
  other.join();
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), StatusCode::kUnsupported);
}

}  // namespace
}  // namespace piaudit::batch
