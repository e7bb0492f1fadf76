// Login rate limit: failures are counted per user name and per client address; from the fifth
// failure on, each key is refused (429, Retry-After) for a delay that doubles with every further
// failure (1 s, 2 s, 4 s, ... capped at 15 min). A success clears the name's count. Kept in the
// server's memory (one server process; a restart forgets) and bounded in keys.
#ifndef PIAUDIT_SERVICE_LOGIN_LIMITER_H_
#define PIAUDIT_SERVICE_LOGIN_LIMITER_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace piaudit::service {

class LoginLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int kFreeFailures = 5;
  static constexpr int64_t kMaxDelaySeconds = 15 * 60;
  static constexpr size_t kMaxKeys = 100000;

  // Seconds to wait before `name` from `address` may try again; 0 = may try now.
  int64_t RetryAfter(const std::string& name, const std::string& address);
  void Failed(const std::string& name, const std::string& address);
  void Succeeded(const std::string& name);

 private:
  struct Entry {
    int failures = 0;
    Clock::time_point last;
  };
  int64_t WaitFor(const std::string& key, Clock::time_point now) const;
  void Count(const std::string& key, Clock::time_point now);

  std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace piaudit::service

#endif  // PIAUDIT_SERVICE_LOGIN_LIMITER_H_
