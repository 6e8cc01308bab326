#pragma once
// The rollups ClickHouse keeps beside the raw events, so reports read tables that grow with
// actors x active days instead of events. Each is an AggregatingMergeTree filled by a
// materialized view on the (per-shard) events table.
//
// They are exact by construction:
// - their grain is the actor as the event carries it, (user, anon), never the person: persons
//   are resolved when a report runs, against `ties`, so a late identify or group event re-keys
//   what was counted without rewriting anything;
// - every column is an idempotent state (min, max, uniqExact of the event id), so a resend
//   stored twice before ReplacingMergeTree merges it, or a backfill overlapping the view, never
//   changes a figure;
// - user and anon are key columns of every rollup, so a GDPR delete with the raw events'
//   predicate removes exactly the deleted person's share (ALTER DELETE does not reach views).
//
// `rare` is a plain copy of the few events reports read whole (identify, group, tip, first
// action and survey events), so their queries skip the bulk of feature uses.

#include <span>
#include <string>

namespace uptake::collector {

/// The day-keyed rollups. Version 2 is partitioned by week, so the store can merge the newest
/// days' parts without rewriting all history; version 1 (unpartitioned, named without "_v2")
/// is dropped once version 2 is filled.
inline constexpr const char* kActorDays = "actor_days_v2";
inline constexpr const char* kFeatureDays = "feature_days_v2";

struct Rollup {
  const char* table = "";    // its name (with "_local" on a cluster)
  const char* columns = "";  // "(app String, ...)", or "AS {events}" for the events' own columns
  const char* engine = "";   // "AggregatingMergeTree() ORDER BY (...)"
  const char* select = "";   // the view's SELECT; "{events}" stands for the events table
  // Merged by the store, each partition with more than one part into one
  // (ClickHouseStore::compact_rollups()): a rollup keyed by actor over all time gets a row of an
  // active actor in every insert's part, which background merges leave spread over a few big
  // parts; a day-keyed one has its newest days in the parts of the inserts that brought them.
  bool compacted = false;
  // The older version this one replaces (its view and table are dropped once this one is
  // filled), or "".
  const char* replaces = "";
};

/// Every rollup, in the order they are created.
std::span<const Rollup> clickhouse_rollups();

/// The subquery (anon, tie) of `app` (quoted) in `database`: each anon's tie, the user of its
/// earliest identify (equal times: the smaller user). The one reading of identity ties.
std::string ties_subquery(const std::string& database, const std::string& quoted_app);

/// `text` (a rollup's columns or select) with {events} replaced by `events_table`.
std::string with_events_table(const char* text, const std::string& events_table);

}  // namespace uptake::collector
