#include "reports/figures.hpp"

#include <algorithm>
#include <cmath>

namespace uptake::collector {
namespace {

double ratio_of(std::int64_t a, std::int64_t b) {
  return ratio(static_cast<double>(a), static_cast<double>(b));
}

Report with_rows(ReportTable table) {
  Report r;
  r.csv_table = table.name;
  r.tables.push_back(std::move(table));
  return r;
}

std::int64_t mean_rounded_down(const std::vector<std::int64_t>& values) {
  if (values.empty()) return 0;
  long double sum = 0;
  for (auto v : values) sum += static_cast<long double>(v);
  return static_cast<std::int64_t>(std::floor(sum / static_cast<long double>(values.size())));
}

}  // namespace

Report overview_report(const OverviewFigures& f) {
  Report r;
  r.fields = {{"active_users", f.active_users},
              {"known_users", f.known_users},
              {"active_rate", ratio_of(f.active_users, f.known_users)},
              {"events", f.events},
              {"sessions", f.sessions}};
  return r;
}

Report features_report(std::vector<FeatureFigures> rows, std::int64_t active_users) {
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.users != b.users ? a.users > b.users : a.feature < b.feature;
  });
  ReportTable t{
      "rows", {"feature", "users", "uses", "adoption_rate", "new_users", "new_user_pct"}, {}};
  for (const FeatureFigures& f : rows) {
    t.rows.push_back({f.feature, f.users, f.uses, ratio_of(f.users, active_users), f.new_users,
                      100.0 * ratio_of(f.new_users, f.users)});
  }
  return with_rows(std::move(t));
}

Report first_action_report(std::vector<FirstActionFigures> rows) {
  ReportTable t{"rows", {"feature", "users", "p50_ms", "p90_ms", "mean_ms", "device_p50_ms"}, {}};
  for (FirstActionFigures& f : rows) {
    std::sort(f.durations_ms.begin(), f.durations_ms.end());
    std::sort(f.device_ms.begin(), f.device_ms.end());
    t.rows.push_back({f.feature, static_cast<std::int64_t>(f.durations_ms.size()),
                      nearest_rank(f.durations_ms, 0.5), nearest_rank(f.durations_ms, 0.9),
                      mean_rounded_down(f.durations_ms), nearest_rank(f.device_ms, 0.5)});
  }
  return with_rows(std::move(t));
}

Report stickiness_report(const StickinessFigures& f, std::int64_t from_day, std::int64_t to_day) {
  ReportTable dau{"dau", {"day", "users"}, {}};
  std::int64_t total = 0;
  for (std::int64_t d = from_day; d <= to_day; ++d) {
    const auto it = f.users_by_day.find(d);
    const std::int64_t users = it == f.users_by_day.end() ? 0 : it->second;
    total += users;
    dau.rows.push_back({day_string(d), users});
  }
  ReportTable power{"power_users", {"days", "users"}, {}};
  std::int64_t mau = 0;
  for (const auto& [days, users] : f.users_by_day_count) {
    power.rows.push_back({days, users});
    mau += users;
  }
  const double avg = static_cast<double>(total) / static_cast<double>(to_day - from_day + 1);
  Report r;
  r.fields = {{"avg_dau", avg}, {"mau", mau}, {"stickiness", ratio(avg, static_cast<double>(mau))}};
  r.tables = {std::move(dau), std::move(power)};
  r.csv_table = "dau";
  return r;
}

Report funnel_report(const FunnelFigures& f) {
  ReportTable t{"rows", {"stage", "users", "conversion"}, {}};
  const std::pair<const char*, std::int64_t> stages[] = {
      {"aware", f.aware}, {"interested", f.interested}, {"trial", f.trial}, {"adopted", f.adopted}};
  for (const auto& [stage, users] : stages)
    t.rows.push_back({std::string(stage), users, ratio_of(users, f.aware)});
  return with_rows(std::move(t));
}

Report tips_report(std::vector<TipFigures> rows) {
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.tip < b.tip; });
  ReportTable t{"rows",
                {"tip", "feature", "shown", "clicked", "dismissed", "converted", "conversion_rate",
                 "held_out", "held_out_converted", "held_out_rate", "lift"},
                {}};
  for (const TipFigures& f : rows) {
    const double rate = ratio_of(f.converted, f.shown);
    const double held_rate = ratio_of(f.held_out_converted, f.held_out);
    t.rows.push_back({f.tip, f.feature, f.shown, f.clicked, f.dismissed, f.converted, rate,
                      f.held_out, f.held_out_converted, held_rate, rate - held_rate});
  }
  return with_rows(std::move(t));
}

Report product_adoption_report(const ProductAdoptionFigures& f, const std::string& month) {
  Report r;
  r.fields = {{"month", month},
              {"signups", f.signups},
              {"new_mau", f.new_mau},
              {"product_adoption_rate", 100.0 * ratio_of(f.new_mau, f.signups)}};
  return r;
}

}  // namespace uptake::collector
