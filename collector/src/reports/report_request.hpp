#pragma once
// What a report is asked for (PROTOCOL.md `GET /v1/reports/{name}`): the report, its window,
// its own parameters and the segment of persons it is restricted to.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uptake::collector {

/// A set of persons (METRICS.md "Segments"); a person must match every condition given.
struct Segment {
  std::optional<std::string> account;                 // account=A
  std::optional<std::string> version;                 // version=V
  std::map<std::string, std::string> traits;          // trait.K=V
  std::map<std::string, std::string> account_traits;  // account_trait.K=V
  [[nodiscard]] bool empty() const {
    return !account && !version && traits.empty() && account_traits.empty();
  }
};

enum class Interval { day, week };

struct ReportRequest {
  std::string app;
  std::string name;
  std::int64_t from_day = 0;  // UTC days since the epoch, both inclusive
  std::int64_t to_day = 0;
  std::string feature;                // funnel (required), trends (optional: one feature)
  std::int64_t adopted_days = 3;      // funnel
  std::string month;                  // product-adoption, YYYY-MM
  std::int64_t limit = 10;            // champions
  Interval interval = Interval::day;  // retention (default week), trends (default day)
  Segment segment;
  /// The app config's key actions and survey kinds, filled in by the store before computing.
  std::vector<std::string> key_actions;
  std::map<std::string, std::string> survey_kinds;
};

/// The report names of PROTOCOL.md.
bool is_report_name(std::string_view name);
/// Every report name, comma separated (for error messages and usage texts).
std::string_view report_names();

/// Query parameters, in the order given (repeats kept).
using ReportParams = std::vector<std::pair<std::string, std::string>>;

/// Fills `out` (whose `name` is set) from its parameters with METRICS.md's defaults (the last
/// 30 days up to `today_day`). Returns the 400 message, naming the parameter, for an unknown
/// parameter, a malformed or empty value, or a repeated one. `format` and `app` are the
/// caller's and are skipped here.
std::optional<std::string> parse_report_request(ReportRequest& out, const ReportParams& params,
                                                std::int64_t today_day);

/// The segment's parameters as given (`{"account":"A","trait.plan":"pro"}`), for the answer.
std::vector<std::pair<std::string, std::string>> segment_params(const Segment& segment);

}  // namespace uptake::collector
