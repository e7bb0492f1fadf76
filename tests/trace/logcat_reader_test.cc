// logcat in its three time formats, the lines that become richer events, and hostile lines.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "trace/collecting_sink.h"
#include "trace/internal/readers.h"
#include "trace/time.h"

namespace piaudit::trace {
namespace {

int64_t Ms(int y, unsigned mo, unsigned d, int h, int mi, int s, int ms) {
  return DaysFromCivil(y, mo, d) * 86'400'000 + ((h * 60 + mi) * 60 + s) * 1000 + ms;
}

TEST(LogcatReaderTest, YearFormat) {
  const std::string log =
      "--------- beginning of main\n"
      "2026-12-06 16:01:02.345  1234  1250 I MyTag   : hello world\r\n"
      "2026-12-06 16:01:03.000  1234  1234 D Empty:\n";
  CollectingSink sink;
  TraceFormat format;
  ASSERT_TRUE(ReadText(log, "logcat.txt", sink, &format).ok());
  EXPECT_EQ(format, TraceFormat::kLogcat);
  ASSERT_EQ(sink.events.size(), 2u);
  const CopiedEvent& e = sink.events[0];
  EXPECT_EQ(e.type, EventType::kLog);
  EXPECT_EQ(e.t_ms, Ms(2026, 12, 6, 16, 1, 2, 345));
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.name, "MyTag");
  EXPECT_EQ(e.thread, "1250");
  EXPECT_EQ(e.log_line, "hello world");
  EXPECT_EQ(sink.events[1].name, "Empty");
  EXPECT_EQ(sink.events[1].log_line, "");
  EXPECT_TRUE(sink.malformed.empty());
}

TEST(LogcatReaderTest, EpochFormatAndClockOffset) {
  const std::string log = "  1733472062.345  1234  1250 I Tag: msg\n";
  CollectingSink sink;
  ReadOptions options;
  options.clock_offset_ms = -1000;
  ASSERT_TRUE(ReadText(log, "l.txt", sink, nullptr, options).ok());
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].t_ms, 1733472062345 - 1000);
}

TEST(LogcatReaderTest, ThreadtimeTakesTheYearOfAnEarlierLineAndRollsOver) {
  const std::string log =
      "2025-12-31 23:59:59.000  1  2 I A: dated\n"
      "12-31 23:59:59.500  1  2 I A: same year\n"
      "01-01 00:00:00.100  1  2 I A: next year\n";
  CollectingSink sink;
  ASSERT_TRUE(ReadText(log, "l.txt", sink).ok());
  ASSERT_EQ(sink.events.size(), 3u);
  EXPECT_EQ(sink.events[1].t_ms, Ms(2025, 12, 31, 23, 59, 59, 500));
  EXPECT_EQ(sink.events[2].t_ms, Ms(2026, 1, 1, 0, 0, 0, 100));
}

TEST(LogcatReaderTest, ThreadtimeWithoutAYearUsesTheCurrentOne) {
  CollectingSink sink;
  ASSERT_TRUE(ReadText("12-06 16:01:02.345  1234  1250 I Tag: msg\n", "l.txt", sink).ok());
  ASSERT_EQ(sink.events.size(), 1u);
  const auto today = std::chrono::year_month_day(
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
  EXPECT_EQ(sink.events[0].t_ms, Ms(static_cast<int>(today.year()), 12, 6, 16, 1, 2, 345));
}

TEST(LogcatReaderTest, UidAndZoneColumns) {
  CollectingSink sink;
  ASSERT_TRUE(
      ReadText("2026-12-06 16:01:02.345 +0800 u0_a123  1234  1250 W Tag: m\n", "l.txt", sink).ok());
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].t_ms, Ms(2026, 12, 6, 8, 1, 2, 345));
  EXPECT_EQ(sink.events[0].thread, "1250");
}

