#include "reports/figures.hpp"

#include <algorithm>
#include <cmath>

#include "reports/calendar.hpp"

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

std::int64_t count(std::size_t n) {
  return static_cast<std::int64_t>(n);
}

}  // namespace

std::int64_t nearest_rank(const std::vector<std::int64_t>& sorted, std::int64_t num,
                          std::int64_t den) {
  if (sorted.empty()) return 0;
  const auto n = count(sorted.size());
  std::int64_t rank = (num * n + den - 1) / den;  // ceil(p * n)
  rank = std::clamp<std::int64_t>(rank, 1, n);
  return sorted[static_cast<std::size_t>(rank - 1)];
}

double ratio(double a, double b) {
  return b == 0 ? 0.0 : a / b;
}

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
    t.rows.push_back({f.feature, count(f.durations_ms.size()), nearest_rank(f.durations_ms, 1, 2),
                      nearest_rank(f.durations_ms, 9, 10), mean_rounded_down(f.durations_ms),
                      nearest_rank(f.device_ms, 1, 2)});
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
                 "held_out", "held_out_converted", "held_out_rate", "lift", "lift_ci95"},
                {}};
  for (const TipFigures& f : rows) {
    const double c = ratio_of(f.converted, f.shown);
    const double h = ratio_of(f.held_out_converted, f.held_out);
    ReportValue lift = Null{}, interval = Null{};
    // Without a control group (or without anyone shown) there is no lift to speak of.
    if (f.shown > 0 && f.held_out > 0) {
      const double margin = 1.96 * std::sqrt(c * (1 - c) / static_cast<double>(f.shown) +
                                             h * (1 - h) / static_cast<double>(f.held_out));
      lift = c - h;
      interval = NumberList{c - h - margin, c - h + margin};
    }
    t.rows.push_back({f.tip, f.feature, f.shown, f.clicked, f.dismissed, f.converted, c, f.held_out,
                      f.held_out_converted, h, lift, interval});
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

Report accounts_report(std::vector<AccountFigures> rows, std::size_t key_actions,
                       std::int64_t days) {
  struct Row {
    AccountFigures f;
    double active_rate, breadth, stickiness, growth, health;
  };
  std::vector<Row> shaped;
  for (AccountFigures& f : rows) {
    Row r{std::move(f), 0, 0, 0, 0, 0};
    r.active_rate = ratio_of(r.f.active_users, r.f.seats);
    if (key_actions > 0) {
      double sum = 0;
      for (std::int64_t users : r.f.key_action_users) sum += ratio_of(users, r.f.active_users);
      r.breadth = sum / static_cast<double>(key_actions);
    }
    r.stickiness = ratio(static_cast<double>(r.f.active_person_days) / static_cast<double>(days),
                         static_cast<double>(r.f.active_users));
    r.growth = ratio_of(r.f.active_users - r.f.previous_active_users, r.f.previous_active_users);
    r.health = 100.0 * (r.active_rate + r.breadth + r.stickiness) / 3.0;
    shaped.push_back(std::move(r));
  }
  std::sort(shaped.begin(), shaped.end(), [](const Row& a, const Row& b) {
    return a.health != b.health ? a.health < b.health : a.f.account < b.f.account;
  });
  ReportTable t{"rows",
                {"account", "name", "seats", "active_users", "active_rate", "breadth", "stickiness",
                 "previous_active_users", "growth", "health"},
                {}};
  for (const Row& r : shaped) {
    t.rows.push_back({r.f.account, r.f.name, r.f.seats, r.f.active_users, r.active_rate, r.breadth,
                      r.stickiness, r.f.previous_active_users, r.growth, r.health});
  }
  return with_rows(std::move(t));
}

Report champions_report(std::vector<ChampionFigures> rows, std::int64_t limit) {
  const auto order = [](const ChampionFigures& a, const ChampionFigures& b) {
    if (a.features != b.features) return a.features > b.features;
    if (a.key_actions != b.key_actions) return a.key_actions > b.key_actions;
    if (a.active_days != b.active_days) return a.active_days > b.active_days;
    return a.person < b.person;
  };
  const auto keep = std::min<std::size_t>(rows.size(), static_cast<std::size_t>(limit));
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(keep), rows.end(),
                    order);
  rows.resize(keep);
  ReportTable t{
      "rows", {"person", "account", "features", "key_actions", "active_days", "uses"}, {}};
  for (const ChampionFigures& f : rows)
    t.rows.push_back({f.person, f.account, f.features, f.key_actions, f.active_days, f.uses});
  return with_rows(std::move(t));
}

