// Times in recordings: RFC 3339 / ISO 8601 text to milliseconds since the Unix epoch (UTC).
#ifndef PIAUDIT_TRACE_TIME_H_
#define PIAUDIT_TRACE_TIME_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace piaudit::trace {

// "2026-12-06T08:01:02.345Z", "2026-12-06T16:01:02+08:00", "2026-12-06 08:01:02" (no zone: UTC),
// any number of fraction digits (milliseconds kept, the rest dropped). nullopt for anything else,
// including out-of-range fields (month 13, hour 25) and years outside 1970..9999.
std::optional<int64_t> ParseRfc3339Ms(std::string_view text);

// Days since 1970-01-01 of a proleptic Gregorian date (month 1..12); no range checks.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);

// "2026-12-06T08:01:02.345Z".
std::string FormatRfc3339Ms(int64_t ms);

}  // namespace piaudit::trace

#endif  // PIAUDIT_TRACE_TIME_H_
