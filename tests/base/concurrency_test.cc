// Tests of base/concurrency.h: the pool, RunUnits and RunBeside, above all that nesting on a small
// or blocked pool never deadlocks (the caller does the work and never waits for a queued task) and
// that a helper starting after its caller returned touches nothing of the caller's. Run under
// ThreadSanitizer too (see the build notes in tests/base/CMakeLists.txt).
#include "base/concurrency.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace piaudit {
namespace {

// A gate a test opens once; tasks waiting on it block their pool thread until then.
class Gate {
 public:
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return open_; });
  }
  void Open() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// Occupies every thread of `pool` until the gate opens; returns once they all are blocked.
void BlockPool(ThreadPool& pool, Gate& gate) {
  std::atomic<size_t> blocked{0};
  for (size_t i = 0; i < pool.threads(); ++i) {
    pool.Submit([&gate, &blocked] {
      ++blocked;
      gate.Wait();
    });
  }
  while (blocked.load() < pool.threads()) std::this_thread::yield();
}

TEST(ThreadPoolTest, RunsEveryTaskAndDrainsOnDestruction) {
  std::atomic<int> ran{0};
  {
    ThreadPool pool(3);
    EXPECT_EQ(pool.threads(), 3u);
    for (int i = 0; i < 1000; ++i) pool.Submit([&ran] { ++ran; });
  }
  EXPECT_EQ(ran.load(), 1000);
}

TEST(ThreadPoolTest, ZeroThreadsRunsOnTheCaller) {
  ThreadPool pool(0);
  EXPECT_EQ(pool.threads(), 0u);
  std::thread::id ran_on;
  pool.Submit([&ran_on] { ran_on = std::this_thread::get_id(); });
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  InlineExecutor inline_executor;
  EXPECT_EQ(inline_executor.threads(), 0u);
  ran_on = std::thread::id();
  inline_executor.Submit([&ran_on] { ran_on = std::this_thread::get_id(); });
  EXPECT_EQ(ran_on, std::this_thread::get_id());
}

TEST(RunUnitsTest, RunsEachUnitExactlyOnce) {
  for (size_t pool_threads : {0, 1, 2, 4}) {
    ThreadPool pool(pool_threads);
    for (uint32_t max_threads : {0u, 1u, 2u, 3u, 8u}) {
      for (size_t units : {0, 1, 2, 7, 100, 1000}) {
        std::vector<std::atomic<int>> count(units);
        RunUnits(pool, units, max_threads, [&](size_t u) { ++count[u]; });
        for (size_t u = 0; u < units; ++u) {
          ASSERT_EQ(count[u].load(), 1) << "pool " << pool_threads << " max " << max_threads
                                        << " units " << units << " unit " << u;
        }
      }
    }
  }
}

TEST(RunUnitsTest, UsesAtMostMaxThreads) {
  ThreadPool pool(4);
  std::mutex mu;
  std::set<std::thread::id> ids;
  RunUnits(pool, 64, 3, [&](size_t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::lock_guard<std::mutex> lock(mu);
    ids.insert(std::this_thread::get_id());
  });
  EXPECT_LE(ids.size(), 3u);
  // With max_threads 1 everything runs on the caller, whatever the pool.
  ids.clear();
  RunUnits(pool, 32, 1, [&](size_t) {
    std::lock_guard<std::mutex> lock(mu);
    ids.insert(std::this_thread::get_id());
  });
  EXPECT_EQ(ids, std::set<std::thread::id>{std::this_thread::get_id()});
}

// A pool task that itself calls RunUnits on the same pool, three levels deep, on pools of one and
// two threads: with a waiting-for-queued-tasks design this hangs (every pool thread waits for
// helpers queued behind it).
TEST(RunUnitsTest, NestedOnASmallPoolDoesNotDeadlock) {
  for (size_t pool_threads : {1, 2}) {
    ThreadPool pool(pool_threads);
    std::atomic<uint64_t> leaves{0};
    RunUnits(pool, 8, 8, [&](size_t) {
      RunUnits(pool, 16, 8, [&](size_t) { RunUnits(pool, 32, 8, [&](size_t) { ++leaves; }); });
    });
    EXPECT_EQ(leaves.load(), 8u * 16u * 32u);
  }
}