Report retention_report(std::vector<RetentionFigures> rows) {
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.cohort < b.cohort; });
  ReportTable t{"rows", {"cohort", "persons", "retained", "rates"}, {}};
  ReportTable lines{"rows", {"cohort", "persons", "k", "retained", "rate"}, {}};
  for (const RetentionFigures& f : rows) {
    NumberList rates;
    for (std::size_t k = 0; k < f.retained.size(); ++k) {
      rates.push_back(ratio_of(f.retained[k], f.persons));
      lines.rows.push_back(
          {day_string(f.cohort), f.persons, count(k), f.retained[k], rates.back()});
    }
    t.rows.push_back({day_string(f.cohort), f.persons, IntList(f.retained), std::move(rates)});
  }
  Report r = with_rows(std::move(t));
  r.csv_lines = std::move(lines);
  return r;
}

Report trends_report(std::vector<TrendFigures> rows) {
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.period != b.period ? a.period < b.period : a.feature < b.feature;
  });
  ReportTable t{"rows", {"period", "feature", "users", "uses", "new_users", "adopters"}, {}};
  for (const TrendFigures& f : rows) {
    t.rows.push_back({day_string(f.period), f.feature, f.users, f.uses, f.new_users, f.adopters});
  }
  return with_rows(std::move(t));
}

Report releases_report(std::vector<ReleaseFigures> rows, std::int64_t active_users) {
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.first_seen_day != b.first_seen_day ? a.first_seen_day > b.first_seen_day
                                                : a.app_version < b.app_version;
  });
  ReportTable t{"rows", {"app_version", "first_seen", "users", "share", "events"}, {}};
  for (const ReleaseFigures& f : rows) {
    t.rows.push_back({f.app_version, day_string(f.first_seen_day), f.users,
                      ratio_of(f.users, active_users), f.events});
  }
  return with_rows(std::move(t));
}

Report surveys_report(std::vector<SurveyFigures> rows) {
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.survey < b.survey; });
  ReportTable t{"rows",
                {"survey", "kind", "shown", "answered", "dismissed", "response_rate", "promoters",
                 "passives", "detractors", "nps", "mean_score", "satisfied", "csat", "choices"},
                {}};
  for (const SurveyFigures& f : rows) {
    std::int64_t promoters = 0, passives = 0, detractors = 0, satisfied = 0;
    double nps = 0, csat = 0, mean_score = 0;
    Counts choices;
    if (f.kind == "nps") {
      for (std::int64_t s : f.scores) {
        promoters += s >= 9 && s <= 10;
        passives += s >= 7 && s <= 8;
        detractors += s >= 0 && s <= 6;
      }
      nps = 100.0 * ratio_of(promoters - detractors, f.answered);
    } else if (f.kind == "csat") {
      double sum = 0;
      for (std::int64_t s : f.scores) {
        sum += static_cast<double>(s);
        satisfied += s >= 4;
      }
      mean_score = ratio(sum, static_cast<double>(f.scores.size()));
      csat = 100.0 * ratio_of(satisfied, f.answered);
    } else if (f.kind == "choice") {
      choices.assign(f.choices.begin(), f.choices.end());
    }
    t.rows.push_back({f.survey, f.kind, f.shown, f.answered, f.dismissed,
                      ratio_of(f.answered, f.shown), promoters, passives, detractors, nps,
                      mean_score, satisfied, csat, std::move(choices)});
  }
  Report r = with_rows(std::move(t));
  r.json_only = {"choices"};
  return r;
}

}  // namespace uptake::collector
