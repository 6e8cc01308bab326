#include "storage/sqlite/aggregates.hpp"

#include <optional>
#include <set>

#include "config/limits.hpp"
#include "storage/marker_props.hpp"
#include "storage/sqlite/event_log.hpp"
#include "storage/sqlite/sqlite_db.hpp"

namespace uptake::collector {

const char* const kAggregateSchema = R"(
CREATE TABLE IF NOT EXISTS agg_actor_day (
  app TEXT NOT NULL, day INTEGER NOT NULL, kind INTEGER NOT NULL, actor TEXT NOT NULL, events INTEGER NOT NULL,
  person TEXT NOT NULL, PRIMARY KEY (app, day, kind, actor)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS agg_actor_day_actor ON agg_actor_day (app, kind, actor);
CREATE TABLE IF NOT EXISTS agg_actor_first (
  app TEXT NOT NULL, kind INTEGER NOT NULL, actor TEXT NOT NULL, first_ts INTEGER NOT NULL, install_ts INTEGER,
  person TEXT NOT NULL, PRIMARY KEY (app, kind, actor)) WITHOUT ROWID;
DROP INDEX IF EXISTS agg_actor_first_person;
CREATE INDEX IF NOT EXISTS agg_actor_first_by_person ON agg_actor_first (app, person, first_ts, install_ts);
CREATE TABLE IF NOT EXISTS agg_feature_day (
  app TEXT NOT NULL, feature TEXT NOT NULL, day INTEGER NOT NULL, kind INTEGER NOT NULL, actor TEXT NOT NULL,
  uses INTEGER NOT NULL, first_ts INTEGER NOT NULL, last_ts INTEGER NOT NULL, person TEXT NOT NULL,
  PRIMARY KEY (app, feature, day, kind, actor)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS agg_feature_day_actor ON agg_feature_day (app, kind, actor);
-- Keyed by actor first: rekeys and deletes find an actor's rows by the key, and a person's
-- earlier first use is one key seek per actor; only the window index is extra (each index is a
-- B-tree every new row is written to).
CREATE TABLE IF NOT EXISTS agg_feature_first (
  app TEXT NOT NULL, feature TEXT NOT NULL, kind INTEGER NOT NULL, actor TEXT NOT NULL, first_ts INTEGER NOT NULL,
  person TEXT NOT NULL, PRIMARY KEY (app, kind, actor, feature)) WITHOUT ROWID;
-- First uses in a window (new users, time to first action).
CREATE INDEX IF NOT EXISTS agg_feature_first_window ON agg_feature_first (app, feature, first_ts, person);
CREATE TABLE IF NOT EXISTS agg_session_day (
  app TEXT NOT NULL, day INTEGER NOT NULL, session TEXT NOT NULL, PRIMARY KEY (app, day, session)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS agg_marker (
  app TEXT NOT NULL, name TEXT NOT NULL, ts INTEGER NOT NULL, id TEXT NOT NULL, kind INTEGER NOT NULL,
  actor TEXT NOT NULL, tip TEXT, feature TEXT, ms_since_install INTEGER, person TEXT NOT NULL,
  PRIMARY KEY (app, name, ts, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS agg_marker_actor ON agg_marker (app, kind, actor);
-- The newest event block the rows above include (see DeferredAggregates).
CREATE TABLE IF NOT EXISTS agg_progress (
  one INTEGER PRIMARY KEY CHECK (one = 1), last_block INTEGER NOT NULL);
)";

std::int64_t utc_day(std::int64_t ts_ms) {
  constexpr std::int64_t kDay = 86'400'000;
  std::int64_t d = ts_ms / kDay;
  if (ts_ms % kDay < 0) --d;
  return d;
}

void AggregateBatch::add(const std::string& app, const Event& e) {
  const int kind = e.user.empty() ? 0 : 1;
  const std::string& actor = e.user.empty() ? e.anon : e.user;
  const std::int64_t day = utc_day(e.ts);
  Current& c = current_;
  if (c.kind != kind || c.actor != actor || c.app != app) {
    c.app = app;
    c.actor = actor;
    c.kind = kind;
    c.day = INT64_MIN;
    c.session_day = INT64_MIN;  // the session set is per app
    c.first_entry = &actor_first_[{app, kind, actor}];
    c.feature_firsts.clear();
  }
  if (c.day != day) {
    c.day = day;
    c.day_entry = &actor_day_[{app, day, kind, actor}];
    c.feature_days.clear();
  }
  ++c.day_entry->n;
  First& f = *c.first_entry;
  f.first_ts = std::min(f.first_ts, e.ts);
  if (e.type == EventType::track && e.name == "$install")
    f.install_ts = std::min(f.install_ts, e.ts);
  if (!e.session.empty() && (c.session != e.session || c.session_day != day)) {
    session_day_[{app, day, e.session}] = true;
    c.session = e.session;
    c.session_day = day;
  }
  if (e.type != EventType::track) return;
  if (!e.name.empty() && e.name.front() != '$') {
    auto cached = [&e](auto& list, auto make) {
      for (auto& [name, entry] : list) {
        if (name == e.name) return entry;
      }
      list.emplace_back(e.name, make());
      return list.back().second;
    };
    Span& s = *cached(c.feature_days, [&] {
      return &feature_day_[{app, e.name, day, kind, actor}];
    });
    ++s.count;
    s.first_ts = std::min(s.first_ts, e.ts);
    s.last_ts = std::max(s.last_ts, e.ts);
    First& ff = *cached(c.feature_firsts, [&] {
      return &feature_first_[{app, e.name, kind, actor}];
    });
    ff.first_ts = std::min(ff.first_ts, e.ts);
  } else if (is_marker_name(e.name)) {
    Marker m{app, e.name, e.id, actor, {}, {}, {}, e.ts, kind};
    const MarkerProps props = marker_props(e.props);
    m.tip = props.tip.value_or("");
    m.feature = props.feature.value_or("");
    m.ms_since_install = props.ms_since_install;
    markers_.push_back(std::move(m));
  }
}

void AggregateBatch::add_session(const std::string& app, const Event& e) {
  if (!e.session.empty()) session_day_[{app, utc_day(e.ts), e.session}] = true;
}

namespace {

// The person of an actor now (METRICS.md): a user is themself; an anon is the user its
// earliest identify tied it to, else itself. Answers are kept for the rest of the flush.
class PersonOf {
 public:
  explicit PersonOf(sqlite3* db)
      : tie_(db, "SELECT user FROM identities WHERE app = ?1 AND anon = ?2") {}
  const std::string& operator()(const std::string& app, int kind, const std::string& actor) {
    if (kind == 1) return actor;
    auto [it, fresh] = anons_.try_emplace({app, actor}, actor);
    if (fresh) {
      tie_.reset();
      tie_.bind(1, app).bind(2, actor);
      if (tie_.step()) it->second = tie_.column_text(0);
    }
    return it->second;
  }

 private:
  Statement tie_;
  std::map<std::pair<std::string, std::string>, std::string> anons_;
};

// Writes `rows` with many rows per INSERT: for rows this small the statement's own work (VM
// setup, reset) is a large part of the cost. `bind_row(statement, offset, row)` binds one row
// at parameters offset + 1 .. offset + columns. Bound text must outlive the call.
template <class Rows, class BindRow>
void upsert_rows(sqlite3* db, const char* insert, int columns, const char* conflict,
                 const Rows& rows, BindRow bind_row) {
  auto sql_for = [&](std::size_t n) {
    std::string one = "(";
    for (int c = 0; c < columns; ++c) one += c ? ",?" : "?";
    one += ")";
    std::string sql = std::string(insert) + " VALUES ";
    for (std::size_t r = 0; r < n; ++r) sql += (r ? "," : "") + one;
    return sql + " " + conflict;
  };
  std::optional<Statement> full;
  auto it = rows.begin();
  for (std::size_t left = rows.size(); left > 0;) {
    const std::size_t n = std::min(left, limits::kSqliteRowsPerInsert);
    std::optional<Statement> partial;
    if (n == limits::kSqliteRowsPerInsert && !full) full.emplace(db, sql_for(n));
    Statement& s = n == limits::kSqliteRowsPerInsert ? *full : partial.emplace(db, sql_for(n));
    for (std::size_t r = 0; r < n; ++r, ++it) bind_row(s, static_cast<int>(r) * columns, *it);
    s.step();
    s.reset();
    left -= n;
  }
}

}  // namespace

void AggregateBatch::flush(sqlite3* db) {
  PersonOf person_of(db);
  upsert_rows(db, "INSERT INTO agg_actor_day", 6,
              "ON CONFLICT DO UPDATE SET events = events + excluded.events, "
              "person = excluded.person",
              actor_day_, [&](Statement& s, int o, const auto& row) {
                const auto& [k, c] = row;
                s.bind(o + 1, std::get<0>(k))
                    .bind(o + 2, std::get<1>(k))
                    .bind(o + 3, static_cast<std::int64_t>(std::get<2>(k)));
                s.bind(o + 4, std::get<3>(k)).bind(o + 5, c.n);
                s.bind(o + 6, person_of(std::get<0>(k), std::get<2>(k), std::get<3>(k)));
              });
  upsert_rows(db, "INSERT INTO agg_actor_first", 6,
              "ON CONFLICT DO UPDATE SET "
              "person = excluded.person, first_ts = min(first_ts, excluded.first_ts), install_ts = "
              "CASE WHEN install_ts IS NULL "
              "THEN excluded.install_ts WHEN excluded.install_ts IS NULL THEN install_ts "
              "ELSE min(install_ts, excluded.install_ts) END "
              "WHERE excluded.first_ts < first_ts OR person <> excluded.person OR "
              "(excluded.install_ts IS NOT NULL AND (install_ts IS NULL OR excluded.install_ts < "
              "install_ts))",
              actor_first_, [&](Statement& s, int o, const auto& row) {
                const auto& [k, f] = row;
                s.bind(o + 1, std::get<0>(k))
                    .bind(o + 2, static_cast<std::int64_t>(std::get<1>(k)))
                    .bind(o + 3, std::get<2>(k));
                s.bind(o + 4, f.first_ts);
                s.bind(o + 6, person_of(std::get<0>(k), std::get<1>(k), std::get<2>(k)));
                if (f.install_ts != INT64_MAX) s.bind(o + 5, f.install_ts);
              });
  upsert_rows(
      db, "INSERT INTO agg_feature_day", 9,
      "ON CONFLICT DO UPDATE SET "
      "person = excluded.person, uses = uses + excluded.uses, first_ts = min(first_ts, "
      "excluded.first_ts), last_ts = max(last_ts, excluded.last_ts)",
      feature_day_, [&](Statement& s, int o, const auto& row) {
        const auto& [k, v] = row;
        s.bind(o + 1, std::get<0>(k)).bind(o + 2, std::get<1>(k)).bind(o + 3, std::get<2>(k));
        s.bind(o + 4, static_cast<std::int64_t>(std::get<3>(k))).bind(o + 5, std::get<4>(k));
        s.bind(o + 6, v.count).bind(o + 7, v.first_ts).bind(o + 8, v.last_ts);
        s.bind(o + 9, person_of(std::get<0>(k), std::get<3>(k), std::get<4>(k)));
      });
  upsert_rows(db, "INSERT INTO agg_feature_first", 6,
              "ON CONFLICT DO UPDATE SET first_ts = min(first_ts, excluded.first_ts), person = "
              "excluded.person WHERE excluded.first_ts < first_ts OR person <> excluded.person",
              feature_first_, [&](Statement& s, int o, const auto& row) {
                const auto& [k, f] = row;
                s.bind(o + 1, std::get<0>(k))
                    .bind(o + 2, std::get<1>(k))
                    .bind(o + 3, static_cast<std::int64_t>(std::get<2>(k)));
                s.bind(o + 4, std::get<3>(k)).bind(o + 5, f.first_ts);
                s.bind(o + 6, person_of(std::get<0>(k), std::get<2>(k), std::get<3>(k)));
              });
  upsert_rows(
      db, "INSERT OR IGNORE INTO agg_session_day", 3, "", session_day_,
      [&](Statement& s, int o, const auto& row) {
        const auto& k = row.first;
        s.bind(o + 1, std::get<0>(k)).bind(o + 2, std::get<1>(k)).bind(o + 3, std::get<2>(k));
      });
  upsert_rows(db, "INSERT OR IGNORE INTO agg_marker", 10, "", markers_,
              [&](Statement& s, int o, const Marker& m) {
                s.bind(o + 1, m.app).bind(o + 2, m.name).bind(o + 3, m.ts).bind(o + 4, m.id);
                s.bind(o + 5, static_cast<std::int64_t>(m.kind)).bind(o + 6, m.actor);
                s.bind_or_null(o + 7, m.tip).bind_or_null(o + 8, m.feature);
                s.bind(o + 10, person_of(m.app, m.kind, m.actor));
                if (m.ms_since_install) s.bind(o + 9, *m.ms_since_install);
              });
  actor_day_.clear();
  actor_first_.clear();
  feature_day_.clear();
  feature_first_.clear();
  session_day_.clear();
  markers_.clear();
  current_ = Current{};
}

void rekey_anons(sqlite3* db, const NewTies& ties) {
  if (ties.empty()) return;
  for (const char* table :
       {"agg_actor_day", "agg_actor_first", "agg_feature_day", "agg_feature_first", "agg_marker"}) {
    Statement s(db, std::string("UPDATE ") + table +
                        " SET person = ?3 WHERE app = ?1 AND kind = 0 AND actor = ?2");
    for (const auto& [key, person] : ties) {
      s.bind(1, key.first).bind(2, key.second).bind(3, person);
      s.step();
      s.reset();
    }
  }
}

void rebuild_feature_first_from_days(sqlite3* db) {
  exec_sql(db,
           "DELETE FROM agg_feature_first; INSERT INTO agg_feature_first SELECT app, feature, "
           "kind, actor, MIN(first_ts), MIN(person) FROM agg_feature_day GROUP BY app, feature, "
           "kind, actor");
}

namespace {

constexpr const char* kActorTables[] = {"agg_actor_day", "agg_actor_first", "agg_feature_day",
                                        "agg_feature_first", "agg_marker"};

// Replays stored events into aggregates, flushing in slices so memory stays bounded.
class Replay {
 public:
  explicit Replay(sqlite3* db) : db_(db) {}
  void add(const std::string& app, const Event& e) {
    batch_.add(app, e);
    count();
  }
  void add_session(const std::string& app, const Event& e) {
    batch_.add_session(app, e);
    count();
  }
  void finish() { batch_.flush(db_); }

 private:
  void count() {
    if (++pending_ == limits::kSqliteReplaySliceEvents) {
      batch_.flush(db_);
      pending_ = 0;
    }
  }
  sqlite3* db_;
  AggregateBatch batch_;
  std::size_t pending_ = 0;
};

}  // namespace

std::optional<std::int64_t> aggregated_through(sqlite3* db) {
  Statement s(db, "SELECT last_block FROM agg_progress");
  if (!s.step()) return std::nullopt;
  return s.column_int(0);
}

void set_aggregated_through(sqlite3* db, std::int64_t block) {
  Statement s(db, "INSERT OR REPLACE INTO agg_progress (one, last_block) VALUES (1, ?1)");
  s.bind(1, block);
  s.step();
}

void catch_up_aggregates(sqlite3* db) {
  const std::int64_t newest = newest_block(db);
  const std::int64_t through = aggregated_through(db).value_or(0);
  if (through >= newest) return;
  Replay replay(db);
  for_each_stored_event(
      db, "", [&](const std::string& app, const Event& e) { replay.add(app, e); }, through);
  replay.finish();
  set_aggregated_through(db, newest);
}

void rebuild_all_aggregates(sqlite3* db) {
  for (const char* table : kActorTables) {
    exec_sql(db, (std::string("DELETE FROM ") + table).c_str());
  }
  exec_sql(db, "DELETE FROM agg_session_day");
  set_aggregated_through(db, 0);
  catch_up_aggregates(db);
}

std::int64_t delete_events_and_reaggregate(sqlite3* db, const std::string& app,
                                           const std::function<bool(const Event&)>& doomed) {
  using Actor = std::pair<int, std::string>;                // kind, actor
  using SessionDay = std::pair<std::int64_t, std::string>;  // day, session
  std::set<Actor> actors;
  std::set<SessionDay> sessions;
  const std::int64_t deleted = delete_stored_events(db, app, doomed, [&](const Event& e) {
    actors.emplace(e.user.empty() ? 0 : 1, e.user.empty() ? e.anon : e.user);
    if (!e.session.empty()) sessions.emplace(utc_day(e.ts), e.session);
  });
  if (deleted == 0) return 0;
  // Every actor and session-day the deleted events counted in is recomputed from what remains.
  for (const char* table : kActorTables) {
    Statement s(
        db, std::string("DELETE FROM ") + table + " WHERE app = ?1 AND kind = ?2 AND actor = ?3");
    for (const auto& [kind, actor] : actors) {
      s.bind(1, app).bind(2, static_cast<std::int64_t>(kind)).bind(3, actor);
      s.step();
      s.reset();
    }
  }
  {
    Statement s(db, "DELETE FROM agg_session_day WHERE app = ?1 AND day = ?2 AND session = ?3");
    for (const auto& [day, session] : sessions) {
      s.bind(1, app).bind(2, day).bind(3, session);
      s.step();
      s.reset();
    }
  }
  Replay replay(db);
  for_each_stored_event(db, app, [&](const std::string& a, const Event& e) {
    if (actors.contains({e.user.empty() ? 0 : 1, e.user.empty() ? e.anon : e.user})) {
      replay.add(a, e);
    } else if (!e.session.empty() && sessions.contains({utc_day(e.ts), e.session})) {
      replay.add_session(a, e);
    }
  });
  replay.finish();
  return deleted;
}

}  // namespace uptake::collector
