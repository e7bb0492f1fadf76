// ThreadPool and the claim protocols of RunUnits / RunBeside; see concurrency.h for why the caller
// never waits for a task that has not started.
#include "base/concurrency.h"

#include <system_error>

namespace piaudit {

ThreadPool::ThreadPool(size_t threads) {
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) {
    try {
      threads_.emplace_back([this] { Work(); });
    } catch (const std::system_error&) {
      break;  // the process is at its thread limit: run with the threads that did start
    }
  }
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void ThreadPool::Submit(std::function<void()> task) {
  if (threads_.empty()) {
    task();
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(task));
  }
  wake_.notify_one();
}

void ThreadPool::Work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to run
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

namespace internal {

size_t UnitBatch::RunClaimed() {
  size_t ran = 0;
  for (;;) {
    const size_t u = next_.fetch_add(1, std::memory_order_relaxed);
    if (u >= units_) return ran;
    try {
      call_(fn_, u);
      ++ran;
    } catch (...) {
      // Stop handing out units; the ones nobody claimed count as done (skipped), so the caller's
      // wait still ends.
      const size_t claimed = std::min(next_.exchange(units_, std::memory_order_relaxed), units_);
      std::lock_guard<std::mutex> lock(mu_);
      if (!error_) error_ = std::current_exception();
      return ran + 1 + (units_ - claimed);
    }
  }
}

void UnitBatch::Finish(size_t units) {
  if (units == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  done_ += units;
  if (done_ == units_) all_done_.notify_all();
}

void UnitBatch::Help() { Finish(RunClaimed()); }

void UnitBatch::Lead() {
  Finish(RunClaimed());
  std::unique_lock<std::mutex> lock(mu_);
  all_done_.wait(lock, [this] { return done_ == units_; });
  if (error_) std::rethrow_exception(error_);
}

void BesideTask::Help() {
  int expected = kFree;
  if (!claim_.compare_exchange_strong(expected, kHelper)) return;  // the caller took it
  std::exception_ptr error;
  try {
    call_(fn_);
  } catch (...) {
    error = std::current_exception();
  }
  std::lock_guard<std::mutex> lock(mu_);
  error_ = error;
  done_ = true;
  finished_.notify_all();
}

void BesideTask::Lead(bool skip) {
  int expected = kFree;
  if (claim_.compare_exchange_strong(expected, kCaller)) {
    if (!skip) call_(fn_);
    return;
  }
  std::unique_lock<std::mutex> lock(mu_);
  finished_.wait(lock, [this] { return done_; });
  if (error_ && !skip) std::rethrow_exception(error_);
}

}  // namespace internal
}  // namespace piaudit
