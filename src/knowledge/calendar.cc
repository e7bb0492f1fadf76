// Working-day arithmetic over a bitmap of the covered days plus a prefix sum, so IsWorkingDay is
// one lookup and WorkingDaysBetween two; AddWorkingDays walks day by day (at most a few hundred
// steps for the deadlines the rules use: 5, 15, 40 working days).
#include "knowledge/calendar.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace piaudit::knowledge {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days (public domain), exact for all int years.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

}  // namespace

int64_t Date::ToDays() const { return DaysFromCivil(year, month, day); }

Date Date::FromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

int Date::Weekday() const {
  // 1970-01-01 was a Thursday (ISO index 3).
  const int64_t days = ToDays();
  return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

std::string Date::ToString() const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

Result<Date> ParseDate(std::string_view text) {
  auto bad = [&](const char* why) {
    return InvalidInput("bad date '" + std::string(text) + "': " + why + " (expected YYYY-MM-DD)");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad("wrong shape");
  int parts[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8};
  const size_t lens[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (size_t k = 0; k < lens[i]; ++k) {
      const char c = text[starts[i] + k];
      if (c < '0' || c > '9') return bad("not a digit");
      parts[i] = parts[i] * 10 + (c - '0');
    }
  }
  if (parts[1] < 1 || parts[1] > 12) return bad("month out of 1..12");
  if (parts[2] < 1 || parts[2] > DaysInMonth(parts[0], parts[1])) return bad("no such day");
  return Date{parts[0], parts[1], parts[2]};
}

Result<WorkCalendar> WorkCalendar::Build(std::vector<HolidayEntry> entries, Date first, Date last) {
  if (last < first) {
    return InvalidInput("calendar range " + first.ToString() + ".." + last.ToString() +
                        " is empty");
  }
  WorkCalendar cal;
  cal.first_ = first;
  cal.last_ = last;
  cal.first_days_ = first.ToDays();
  const int64_t n = last.ToDays() - cal.first_days_ + 1;
  cal.working_.resize(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    cal.working_[i] = Date::FromDays(cal.first_days_ + i).IsWeekend() ? 0 : 1;
  }
  std::map<int64_t, const HolidayEntry*> seen;
  for (const HolidayEntry& e : entries) {
    auto where = [&e] { return e.file + ":" + std::to_string(e.line); };
    const int64_t d = e.date.ToDays();
    if (e.date < first || e.date > last) {
      return InvalidInput("holiday " + e.date.ToString() + " is outside the covered range " +
                          first.ToString() + ".." + last.ToString())
          .InFile(where());
    }
    if (auto it = seen.find(d); it != seen.end()) {
      return InvalidInput("date " + e.date.ToString() + " listed twice (first at " +
                          it->second->file + ":" + std::to_string(it->second->line) + ")")
          .InFile(where());
    }
    seen[d] = &e;
    if (e.kind == DayKind::kWork && !e.date.IsWeekend()) {
      static const char* kNames[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"};
      return InvalidInput("'work' day " + e.date.ToString() + " is a " + kNames[e.date.Weekday()] +
                          "; only a Saturday or Sunday can be a 调休 working day")
          .InFile(where());
    }
    cal.working_[d - cal.first_days_] = e.kind == DayKind::kWork ? 1 : 0;
  }
  cal.prefix_.resize(static_cast<size_t>(n) + 1);
  for (int64_t i = 0; i < n; ++i) cal.prefix_[i + 1] = cal.prefix_[i] + cal.working_[i];
  std::sort(entries.begin(), entries.end(),
            [](const HolidayEntry& a, const HolidayEntry& b) { return a.date < b.date; });
  cal.entries_ = std::move(entries);
  return cal;
}

Status WorkCalendar::CheckCovered(Date d) const {
  if (working_.empty()) return NotFound("the working-day calendar is empty");
  if (!Covers(d)) {
    return NotFound("date " + d.ToString() + " is outside the holiday notices in the knowledge " +
                    "base (" + first_.ToString() + ".." + last_.ToString() +
                    "); add the notice for that year to data/holidays/");
  }
  return Status::Ok();
}

bool WorkCalendar::IsWorkingUnchecked(int64_t days) const {
  return working_[static_cast<size_t>(days - first_days_)] != 0;
}

Result<bool> WorkCalendar::IsWorkingDay(Date d) const {
  RETURN_IF_ERROR(CheckCovered(d));
  return IsWorkingUnchecked(d.ToDays());
}

Result<Date> WorkCalendar::AddWorkingDays(Date d, int64_t n) const {
  RETURN_IF_ERROR(CheckCovered(d));
  int64_t days = d.ToDays();
  const int64_t step = n >= 0 ? 1 : -1;
  int64_t remaining = n >= 0 ? n : -n;
  const int64_t lo = first_days_;
  const int64_t hi = first_days_ + static_cast<int64_t>(working_.size()) - 1;
  while (remaining > 0) {
    days += step;
    if (days < lo || days > hi) {
      return NotFound(d.ToString() + (n >= 0 ? " + " : " - ") + std::to_string(n >= 0 ? n : -n) +
                      " working days leaves the holiday notices in the knowledge base (" +
                      first_.ToString() + ".." + last_.ToString() + ")");
    }
    if (IsWorkingUnchecked(days)) --remaining;
  }
  return Date::FromDays(days);
}

Result<int64_t> WorkCalendar::WorkingDaysBetween(Date from, Date to) const {
  RETURN_IF_ERROR(CheckCovered(from));
  RETURN_IF_ERROR(CheckCovered(to));
  const int64_t a = from.ToDays() - first_days_;
  const int64_t b = to.ToDays() - first_days_;
  // Working days in (a, b] = prefix[b + 1] - prefix[a + 1].
  return prefix_[static_cast<size_t>(b) + 1] - prefix_[static_cast<size_t>(a) + 1];
}

}  // namespace piaudit::knowledge
