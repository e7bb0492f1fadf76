// StopCondition: see stop.h.
#include "base/stop.h"

#include <string>

namespace piaudit {

StopCondition StopCondition::After(Clock::duration budget, const std::atomic<bool>* cancel) {
  return StopCondition(Clock::now() + budget, budget, cancel);
}

bool StopCondition::ShouldStop() const {
  if (stopped_.load(std::memory_order_relaxed)) return true;
  bool stop = IsCancelled();
  // The first call reads the clock, so a deadline already past stops the scan at its first check.
  if (!stop && has_deadline_ &&
      calls_.fetch_add(1, std::memory_order_relaxed) % kClockStride == 0) {
    stop = Clock::now() >= deadline_;
  }
  if (stop) stopped_.store(true, std::memory_order_relaxed);
  return stop;
}

namespace {

Status StopStatusImpl(std::string_view where, bool cancelled, bool expired,
                      StopCondition::Clock::duration budget) {
  const std::string at = where.empty() ? std::string() : " during " + std::string(where);
  if (cancelled) return Cancelled("scan cancelled" + at);
  if (expired) {
    std::string msg = "scan deadline";
    if (budget > StopCondition::Clock::duration::zero()) {
      msg += " of " +
             std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(budget).count()) +
             " ms";
    }
    return DeadlineExceeded(msg + " passed" + at + "; the scan was stopped and reports nothing");
  }
  return InternalError("StopStatus called" + at + " while the scan had not been stopped");
}

}  // namespace

Status StopCondition::StopStatus(std::string_view where) const {
  const bool cancelled = IsCancelled();
  const bool expired =
      has_deadline_ && (stopped_.load(std::memory_order_relaxed) || Clock::now() >= deadline_);
  return StopStatusImpl(where, cancelled, expired, budget_);
}

}  // namespace piaudit
