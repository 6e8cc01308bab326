#pragma once
// Incremental report aggregates, maintained in the same transaction as the events they count.
//
// Exact under identity merges: rows are keyed by the event's own actor (kind 1 = its user,
// kind 0 = its anon), never by person; reports resolve actors to persons through
// `identities` at query time, so an identify that arrives later re-keys nothing.
// Day-granular rows carry the first and last use time, so windows of whole UTC days and the
// 7-day tip conversion stay exact to the millisecond.

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "event.hpp"

struct sqlite3;

namespace uptake::collector {

/// Floor division by one UTC day.
std::int64_t utc_day(std::int64_t ts_ms);

/// Accumulates a commit group's new events in memory, then upserts them in a few statements.
class AggregateBatch {
 public:
  void add(const std::string& app, const Event& e);
  /// Writes everything added (inside the caller's transaction) and clears.
  void flush(sqlite3* db);

 private:
  using ActorKey = std::tuple<std::string, int, std::string>;  // app, kind, actor
  struct Span {
    std::int64_t count = 0, first_ts = INT64_MAX, last_ts = INT64_MIN;
  };
  struct First {
    std::int64_t first_ts = INT64_MAX, install_ts = INT64_MAX;
  };
  std::map<std::tuple<std::string, std::int64_t, int, std::string>, std::int64_t> actor_day_;
  std::map<ActorKey, First> actor_first_;
  std::map<std::tuple<std::string, std::string, std::int64_t, int, std::string>, Span> feature_day_;
  std::map<std::tuple<std::string, std::string, int, std::string>, std::int64_t> feature_first_;
  std::map<std::tuple<std::string, std::int64_t, std::string>, bool> session_day_;
  struct Marker {
    std::string app, name, id, actor, tip, feature, ms_since_install;
    std::int64_t ts;
    int kind;
  };
  std::vector<Marker> markers_;
};

/// Schema of the aggregate tables.
extern const char* const kAggregateSchema;

/// Recomputes every aggregate from the events (a database that predates the aggregates).
void rebuild_all_aggregates(sqlite3* db);

/// Deletes events of `app` matching `event_filter` (SQL over events' columns; ?1 is the app,
/// ?2 is `param`) and rebuilds the aggregates of every actor and session they touched, in the
/// caller's transaction. Returns the number of events deleted.
std::int64_t delete_events_and_reaggregate(sqlite3* db, const std::string& app, const std::string& event_filter,
                                           const std::string& param);

}  // namespace uptake::collector
