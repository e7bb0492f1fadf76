#include "base/clock.h"

#include <ctime>

namespace piaudit {

std::string IsoUtc(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return "";
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string IsoUtcNow() { return IsoUtc(static_cast<int64_t>(std::time(nullptr))); }

}  // namespace piaudit
