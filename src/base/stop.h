// When a scan must stop before it is done: a deadline on the steady clock, a cancellation flag the
// caller owns (a batch worker or an HTTP handler sets it when the client goes away), or both.
//
// One StopCondition per scan, made by the caller and passed by pointer (nullptr = never stop)
// through the options of every layer; all the scan's threads read it at once. Layers check it
// between phases and inside their long loops; when it fires they return StopStatus(where)
// (kDeadlineExceeded or kCancelled) and nothing else: a result cut short by a stop is never
// returned as if it were complete.
//
// ShouldStop() is meant for inner loops: the cancellation flag is one relaxed load, and the clock
// is read only on every kClockStride-th call (per condition, across threads). Once it has returned
// true it keeps returning true, so a phase boundary sees what a loop inside the phase saw.
#ifndef PIAUDIT_BASE_STOP_H_
#define PIAUDIT_BASE_STOP_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string_view>

#include "base/status.h"

namespace piaudit {

class StopCondition {
 public:
  using Clock = std::chrono::steady_clock;
  // The clock is read on every 16th call: loops call ShouldStop once per method, sentence or 1024
  // graph nodes (a few microseconds of work each), so a deadline is noticed well within a
  // millisecond while the clock costs nothing measurable.
  static constexpr uint32_t kClockStride = 16;

  // Never stops.
  StopCondition() = default;
  // Stops when `cancel` (may be null; not owned, must outlive every use) becomes true.
  explicit StopCondition(const std::atomic<bool>* cancel) : cancel_(cancel) {}
  // Stops at `deadline`, or when `cancel` (may be null) becomes true.
  explicit StopCondition(Clock::time_point deadline, const std::atomic<bool>* cancel = nullptr)
      : deadline_(deadline), has_deadline_(true), cancel_(cancel) {}
  // Stops `budget` from now (the budget is named in the error), or on `cancel`.
  static StopCondition After(Clock::duration budget, const std::atomic<bool>* cancel = nullptr);

  // Read concurrently by the scan's threads; the per-condition counter makes it neither copyable
  // nor movable (After relies on guaranteed copy elision).
  StopCondition(const StopCondition&) = delete;
  StopCondition& operator=(const StopCondition&) = delete;

  // True once the deadline has passed or the flag is set (see the file comment for the cost).
  bool ShouldStop() const;

  // The error to return once ShouldStop() was true: kCancelled when the flag is set, else
  // kDeadlineExceeded, naming `where` ("call graph", "policy: sentence categories"). kInternal
  // when neither happened (a caller bug).
  Status StopStatus(std::string_view where) const;

  bool has_deadline() const { return has_deadline_; }
  Clock::time_point deadline() const { return deadline_; }

 private:
  StopCondition(Clock::time_point deadline, Clock::duration budget, const std::atomic<bool>* cancel)
      : deadline_(deadline), has_deadline_(true), budget_(budget), cancel_(cancel) {}
  bool IsCancelled() const {
    return cancel_ != nullptr && cancel_->load(std::memory_order_relaxed);
  }

  Clock::time_point deadline_ = Clock::time_point::max();
  bool has_deadline_ = false;
  Clock::duration budget_ = Clock::duration::zero();  // for the message; zero when not known
  const std::atomic<bool>* cancel_ = nullptr;
  mutable std::atomic<uint32_t> calls_{0};
  mutable std::atomic<bool> stopped_{false};  // sticky: set by the first call that saw a stop
};

// Null-safe form for the `const StopCondition* stop` members of options structs.
inline bool ShouldStop(const StopCondition* stop) { return stop != nullptr && stop->ShouldStop(); }

}  // namespace piaudit

#endif  // PIAUDIT_BASE_STOP_H_
