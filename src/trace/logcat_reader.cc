// `adb logcat` text: -v threadtime (the default), -v epoch and -v year, each optionally with
// -v uid and -v zone; one event per line (docs/schemas/trace-ui-formats.md).
//
// Times. -v epoch is seconds since the Unix epoch (UTC). -v threadtime and -v year print the
// device's local time, and threadtime no year at all: the reader takes both as UTC plus
// options.clock_offset_ms (so a recording from a UTC+8 device is read with -8 h), unless -v zone
// printed the offset. The year of a threadtime line is that of the last line that had one (a -v
// year or -v epoch line earlier in the file); with none in the file, the current UTC year when the
// file is read. A month that goes back by more than half a year (12-31 then 01-01) starts the next
// year.
//
// Lines that say more than a log line (ActivityManager / ActivityTaskManager and AndroidRuntime)
// become richer events instead of `log` events; log_line still holds the message:
//   "Displayed com.pkg/.Main: +512ms"           -> ui, activity "com.pkg.Main"
//   "START u0 {... cmp=com.pkg/.Main ...}"      -> ui, activity "com.pkg.Main"
//   "Start proc 1234:com.pkg/u0a123 for ..."    -> lifecycle "start", text = process "com.pkg"
//   AndroidRuntime "FATAL EXCEPTION: main"     -> lifecycle "crash"
#include <charconv>
#include <chrono>
#include <string>

#include "trace/internal/readers.h"
#include "trace/time.h"

namespace piaudit::trace::internal {
namespace {

constexpr int64_t kMsPerDay = 86'400'000;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// A cursor over one line.
struct Cursor {
  std::string_view s;
  size_t i = 0;

