// Reports about who is active when: overview, stickiness, product-adoption, retention.

#include <map>
#include <tuple>

#include "storage/index/report_scope.hpp"

namespace uptake::collector::index_detail {

namespace {

// The number of distinct 128-bit values. One scatter by the top 16 bits of the high half,
// then each (small) bucket sorted on its own: linear in the values and kind to the cache,
// where one std::sort of millions of pairs took most of a report.
std::int64_t distinct_values(std::vector<std::pair<std::uint64_t, std::uint64_t>>& values) {
  if (values.empty()) return 0;
  constexpr int kBuckets = 1 << 16;
  std::vector<std::uint32_t> start(kBuckets + 1, 0);
  for (const auto& v : values) ++start[(v.first >> 48) + 1];
  for (int b = 0; b < kBuckets; ++b) start[b + 1] += start[b];
  std::vector<std::pair<std::uint64_t, std::uint64_t>> sorted(values.size());
  std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
  for (const auto& v : values) sorted[fill[v.first >> 48]++] = v;
  std::int64_t distinct = 0;
  for (int b = 0; b < kBuckets; ++b) {
    const auto first = sorted.begin() + start[b], last = sorted.begin() + start[b + 1];
    if (last - first > 1) std::sort(first, last);
    distinct += std::unique(first, last) - first;
  }
  return distinct;
}

}  // namespace

Report overview(const Scope& s) {
  OverviewFigures f;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> sessions;
  for (std::uint32_t p : s.members) {
    bool active = false;
    for (std::uint32_t a : s.persons.actors_of(p)) {
      for (const DayEvents& d : days_between(s.actor(a).days, s.from_day, s.to_day)) {
        f.events += d.events;
        active = true;
      }
      for (const SessionDay& sd : days_between(s.actor(a).sessions, s.from_day, s.to_day))
        sessions.emplace_back(sd.hi, sd.lo);  // distinct values over the whole window
    }
    f.active_users += active;
    f.known_users += s.persons.first_seen(p) < s.end_ms();
  }
  f.sessions = distinct_values(sessions);
  return overview_report(f);
}

Report stickiness(const Scope& s) {
  std::vector<std::int32_t> day_scratch;
  StickinessFigures f;
  for (std::uint32_t p : s.members) {
    const auto days = active_days(s, p, s.from_day, s.to_day, day_scratch);
    if (days.empty()) continue;
    for (std::int32_t d : days) ++f.users_by_day[d];
    ++f.users_by_day_count[static_cast<std::int64_t>(days.size())];
  }
  return stickiness_report(f, s.from_day, s.to_day);
}

Report product_adoption(const Scope& s) {
  std::vector<std::int32_t> day_scratch;
  ProductAdoptionFigures f;
  for (std::uint32_t p : s.members) {
    if (!s.in_window(s.persons.first_seen(p))) continue;
    ++f.signups;
    f.new_mau += active_days(s, p, s.from_day, s.to_day, day_scratch).size() >= 2;
  }
  return product_adoption_report(f, s.request.month);
}

Report retention(const Scope& s) {
  std::vector<std::int32_t> day_scratch;
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
    for (std::int32_t d : active_days(s, p, start, s.to_day, day_scratch)) {
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
