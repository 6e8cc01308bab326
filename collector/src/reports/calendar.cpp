#include "reports/calendar.hpp"

#include <cstdio>
#include <ctime>

namespace uptake::collector {

std::int64_t utc_day(std::int64_t ts_ms) {
  std::int64_t d = ts_ms / kDayMs;
  if (ts_ms % kDayMs < 0) --d;
  return d;
}

std::int64_t monday_of(std::int64_t day) {
  // Day 0 was a Thursday: Monday is 3 days before it.
  std::int64_t since_monday = (day + 3) % 7;
  if (since_monday < 0) since_monday += 7;
  return day - since_monday;
}

std::string day_string(std::int64_t day) {
  const std::time_t t = static_cast<std::time_t>(day * 86400);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::optional<std::int64_t> parse_day(const std::string& ymd) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (ymd.size() != 10 || std::sscanf(ymd.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1970) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  const std::int64_t day = static_cast<std::int64_t>(timegm(&tm)) / 86400;
  if (day_string(day) != ymd) return std::nullopt;  // 2026-02-30 and the like
  return day;
}

}  // namespace uptake::collector
