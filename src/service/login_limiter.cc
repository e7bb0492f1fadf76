#include "service/login_limiter.h"

#include <algorithm>

namespace piaudit::service {

int64_t LoginLimiter::WaitFor(const std::string& key, Clock::time_point now) const {
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.failures < kFreeFailures) return 0;
  const int over = std::min(it->second.failures - kFreeFailures, 20);
  const int64_t delay = std::min<int64_t>(int64_t{1} << over, kMaxDelaySeconds);
  const int64_t passed =
      std::chrono::duration_cast<std::chrono::seconds>(now - it->second.last).count();
  return passed >= delay ? 0 : delay - passed;
}

int64_t LoginLimiter::RetryAfter(const std::string& name, const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  const Clock::time_point now = Clock::now();
  return std::max(WaitFor("n:" + name, now), WaitFor("a:" + address, now));
}

void LoginLimiter::Count(const std::string& key, Clock::time_point now) {
  if (entries_.size() >= kMaxKeys && entries_.find(key) == entries_.end()) {
    // Full: forget the entries that no longer delay anyone, or else the oldest one.
    for (auto it = entries_.begin(); it != entries_.end();) {
      it = WaitFor(it->first, now) == 0 ? entries_.erase(it) : std::next(it);
    }
    if (entries_.size() >= kMaxKeys) {
      auto oldest = std::min_element(entries_.begin(), entries_.end(), [](auto& a, auto& b) {
        return a.second.last < b.second.last;
      });
      entries_.erase(oldest);
    }
  }
  Entry& e = entries_[key];
  e.failures = std::min(e.failures + 1, 1000);
  e.last = now;
}

void LoginLimiter::Failed(const std::string& name, const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  const Clock::time_point now = Clock::now();
  Count("n:" + name, now);
  Count("a:" + address, now);
}

void LoginLimiter::Succeeded(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase("n:" + name);
}

}  // namespace piaudit::service
