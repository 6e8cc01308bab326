#include "storage/sqlite/sqlite_reports.hpp"

#include <algorithm>
#include <climits>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "reports/figures.hpp"
#include "storage/sqlite/aggregates.hpp"
#include "storage/sqlite/sqlite_db.hpp"

namespace uptake::collector {
namespace {

// Aggregate rows carry their actor's person (METRICS.md identity), kept current at ingest.
constexpr const char* kPerson = "a.person";
constexpr const char* kTie = " ";

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
  [[nodiscard]] std::int64_t from_ms() const { return from_day * kDayMs; }
  [[nodiscard]] std::int64_t to_end_ms() const { return (to_day + 1) * kDayMs; }
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
  return overview_report({active, k.column_int(0), events, sessions});
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

// Sets and maps keyed by person, looked up with the row's text without copying it.
struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using PersonSet = std::unordered_set<std::string, TextHash, std::equal_to<>>;
template <class V>
using PersonMap = std::unordered_map<std::string, V, TextHash, std::equal_to<>>;

// Persons with more than one actor (an anon and a user id, or several devices).
PersonSet multi_actor_persons(sqlite3* db, const std::string& app) {
  PersonSet out;
  Statement s(db,
              "SELECT person FROM agg_actor_first WHERE app = ?1 GROUP BY person "
              "HAVING count(*) > 1");
  s.bind(1, app);
  while (s.step()) out.emplace(s.column_view(0));
  return out;
}

// Persons whose first use of F ever falls in the window, with that first use. Only the
// window's first uses are read (index on feature, first_ts). A person with one actor has one
// first-use row per feature, the one just read; only persons with several actors are checked
// for an earlier first use under another actor (their actors, then one key seek each; CROSS
// JOIN keeps that order, which the planner would otherwise swap for a scan of the feature).
class NewUsersOf {
 public:
  NewUsersOf(sqlite3* db, const std::string& app, const Window& w, const PersonSet& multi_actor)
      : app_(app),
        w_(w),
        multi_actor_(multi_actor),
        in_window_(db,
                   "SELECT person, first_ts FROM agg_feature_first INDEXED BY "
                   "agg_feature_first_window WHERE app = ?1 AND feature = ?2 AND first_ts >= ?3 "
                   "AND first_ts < ?4"),
        earlier_(
            db,
            "SELECT 1 FROM agg_actor_first a CROSS JOIN agg_feature_first f ON f.app = a.app AND "
            "f.kind = a.kind AND f.actor = a.actor AND f.feature = ?2 WHERE a.app = ?1 AND "
            "a.person = ?3 AND f.first_ts < ?4 LIMIT 1") {}

  /// (person, first use) sorted by person.
  std::vector<std::pair<std::string, std::int64_t>> operator()(const std::string& feature) {
    std::vector<std::pair<std::string, std::int64_t>> firsts;
    in_window_.reset();
    in_window_.bind(1, app_).bind(2, feature).bind(3, w_.from_ms()).bind(4, w_.to_end_ms());
    while (in_window_.step())
      firsts.emplace_back(in_window_.column_view(0), in_window_.column_int(1));
    // In person order: one entry per person with their earliest time, and the earlier-use
    // seeks below walk the index forward instead of jumping around it.
    std::sort(firsts.begin(), firsts.end());
    firsts.erase(std::unique(firsts.begin(), firsts.end(),
                             [](const auto& a, const auto& b) { return a.first == b.first; }),
                 firsts.end());
    std::erase_if(firsts, [&](const auto& entry) {
      if (!multi_actor_.contains(entry.first)) return false;
      earlier_.reset();
      earlier_.bind(1, app_).bind(2, feature).bind(3, entry.first).bind(4, w_.from_ms());
      return earlier_.step();
    });
    return firsts;
  }

