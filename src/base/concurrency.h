// Where the libraries' parallel work runs, and the two shapes it takes: two different pieces of
// work at once (RunBeside), and one piece of work split into units (RunUnits).
//
// An Executor is given by the caller: a batch worker or a service keeps one ThreadPool for the
// whole process and hands it to every scan, so the caller decides how many threads there are and
// a thousand concurrent scans do not start a thousand sets of threads. A thread that cannot be
// started (the process is at its limit) only makes the pool smaller: slower, never a crash.
//
// Deadlock freedom under nesting. A pool task may itself call RunUnits or RunBeside (a scan that
// runs on the pool splits its call-graph work over the same pool). So the thread that calls them
// always does the work itself and never waits for a task that has not started:
//   RunUnits  units are claimed from an atomic counter, by the caller and by helper tasks submitted
//             to the executor; a helper that starts after every unit is claimed returns at once;
//             the caller waits only for the units running helpers have claimed.
//   RunBeside `beside` is claimed by compare-and-swap: by the helper task when it starts, or by
//             the caller when `here` is done first, which then runs it itself.
// Every wait is therefore for work already running on another thread, which (by the same rule,
// one level down) never waits for queued work: no cycle, whatever the pool size.
//
// The state the helpers share lives in a reference-counted block, so a helper that starts after
// its caller returned touches only that block, never the caller's stack.
#ifndef PIAUDIT_BASE_CONCURRENCY_H_
#define PIAUDIT_BASE_CONCURRENCY_H_

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace piaudit {

// Runs tasks. Tasks must not throw (RunUnits and RunBeside carry exceptions back to their caller
// themselves) and must not block waiting for other submitted tasks.
class Executor {
 public:
  virtual ~Executor() = default;
  // Runs `task` once: later on one of the executor's threads, or before returning when the
  // executor has none (threads() == 0).
  virtual void Submit(std::function<void()> task) = 0;
  // How many submitted tasks can run at once beside the caller; 0 = everything runs on the caller.
  virtual size_t threads() const = 0;
};

// Runs everything on the calling thread: the executor of a caller that wants no threads.
class InlineExecutor final : public Executor {
 public:
  void Submit(std::function<void()> task) override { task(); }
  size_t threads() const override { return 0; }
};

// A fixed set of threads started once and joined on destruction, fed from one FIFO queue; meant to
// be shared by many scans. ThreadPool(0), or a pool none of whose threads could start, runs every
// task on the caller, inside Submit.
class ThreadPool final : public Executor {
 public:
  explicit ThreadPool(size_t threads);
  // Runs what is still queued, then joins the threads.
  ~ThreadPool() override;
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void Submit(std::function<void()> task) override;
  size_t threads() const override { return threads_.size(); }

 private:
  void Work();

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> threads_;         // fixed after the constructor
};

namespace internal {

// The shared block of one RunUnits call (see the file comment).
class UnitBatch {
 public:
  using Call = void (*)(void* fn, size_t unit);
  UnitBatch(size_t units, Call call, void* fn) : units_(units), call_(call), fn_(fn) {}
  // A helper task: runs units while there are unclaimed ones.
  void Help();
  // The caller: runs units while there are unclaimed ones, then waits until every claimed unit is
  // done; rethrows the first exception a unit threw.
  void Lead();

 private:
  // Claims and runs units; returns how many this thread ran (or gave up after an exception).
  size_t RunClaimed();
  void Finish(size_t units);

  const size_t units_;
  const Call call_;
  void* const fn_;  // valid while done_ < units_ (the caller is waiting in Lead)
  std::atomic<size_t> next_{0};
  std::mutex mu_;
  std::condition_variable all_done_;
  size_t done_ = 0;           // guarded by mu_
  std::exception_ptr error_;  // guarded by mu_
};

// The shared block of one RunBeside call.
class BesideTask {
 public:
  using Call = void (*)(void* fn);
  BesideTask(Call call, void* fn) : call_(call), fn_(fn) {}
  // The helper task: runs `beside` unless the caller claimed it first.
  void Help();
  // The caller, after `here`: runs `beside` itself when no helper claimed it, else waits for the
  // helper; rethrows what `beside` threw. With skip, claims it without running it (here threw).
  void Lead(bool skip);

 private:
  enum : int { kFree, kHelper, kCaller };
  const Call call_;
  void* const fn_;  // valid until Lead returns
  std::atomic<int> claim_{kFree};
  std::mutex mu_;
  std::condition_variable finished_;
  bool done_ = false;         // guarded by mu_
  std::exception_ptr error_;  // guarded by mu_
};

template <typename F>
void CallUnit(void* fn, size_t unit) {
  (*static_cast<F*>(fn))(unit);
}
template <typename F>
void CallOnce(void* fn) {
  (*static_cast<F*>(fn))();
}
template <typename F>
void* Erase(F& fn) {
  return const_cast<void*>(static_cast<const void*>(std::addressof(fn)));
}

}  // namespace internal

// Runs fn(u) for every unit u in [0, units), each exactly once, on at most `max_threads` threads:
// the calling thread and up to max_threads - 1 helper tasks on `executor`. Which thread runs which
// unit depends on timing, so results should land in per-unit slots and be merged in unit order.
// Returns when every unit is done. If fn throws, units not yet claimed are skipped and the first
// exception is rethrown here once the claimed units are done.
template <typename Fn>
void RunUnits(Executor& executor, size_t units, uint32_t max_threads, Fn&& fn) {
  using F = std::remove_reference_t<Fn>;
  size_t helpers = std::max<uint32_t>(max_threads, 1) - 1;
  helpers = std::min({helpers, executor.threads(), units > 0 ? units - 1 : 0});
  if (helpers == 0) {
    for (size_t u = 0; u < units; ++u) fn(u);
    return;
  }
  auto batch =
      std::make_shared<internal::UnitBatch>(units, &internal::CallUnit<F>, internal::Erase(fn));
  for (size_t i = 0; i < helpers; ++i) {
    try {
      executor.Submit([batch] { batch->Help(); });
    } catch (const std::exception&) {
      break;  // no memory for the task: the caller does the work
    }
  }
  batch->Lead();
}

// Runs `beside` as a task on `executor` while the calling thread runs `here`, and returns when both
// are done. When no executor thread has started `beside` by the time `here` returns, the caller
// runs it itself; on an executor without threads the caller runs `beside`, then `here`.
// Exceptions: `here`'s first (then `beside` is skipped if not started), else `beside`'s.
template <typename Beside, typename Here>
void RunBeside(Executor& executor, Beside&& beside, Here&& here) {
  using B = std::remove_reference_t<Beside>;
  if (executor.threads() == 0) {
    beside();
    here();
    return;
  }
  auto task =
      std::make_shared<internal::BesideTask>(&internal::CallOnce<B>, internal::Erase(beside));
  try {
    executor.Submit([task] { task->Help(); });
  } catch (const std::exception&) {
    // Not queued: Lead below finds `beside` unclaimed and runs it.
  }
  try {
    here();
  } catch (...) {
    task->Lead(/*skip=*/true);
    throw;
  }
  task->Lead(/*skip=*/false);
}

}  // namespace piaudit

#endif  // PIAUDIT_BASE_CONCURRENCY_H_