TEST(LogcatReaderTest, WellKnownLinesBecomeRicherEvents) {
  const std::string log =
      "2026-12-06 16:01:00.000  600  700 I ActivityManager: Start proc "
      "4321:com.example.shop/u0a123 "
      "for pre-top-activity {com.example.shop/com.example.shop.SplashActivity}\n"
      "2026-12-06 16:01:00.100  600  700 I ActivityTaskManager: START u0 "
      "{act=android.intent.action.MAIN cat=[android.intent.category.LAUNCHER] flg=0x10200000 "
      "cmp=com.example.shop/.SplashActivity} from uid 10012\n"
      "2026-12-06 16:01:01.000  600  700 I ActivityTaskManager: Displayed "
      "com.example.shop/com.other.MainActivity: +512ms\n"
      "2026-12-06 16:01:02.000 4321 4321 E AndroidRuntime: FATAL EXCEPTION: main\n"
      "2026-12-06 16:01:02.000 4321 4321 E AndroidRuntime: Process: com.example.shop, PID: 4321\n"
      "2026-12-06 16:01:03.000  600  700 I SomeTag: Displayed com.x/.Y\n";
  CollectingSink sink;
  ASSERT_TRUE(ReadText(log, "l.txt", sink).ok());
  ASSERT_EQ(sink.events.size(), 6u);
  EXPECT_EQ(sink.events[0].type, EventType::kLifecycle);
  EXPECT_EQ(sink.events[0].name, "start");
  EXPECT_EQ(sink.events[0].text, "com.example.shop");
  EXPECT_EQ(sink.events[1].type, EventType::kUi);
  EXPECT_EQ(sink.events[1].activity, "com.example.shop.SplashActivity");
  EXPECT_EQ(sink.events[2].type, EventType::kUi);
  EXPECT_EQ(sink.events[2].activity, "com.other.MainActivity");
  EXPECT_EQ(sink.events[3].type, EventType::kLifecycle);
  EXPECT_EQ(sink.events[3].name, "crash");
  EXPECT_EQ(sink.events[4].type, EventType::kLog);
  EXPECT_EQ(sink.events[5].type, EventType::kLog);  // only ActivityManager says Displayed
}

TEST(LogcatReaderTest, BadAndHugeLinesAreMalformedAndReadingGoesOn) {
  std::string log = "2026-12-06 16:01:02.345  1  2 I A: first\n";
  log += "garbage that is not logcat\n";
  log += "2026-12-06 16:01:02.345  1  2 I A: " + std::string(8u << 20, 'x') + "\n";
  log += "13-45 99:01:02.345  1  2 I A: bad date\n";
  log += "2026-12-06 16:01:02.345  1  2 I A: last";  // no final newline
  CollectingSink sink;
  ASSERT_TRUE(ReadTrace(TraceFormat::kLogcat, "l.txt", ByteSpan(log), {}, sink, nullptr).ok());
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[1].log_line, "last");
  EXPECT_EQ(sink.events[1].line, 5u);
  ASSERT_EQ(sink.malformed.size(), 3u);
  EXPECT_EQ(sink.malformed[1].first, 3u);
  EXPECT_NE(sink.malformed[1].second.find("max_line_bytes"), std::string::npos);
}

TEST(LogcatReaderTest, TooManyMalformedLinesIsFatal) {
  std::string log;
  for (int i = 0; i < 20; ++i) log += "nope\n";
  ReadOptions options;
  options.limits.max_malformed = 10;
  CollectingSink sink;
  EXPECT_FALSE(
      ReadTrace(TraceFormat::kLogcat, "l.txt", ByteSpan(log), options, sink, nullptr).ok());
}

TEST(LogcatReaderTest, Sniffing) {
  using internal::LooksLikeLogcat;
  EXPECT_TRUE(LooksLikeLogcat("--------- beginning of main\n12-06 16:01:02.345  1  2 I A: x\n"));
  EXPECT_TRUE(LooksLikeLogcat("  1733472062.345  1234  1250 I Tag: msg\n"));
  EXPECT_FALSE(LooksLikeLogcat("hello\nworld\n12-06 16:01:02.345  1  2 I A: x\n"));
  EXPECT_FALSE(LooksLikeLogcat("{\"schema\":\"piaudit.trace/1\"}\n"));
  EXPECT_FALSE(LooksLikeLogcat(""));
}

// logcat prints what apps log, bytes and all: the reader keeps the message as written (the
// report layer escapes what it prints).
TEST(LogcatReaderTest, InvalidUtf8MessageIsKeptAsWritten) {
  const std::string log = "2026-12-06 16:01:02.345  1  2 I A: \xC3\x28\xFF\n";
  CollectingSink sink;
  ASSERT_TRUE(ReadTrace(TraceFormat::kLogcat, "l.txt", ByteSpan(log), {}, sink, nullptr).ok());
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].log_line, "\xC3\x28\xFF");
}

}  // namespace
}  // namespace piaudit::trace
