#pragma once
// Incremental report aggregates, maintained in the same transaction as the events they count.
//
// Exact under identity merges: rows are keyed by the event's own actor (kind 1 = its user,
// kind 0 = its anon) and carry the actor's person (METRICS.md: the user, else the user an
// identify tied to the anon, else the anon). When an identify changes an anon's tie, that
// anon's rows are re-keyed in the same transaction (rekey_anons), before or after the fact.
// Day-granular rows carry the first and last use time, so windows of whole UTC days and the
// 7-day tip conversion stay exact to the millisecond.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "storage/event.hpp"

struct sqlite3;

namespace uptake::collector {

/// Floor division by one UTC day.
std::int64_t utc_day(std::int64_t ts_ms);

/// Accumulates a commit group's new events in memory, then upserts them in a few statements.
class AggregateBatch {
 public:
  /// Counts a stored event. Its actor's person is resolved when the rows are written.
  void add(const std::string& app, const Event& e);
  /// Records only the session-day of `e` (its actor's rows are counted elsewhere).
  void add_session(const std::string& app, const Event& e);
  /// Writes everything added (inside the caller's transaction) and clears. Each row gets its
  /// actor's person as the identities table says at that moment.
  void flush(sqlite3* db);

 private:
  using ActorKey = std::tuple<std::string, int, std::string>;  // app, kind, actor
  struct Span {
    std::int64_t count = 0, first_ts = INT64_MAX, last_ts = INT64_MIN;
  };
  struct First {
    std::int64_t first_ts = INT64_MAX, install_ts = INT64_MAX;
  };
  struct Count {
    std::int64_t n = 0;
  };
  std::map<std::tuple<std::string, std::int64_t, int, std::string>, Count> actor_day_;
  std::map<ActorKey, First> actor_first_;
  std::map<std::tuple<std::string, std::string, std::int64_t, int, std::string>, Span> feature_day_;
  std::map<std::tuple<std::string, std::string, int, std::string>, First> feature_first_;
  std::map<std::tuple<std::string, std::int64_t, std::string>, bool> session_day_;
  struct Marker {
    std::string app, name, id, actor, tip, feature;
    std::optional<std::int64_t> ms_since_install;
    std::int64_t ts;
    int kind;
  };
  std::vector<Marker> markers_;

  // Consecutive events of a batch nearly always share their actor (one install's batch), so
  // the current actor's entries are kept at hand; map nodes never move, pointers stay valid.
  struct Current {
    std::string app, actor;
    int kind = -1;
    std::int64_t day = INT64_MIN;
    Count* day_entry = nullptr;
    First* first_entry = nullptr;
    std::vector<std::pair<std::string, Span*>> feature_days;     // for `day`
    std::vector<std::pair<std::string, First*>> feature_firsts;  // for the actor
    std::string session;  // the last session recorded for `session_day`
    std::int64_t session_day = INT64_MIN;
  } current_;
};

/// Schema of the aggregate tables.
extern const char* const kAggregateSchema;

/// (app, anon) -> the user an identify now ties the anon to.
using NewTies = std::map<std::pair<std::string, std::string>, std::string>;

/// Gives every aggregate row of each anon in `ties` its new person.
void rekey_anons(sqlite3* db, const NewTies& ties);

/// Recomputes every aggregate from the stored events (a database that predates them).
void rebuild_all_aggregates(sqlite3* db);

/// The newest event block the aggregate rows include; nullopt for a database that predates
/// this record (its aggregates were written with every commit, so they include every block).
std::optional<std::int64_t> aggregated_through(sqlite3* db);
void set_aggregated_through(sqlite3* db, std::int64_t block);

/// Adds the blocks stored after aggregated_through() to the aggregates (the in-memory part
/// was lost: a crash, or a failed transaction) and moves the mark to the newest block.
void catch_up_aggregates(sqlite3* db);

/// Recomputes agg_feature_first from agg_feature_day (a database with its older layout).
void rebuild_feature_first_from_days(sqlite3* db);

/// Deletes the events of `app` for which `doomed` is true and recomputes the aggregates of every
/// actor and session-day they counted in, from the events that remain and the identities as
/// they are now, in the caller's transaction. Returns the number of events deleted.
std::int64_t delete_events_and_reaggregate(sqlite3* db, const std::string& app,
                                           const std::function<bool(const Event&)>& doomed);

}  // namespace uptake::collector