  bool Done() const { return i >= s.size(); }
  char Peek() const { return i < s.size() ? s[i] : '\0'; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++i;
    return true;
  }
  size_t SkipBlanks() {
    const size_t start = i;
    while (i < s.size() && IsBlank(s[i])) ++i;
    return i - start;
  }
  // Exactly `n` digits.
  bool Fixed(int n, int* out) {
    if (s.size() - i < static_cast<size_t>(n)) return false;
    int v = 0;
    for (int k = 0; k < n; ++k) {
      const char c = s[i + k];
      if (!IsDigit(c)) return false;
      v = v * 10 + (c - '0');
    }
    i += n;
    *out = v;
    return true;
  }
  // 1..max_digits digits.
  std::string_view Digits(size_t max_digits) {
    const size_t start = i;
    while (i < s.size() && IsDigit(s[i]) && i - start < max_digits) ++i;
    return s.substr(start, i - start);
  }
  std::string_view Token() {
    const size_t start = i;
    while (i < s.size() && !IsBlank(s[i])) ++i;
    return s.substr(start, i - start);
  }
};

struct LogLine {
  std::optional<int> year;  // absent for threadtime
  int month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  std::optional<int64_t> epoch_ms;        // -v epoch
  std::optional<int64_t> zone_offset_ms;  // -v zone
  std::string_view tid;
  char level = 0;
  std::string_view tag;
  std::string_view message;
};

// Milliseconds from 1..9 fraction digits.
int FractionMillis(std::string_view digits) {
  int ms = 0;
  for (size_t k = 0; k < 3; ++k) ms = ms * 10 + (k < digits.size() ? digits[k] - '0' : 0);
  return ms;
}

// "HH:MM:SS.fff" (the fraction may have 1..9 digits: -v usec / -v nsec).
bool ParseClock(Cursor& c, LogLine* out) {
  if (!c.Fixed(2, &out->hour) || !c.Eat(':') || !c.Fixed(2, &out->minute) || !c.Eat(':') ||
      !c.Fixed(2, &out->second) || !c.Eat('.')) {
    return false;
  }
  const std::string_view frac = c.Digits(9);
  if (frac.empty()) return false;
  out->millis = FractionMillis(frac);
  return out->hour < 24 && out->minute < 60 && out->second < 61;
}

bool ParseDate(int month, int day) { return month >= 1 && month <= 12 && day >= 1 && day <= 31; }

// Parses the header of one line; false when the line is not logcat.
bool ParseLine(std::string_view line, LogLine* out) {
  Cursor c{line};
  c.SkipBlanks();
  // Which time format: "YYYY-", "MM-" or epoch seconds "NNN.".
  const std::string_view lead = c.Digits(12);
  if (lead.empty()) return false;
  if (c.Peek() == '.' && lead.size() >= 1 && lead.size() <= 11) {
    ++c.i;
    const std::string_view frac = c.Digits(9);
    if (frac.empty()) return false;
    int64_t seconds = 0;
    std::from_chars(lead.data(), lead.data() + lead.size(), seconds);
    out->epoch_ms = seconds * 1000 + FractionMillis(frac);
  } else if (c.Peek() == '-' && (lead.size() == 2 || lead.size() == 4)) {
    ++c.i;
    int first = 0;
    std::from_chars(lead.data(), lead.data() + lead.size(), first);
    if (lead.size() == 4) {
      out->year = first;
      if (!c.Fixed(2, &out->month) || !c.Eat('-')) return false;
    } else {
      out->month = first;
    }
    if (!c.Fixed(2, &out->day) || !ParseDate(out->month, out->day)) return false;
    if (!c.Eat(' ')) return false;
    if (!ParseClock(c, out)) return false;
  } else {
    return false;
  }
  if (c.SkipBlanks() == 0) return false;
  // -v zone: "+0800" / "-0500".
  if ((c.Peek() == '+' || c.Peek() == '-') && c.i + 5 <= line.size()) {
    const int sign = c.Peek() == '-' ? -1 : 1;
    ++c.i;
    int hh = 0, mm = 0;
    if (!c.Fixed(2, &hh) || !c.Fixed(2, &mm) || hh > 14 || mm > 59) return false;
    out->zone_offset_ms = sign * (hh * 3600 + mm * 60) * int64_t{1000};
    if (c.SkipBlanks() == 0) return false;
  }
  // -v uid puts a uid ("u0_a123", "root", "1000") before the pid: three tokens then the level.
  Cursor probe = c;
  const std::string_view first = probe.Token();
  probe.SkipBlanks();
  const std::string_view second = probe.Token();
  probe.SkipBlanks();
  const std::string_view third = probe.Token();
  if (first.empty() || second.empty() || third.empty()) return false;
  const bool third_is_level = third.size() == 1 && !IsDigit(third[0]);
  if (third_is_level) {  // no uid
    c.Token();
    c.SkipBlanks();
  }
  if (!third_is_level) {
    c.Token();  // the uid
    c.SkipBlanks();
    c.Token();  // the pid
    c.SkipBlanks();
  }
  const std::string_view tid = c.Token();
  if (tid.empty() || tid.size() > 10) return false;
  for (char d : tid) {
    if (!IsDigit(d)) return false;
  }
  out->tid = tid;
  c.SkipBlanks();
  const char level = c.Peek();
  if (std::string_view("VDIWEFAS").find(level) == std::string_view::npos || level == '\0') {
    return false;
  }
  out->level = level;
  ++c.i;
  if (!c.Eat(' ')) return false;
  const std::string_view rest = line.substr(c.i);
  // "Tag     : message" (threadtime pads the tag to 8 columns).
  size_t colon = rest.find(": ");
  std::string_view tag;
  std::string_view message;
  if (colon == std::string_view::npos) {
    if (rest.empty() || rest.back() != ':') return false;
    tag = rest.substr(0, rest.size() - 1);
  } else {
    tag = rest.substr(0, colon);
    message = rest.substr(colon + 2);
  }
  while (!tag.empty() && IsBlank(tag.back())) tag.remove_suffix(1);
  out->tag = tag;
  out->message = message;
  return true;
}

bool IsSeparator(std::string_view line) { return line.substr(0, 10) == "--------- "; }

std::string_view TrimCr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// "com.pkg/.Main" -> "com.pkg.Main"; "com.pkg/com.other.Main" -> "com.other.Main".
std::string ActivityClass(std::string_view component) {
  const size_t slash = component.find('/');
  if (slash == std::string_view::npos) return std::string(component);
  const std::string_view pkg = component.substr(0, slash);
  const std::string_view cls = component.substr(slash + 1);
  if (!cls.empty() && cls[0] == '.') return std::string(pkg) + std::string(cls);
  return std::string(cls);
}

// The component after `prefix` up to a space, '}' or ':' (the end of "Displayed x: +1s").
std::string_view ComponentAfter(std::string_view message, std::string_view prefix) {
  const size_t at = message.find(prefix);
  if (at == std::string_view::npos) return {};
  std::string_view rest = message.substr(at + prefix.size());
  const size_t end = rest.find_first_of(" }:,");
  rest = rest.substr(0, end);
  return rest.find('/') == std::string_view::npos ? std::string_view() : rest;
}

int CurrentUtcYear() {
  const auto now = std::chrono::system_clock::now();
  const auto days = std::chrono::floor<std::chrono::days>(now);
  return static_cast<int>(std::chrono::year_month_day(days).year());
}

}  // namespace

bool LooksLikeLogcat(std::string_view head) {
  int seen = 0;
  int matched = 0;
  size_t pos = 0;
  while (pos < head.size() && seen < 10) {
    size_t end = head.find('\n', pos);
    if (end == std::string_view::npos) {
      if (seen > 0) break;  // a last line cut by the head proves nothing
      end = head.size();
    }
    const std::string_view line = TrimCr(head.substr(pos, end - pos));
    pos = end + 1;
    if (line.find_first_not_of(" \t") == std::string_view::npos || IsSeparator(line)) continue;
    ++seen;
    LogLine parsed;
    if (ParseLine(line, &parsed)) ++matched;
  }
  return matched > 0 && matched * 2 > seen;
}

Status ReadLogcat(std::string_view file, ByteSpan data, const ReadOptions& options, EventSink& sink,
                  ReadStats& stats) {
  const TraceLimits& limits = options.limits;
  const std::string_view text = data.AsStringView();
  std::optional<int> year;  // of the last line that printed one
  int last_month = 0;
  std::string activity;  // storage reused across events
  std::string process;
  uint64_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (raw.size() > limits.max_line_bytes) {
      ++stats.malformed;
      sink.OnMalformed(line_no,
                       "line of " + std::to_string(raw.size()) + " bytes is over max_line_bytes");
    } else {
      const std::string_view line = TrimCr(raw);
      if (line.find_first_not_of(" \t") == std::string_view::npos || IsSeparator(line)) continue;
      LogLine l;
      if (!ParseLine(line, &l)) {
        ++stats.malformed;
        sink.OnMalformed(line_no, "not a logcat line (threadtime, epoch or year format)");
      } else {
        Event e;
        e.line = line_no;
        int64_t ms = 0;
        if (l.epoch_ms) {
          ms = *l.epoch_ms;
          const auto days = std::chrono::sys_days(std::chrono::days(ms / kMsPerDay));
          year = static_cast<int>(std::chrono::year_month_day(days).year());
          last_month =
              static_cast<int>(static_cast<unsigned>(std::chrono::year_month_day(days).month()));
        } else {
          if (l.year) {
            year = *l.year;
          } else {
            if (!year) year = CurrentUtcYear();
            if (last_month != 0 && l.month + 6 < last_month) ++*year;  // December -> January
          }
          last_month = l.month;
          ms = DaysFromCivil(*year, l.month, l.day) * kMsPerDay +
               ((l.hour * 60 + l.minute) * 60 + l.second) * int64_t{1000} + l.millis;
          if (l.zone_offset_ms) ms -= *l.zone_offset_ms;
        }
        e.t_ms = ms + options.clock_offset_ms;
        e.thread = l.tid;
        e.log_line = l.message;
        e.name = l.tag;
        e.type = EventType::kLog;
        const bool activity_manager = l.tag == "ActivityManager" || l.tag == "ActivityTaskManager";
        if (activity_manager && l.message.substr(0, 10) == "Displayed ") {
          const std::string_view comp = ComponentAfter(l.message, "Displayed ");
          if (!comp.empty()) {
            activity = ActivityClass(comp);
            e.type = EventType::kUi;
            e.activity = activity;
          }
        } else if (activity_manager && l.message.substr(0, 6) == "START ") {
          const std::string_view comp = ComponentAfter(l.message, "cmp=");
          if (!comp.empty()) {
            activity = ActivityClass(comp);
            e.type = EventType::kUi;
            e.activity = activity;
          }
        } else if (activity_manager && l.message.substr(0, 11) == "Start proc ") {
          // "Start proc 1234:com.pkg/u0a123 for ..." (older: "Start proc com.pkg for ...").
          std::string_view rest = l.message.substr(11);
          rest = rest.substr(0, rest.find(' '));
          const size_t colon = rest.find(':');
          if (colon != std::string_view::npos) rest = rest.substr(colon + 1);
          rest = rest.substr(0, rest.find('/'));
          process.assign(rest);
          e.type = EventType::kLifecycle;
          e.name = "start";
          e.text = process;
        } else if (l.tag == "AndroidRuntime" && l.message.substr(0, 15) == "FATAL EXCEPTION") {
          e.type = EventType::kLifecycle;
          e.name = "crash";
        }
        e.type_name = EventTypeName(e.type);
        if (stats.events >= limits.max_events) {
          return LimitExceeded("more than max_events " + std::to_string(limits.max_events) +
                               " events")
              .At(file, "line " + std::to_string(line_no), end - raw.size());
        }
        sink.OnEvent(e);
        ++stats.events;
      }
    }
    if (stats.malformed > limits.max_malformed) {
      return InvalidInput("more than max_malformed " + std::to_string(limits.max_malformed) +
                          " lines that are not logcat: not a logcat file")
          .At(file, "line " + std::to_string(line_no), end - raw.size());
    }
  }
  return Status::Ok();
}

}  // namespace piaudit::trace::internal
