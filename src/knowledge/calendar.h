// China's working-day calendar (工作日), built from the State Council holiday notices in
// data/holidays/cn-YYYY.yaml.
//
// Rule (timing-rules.md §8, holidays/README.md): a date is a working day if it is listed `work`
// (a 调休 Saturday/Sunday), or if it is Monday-Friday and not listed `off`. Every other date is a
// rest day. Only the years the notices cover are known: from the earliest listed date of the
// first notice year (2018-12-29 for the 2019 notice) to 12-31 of the last notice year. Outside
// that range every function fails with kNotFound instead of guessing, because a missing notice
// silently turns a holiday into a working day.
//
// Counting convention (not stated in the regulations; chosen and documented here): the day of
// the event (receipt of a request, a rectification order) is day 0 and is never counted. The
// deadline "within N working days" is the end of AddWorkingDays(event, N).
#ifndef PIAUDIT_KNOWLEDGE_CALENDAR_H_
#define PIAUDIT_KNOWLEDGE_CALENDAR_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace piaudit::knowledge {

// A proleptic Gregorian calendar date.
struct Date {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31

  // Days since 1970-01-01 (negative before).
  int64_t ToDays() const;
  static Date FromDays(int64_t days);
  // 0 = Monday ... 6 = Sunday (ISO order).
  int Weekday() const;
  bool IsWeekend() const { return Weekday() >= 5; }
  std::string ToString() const;  // "YYYY-MM-DD"

  friend bool operator==(const Date&, const Date&) = default;
  friend auto operator<=>(const Date&, const Date&) = default;
};

// Parses exactly "YYYY-MM-DD" and checks the day exists (2023-02-29 fails).
Result<Date> ParseDate(std::string_view text);

enum class DayKind : uint8_t { kOff, kWork };

struct HolidayEntry {
  Date date;
  DayKind kind = DayKind::kOff;
  std::string name;  // 春节, 调休上班 (春节), ...
  int notice_year = 0;
  std::string file;  // for messages
  int line = 0;
};

class WorkCalendar {
 public:
  WorkCalendar() = default;

  // Builds the calendar. `first` and `last` bound the covered range (inclusive). Fails when a
  // `work` entry is Monday-Friday (it would be meaningless: a typo), a date is listed twice, or
  // an entry is outside [first, last]. Messages name the entry's file and line.
  static Result<WorkCalendar> Build(std::vector<HolidayEntry> entries, Date first, Date last);

  Date first() const { return first_; }
  Date last() const { return last_; }
  bool Covers(Date d) const { return d >= first_ && d <= last_; }
  const std::vector<HolidayEntry>& entries() const { return entries_; }

  Result<bool> IsWorkingDay(Date d) const;
  // The n-th working day after d (n > 0), the n-th before d (n < 0), d itself for n == 0.
  // Example: 2026-09-30 + 1 = 2026-10-08 (10-01..07 off); fails when the walk leaves the range.
  Result<Date> AddWorkingDays(Date d, int64_t n) const;
  // Number of working days in (from, to]: after `from`, up to and including `to`. Negative (the
  // count in (to, from]) when to < from; 0 when equal. So AddWorkingDays(from, result) <= to.
  Result<int64_t> WorkingDaysBetween(Date from, Date to) const;

 private:
  Status CheckCovered(Date d) const;
  bool IsWorkingUnchecked(int64_t days) const;

  Date first_;
  Date last_;
  int64_t first_days_ = 0;
  // One byte per covered day: 1 = working. Indexed by ToDays() - first_days_.
  std::vector<uint8_t> working_;
  // prefix_[i] = working days in [first, first + i).
  std::vector<int64_t> prefix_;
  std::vector<HolidayEntry> entries_;
};

}  // namespace piaudit::knowledge

#endif  // PIAUDIT_KNOWLEDGE_CALENDAR_H_
