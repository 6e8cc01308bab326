#pragma once
// A computed report (METRICS.md): figure fields and named tables, rendered as JSON or CSV.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace uptake::collector {

using ReportValue = std::variant<std::int64_t, double, std::string>;

struct ReportTable {
  std::string name;
  std::vector<std::string> columns;
  std::vector<std::vector<ReportValue>> rows;
};

struct Report {
  std::vector<std::pair<std::string, ReportValue>> fields;
  std::vector<ReportTable> tables;
  /// The table CSV gives; empty means CSV gives the fields as one row.
  std::string csv_table;
};

/// What a report is asked for. Days are UTC days since the epoch, both inclusive.
struct ReportRequest {
  std::string app;
  std::string name;
  std::int64_t from_day = 0;
  std::int64_t to_day = 0;
  std::string feature;            // funnel
  std::int64_t adopted_days = 3;  // funnel
  std::string month;              // product-adoption, YYYY-MM
};

inline constexpr std::int64_t kDayMs = 86'400'000;

/// The report names of PROTOCOL.md.
bool is_report_name(const std::string& name);
/// Every report name, comma separated (for error messages and usage texts).
std::string_view report_names();

/// Builds a request from query parameters (from, to, feature, adopted_days, month), with
/// METRICS.md defaults (the last 30 days up to `today_day`). Returns an error sentence on
/// bad input.
std::optional<std::string> parse_report_request(ReportRequest& out,
                                                const std::optional<std::string>& from,
                                                const std::optional<std::string>& to,
                                                const std::optional<std::string>& feature,
                                                const std::optional<std::string>& adopted_days,
                                                const std::optional<std::string>& month,
                                                std::int64_t today_day);

/// "YYYY-MM-DD" for a day number, and back (nullopt when not a valid date).
std::string day_string(std::int64_t day);
std::optional<std::int64_t> parse_day(const std::string& ymd);

/// Nearest-rank percentile of sorted values (METRICS.md); 0 for no values.
std::int64_t nearest_rank(const std::vector<std::int64_t>& sorted, double p);
/// a / b, or 0 when b is 0.
double ratio(double a, double b);

std::string render_json(const Report& report, const ReportRequest& request);
std::string render_csv(const Report& report);
/// A fixed-width table for people at a terminal (the CLI).
std::string render_text(const Report& report, const ReportRequest& request);

}  // namespace uptake::collector
