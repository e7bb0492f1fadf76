// The child-process runner with real processes (/bin/sh): exit codes and the error line, signals,
// the wall deadline, the address-space and CPU-time limits, and the tick a worker renews its
// lease in.
#include "batch/child_process.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace piaudit::batch {
namespace {

class ChildProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = (std::filesystem::temp_directory_path() /
            ("piaudit_child_test_" + std::to_string(getpid()) + ".log"))
               .string();
  }
  void TearDown() override { std::filesystem::remove(log_); }
  Result<ChildOutcome> Sh(const std::string& script, const ChildLimits& limits = {},
                          const std::function<void()>& tick = nullptr) {
    return RunChild({"/bin/sh", "-c", script}, limits, log_, 0.05, tick);
  }
  std::string log_;
};

TEST_F(ChildProcessTest, ExitCodeAndLastErrorLine) {
  Result<ChildOutcome> r = Sh("echo first >&2; echo 'piaudit scan: x.apk: not a zip' >&2; exit 3");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->exited);
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->stderr_tail, "piaudit scan: x.apk: not a zip");
  EXPECT_EQ(r->Describe({}), "exit 3: piaudit scan: x.apk: not a zip");
}

TEST_F(ChildProcessTest, CrashIsNamed) {
  Result<ChildOutcome> r = Sh("kill -SEGV $$");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->exited);
  EXPECT_EQ(r->Describe({}), "killed by SIGSEGV");
}

TEST_F(ChildProcessTest, WallDeadlineKillsAHang) {
  ChildLimits limits;
  limits.wall_seconds = 0.3;
  int ticks = 0;
  Result<ChildOutcome> r = Sh("sleep 30", limits, [&] { ++ticks; });
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->wall_deadline_hit);
  EXPECT_LT(r->wall_ms, 5000);
  EXPECT_GE(ticks, 2);  // every 50 ms for 300 ms
  EXPECT_NE(r->Describe(limits).find("wall deadline"), std::string::npos);
}

TEST_F(ChildProcessTest, CpuLimitEndsABusyLoop) {
  ChildLimits limits;
  limits.cpu_seconds = 1;
  limits.wall_seconds = 20;
  Result<ChildOutcome> r = Sh("while :; do :; done", limits);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->exited);
  EXPECT_FALSE(r->wall_deadline_hit);
  EXPECT_NE(r->Describe(limits).find("CPU-time limit 1 s"), std::string::npos)
      << r->Describe(limits);
}

TEST_F(ChildProcessTest, AddressSpaceLimitRefusesABigAllocation) {
  ChildLimits limits;
  limits.address_space_bytes = 64ull << 20;
  // A 256 MB string in the shell: refused under 64 MB of address space.
  Result<ChildOutcome> r = Sh("x=$(head -c 268435456 /dev/zero | tr '\\0' a); echo ${#x}", limits);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->exited && r->exit_code == 0) << r->Describe(limits);
}

TEST_F(ChildProcessTest, MissingProgramIsAFailedChildNotACrash) {
  Result<ChildOutcome> r = RunChild({"/nonexistent/piaudit"}, {}, log_, 1, nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->exited);
  EXPECT_EQ(r->exit_code, 127);
  EXPECT_NE(r->stderr_tail.find("cannot start"), std::string::npos);
}

}  // namespace
}  // namespace piaudit::batch
