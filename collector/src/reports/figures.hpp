#pragma once
// The figures each backend computes, and the one place that turns them into the report shapes
// of METRICS.md (field names, order, ratios, percentiles, sorting), so every backend answers
// alike.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reports/report.hpp"
#include "reports/report_request.hpp"

namespace uptake::collector {

/// A 7-day conversion window (METRICS.md `tips`): a use within this many ms strictly after.
inline constexpr std::int64_t kTipConversionMs = 604'800'000;

/// Nearest-rank percentile `num/den` of sorted values (METRICS.md); 0 for no values. Integer
/// arithmetic: ceil(0.9 * n) in floating point is off for some n.
std::int64_t nearest_rank(const std::vector<std::int64_t>& sorted, std::int64_t num,
                          std::int64_t den);
/// a / b, or 0 when b is 0.
double ratio(double a, double b);

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
/// Sorts the rows by tip; lift and its 95% interval are null without a control group.
Report tips_report(std::vector<TipFigures> rows);

struct ProductAdoptionFigures {
  std::int64_t signups = 0, new_mau = 0;
};
Report product_adoption_report(const ProductAdoptionFigures& f, const std::string& month);

struct AccountFigures {
  std::string account, name;
  std::int64_t seats = 0, active_users = 0, previous_active_users = 0;
  /// Per key action: the account's persons with >= 1 use in the window.
  std::vector<std::int64_t> key_action_users;
  /// Sum over the window's days of the account's persons active that day.
  std::int64_t active_person_days = 0;
};
/// Health and ratios per METRICS.md; sorted by health ascending, then account. `key_actions`
/// is how many key actions there are (0: breadth is 0); `days` the window's length.
Report accounts_report(std::vector<AccountFigures> rows, std::size_t key_actions,
                       std::int64_t days);

struct ChampionFigures {
  std::string person, account;
  std::int64_t features = 0, key_actions = 0, active_days = 0, uses = 0;
};
/// Sorted by features, key_actions, active_days (all descending), then person; the first
/// `limit`.
Report champions_report(std::vector<ChampionFigures> rows, std::int64_t limit);

struct RetentionFigures {
  std::int64_t cohort = 0;  // the cohort's day, or its week's Monday
  std::int64_t persons = 0;
  std::vector<std::int64_t> retained;  // [k]: persons active in the k-th interval
};
/// Sorted by cohort. CSV: one line per cohort and k.
Report retention_report(std::vector<RetentionFigures> rows);

struct TrendFigures {
  std::int64_t period = 0;  // the day, or the week's Monday
  std::string feature;
  std::int64_t users = 0, uses = 0, new_users = 0, adopters = 0;
};
/// Sorted by period, then feature.
Report trends_report(std::vector<TrendFigures> rows);

struct ReleaseFigures {
  std::string app_version;
  std::int64_t first_seen_day = 0, users = 0, events = 0;
};
/// Sorted by first_seen descending, then app_version; share = users / active_users.
Report releases_report(std::vector<ReleaseFigures> rows, std::int64_t active_users);

struct SurveyFigures {
  std::string survey, kind;  // kind: nps, csat, choice, or "" when not in the config
  std::int64_t shown = 0, answered = 0, dismissed = 0;
  /// The answering persons' latest answers: scores (nps, csat) and choices (choice).
  std::vector<std::int64_t> scores;
  std::map<std::string, std::int64_t> choices;
};
/// Sorted by survey; kind-specific fields per METRICS.md, 0 (or {}) where they do not apply.
Report surveys_report(std::vector<SurveyFigures> rows);

}  // namespace uptake::collector