// Every pool thread blocked: the caller must do all units itself and return without waiting for
// the helpers it queued; those start later, find nothing to claim, and must not call fn again.
TEST(RunUnitsTest, BlockedPoolCallerDoesTheWorkAndLateHelpersTouchNothing) {
  std::atomic<int> calls{0};
  std::thread::id caller = std::this_thread::get_id();
  std::atomic<bool> all_on_caller{true};
  {
    ThreadPool pool(2);
    Gate gate;
    BlockPool(pool, gate);
    {
      std::vector<int> slots(50, 0);  // dies before the helpers can run
      RunUnits(pool, slots.size(), 4, [&](size_t u) {
        ++calls;
        slots[u] = 1;
        if (std::this_thread::get_id() != caller) all_on_caller = false;
      });
      for (int v : slots) EXPECT_EQ(v, 1);
    }
    gate.Open();
  }  // the pool drains: the late helpers run now
  EXPECT_EQ(calls.load(), 50);
  EXPECT_TRUE(all_on_caller.load());
}

TEST(RunUnitsTest, ManyCallersShareOnePool) {
  ThreadPool pool(2);
  std::atomic<uint64_t> total{0};
  std::vector<std::thread> scans;  // stand-ins for concurrent scans of a batch worker
  for (int s = 0; s < 8; ++s) {
    scans.emplace_back([&] {
      for (int round = 0; round < 20; ++round) {
        RunUnits(pool, 10, 4, [&](size_t) { RunUnits(pool, 10, 4, [&](size_t) { ++total; }); });
      }
    });
  }
  for (std::thread& t : scans) t.join();
  EXPECT_EQ(total.load(), 8u * 20u * 100u);
}

TEST(RunUnitsTest, FirstExceptionReachesTheCallerAfterClaimedUnitsFinish) {
  ThreadPool pool(2);
  std::atomic<int> running{0};
  EXPECT_THROW(RunUnits(pool, 1000, 3,
                        [&](size_t u) {
                          ++running;
                          if (u == 5) {
                            --running;
                            throw std::runtime_error("unit 5");
                          }
                          std::this_thread::sleep_for(std::chrono::microseconds(50));
                          --running;
                        }),
               std::runtime_error);
  // Nothing still runs once RunUnits has returned.
  EXPECT_EQ(running.load(), 0);
}

TEST(RunBesideTest, RunsBothOnEveryExecutor) {
  ThreadPool pool(2);
  ThreadPool none(0);
  InlineExecutor inline_executor;
  for (Executor* e : std::initializer_list<Executor*>{&pool, &none, &inline_executor}) {
    int beside = 0, here = 0;
    RunBeside(
        *e, [&] { beside = 1; }, [&] { here = 1; });
    EXPECT_EQ(beside, 1);
    EXPECT_EQ(here, 1);
  }
}

TEST(RunBesideTest, BlockedPoolCallerRunsBesideItself) {
  std::atomic<int> beside_calls{0};
  std::thread::id beside_on;
  {
    ThreadPool pool(1);
    Gate gate;
    BlockPool(pool, gate);
    RunBeside(
        pool,
        [&] {
          ++beside_calls;
          beside_on = std::this_thread::get_id();
        },
        [] {});
    EXPECT_EQ(beside_calls.load(), 1);
    EXPECT_EQ(beside_on, std::this_thread::get_id());
    gate.Open();
  }  // the queued helper runs now, loses the claim and returns
  EXPECT_EQ(beside_calls.load(), 1);
}

TEST(RunBesideTest, NestedInsidePoolTasksDoesNotDeadlock) {
  ThreadPool pool(1);
  std::atomic<int> leaves{0};
  RunUnits(pool, 6, 4, [&](size_t) {
    RunBeside(
        pool, [&] { RunUnits(pool, 5, 4, [&](size_t) { ++leaves; }); },
        [&] { RunUnits(pool, 5, 4, [&](size_t) { ++leaves; }); });
  });
  EXPECT_EQ(leaves.load(), 6 * 10);
}

TEST(RunBesideTest, ExceptionsReachTheCaller) {
  ThreadPool pool(1);
  EXPECT_THROW(RunBeside(
                   pool, [] { throw std::runtime_error("beside"); }, [] {}),
               std::runtime_error);
  std::atomic<int> beside_calls{0};
  EXPECT_THROW(RunBeside(
                   pool, [&] { ++beside_calls; }, [] { throw std::logic_error("here"); }),
               std::logic_error);
  EXPECT_LE(beside_calls.load(), 1);
}

}  // namespace
}  // namespace piaudit
