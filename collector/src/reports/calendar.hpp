#pragma once
// Days and weeks as METRICS.md counts them: UTC calendar days, weeks from Monday 00:00 UTC.

#include <cstdint>
#include <optional>
#include <string>

namespace uptake::collector {

inline constexpr std::int64_t kDayMs = 86'400'000;

/// The UTC day (days since 1970-01-01) holding `ts_ms`.
std::int64_t utc_day(std::int64_t ts_ms);
/// The Monday of the week holding `day` (1970-01-01 was a Thursday).
std::int64_t monday_of(std::int64_t day);
/// "YYYY-MM-DD" for a day number, and back (nullopt when not a valid date).
std::string day_string(std::int64_t day);
std::optional<std::int64_t> parse_day(const std::string& ymd);

}  // namespace uptake::collector
