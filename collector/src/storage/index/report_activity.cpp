// Reports about who is active when: overview, stickiness, product-adoption, retention.

#include <map>
#include <tuple>

#include "storage/index/report_scope.hpp"

namespace uptake::collector::index_detail {

Report overview(const Scope& s) {
  OverviewFigures f;
  std::vector<std::tuple<std::int32_t, std::uint64_t, std::uint64_t>> sessions;
  for (std::uint32_t p : s.members) {
    bool active = false;
    for (std::uint32_t a : s.persons.actors_of(p)) {
      for (const DayEvents& d : days_between(s.actor(a).days, s.from_day, s.to_day)) {
        f.events += d.events;
        active = true;
      }
      for (const SessionDay& sd : days_between(s.actor(a).sessions, s.from_day, s.to_day))
        sessions.emplace_back(0, sd.hi, sd.lo);  // distinct values over the whole window
    }
    f.active_users += active;
    f.known_users += s.persons.first_seen(p) < s.end_ms();
  }
  std::sort(sessions.begin(), sessions.end());
  f.sessions = std::unique(sessions.begin(), sessions.end()) - sessions.begin();
  return overview_report(f);
}

Report stickiness(const Scope& s) {
  StickinessFigures f;
  for (std::uint32_t p : s.members) {
    const auto days = active_days(s, p, s.from_day, s.to_day);
    if (days.empty()) continue;
    for (std::int32_t d : days) ++f.users_by_day[d];
    ++f.users_by_day_count[static_cast<std::int64_t>(days.size())];
  }
  return stickiness_report(f, s.from_day, s.to_day);
}

Report product_adoption(const Scope& s) {
  ProductAdoptionFigures f;
  for (std::uint32_t p : s.members) {
    if (!s.in_window(s.persons.first_seen(p))) continue;
    ++f.signups;
    f.new_mau += active_days(s, p, s.from_day, s.to_day).size() >= 2;
  }
  return product_adoption_report(f, s.request.month);
}

Report retention(const Scope& s) {
  const std::int64_t length = s.request.interval == Interval::week ? 7 : 1;
  auto start_of = [&](std::int64_t day) {
    return s.request.interval == Interval::week ? monday_of(day) : day;
  };
  std::map<std::int64_t, RetentionFigures> cohorts;
  for (std::uint32_t p : s.members) {
    const std::int64_t seen = s.persons.first_seen(p);
    if (!s.in_window(seen)) continue;
    const std::int64_t start = start_of(utc_day(seen));
    RetentionFigures& c = cohorts[start];
    if (c.persons == 0) {
      c.cohort = start;
      // Every interval that starts on or before `to`.
      c.retained.assign(static_cast<std::size_t>((s.to_day - start) / length + 1), 0);
    }
    ++c.persons;
    // Events after the end of `to` never count; events before `from` in the cohort's own
    // interval do (the interval is the whole week).
    std::int64_t last_k = -1;
    for (std::int32_t d : active_days(s, p, start, s.to_day)) {
      const std::int64_t k = (d - start) / length;
      if (k == last_k) continue;
      ++c.retained[static_cast<std::size_t>(k)];
      last_k = k;
    }
  }
  std::vector<RetentionFigures> rows;
  for (auto& [start, c] : cohorts) rows.push_back(std::move(c));
  return retention_report(std::move(rows));
}

}  // namespace uptake::collector::index_detail
