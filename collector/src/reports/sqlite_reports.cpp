#include "sqlite_reports.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <map>
#include <set>

#include "../aggregates.hpp"
#include "../sqlite_db.hpp"

namespace uptake::collector {
namespace {

// Aggregate rows carry their actor's person (METRICS.md identity), kept current at ingest.
constexpr const char* kPerson = "a.person";
constexpr const char* kTie = " ";
constexpr std::int64_t kTipConversionMs = 604'800'000;

std::string sql(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) out += p;
  return out;
}

// A person's first seen: their earliest $install, else their earliest event (all time).
std::string first_seen_cte() {
  return sql({"SELECT ", kPerson,
              " AS person, COALESCE(MIN(a.install_ts), MIN(a.first_ts)) AS first_seen "
              "FROM agg_actor_first a",
              kTie, "WHERE a.app = ?1 GROUP BY person"});
}

struct Window {
  std::int64_t from_day, to_day;
  std::int64_t from_ms() const { return from_day * kDayMs; }
  std::int64_t to_end_ms() const { return (to_day + 1) * kDayMs; }
};

void bind_days(Statement& s, const std::string& app, const Window& w) {
  s.bind(1, app).bind(2, w.from_day).bind(3, w.to_day);
}

std::int64_t active_users(sqlite3* db, const std::string& app, const Window& w) {
  Statement s(db, sql({"SELECT count(DISTINCT ", kPerson, ") FROM agg_actor_day a", kTie,
                       "WHERE a.app = ?1 AND a.day BETWEEN ?2 AND ?3"}));
  bind_days(s, app, w);
  s.step();
  return s.column_int(0);
}

Report overview(sqlite3* db, const std::string& app, const Window& w) {
  Statement s(db, sql({"SELECT count(DISTINCT ", kPerson,
                       "), COALESCE(SUM(a.events), 0) FROM agg_actor_day a", kTie,
                       "WHERE a.app = ?1 AND a.day BETWEEN ?2 AND ?3"}));
  bind_days(s, app, w);
  s.step();
  const std::int64_t active = s.column_int(0), events = s.column_int(1);
  Statement ss(db,
               "SELECT count(DISTINCT session) FROM agg_session_day WHERE app = ?1 AND day BETWEEN "
               "?2 AND ?3");
  bind_days(ss, app, w);
  ss.step();
  const std::int64_t sessions = ss.column_int(0);
  Statement k(db, "SELECT count(*) FROM (" + first_seen_cte() + ") WHERE first_seen < ?2");
  k.bind(1, app).bind(2, w.to_end_ms());
  k.step();
  const std::int64_t known = k.column_int(0);
  Report r;
  r.fields = {{"active_users", active},
              {"known_users", known},
              {"active_rate", ratio(static_cast<double>(active), static_cast<double>(known))},
              {"events", events},
              {"sessions", sessions}};
  return r;
}

// Features used in the window, by name. The key is (app, feature, day, ...): features are
// enumerated by one index seek each (a loose index scan), then each feature's window is a key
// range, so rows outside the window are never read.
std::vector<std::string> features_used(sqlite3* db, const std::string& app, const Window& w) {
  std::vector<std::string> used;
  Statement next(db, "SELECT MIN(feature) FROM agg_feature_day WHERE app = ?1 AND feature > ?2");
  Statement in_window(db,
                      "SELECT 1 FROM agg_feature_day WHERE app = ?1 AND feature = ?2 "
                      "AND day BETWEEN ?3 AND ?4 LIMIT 1");
  std::string feature;  // "" sorts before every name
  for (;;) {
    next.reset();
    next.bind(1, app).bind(2, feature);
    if (!next.step() || sqlite3_column_type(next.get(), 0) == SQLITE_NULL) break;
    feature = next.column_text(0);
    in_window.reset();
    in_window.bind(1, app).bind(2, feature).bind(3, w.from_day).bind(4, w.to_day);
    if (in_window.step()) used.push_back(feature);
  }
  return used;
}

Report features(sqlite3* db, const std::string& app, const Window& w) {
  const std::int64_t active = active_users(db, app, w);
  Statement usage(db,
                  "SELECT count(DISTINCT person), SUM(uses) FROM agg_feature_day "
                  "WHERE app = ?1 AND feature = ?2 AND day BETWEEN ?3 AND ?4");
  // New users of F: people with a first use of F in the window and none before it. Only the
  // window's first uses of F are visited (index on feature, first_ts), not everyone's.
  Statement fresh_of(
      db,
      "SELECT count(DISTINCT c.person) FROM agg_feature_first c INDEXED BY "
      "agg_feature_first_window WHERE c.app = ?1 AND c.feature = ?4 AND c.first_ts >= ?2 "
      "AND c.first_ts < ?3 AND NOT EXISTS (SELECT 1 FROM agg_feature_first o WHERE "
      "o.app = ?1 AND o.feature = ?4 AND o.person = c.person AND o.first_ts < ?2)");
  ReportTable t{
      "rows", {"feature", "users", "uses", "adoption_rate", "new_users", "new_user_pct"}, {}};
  for (const std::string& feature : features_used(db, app, w)) {
    usage.reset();
    usage.bind(1, app).bind(2, feature).bind(3, w.from_day).bind(4, w.to_day);
    usage.step();
    fresh_of.reset();
    fresh_of.bind(1, app).bind(2, w.from_ms()).bind(3, w.to_end_ms()).bind(4, feature);
    fresh_of.step();
    const std::int64_t users = usage.column_int(0), n = fresh_of.column_int(0);
    t.rows.push_back({feature, users, usage.column_int(1),
                      ratio(static_cast<double>(users), static_cast<double>(active)), n,
                      100.0 * ratio(static_cast<double>(n), static_cast<double>(users))});
  }
  // METRICS.md order: users descending, then feature.
  std::stable_sort(t.rows.begin(), t.rows.end(), [](const auto& a, const auto& b) {
    return std::get<std::int64_t>(a[1]) > std::get<std::int64_t>(b[1]);
  });
  Report r;
  r.tables.push_back(std::move(t));
  r.csv_table = "rows";
  return r;
}

Report first_action(sqlite3* db, const std::string& app, const Window& w,
                    std::vector<std::string> actions) {
  if (actions.empty()) actions = features_used(db, app, w);
  // People whose first use of F ever is in the window: a first use in the window and none
  // before; their duration from first seen (earliest $install, else earliest event).
  Statement durations(
      db,
      "WITH cand AS (SELECT DISTINCT person FROM agg_feature_first INDEXED BY "
      "agg_feature_first_window "
      "WHERE app = ?1 AND feature = ?4 "
      "AND first_ts >= ?2 AND first_ts < ?3), "
      "fu AS (SELECT c.person, (SELECT MIN(f.first_ts) FROM agg_feature_first f WHERE f.app = ?1 "
      "AND f.feature = ?4 AND f.person = c.person) AS first_use FROM cand c) "
      "SELECT MAX(fu.first_use - (SELECT COALESCE(MIN(a.install_ts), MIN(a.first_ts)) FROM "
      "agg_actor_first a WHERE a.app = ?1 AND a.person = fu.person), 0) FROM fu WHERE fu.first_use "
      ">= ?2");
  Statement device(db,
                   "SELECT a.person, a.ts, a.id, a.ms_since_install FROM agg_marker a "
                   "WHERE a.app = ?1 AND a.name = '$first_action' AND a.ts >= ?2 AND a.ts < ?3 "
                   "AND a.feature = ?4 ORDER BY a.person, a.ts, a.id");
  ReportTable t{"rows", {"feature", "users", "p50_ms", "p90_ms", "mean_ms", "device_p50_ms"}, {}};
  for (const std::string& feature : actions) {
    durations.reset();
    durations.bind(1, app).bind(2, w.from_ms()).bind(3, w.to_end_ms()).bind(4, feature);
    std::vector<std::int64_t> values;
    while (durations.step()) values.push_back(durations.column_int(0));
    std::sort(values.begin(), values.end());
    long double sum = 0;
    for (auto v : values) sum += static_cast<long double>(v);
    const std::int64_t mean =
        values.empty()
            ? 0
            : static_cast<std::int64_t>(std::floor(sum / static_cast<long double>(values.size())));
    device.reset();
    device.bind(1, app).bind(2, w.from_ms()).bind(3, w.to_end_ms()).bind(4, feature);
    std::vector<std::int64_t> on_device;
    std::string last_person;
    bool first = true;
    while (device.step()) {
      std::string person = device.column_text(0);
      if (!first && person == last_person) continue;  // only each person's earliest
      first = false;
      last_person = std::move(person);
      on_device.push_back(device.column_int(3));
    }
    std::sort(on_device.begin(), on_device.end());
    t.rows.push_back({feature, static_cast<std::int64_t>(values.size()), nearest_rank(values, 0.5),
                      nearest_rank(values, 0.9), mean, nearest_rank(on_device, 0.5)});
  }
  Report r;
  r.tables.push_back(std::move(t));
  r.csv_table = "rows";
  return r;
}

Report stickiness(sqlite3* db, const std::string& app, const Window& w) {
  std::map<std::int64_t, std::int64_t> per_day;
  Statement s(db, sql({"SELECT a.day, count(DISTINCT ", kPerson, ") FROM agg_actor_day a", kTie,
                       "WHERE a.app = ?1 AND a.day BETWEEN ?2 AND ?3 GROUP BY a.day"}));
  bind_days(s, app, w);
  while (s.step()) per_day[s.column_int(0)] = s.column_int(1);
  ReportTable dau{"dau", {"day", "users"}, {}};
  std::int64_t total = 0;
  for (std::int64_t d = w.from_day; d <= w.to_day; ++d) {
    const std::int64_t users = per_day.contains(d) ? per_day[d] : 0;
    total += users;
    dau.rows.push_back({day_string(d), users});
  }
  ReportTable power{"power_users", {"days", "users"}, {}};
  Statement p(db, sql({"SELECT days, count(*) FROM (SELECT ", kPerson,
                       " AS person, count(DISTINCT a.day) AS days "
                       "FROM agg_actor_day a",
                       kTie,
                       "WHERE a.app = ?1 AND a.day BETWEEN ?2 AND ?3 GROUP BY person) "
                       "GROUP BY days ORDER BY days"}));
  bind_days(p, app, w);
  std::int64_t mau = 0;
  while (p.step()) {
    power.rows.push_back({p.column_int(0), p.column_int(1)});
    mau += p.column_int(1);
  }
  const double avg = static_cast<double>(total) / static_cast<double>(w.to_day - w.from_day + 1);
  Report r;
  r.fields = {{"avg_dau", avg}, {"mau", mau}, {"stickiness", ratio(avg, static_cast<double>(mau))}};
  r.tables = {std::move(dau), std::move(power)};
  r.csv_table = "dau";
  return r;
}

Report funnel(sqlite3* db, const std::string& app, const Window& w, const std::string& feature,
              std::int64_t adopted_days) {
  struct Stages {
    bool used = false, shown = false, clicked = false;
    std::int64_t days = 0;
  };
  std::map<std::string, Stages> people;
  Statement u(db,
              "SELECT a.person, count(DISTINCT a.day) FROM agg_feature_day a "
              "WHERE a.app = ?1 AND a.feature = ?4 AND a.day BETWEEN ?2 AND ?3 GROUP BY a.person");
  bind_days(u, app, w);
  u.bind(4, feature);
  while (u.step()) {
    Stages& st = people[u.column_text(0)];
    st.used = true;
    st.days = u.column_int(1);
  }
  Statement m(db,
              "SELECT a.person, a.name FROM agg_marker a WHERE a.app = ?1 AND a.name IN "
              "('$tip_shown', '$tip_clicked') "
              "AND a.ts >= ?2 AND a.ts < ?3 AND a.feature = ?4");
  m.bind(1, app).bind(2, w.from_ms()).bind(3, w.to_end_ms()).bind(4, feature);
  while (m.step()) {
    Stages& st = people[m.column_text(0)];
    (m.column_text(1) == "$tip_shown" ? st.shown : st.clicked) = true;
  }
  std::int64_t counts[4] = {0, 0, 0, 0};
  for (const auto& [person, st] : people) {
    counts[0] += st.shown || st.used;
    counts[1] += st.clicked || st.used;
    counts[2] += st.used;
    counts[3] += st.days >= adopted_days;
  }
  ReportTable t{"rows", {"stage", "users", "conversion"}, {}};
  const char* stages[] = {"aware", "interested", "trial", "adopted"};
  for (int i = 0; i < 4; ++i) {
    t.rows.push_back({std::string(stages[i]), counts[i],
                      ratio(static_cast<double>(counts[i]), static_cast<double>(counts[0]))});
  }
  Report r;
  r.tables.push_back(std::move(t));
  r.csv_table = "rows";
  return r;
}

Report tips(sqlite3* db, const std::string& app, const Window& w) {
  struct TipData {
    std::string feature;
    std::int64_t feature_ts = INT64_MAX;
    std::map<std::string, std::int64_t> first_shown, first_held;  // person -> first ts in window
    std::set<std::string> clicked, dismissed;
  };
  std::map<std::string, TipData> by_tip;
  Statement s(db, sql({"SELECT ", kPerson,
                       " AS person, a.name, a.ts, a.tip, a.feature FROM agg_marker a", kTie,
                       "WHERE a.app = ?1 AND a.name IN ('$tip_shown', '$tip_held_out', "
                       "'$tip_clicked', '$tip_dismissed') "
                       "AND a.ts >= ?2 AND a.ts < ?3 AND a.tip IS NOT NULL ORDER BY a.ts, a.id"}));
  s.bind(1, app).bind(2, w.from_ms()).bind(3, w.to_end_ms());
  std::vector<std::tuple<std::string, std::string, std::string>> interactions;
  while (s.step()) {
    const std::string person = s.column_text(0), name = s.column_text(1), tip = s.column_text(3);
    const std::int64_t ts = s.column_int(2);
    if (name == "$tip_shown" || name == "$tip_held_out") {
      TipData& d = by_tip[tip];
      if (ts < d.feature_ts) {  // F is the feature of the tip's earliest such event
        d.feature_ts = ts;
        d.feature = s.column_text(4);
      }
      (name == "$tip_shown" ? d.first_shown : d.first_held)
          .emplace(person, ts);  // rows come in ts order
    } else {
      interactions.emplace_back(tip, name, person);
    }
  }
  for (const auto& [tip, name, person] : interactions) {
    auto it = by_tip.find(tip);
    if (it == by_tip.end()) continue;
    (name == "$tip_clicked" ? it->second.clicked : it->second.dismissed).insert(person);
  }
  // A use within 7 days strictly after t0: any use on a day strictly between, or on t0's day
  // after t0 (last use that day > t0), or on the last day by t0 + 7 days (first use <= it).
  Statement uses(db, sql({"SELECT ", kPerson,
                          " AS person, a.day, a.first_ts, a.last_ts FROM agg_feature_day a", kTie,
                          "WHERE a.app = ?1 AND a.feature = ?2 AND a.day BETWEEN ?3 AND ?4"}));
  auto converted = [&](const std::string& feature,
                       const std::map<std::string, std::int64_t>& firsts) {
    if (firsts.empty()) return std::int64_t{0};
    std::int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (const auto& [p, ts] : firsts) {
      lo = std::min(lo, ts);
      hi = std::max(hi, ts);
    }
    uses.reset();
    uses.bind(1, app).bind(2, feature).bind(3, utc_day(lo)).bind(4, utc_day(hi + kTipConversionMs));
    std::set<std::string> done;
    while (uses.step()) {
      const std::string person = uses.column_text(0);
      auto f = firsts.find(person);
      if (f == firsts.end() || done.contains(person)) continue;
      const std::int64_t t0 = f->second, end = t0 + kTipConversionMs, day = uses.column_int(1);
      const std::int64_t first_ts = uses.column_int(2), last_ts = uses.column_int(3);
      const bool hit = day > utc_day(t0) && day < utc_day(end) ? true
                       : day == utc_day(t0)                    ? last_ts > t0
                       : day == utc_day(end)                   ? first_ts <= end
                                                               : false;
      if (hit) done.insert(person);
    }
    return static_cast<std::int64_t>(done.size());
  };
  ReportTable t{"rows",
                {"tip", "feature", "shown", "clicked", "dismissed", "converted", "conversion_rate",
                 "held_out", "held_out_converted", "held_out_rate", "lift"},
                {}};
  for (const auto& [tip, d] : by_tip) {
    const auto shown = static_cast<std::int64_t>(d.first_shown.size());
    const auto held = static_cast<std::int64_t>(d.first_held.size());
    const std::int64_t conv = converted(d.feature, d.first_shown);
    const std::int64_t held_conv = converted(d.feature, d.first_held);
    const double rate = ratio(static_cast<double>(conv), static_cast<double>(shown));
    const double held_rate = ratio(static_cast<double>(held_conv), static_cast<double>(held));
    t.rows.push_back({tip, d.feature, shown, static_cast<std::int64_t>(d.clicked.size()),
                      static_cast<std::int64_t>(d.dismissed.size()), conv, rate, held, held_conv,
                      held_rate, rate - held_rate});
  }
  Report r;
  r.tables.push_back(std::move(t));
  r.csv_table = "rows";
  return r;
}

Report product_adoption(sqlite3* db, const std::string& app, const Window& w,
                        const std::string& month) {
  Statement s(db,
              sql({"WITH fs AS (", first_seen_cte(),
                   "), signups AS (SELECT person FROM fs "
                   "WHERE first_seen >= ?4 AND first_seen < ?5), "
                   "act AS (SELECT ",
                   kPerson, " AS person, count(DISTINCT a.day) AS days FROM agg_actor_day a", kTie,
                   "WHERE a.app = ?1 AND a.day BETWEEN ?2 AND ?3 GROUP BY person) "
                   "SELECT count(*), COALESCE(SUM(COALESCE(act.days, 0) >= 2), 0) "
                   "FROM signups LEFT JOIN act USING (person)"}));
  bind_days(s, app, w);
  s.bind(4, w.from_ms()).bind(5, w.to_end_ms());
  s.step();
  const std::int64_t signups = s.column_int(0), new_mau = s.column_int(1);
  Report r;
  r.fields = {{"month", month},
              {"signups", signups},
              {"new_mau", new_mau},
              {"product_adoption_rate",
               100.0 * ratio(static_cast<double>(new_mau), static_cast<double>(signups))}};
  return r;
}

}  // namespace

Report run_sqlite_report(sqlite3* db, const ReportRequest& q,
                         const std::vector<std::string>& key_actions) {
  const Window w{q.from_day, q.to_day};
  // One read transaction: every query of a report sees the same snapshot.
  exec_sql(db, "BEGIN");
  try {
    Report r;
    if (q.name == "overview")
      r = overview(db, q.app, w);
    else if (q.name == "features")
      r = features(db, q.app, w);
    else if (q.name == "first-action")
      r = first_action(db, q.app, w, key_actions);
    else if (q.name == "stickiness")
      r = stickiness(db, q.app, w);
    else if (q.name == "funnel")
      r = funnel(db, q.app, w, q.feature, q.adopted_days);
    else if (q.name == "tips")
      r = tips(db, q.app, w);
    else if (q.name == "product-adoption")
      r = product_adoption(db, q.app, w, q.month);
    else
      throw StoreError("unknown report " + q.name);
    exec_sql(db, "COMMIT");
    return r;
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace uptake::collector
