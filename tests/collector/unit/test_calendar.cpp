// Days and weeks as METRICS.md counts them (reports/calendar.hpp).

#include <gtest/gtest.h>

#include <string>

#include "reports/calendar.hpp"

using namespace uptake::collector;

TEST(Calendar, UtcDayCountsWholeDaysSinceTheEpoch) {
  EXPECT_EQ(utc_day(0), 0);
  EXPECT_EQ(utc_day(kDayMs - 1), 0);
  EXPECT_EQ(utc_day(kDayMs), 1);
  EXPECT_EQ(utc_day(1'767'225'600'000), 20454);  // 2026-01-01T00:00:00Z
  EXPECT_EQ(utc_day(1'767'225'599'999), 20453);
}

TEST(Calendar, UtcDayFloorsNegativeTimes) {
  EXPECT_EQ(utc_day(-1), -1);
  EXPECT_EQ(utc_day(-kDayMs + 1), -1);
  EXPECT_EQ(utc_day(-kDayMs), -1);
  EXPECT_EQ(utc_day(-kDayMs - 1), -2);
}

TEST(Calendar, WeeksStartOnMonday) {
  // 1970-01-01 was a Thursday: its week began on Monday 1969-12-29.
  EXPECT_EQ(monday_of(0), -3);
  EXPECT_EQ(day_string(monday_of(0)), "1969-12-29");
  EXPECT_EQ(monday_of(3), -3);  // Sunday 1970-01-04 ends that week
  EXPECT_EQ(monday_of(4), 4);   // Monday 1970-01-05 starts the next
  EXPECT_EQ(monday_of(-3), -3);
  EXPECT_EQ(monday_of(-4), -10);  // Sunday 1969-12-28
}

TEST(Calendar, AMondayIsItsOwnWeeksMondayAndASundayIsSixDaysLater) {
  const std::int64_t monday = parse_day("2026-03-16").value();
  EXPECT_EQ(monday_of(monday), monday);
  EXPECT_EQ(monday_of(monday + 6), monday);  // Sunday 2026-03-22
  EXPECT_EQ(monday_of(monday - 1), monday - 7);
  EXPECT_EQ(monday_of(parse_day("2024-01-01").value()), parse_day("2024-01-01").value());
  EXPECT_EQ(day_string(monday_of(parse_day("2026-01-01").value())), "2025-12-29");
}

TEST(Calendar, EveryDayHasAMondayAtMostSixDaysBefore) {
  for (std::int64_t d = -400; d < 30'000; ++d) {
    const std::int64_t m = monday_of(d);
    ASSERT_LE(m, d);
    ASSERT_GT(m, d - 7);
    ASSERT_EQ(monday_of(m), m);
    ASSERT_EQ(monday_of(d + 7), m + 7);
  }
}

TEST(Calendar, DayStringsAreIsoDates) {
  EXPECT_EQ(day_string(0), "1970-01-01");
  EXPECT_EQ(day_string(-1), "1969-12-31");
  EXPECT_EQ(day_string(20454), "2026-01-01");
  EXPECT_EQ(day_string(11016), "2000-02-29");
  EXPECT_EQ(day_string(2'932'896), "9999-12-31");
}

TEST(Calendar, ParseDayReadsWhatDayStringWrites) {
  for (std::int64_t d = 0; d < 2'932'897; d += 97) {
    const std::string s = day_string(d);
    ASSERT_EQ(parse_day(s), d) << s;
  }
  EXPECT_EQ(parse_day("2024-02-29"), parse_day("2024-03-01").value() - 1);
  EXPECT_EQ(parse_day("2026-12-31").value() + 1, parse_day("2027-01-01").value());
}

TEST(Calendar, ParseDayRefusesDatesThatDoNotExist) {
  for (const char* bad : {"2026-02-29", "2026-02-30", "2025-02-29", "2100-02-29", "2026-04-31",
                          "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32"}) {
    EXPECT_EQ(parse_day(bad), std::nullopt) << bad;
  }
}

TEST(Calendar, ParseDayRefusesOtherShapes) {
  for (const char* bad : {"", "2026-1-01", "2026-01-1", "26-01-01", "2026/01/01", "2026-01-01x",
                          "2026-01-01 ", " 2026-01-01", "2026-1-011", "20260101", "+026-01-01",
                          "2026-01-+1", "abcd-ef-gh", "2026-01-01T00:00:00Z"}) {
    EXPECT_EQ(parse_day(bad), std::nullopt) << "'" << bad << "'";
  }
}
