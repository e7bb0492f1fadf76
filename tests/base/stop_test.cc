// Tests of base/stop.h: a deadline, a cancellation flag set from another thread, the sticky
// result, the clock stride, and the statuses a stopped scan returns.
#include "base/stop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace piaudit {
namespace {

using Clock = StopCondition::Clock;

TEST(StopConditionTest, DefaultAndNullNeverStop) {
  const StopCondition never;
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(never.ShouldStop());
  EXPECT_FALSE(ShouldStop(nullptr));
  EXPECT_FALSE(ShouldStop(&never));
  EXPECT_EQ(never.StopStatus("x").code(), StatusCode::kInternal);  // asked without a stop
}

TEST(StopConditionTest, PastDeadlineStopsAtTheFirstCheck) {
  const StopCondition past(Clock::now() - std::chrono::seconds(1));
  EXPECT_TRUE(past.ShouldStop());
  const Status s = past.StopStatus("call graph");
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded);
  EXPECT_NE(s.message().find("during call graph"), std::string_view::npos) << s.ToString();
  EXPECT_EQ(StatusCodeName(s.code()), "deadline exceeded");
}

TEST(StopConditionTest, FutureDeadlineDoesNotStop) {
  const StopCondition later = StopCondition::After(std::chrono::hours(1));
  for (uint32_t i = 0; i < 10 * StopCondition::kClockStride; ++i) EXPECT_FALSE(later.ShouldStop());
}

TEST(StopConditionTest, BudgetIsNamedInTheError) {
  const StopCondition spent = StopCondition::After(std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(spent.ShouldStop());
  const Status s = spent.StopStatus("policy: sentence categories");
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded);
  EXPECT_NE(s.message().find("deadline of 1 ms"), std::string_view::npos) << s.ToString();
}

TEST(StopConditionTest, DeadlineIsNoticedWithinOneClockStrideAndStaysNoticed) {
  const StopCondition soon(Clock::now() + std::chrono::milliseconds(20));
  EXPECT_FALSE(soon.ShouldStop());  // reads the clock: not yet
  std::this_thread::sleep_for(std::chrono::milliseconds(40));
  uint32_t calls = 1;
  while (!soon.ShouldStop()) ++calls;
  EXPECT_LE(calls, StopCondition::kClockStride);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(soon.ShouldStop());  // sticky
}

TEST(StopConditionTest, CancellationFromAnotherThread) {
  std::atomic<bool> cancel{false};
  const StopCondition stop(&cancel);
  EXPECT_FALSE(stop.ShouldStop());
  std::thread canceller([&cancel] { cancel.store(true); });
  canceller.join();
  EXPECT_TRUE(stop.ShouldStop());  // the flag is read on every call
  const Status s = stop.StopStatus("method scan");
  EXPECT_EQ(s.code(), StatusCode::kCancelled);
  EXPECT_NE(s.message().find("during method scan"), std::string_view::npos) << s.ToString();
  EXPECT_EQ(StatusCodeName(s.code()), "cancelled");
}

TEST(StopConditionTest, CancellationWinsOverAFutureDeadline) {
  std::atomic<bool> cancel{true};
  const StopCondition stop(Clock::now() + std::chrono::hours(1), &cancel);
  EXPECT_TRUE(stop.ShouldStop());
  EXPECT_EQ(stop.StopStatus("x").code(), StatusCode::kCancelled);
}

TEST(StopConditionTest, ManyThreadsReadOneCondition) {
  std::atomic<bool> cancel{false};
  const StopCondition stop(Clock::now() + std::chrono::hours(1), &cancel);
  std::atomic<int> saw_stop{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!stop.ShouldStop()) std::this_thread::yield();
      ++saw_stop;
    });
  }
  cancel.store(true);
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(saw_stop.load(), 4);
}

}  // namespace
}  // namespace piaudit
