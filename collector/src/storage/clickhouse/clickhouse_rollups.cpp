#include "storage/clickhouse/clickhouse_rollups.hpp"

namespace uptake::collector {
namespace {

// Days are toInt32(floor(ts / 86400000)), as every report buckets them; feature uses are the
// track events whose name is not empty and does not start with '$'.
constexpr Rollup kRollups[] = {
    // Each (anon, user) an identify tied, with its earliest time: an anon's tie is the user of
    // its earliest identify (equal times: the smaller user), picked at query time, so deleting
    // one user's identifies leaves the others' exact.
    {"ties", "(app String, anon String, user String, first_ts AggregateFunction(min, Int64))",
     "AggregatingMergeTree() ORDER BY (app, anon, user)",
     "SELECT app, anon, user, minState(ts) AS first_ts FROM {events} WHERE type = 1 "
     "GROUP BY app, anon, user",
     true},
    // All time per actor: first event, first $install (INT64_MAX: none) and its latest group
    // event's (ts, account) (none: INT64_MIN), the max of which across a person's actors is
    // the person's account.
    {"actors",
     "(app String, user String, anon String, first_ts AggregateFunction(min, Int64), "
     "install_ts AggregateFunction(min, Int64), account AggregateFunction(max, Tuple(Int64, "
     "String)))",
     "AggregatingMergeTree() ORDER BY (app, user, anon)",
     "SELECT app, user, anon, minState(ts) AS first_ts, minState(if(type = 0 AND name = "
     "'$install', ts, toInt64(9223372036854775807))) AS install_ts, maxState(if(type = 2, "
     "tuple(ts, account), tuple(toInt64(-9223372036854775808), ''))) AS account FROM {events} "
     "GROUP BY app, user, anon",
     true},
    // Per actor, day and app version: the event ids and sessions. Partitioned by week (from
    // Monday; day 0 is a Thursday).
    {kActorDays,
     "(app String, day Int32, user String, anon String, app_version String, ids "
     "AggregateFunction(uniqExact, String), sessions AggregateFunction(uniqExactIf, String, "
     "UInt8))",
     "AggregatingMergeTree() PARTITION BY intDiv(day + 3, 7) ORDER BY (app, day, user, anon, "
     "app_version)",
     "SELECT app, toInt32(floor(ts / 86400000)) AS day, user, anon, app_version, "
     "uniqExactState(id) AS ids, "
     "uniqExactIfState(session, session != '') AS sessions FROM {events} "
     "GROUP BY app, day, user, anon, app_version",
     true, "actor_days"},
    // Per actor, day and feature: the uses' ids, first and last time (the tips' 7-day
    // conversion is exact to the ms from them). Partitioned by week, as actor_days.
    {kFeatureDays,
     "(app String, day Int32, name String, user String, anon String, ids "
     "AggregateFunction(uniqExact, String), first_ts AggregateFunction(min, Int64), last_ts "
     "AggregateFunction(max, Int64))",
     "AggregatingMergeTree() PARTITION BY intDiv(day + 3, 7) ORDER BY (app, day, name, user, "
     "anon)",
     "SELECT app, toInt32(floor(ts / 86400000)) AS day, name, user, anon, uniqExactState(id) AS "
     "ids, "
     "minState(ts) AS first_ts, maxState(ts) AS last_ts FROM {events} WHERE type = 0 AND name != "
     "'' AND "
     "substring(name, 1, 1) != '$' GROUP BY app, day, name, user, anon",
     true, "feature_days"},
    // Per actor and feature: the first use ever.
    {"actor_features",
     "(app String, name String, user String, anon String, first_ts AggregateFunction(min, "
     "Int64))",
     "AggregatingMergeTree() ORDER BY (app, name, user, anon)",
     "SELECT app, name, user, anon, minState(ts) AS first_ts FROM {events} WHERE type = 0 AND name "
     "!= '' AND "
     "substring(name, 1, 1) != '$' GROUP BY app, name, user, anon",
     true},
    {"rare", "AS {events}", "ReplacingMergeTree() ORDER BY (app, id)",
     "SELECT * FROM {events} WHERE type IN (1, 2) OR name IN ('$tip_shown', '$tip_clicked', "
     "'$tip_dismissed', '$tip_held_out', '$first_action', '$survey_shown', '$survey_answered', "
     "'$survey_dismissed')"},
};

}  // namespace

std::span<const Rollup> clickhouse_rollups() {
  return kRollups;
}

std::string ties_subquery(const std::string& database, const std::string& quoted_app) {
  // Over the unmerged rows: the earliest (time, user) is the same whichever parts hold them,
  // and half as slow as merging the states per (anon, user) first.
  return "(SELECT anon, argMin(user, (ft, user)) AS tie FROM (SELECT anon, user, "
         "finalizeAggregation(first_ts) AS ft FROM " +
         database + ".ties PREWHERE app = " + quoted_app + ") GROUP BY anon)";
}

std::string with_events_table(const char* text, const std::string& events_table) {
  std::string out = text;
  const std::string placeholder = "{events}";
  for (auto at = out.find(placeholder); at != std::string::npos;
       at = out.find(placeholder, at + events_table.size()))
    out.replace(at, placeholder.size(), events_table);
  return out;
}

}  // namespace uptake::collector
