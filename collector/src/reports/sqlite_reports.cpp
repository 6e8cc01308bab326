#include "sqlite_reports.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <map>
#include <set>

#include "../sqlite_db.hpp"

namespace uptake::collector {
namespace {

// A person's first seen: their earliest $install, else their earliest event (all time).
constexpr const char* kFirstSeen =
    "SELECT person, COALESCE(MIN(CASE WHEN type = 0 AND name = '$install' THEN ts END), MIN(ts)) "
    "AS first_seen FROM resolved WHERE app = ?1 GROUP BY person";
// Uses of features: track events whose name does not start with '$'.
constexpr const char* kIsFeature = "type = 0 AND substr(name, 1, 1) <> '$'";
constexpr std::int64_t kTipConversionMs = 604'800'000;

struct Window {
  std::int64_t from_ms, to_end_ms;
};

void bind_window(Statement& s, const std::string& app, const Window& w) {
  s.bind(1, app).bind(2, w.from_ms).bind(3, w.to_end_ms);
}

std::int64_t active_users(sqlite3* db, const std::string& app, const Window& w) {
  Statement s(db, "SELECT count(DISTINCT person) FROM resolved WHERE app = ?1 AND ts >= ?2 AND ts < ?3");
  bind_window(s, app, w);
  s.step();
  return s.column_int(0);
}

Report overview(sqlite3* db, const std::string& app, const Window& w) {
  Statement s(db,
              "SELECT count(DISTINCT person), count(*), count(DISTINCT NULLIF(session, '')) "
              "FROM resolved WHERE app = ?1 AND ts >= ?2 AND ts < ?3");
  bind_window(s, app, w);
  s.step();
  const std::int64_t active = s.column_int(0), events = s.column_int(1), sessions = s.column_int(2);
  Statement k(db, std::string("SELECT count(*) FROM (") + kFirstSeen + ") WHERE first_seen < ?3");
  bind_window(k, app, w);
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

Report features(sqlite3* db, const std::string& app, const Window& w) {
  const std::int64_t active = active_users(db, app, w);
  Statement s(db, std::string("WITH used AS (SELECT name, count(DISTINCT person) AS users, count(*) AS uses "
                              "FROM resolved WHERE app = ?1 AND ts >= ?2 AND ts < ?3 AND ") + kIsFeature +
                      " GROUP BY name), "
                      "firsts AS (SELECT name, person, MIN(ts) AS first_ts FROM resolved "
                      "WHERE app = ?1 AND name IN (SELECT name FROM used) AND type = 0 GROUP BY name, person), "
                      "fresh AS (SELECT name, count(*) AS new_users FROM firsts "
                      "WHERE first_ts >= ?2 AND first_ts < ?3 GROUP BY name) "
                      "SELECT used.name, used.users, used.uses, COALESCE(fresh.new_users, 0) "
                      "FROM used LEFT JOIN fresh USING (name) ORDER BY used.users DESC, used.name");
  bind_window(s, app, w);
  ReportTable t{"rows", {"feature", "users", "uses", "adoption_rate", "new_users", "new_user_pct"}, {}};
  while (s.step()) {
    const std::int64_t users = s.column_int(1), fresh = s.column_int(3);
    t.rows.push_back({s.column_text(0), users, s.column_int(2),
                      ratio(static_cast<double>(users), static_cast<double>(active)), fresh,
                      100.0 * ratio(static_cast<double>(fresh), static_cast<double>(users))});
  }
  Report r;
  r.tables.push_back(std::move(t));
  r.csv_table = "rows";
  return r;
}

Report first_action(sqlite3* db, const std::string& app, const Window& w, std::vector<std::string> actions) {
  if (actions.empty()) {
    Statement s(db, std::string("SELECT DISTINCT name FROM resolved WHERE app = ?1 AND ts >= ?2 AND ts < ?3 AND ") +
                        kIsFeature + " ORDER BY name");
    bind_window(s, app, w);
    while (s.step()) actions.push_back(s.column_text(0));
  }
  Statement durations(db, std::string("WITH fs AS (") + kFirstSeen +
                              "), fu AS (SELECT person, MIN(ts) AS first_use FROM resolved "
                              "WHERE app = ?1 AND type = 0 AND name = ?4 GROUP BY person) "
                              "SELECT MAX(fu.first_use - fs.first_seen, 0) FROM fu JOIN fs USING (person) "
                              "WHERE fu.first_use >= ?2 AND fu.first_use < ?3");
  Statement device(db,
                   "SELECT person, ts, id, json_extract(props, '$.ms_since_install') FROM resolved "
                   "WHERE app = ?1 AND ts >= ?2 AND ts < ?3 AND type = 0 AND name = '$first_action' "
                   "AND json_extract(props, '$.feature') = ?4 ORDER BY person, ts, id");
  ReportTable t{"rows", {"feature", "users", "p50_ms", "p90_ms", "mean_ms", "device_p50_ms"}, {}};
  for (const std::string& feature : actions) {
    durations.reset();
    bind_window(durations, app, w);
    durations.bind(4, feature);
    std::vector<std::int64_t> values;
    while (durations.step()) values.push_back(durations.column_int(0));
    std::sort(values.begin(), values.end());
    long double sum = 0;
    for (auto v : values) sum += static_cast<long double>(v);
    const std::int64_t mean =
        values.empty() ? 0 : static_cast<std::int64_t>(std::floor(sum / static_cast<long double>(values.size())));

    device.reset();
    bind_window(device, app, w);
    device.bind(4, feature);
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

Report stickiness(sqlite3* db, const std::string& app, const Window& w, std::int64_t from_day, std::int64_t to_day) {
  std::map<std::int64_t, std::int64_t> per_day;
  Statement s(db,
              "SELECT ts / 86400000 AS day, count(DISTINCT person) FROM resolved "
              "WHERE app = ?1 AND ts >= ?2 AND ts < ?3 GROUP BY day");
  bind_window(s, app, w);
  while (s.step()) per_day[s.column_int(0)] = s.column_int(1);
  ReportTable dau{"dau", {"day", "users"}, {}};
  std::int64_t total = 0;
  for (std::int64_t d = from_day; d <= to_day; ++d) {
    const std::int64_t users = per_day.contains(d) ? per_day[d] : 0;
    total += users;
    dau.rows.push_back({day_string(d), users});
  }
  ReportTable power{"power_users", {"days", "users"}, {}};
  Statement p(db,
              "SELECT days, count(*) FROM (SELECT person, count(DISTINCT ts / 86400000) AS days "
              "FROM resolved WHERE app = ?1 AND ts >= ?2 AND ts < ?3 GROUP BY person) GROUP BY days ORDER BY days");
  bind_window(p, app, w);
  while (p.step()) power.rows.push_back({p.column_int(0), p.column_int(1)});
  const std::int64_t mau = active_users(db, app, w);
  const double avg = static_cast<double>(total) / static_cast<double>(to_day - from_day + 1);
  Report r;
  r.fields = {{"avg_dau", avg}, {"mau", mau}, {"stickiness", ratio(avg, static_cast<double>(mau))}};
  r.tables = {std::move(dau), std::move(power)};
  r.csv_table = "dau";
  return r;
}

Report funnel(sqlite3* db, const std::string& app, const Window& w, const std::string& feature, std::int64_t adopted_days) {
  Statement s(db,
              "WITH per AS (SELECT person, MAX(name = ?4) AS used, "
              "MAX(name = '$tip_shown' AND json_extract(props, '$.feature') = ?4) AS shown, "
              "MAX(name = '$tip_clicked' AND json_extract(props, '$.feature') = ?4) AS clicked, "
              "count(DISTINCT CASE WHEN name = ?4 THEN ts / 86400000 END) AS use_days "
              "FROM resolved WHERE app = ?1 AND ts >= ?2 AND ts < ?3 AND type = 0 "
              "AND (name = ?4 OR name IN ('$tip_shown', '$tip_clicked')) GROUP BY person) "
              "SELECT COALESCE(SUM(shown OR used), 0), COALESCE(SUM(clicked OR used), 0), "
              "COALESCE(SUM(used), 0), COALESCE(SUM(use_days >= ?5), 0) FROM per");
  bind_window(s, app, w);
  s.bind(4, feature).bind(5, adopted_days);
  s.step();
  const std::int64_t aware = s.column_int(0);
  ReportTable t{"rows", {"stage", "users", "conversion"}, {}};
  const char* stages[] = {"aware", "interested", "trial", "adopted"};
  for (int i = 0; i < 4; ++i) {
    const std::int64_t users = s.column_int(i);
    t.rows.push_back({std::string(stages[i]), users, ratio(static_cast<double>(users), static_cast<double>(aware))});
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
  Statement s(db,
              "SELECT person, name, ts, json_extract(props, '$.tip'), json_extract(props, '$.feature'), id "
              "FROM resolved WHERE app = ?1 AND ts >= ?2 AND ts < ?3 AND type = 0 AND name IN "
              "('$tip_shown', '$tip_held_out', '$tip_clicked', '$tip_dismissed') ORDER BY ts, id");
  bind_window(s, app, w);
  std::vector<std::tuple<std::string, std::string, std::int64_t, std::string>> interactions;
  while (s.step()) {
    if (sqlite3_column_type(s.get(), 3) != SQLITE_TEXT) continue;  // no props.tip: not a tip event
    const std::string person = s.column_text(0), name = s.column_text(1), tip = s.column_text(3);
    const std::int64_t ts = s.column_int(2);
    if (name == "$tip_shown" || name == "$tip_held_out") {
      TipData& d = by_tip[tip];
      if (ts < d.feature_ts) {  // F is the feature of the tip's earliest such event
        d.feature_ts = ts;
        d.feature = s.column_text(4);
      }
      auto& firsts = name == "$tip_shown" ? d.first_shown : d.first_held;
      firsts.emplace(person, ts);  // ordered by ts: the first insert is the earliest
    } else {
      interactions.emplace_back(tip, name, ts, person);
    }
  }
  for (const auto& [tip, name, ts, person] : interactions) {
    auto it = by_tip.find(tip);
    if (it == by_tip.end()) continue;
    (name == "$tip_clicked" ? it->second.clicked : it->second.dismissed).insert(person);
  }
  Statement uses(db,
                 "SELECT person, ts FROM resolved WHERE app = ?1 AND type = 0 AND name = ?2 "
                 "AND ts > ?3 AND ts <= ?4 ORDER BY person, ts");
  auto converted = [&](const std::string& feature, const std::map<std::string, std::int64_t>& firsts) {
    if (firsts.empty()) return std::int64_t{0};
    std::int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (const auto& [p, ts] : firsts) {
      lo = std::min(lo, ts);
      hi = std::max(hi, ts);
    }
    uses.reset();
    uses.bind(1, app).bind(2, feature).bind(3, lo).bind(4, hi + kTipConversionMs);
    std::set<std::string> done;
    while (uses.step()) {
      const std::string person = uses.column_text(0);
      auto f = firsts.find(person);
      if (f == firsts.end() || done.contains(person)) continue;
      const std::int64_t ts = uses.column_int(1);
      if (ts > f->second && ts <= f->second + kTipConversionMs) done.insert(person);
    }
    return static_cast<std::int64_t>(done.size());
  };
  ReportTable t{"rows",
                {"tip", "feature", "shown", "clicked", "dismissed", "converted", "conversion_rate", "held_out",
                 "held_out_converted", "held_out_rate", "lift"},
                {}};
  for (const auto& [tip, d] : by_tip) {
    const auto shown = static_cast<std::int64_t>(d.first_shown.size());
    const auto held = static_cast<std::int64_t>(d.first_held.size());
    const std::int64_t conv = converted(d.feature, d.first_shown);
    const std::int64_t held_conv = converted(d.feature, d.first_held);
    const double rate = ratio(static_cast<double>(conv), static_cast<double>(shown));
    const double held_rate = ratio(static_cast<double>(held_conv), static_cast<double>(held));
    t.rows.push_back({tip, d.feature, shown, static_cast<std::int64_t>(d.clicked.size()),
                      static_cast<std::int64_t>(d.dismissed.size()), conv, rate, held, held_conv, held_rate,
                      rate - held_rate});
  }
  Report r;
  r.tables.push_back(std::move(t));
  r.csv_table = "rows";
  return r;
}

Report product_adoption(sqlite3* db, const std::string& app, const Window& w, const std::string& month) {
  Statement s(db, std::string("WITH fs AS (") + kFirstSeen +
                      "), signups AS (SELECT person FROM fs WHERE first_seen >= ?2 AND first_seen < ?3), "
                      "act AS (SELECT person, count(DISTINCT ts / 86400000) AS days FROM resolved "
                      "WHERE app = ?1 AND ts >= ?2 AND ts < ?3 GROUP BY person) "
                      "SELECT count(*), COALESCE(SUM(COALESCE(act.days, 0) >= 2), 0) "
                      "FROM signups LEFT JOIN act USING (person)");
  bind_window(s, app, w);
  s.step();
  const std::int64_t signups = s.column_int(0), new_mau = s.column_int(1);
  Report r;
  r.fields = {{"month", month},
              {"signups", signups},
              {"new_mau", new_mau},
              {"product_adoption_rate", 100.0 * ratio(static_cast<double>(new_mau), static_cast<double>(signups))}};
  return r;
}

}  // namespace

Report run_sqlite_report(sqlite3* db, const ReportRequest& q, const std::vector<std::string>& key_actions) {
  const Window w{q.from_day * kDayMs, (q.to_day + 1) * kDayMs};
  // One read transaction: every query of a report sees the same snapshot.
  exec_sql(db, "BEGIN");
  try {
    Report r;
    if (q.name == "overview") r = overview(db, q.app, w);
    else if (q.name == "features") r = features(db, q.app, w);
    else if (q.name == "first-action") r = first_action(db, q.app, w, key_actions);
    else if (q.name == "stickiness") r = stickiness(db, q.app, w, q.from_day, q.to_day);
    else if (q.name == "funnel") r = funnel(db, q.app, w, q.feature, q.adopted_days);
    else if (q.name == "tips") r = tips(db, q.app, w);
    else if (q.name == "product-adoption") r = product_adoption(db, q.app, w, q.month);
    else throw StoreError("unknown report " + q.name);
    exec_sql(db, "COMMIT");
    return r;
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace uptake::collector