 private:
  const std::string& app_;
  Window w_;
  const PersonSet& multi_actor_;
  Statement in_window_, earlier_;
};

Report features(sqlite3* db, const std::string& app, const Window& w) {
  const std::int64_t active = active_users(db, app, w);
  // Distinct persons are counted here rather than by count(DISTINCT): a hash set is several
  // times faster than SQLite's temporary b-tree.
  Statement usage(db,
                  "SELECT person, uses FROM agg_feature_day "
                  "WHERE app = ?1 AND feature = ?2 AND day BETWEEN ?3 AND ?4");
  const PersonSet multi_actor = multi_actor_persons(db, app);
  NewUsersOf new_users_of(db, app, w, multi_actor);
  std::vector<FeatureFigures> rows;
  PersonSet users;
  for (const std::string& feature : features_used(db, app, w)) {
    usage.reset();
    usage.bind(1, app).bind(2, feature).bind(3, w.from_day).bind(4, w.to_day);
    users.clear();
    std::int64_t uses = 0;
    while (usage.step()) {
      const std::string_view person = usage.column_view(0);
      if (!users.contains(person)) users.emplace(person);
      uses += usage.column_int(1);
    }
    rows.push_back({feature, static_cast<std::int64_t>(users.size()), uses,
                    static_cast<std::int64_t>(new_users_of(feature).size())});
  }
  return features_report(std::move(rows), active);
}

Report first_action(sqlite3* db, const std::string& app, const Window& w,
                    std::vector<std::string> actions) {
  if (actions.empty()) actions = features_used(db, app, w);
  // First seen of every person (earliest $install, else earliest event), read once in person
  // order from the covering index.
  PersonMap<std::int64_t> first_seen;
  PersonSet multi_actor;
  Statement seen(db,
                 "SELECT person, COALESCE(MIN(install_ts), MIN(first_ts)), count(*) FROM "
                 "agg_actor_first WHERE app = ?1 GROUP BY person");
  seen.bind(1, app);
  while (seen.step()) {
    first_seen.emplace(seen.column_view(0), seen.column_int(1));
    if (seen.column_int(2) > 1) multi_actor.emplace(seen.column_view(0));
  }
  NewUsersOf new_users_of(db, app, w, multi_actor);
  Statement device(db,
                   "SELECT a.person, a.ts, a.id, a.ms_since_install FROM agg_marker a "
                   "WHERE a.app = ?1 AND a.name = '$first_action' AND a.ts >= ?2 AND a.ts < ?3 "
                   "AND a.feature = ?4 ORDER BY a.person, a.ts, a.id");
  std::vector<FirstActionFigures> rows;
  for (const std::string& feature : actions) {
    FirstActionFigures& f = rows.emplace_back();
    f.feature = feature;
    for (const auto& [person, first_use] : new_users_of(feature)) {
      const auto it = first_seen.find(person);
      const std::int64_t since = it == first_seen.end() ? first_use : it->second;
      f.durations_ms.push_back(std::max<std::int64_t>(0, first_use - since));
    }
    device.reset();
    device.bind(1, app).bind(2, w.from_ms()).bind(3, w.to_end_ms()).bind(4, feature);
    std::string last_person;
    bool first = true;
    while (device.step()) {
      const std::string_view person = device.column_view(0);
      if (!first && person == last_person) continue;  // only each person's earliest
      first = false;
      last_person = person;
      f.device_ms.push_back(device.column_int(3));
    }
  }
  return first_action_report(std::move(rows));
}

Report stickiness(sqlite3* db, const std::string& app, const Window& w) {
  StickinessFigures f;
  Statement s(db, sql({"SELECT a.day, count(DISTINCT ", kPerson, ") FROM agg_actor_day a", kTie,
                       "WHERE a.app = ?1 AND a.day BETWEEN ?2 AND ?3 GROUP BY a.day"}));
  bind_days(s, app, w);
  while (s.step()) f.users_by_day[s.column_int(0)] = s.column_int(1);
  Statement p(db, sql({"SELECT days, count(*) FROM (SELECT ", kPerson,
                       " AS person, count(DISTINCT a.day) AS days "
                       "FROM agg_actor_day a",
                       kTie,
                       "WHERE a.app = ?1 AND a.day BETWEEN ?2 AND ?3 GROUP BY person) "
                       "GROUP BY days ORDER BY days"}));
  bind_days(p, app, w);
  while (p.step()) f.users_by_day_count[p.column_int(0)] = p.column_int(1);
  return stickiness_report(f, w.from_day, w.to_day);
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
  FunnelFigures f;
  for (const auto& [person, st] : people) {
    f.aware += st.shown || st.used;
    f.interested += st.clicked || st.used;
    f.trial += st.used;
    f.adopted += st.days >= adopted_days;
  }
  return funnel_report(f);
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
  std::vector<TipFigures> rows;
  for (const auto& [tip, d] : by_tip) {
    rows.push_back(
        {tip, d.feature, static_cast<std::int64_t>(d.first_shown.size()),
         static_cast<std::int64_t>(d.clicked.size()), static_cast<std::int64_t>(d.dismissed.size()),
         converted(d.feature, d.first_shown), static_cast<std::int64_t>(d.first_held.size()),
         converted(d.feature, d.first_held)});
  }
  return tips_report(std::move(rows));
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
  return product_adoption_report({s.column_int(0), s.column_int(1)}, month);
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
