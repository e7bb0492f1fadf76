// Timestamps in the one form records and reports carry: ISO 8601 UTC with seconds.
#ifndef PIAUDIT_BASE_CLOCK_H_
#define PIAUDIT_BASE_CLOCK_H_

#include <cstdint>
#include <string>

namespace piaudit {

// "2026-12-06T22:36:05Z"; "" when the time cannot be broken down.
std::string IsoUtc(int64_t unix_seconds);
// IsoUtc of the wall clock now.
std::string IsoUtcNow();

}  // namespace piaudit

#endif  // PIAUDIT_BASE_CLOCK_H_
