// The working-day calendar, checked against the State Council holiday notices 2019-2026
// (shared/docs/holidays/README.md) rather than against the data files it is built from: the
// expected blocks and 调休 days below are copied from the notices' wording, so a typo in
// data/holidays/*.yaml fails here.
#include "knowledge/calendar.h"

#include <gtest/gtest.h>

#include "knowledge/knowledge_base.h"

namespace piaudit::knowledge {
namespace {

Date D(const char* s) {
  auto d = ParseDate(s);
  EXPECT_TRUE(d.ok()) << s;
  return d.ok() ? *d : Date{};
}

TEST(DateTest, ParseAndFormat) {
  EXPECT_EQ(D("2026-10-08"), (Date{2026, 10, 8}));
  EXPECT_EQ(D("2024-02-29").ToString(), "2024-02-29");
  EXPECT_FALSE(ParseDate("2023-02-29").ok());  // not a leap year
  EXPECT_FALSE(ParseDate("2026-13-01").ok());
  EXPECT_FALSE(ParseDate("2026-1-1").ok());
  EXPECT_FALSE(ParseDate("2026/01/01").ok());
  EXPECT_FALSE(ParseDate("").ok());
  EXPECT_FALSE(ParseDate("2026-01-0x").ok());
}

TEST(DateTest, Weekdays) {
  EXPECT_EQ(D("1970-01-01").Weekday(), 3);  // Thursday
  EXPECT_EQ(D("2026-01-01").Weekday(), 3);  // Thursday
  EXPECT_EQ(D("2026-01-07").Weekday(), 2);  // Wednesday
  EXPECT_EQ(D("2026-10-10").Weekday(), 5);  // Saturday
  EXPECT_EQ(D("2018-12-29").Weekday(), 5);  // Saturday (调休 for 元旦 2019)
  EXPECT_EQ(D("2000-02-29").Weekday(), 1);  // Tuesday
  for (int64_t d = -800; d < 30000; d += 37) EXPECT_EQ(Date::FromDays(d).ToDays(), d);
}

TEST(WorkCalendarTest, BuildRejectsWeekdayWorkAndDuplicates) {
  HolidayEntry wed{D("2026-01-07"), DayKind::kWork, "x", 2026, "f.yaml", 3};
  auto r = WorkCalendar::Build({wed}, D("2026-01-01"), D("2026-12-31"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().ToString().find("f.yaml:3"), std::string::npos);
  EXPECT_NE(r.status().ToString().find("Wednesday"), std::string::npos);
  HolidayEntry a{D("2026-01-01"), DayKind::kOff, "x", 2026, "f.yaml", 3};
  HolidayEntry b{D("2026-01-01"), DayKind::kOff, "x", 2026, "f.yaml", 4};
  r = WorkCalendar::Build({a, b}, D("2026-01-01"), D("2026-12-31"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().ToString().find("listed twice"), std::string::npos);
  HolidayEntry outside{D("2027-01-01"), DayKind::kOff, "x", 2026, "f.yaml", 5};
  EXPECT_FALSE(WorkCalendar::Build({outside}, D("2026-01-01"), D("2026-12-31")).ok());
}

TEST(WorkCalendarTest, EmptyCalendarErrors) {
  WorkCalendar cal;
  EXPECT_FALSE(cal.IsWorkingDay(D("2026-01-05")).ok());
}

class NoticeCalendarTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto kb = KnowledgeBase::Load(PIAUDIT_DATA_DIR, nullptr);
    ASSERT_TRUE(kb.ok()) << kb.status().ToString();
    cal_ = new WorkCalendar(kb->calendar());
  }
  static void TearDownTestSuite() {
    delete cal_;
    cal_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(cal_, nullptr); }

  static bool Working(const char* d) {
    auto r = cal_->IsWorkingDay(D(d));
    EXPECT_TRUE(r.ok()) << d << ": " << r.status().ToString();
    return r.ok() && *r;
  }
  static void ExpectRestBlock(const char* first, const char* last) {
    for (int64_t x = D(first).ToDays(); x <= D(last).ToDays(); ++x) {
      const Date d = Date::FromDays(x);
      EXPECT_FALSE(Working(d.ToString().c_str())) << d.ToString() << " should be a rest day";
    }
  }
  static Date Add(const char* d, int64_t n) {
    auto r = cal_->AddWorkingDays(D(d), n);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Date{};
  }
  static int64_t Between(const char* a, const char* b) {
    auto r = cal_->WorkingDaysBetween(D(a), D(b));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : -999;
  }
  static WorkCalendar* cal_;
};
WorkCalendar* NoticeCalendarTest::cal_ = nullptr;

// Spring Festival (春节) and National Day (国庆) blocks with their 调休 weekend working days,
// year by year, as the notices state them.
TEST_F(NoticeCalendarTest, SpringFestivalAndNationalDay) {
  struct Year {
    const char* spring_first;
    const char* spring_last;
    std::vector<const char*> spring_work;
    const char* national_first;
    const char* national_last;
    std::vector<const char*> national_work;
  };
  const Year years[] = {
      // 2019 (国办发明电〔2018〕15号): 春节 2月4日至10日, 2月2日(周六)、2月3日(周日)上班;
      // 国庆 10月1日至7日, 9月29日(周日)、10月12日(周六)上班.
      {"2019-02-04",
       "2019-02-10",
       {"2019-02-02", "2019-02-03"},
       "2019-10-01",
       "2019-10-07",
       {"2019-09-29", "2019-10-12"}},
      // 2020: 春节 1月24日至2月2日 after the COVID-19 extension (国办发明电〔2020〕1号), so the
      // original 2月1日(周六) working day is gone; 1月19日(周日)上班. 国庆中秋 10月1日至8日,
      // 9月27日(周日)、10月10日(周六)上班.
      {"2020-01-24",
       "2020-02-02",
       {"2020-01-19"},
       "2020-10-01",
       "2020-10-08",
       {"2020-09-27", "2020-10-10"}},
      // 2021: 春节 2月11日至17日, 2月7日(周日)、2月20日(周六)上班; 国庆 10月1日至7日,
      // 9月26日(周日)、10月9日(周六)上班.
      {"2021-02-11",
       "2021-02-17",
       {"2021-02-07", "2021-02-20"},
       "2021-10-01",
       "2021-10-07",
       {"2021-09-26", "2021-10-09"}},
      // 2022: 春节 1月31日至2月6日, 1月29日(周六)、1月30日(周日)上班; 国庆 10月1日至7日,
      // 10月8日(周六)、10月9日(周日)上班.
      {"2022-01-31",
       "2022-02-06",
       {"2022-01-29", "2022-01-30"},
       "2022-10-01",
       "2022-10-07",
       {"2022-10-08", "2022-10-09"}},
      // 2023: 春节 1月21日至27日, 1月28日(周六)、1月29日(周日)上班; 中秋国庆 9月29日至10月6日,
      // 10月7日(周六)、10月8日(周日)上班.
      {"2023-01-21",
       "2023-01-27",
       {"2023-01-28", "2023-01-29"},
       "2023-09-29",
       "2023-10-06",
       {"2023-10-07", "2023-10-08"}},
      // 2024: 春节 2月10日至17日, 2月4日(周日)、2月18日(周日)上班; 国庆 10月1日至7日,
      // 9月29日(周日)、10月12日(周六)上班.
      {"2024-02-10",
       "2024-02-17",
       {"2024-02-04", "2024-02-18"},
       "2024-10-01",
       "2024-10-07",
       {"2024-09-29", "2024-10-12"}},
      // 2025 (国办发明电〔2024〕12号): 春节 1月28日至2月4日, 1月26日(周日)、2月8日(周六)上班;
      // 国庆中秋 10月1日至8日, 9月28日(周日)、10月11日(周六)上班.
      {"2025-01-28",
       "2025-02-04",
       {"2025-01-26", "2025-02-08"},
       "2025-10-01",
       "2025-10-08",
       {"2025-09-28", "2025-10-11"}},
      // 2026: 春节 2月15日至23日, 2月14日(周六)、2月28日(周六)上班; 国庆 10月1日至7日,
      // 9月20日(周日)、10月10日(周六)上班.
      {"2026-02-15",
       "2026-02-23",
       {"2026-02-14", "2026-02-28"},
       "2026-10-01",
       "2026-10-07",
       {"2026-09-20", "2026-10-10"}},
  };
  for (const Year& y : years) {
    ExpectRestBlock(y.spring_first, y.spring_last);
    ExpectRestBlock(y.national_first, y.national_last);
    for (const char* w : y.spring_work) {
      EXPECT_TRUE(D(w).IsWeekend()) << w;
      EXPECT_TRUE(Working(w)) << w << " is a 调休 working day";
    }
    for (const char* w : y.national_work) {
      EXPECT_TRUE(D(w).IsWeekend()) << w;
      EXPECT_TRUE(Working(w)) << w << " is a 调休 working day";
    }
  }
  // The 2020 extension removed the originally announced 2月1日 working Saturday.
  EXPECT_FALSE(Working("2020-02-01"));
  // The covered range starts with the 2019 notice's 元旦 调休 Saturday.
  EXPECT_TRUE(Working("2018-12-29"));
  // Ordinary days: a plain Monday works, a plain Sunday rests.
  EXPECT_TRUE(Working("2026-03-02"));
  EXPECT_FALSE(Working("2026-03-01"));
}

TEST_F(NoticeCalendarTest, AddAcrossHolidays) {
  // 2026-09-30 is a Wednesday; 10-01..10-07 are off, so the 1st working day after it is
  // Thursday 10-08.
  EXPECT_EQ(Add("2026-09-30", 1), D("2026-10-08"));
  // 15 working days after 2026-09-30: 10-08, 10-09, 10-10 (调休 Saturday), 10-12..16 (5),
  // 10-19..23 (5), 10-26, 10-27 -> 2026-10-27.
  EXPECT_EQ(Add("2026-09-30", 15), D("2026-10-27"));
  // A 15-working-day deadline (T7) from Friday 2026-02-13: 02-14 (调休 Saturday) is day 1;
  // 02-15..23 are off; 02-24..27 are days 2-5; 02-28 (调休 Saturday) day 6; 03-02..06 days 7-11;
  // 03-09..12 days 12-15 -> 2026-03-12.
  EXPECT_EQ(Add("2026-02-13", 15), D("2026-03-12"));
  // Friday 2019-02-01: 02-02 (Sat) and 02-03 (Sun) are 调休 working days, then 02-04..10 off,
  // so +1 = 02-02 and +3 = Monday 02-11.
  EXPECT_EQ(Add("2019-02-01", 1), D("2019-02-02"));
  EXPECT_EQ(Add("2019-02-01", 3), D("2019-02-11"));
  // Thursday 2020-01-23: the extended 春节 block runs to 02-02, so +1 = Monday 2020-02-03.
  EXPECT_EQ(Add("2020-01-23", 1), D("2020-02-03"));
  // Tuesday 2025-09-30: 10-01..10-08 off -> Thursday 2025-10-09.
  EXPECT_EQ(Add("2025-09-30", 1), D("2025-10-09"));
  // 5 working days (T13) from Friday 2026-04-03: 04-04..06 off (清明), so 04-07..04-10 are
  // days 1-4 and Monday 04-13 is day 5.
  EXPECT_EQ(Add("2026-04-03", 5), D("2026-04-13"));
  // n = 0 is the day itself; negative counts backwards.
  EXPECT_EQ(Add("2026-10-03", 0), D("2026-10-03"));
  EXPECT_EQ(Add("2026-10-08", -1), D("2026-09-30"));
}

TEST_F(NoticeCalendarTest, BetweenCountsDaysAfterFromUpToTo) {
  EXPECT_EQ(Between("2026-09-30", "2026-10-08"), 1);
  // 10-08 (Thu), 10-09 (Fri), 10-10 (调休 Sat).
  EXPECT_EQ(Between("2026-09-30", "2026-10-10"), 3);
  EXPECT_EQ(Between("2026-09-30", "2026-09-30"), 0);
  EXPECT_EQ(Between("2026-10-10", "2026-09-30"), -3);
  EXPECT_EQ(Between("2026-09-30", "2026-10-07"), 0);
  EXPECT_EQ(Between("2026-02-13", "2026-03-12"), 15);
  // Consistency with Add over a long walk through every notice year.
  for (int64_t n : {1, 5, 15, 40, 250, 1000}) {
    auto end = cal_->AddWorkingDays(D("2019-01-02"), n);
    ASSERT_TRUE(end.ok());
    EXPECT_EQ(*cal_->WorkingDaysBetween(D("2019-01-02"), *end), n);
  }
}

TEST_F(NoticeCalendarTest, OutOfRangeIsAnError) {
  auto r = cal_->IsWorkingDay(D("2018-12-28"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().ToString().find("2018-12-29..2026-12-31"), std::string::npos)
      << r.status().ToString();
  EXPECT_FALSE(cal_->IsWorkingDay(D("2027-01-01")).ok());
  EXPECT_FALSE(cal_->AddWorkingDays(D("2026-12-30"), 5).ok());
  EXPECT_FALSE(cal_->AddWorkingDays(D("2019-01-02"), -5).ok());
  EXPECT_FALSE(cal_->WorkingDaysBetween(D("2026-12-01"), D("2027-01-05")).ok());
}

}  // namespace
}  // namespace piaudit::knowledge
