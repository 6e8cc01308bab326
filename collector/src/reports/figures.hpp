#pragma once
// The figures each backend computes, and the one place that turns them into the report shapes
// of METRICS.md (field names, order, ratios, percentiles), so every backend answers alike.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "reports/report.hpp"

namespace uptake::collector {

struct OverviewFigures {
  std::int64_t active_users = 0, known_users = 0, events = 0, sessions = 0;
};
Report overview_report(const OverviewFigures& f);

struct FeatureFigures {
  std::string feature;
  std::int64_t users = 0, uses = 0, new_users = 0;
};
/// Sorts the rows by users descending, then feature.
Report features_report(std::vector<FeatureFigures> rows, std::int64_t active_users);

struct FirstActionFigures {
  std::string feature;
  std::vector<std::int64_t> durations_ms;  // one per person whose first use is in the window
  std::vector<std::int64_t> device_ms;     // each person's earliest $first_action value
};
/// Rows in the given order (the key actions' order, or features by name).
Report first_action_report(std::vector<FirstActionFigures> rows);

struct StickinessFigures {
  std::map<std::int64_t, std::int64_t> users_by_day;        // days without users may be absent
  std::map<std::int64_t, std::int64_t> users_by_day_count;  // distinct active days -> persons
};
Report stickiness_report(const StickinessFigures& f, std::int64_t from_day, std::int64_t to_day);

struct FunnelFigures {
  std::int64_t aware = 0, interested = 0, trial = 0, adopted = 0;
};
Report funnel_report(const FunnelFigures& f);

struct TipFigures {
  std::string tip, feature;
  std::int64_t shown = 0, clicked = 0, dismissed = 0, converted = 0, held_out = 0,
               held_out_converted = 0;
};
/// Sorts the rows by tip.
Report tips_report(std::vector<TipFigures> rows);

struct ProductAdoptionFigures {
  std::int64_t signups = 0, new_mau = 0;
};
Report product_adoption_report(const ProductAdoptionFigures& f, const std::string& month);

/// A 7-day conversion window (METRICS.md `tips`): a use within this many ms strictly after.
inline constexpr std::int64_t kTipConversionMs = 604'800'000;

}  // namespace uptake::collector
