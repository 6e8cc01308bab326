// Reports about features: features, first-action, funnel, trends.

#include <map>

#include "storage/index/report_scope.hpp"

namespace uptake::collector::index_detail {

Report features(const Scope& s) {
  std::vector<FirstTime> first_scratch;
  const std::size_t n = s.index.features.size();
  std::vector<FeatureFigures> by_feature(n);
  CountedOnce counted(n);
  std::int64_t active = 0;
  for (std::uint32_t p : s.members) {
    bool is_active = false;
    for (std::uint32_t a : s.persons.actors_of(p)) {
      const Actor& actor = s.actor(a);
      is_active = is_active || !days_between(actor.days, s.from_day, s.to_day).empty();
      for (const FeatureDay& f : days_between(actor.feature_days, s.from_day, s.to_day)) {
        by_feature[f.feature].uses += f.uses;
        if (counted.first_time(f.feature, p)) ++by_feature[f.feature].users;
      }
    }
    active += is_active;
    for (const FirstTime& first : first_uses(s, p, first_scratch)) {
      if (s.in_window(first.ts)) ++by_feature[first.what].new_users;
    }
  }
  std::vector<FeatureFigures> rows;
  for (std::uint32_t f = 0; f < n; ++f) {
    if (by_feature[f].users == 0) continue;
    by_feature[f].feature = std::string(s.index.features.name(f));
    rows.push_back(std::move(by_feature[f]));
  }
  return features_report(std::move(rows), active);
}

Report first_action(const Scope& s) {
  const auto actions = key_actions(s);
  constexpr std::size_t kNoRow = ~std::size_t{0};
  std::vector<std::size_t> row_of(s.index.features.size(), kNoRow);  // feature -> row
  std::vector<FirstActionFigures> rows;
  for (const KeyAction& k : actions) {
    rows.push_back({k.name, {}, {}});
    if (k.feature != kNone) row_of[k.feature] = rows.size() - 1;
  }
  const auto row_for = [&](std::uint32_t feature) {
    return feature == kNone ? kNoRow : row_of[feature];
  };
  struct Earliest {
    std::uint32_t feature;
    std::int64_t ts;
    std::string_view id;
    const Marker* marker;
  };
  std::vector<Earliest> earliest;  // this person's first $first_action per key action
  std::vector<FirstTime> first_scratch;
  for (std::uint32_t p : s.members) {
    const std::int64_t seen = s.persons.first_seen(p);
    for (const FirstTime& first : first_uses(s, p, first_scratch)) {
      if (!s.in_window(first.ts)) continue;
      if (const std::size_t row = row_for(first.what); row != kNoRow)
        rows[row].durations_ms.push_back(std::max<std::int64_t>(0, first.ts - seen));
    }
    earliest.clear();
    for (std::uint32_t a : s.persons.actors_of(p)) {
      for (const Marker& m : s.actor(a).markers) {
        if (m.kind != MarkerKind::first_action || !s.in_window(m.ts) ||
            row_for(m.feature) == kNoRow)
          continue;
        const std::string_view id = s.index.event_ids.name(m.id);
        auto it = std::find_if(earliest.begin(), earliest.end(),
                               [&](const Earliest& e) { return e.feature == m.feature; });
        if (it == earliest.end()) {
          earliest.push_back({m.feature, m.ts, id, &m});
        } else if (m.ts < it->ts || (m.ts == it->ts && id < it->id)) {
          *it = {m.feature, m.ts, id, &m};
        }
      }
    }
    for (const Earliest& e : earliest) {
      if (e.marker->has_value) rows[row_for(e.feature)].device_ms.push_back(e.marker->value);
    }
  }
  return first_action_report(std::move(rows));
}

Report funnel(const Scope& s) {
  FunnelFigures f;
  const std::uint32_t named = s.index.features.find(s.request.feature);
  // Names starting with '$' are never features: nobody uses one, though a tip may name it.
  const std::uint32_t feature = s.request.feature.starts_with('$') ? kNone : named;
  std::vector<std::int32_t> use_days;
  for (std::uint32_t p : s.members) {
    use_days.clear();
    bool shown = false, clicked = false;
    for (std::uint32_t a : s.persons.actors_of(p)) {
      const Actor& actor = s.actor(a);
      if (feature != kNone) {
        for (const FeatureDay& fd : days_between(actor.feature_days, s.from_day, s.to_day)) {
          if (fd.feature == feature) use_days.push_back(fd.day);
        }
      }
      if (named == kNone) continue;
      for (const Marker& m : actor.markers) {
        if (m.feature != named || !s.in_window(m.ts)) continue;
        shown = shown || m.kind == MarkerKind::tip_shown;
        clicked = clicked || m.kind == MarkerKind::tip_clicked;
      }
    }
    std::sort(use_days.begin(), use_days.end());
    const auto days = std::unique(use_days.begin(), use_days.end()) - use_days.begin();
    const bool used = days > 0;
    f.aware += shown || used;
    f.interested += clicked || used;
    f.trial += used;
    f.adopted += used && days >= s.request.adopted_days;
  }
  return funnel_report(f);
}

Report trends(const Scope& s) {
  std::vector<FirstTime> first_scratch;
  const bool weekly = s.request.interval == Interval::week;
  // Periods: every day, or every week (named by its Monday) cut to the window's days.
  std::vector<std::int64_t> starts;  // the period's name
  for (std::int64_t d = weekly ? monday_of(s.from_day) : s.from_day; d <= s.to_day;
       d += weekly ? 7 : 1)
    starts.push_back(d);
  auto period_of = [&](std::int64_t day) {
    return static_cast<std::size_t>(weekly ? (monday_of(day) - starts.front()) / 7
                                           : day - s.from_day);
  };
  // The features: F alone, or every feature the segment used in the window.
  std::vector<std::uint32_t> features;
  std::vector<std::string> names;
  std::vector<std::size_t> column(s.index.features.size(), kNone);
  auto add_feature = [&](std::uint32_t f, std::string name) {
    if (f != kNone) column[f] = features.size();
    features.push_back(f);
    names.push_back(std::move(name));
  };
  if (!s.request.feature.empty()) {
    const std::uint32_t f =
        s.request.feature.starts_with('$') ? kNone : s.index.features.find(s.request.feature);
    add_feature(f, s.request.feature);
  } else {
    std::vector<bool> used(s.index.features.size(), false);
    for (std::uint32_t p : s.members) {
      for (std::uint32_t a : s.persons.actors_of(p)) {
        for (const FeatureDay& fd : days_between(s.actor(a).feature_days, s.from_day, s.to_day))
          used[fd.feature] = true;
      }
    }
    std::vector<std::pair<std::string, std::uint32_t>> sorted;
    for (std::uint32_t f = 0; f < used.size(); ++f) {
      if (used[f]) sorted.emplace_back(std::string(s.index.features.name(f)), f);
    }
    std::sort(sorted.begin(), sorted.end());
    for (auto& [name, f] : sorted) add_feature(f, std::move(name));
  }
  const std::size_t nf = features.size(), np = starts.size();
  std::vector<TrendFigures> cells(np * nf);
  std::vector<std::int64_t> adopted_before(nf, 0);
  CountedOnce counted(np * nf);  // per cell
  for (std::uint32_t p : s.members) {
    for (std::uint32_t a : s.persons.actors_of(p)) {
      for (const FeatureDay& fd : days_between(s.actor(a).feature_days, s.from_day, s.to_day)) {
        const std::size_t c = column[fd.feature];
        if (c == kNone) continue;
        const std::size_t cell = period_of(fd.day) * nf + c;
        cells[cell].uses += fd.uses;
        if (counted.first_time(cell, p)) ++cells[cell].users;
      }
    }
    for (const FirstTime& first : first_uses(s, p, first_scratch)) {
      const std::size_t c = column[first.what];
      if (c == kNone || first.ts >= s.end_ms()) continue;
      if (first.ts < s.from_ms()) {
        ++adopted_before[c];
      } else {
        ++cells[period_of(utc_day(first.ts)) * nf + c].new_users;
      }
    }
  }
  std::vector<TrendFigures> rows;
  for (std::size_t c = 0; c < nf; ++c) {
    std::int64_t adopters = adopted_before[c];
    for (std::size_t period = 0; period < np; ++period) {
      TrendFigures& cell = cells[period * nf + c];
      adopters += cell.new_users;
      cell.period = starts[period];
      cell.feature = names[c];
      cell.adopters = adopters;
      rows.push_back(std::move(cell));
    }
  }
  return trends_report(std::move(rows));
}

}  // namespace uptake::collector::index_detail
