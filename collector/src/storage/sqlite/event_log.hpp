#pragma once
// The SQLite store's raw events: `event_ids` (one row per stored (app, id): the dedup index,
// the only per-event B-tree) and `event_blocks` (one row per stored request, its events packed
// and compressed, see event_block.hpp). All functions run inside the caller's transaction.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "storage/event.hpp"
#include "storage/sqlite/sqlite_db.hpp"

namespace uptake::collector {

/// Schema of the event tables.
extern const char* const kEventLogSchema;

/// Writes one commit group's events: ids first (a resent id is a duplicate), then one block per
/// request with the events that were new. Statements are prepared once per group.
class EventLogWriter {
 public:
  explicit EventLogWriter(sqlite3* db);
  /// Records `id` for `app`; false when the app already stored that id.
  bool add_id(const std::string& app, const std::string& id);
  /// Stores a block of `count` events spanning [min_ts, max_ts].
  void add_block(const std::string& app, std::int64_t count, std::int64_t min_ts,
                 std::int64_t max_ts, const std::string& block);

 private:
  sqlite3* db_;
  Statement insert_id_;
  Statement insert_block_;
};

/// Calls `fn(app, event)` for every stored event of `app` (every app when empty), block by block
/// in the order they were stored, skipping blocks up to `after_block`. Throws StoreError when
/// a block cannot be decoded.
void for_each_stored_event(sqlite3* db, const std::string& app,
                           const std::function<void(const std::string&, const Event&)>& fn,
                           std::int64_t after_block = 0);

/// Calls `fn(app, event)` with views of every stored event of `app` (every app when empty) in
/// blocks up to `last_block`, decoding without a copy per event. Throws StoreError when a block
/// cannot be decoded.
void for_each_stored_event_view(
    sqlite3* db, const std::string& app, std::int64_t last_block,
    const std::function<void(const std::string&, const EventView&)>& fn);

/// The id of the newest stored block (0 when there is none). Block ids only grow.
std::int64_t newest_block(sqlite3* db);

/// Deletes the events of `app` for which `doomed` is true (ids and block contents); calls
/// `on_deleted` with each. Returns how many were deleted.
std::int64_t delete_stored_events(sqlite3* db, const std::string& app,
                                  const std::function<bool(const Event&)>& doomed,
                                  const std::function<void(const Event&)>& on_deleted);

/// Stored events of `app`.
std::int64_t count_stored_events(sqlite3* db, const std::string& app);

/// Moves the rows of the pre-block `events` table (if there is one) into blocks and drops it.
/// Returns true when there was such a table.
bool migrate_event_rows(sqlite3* db);

}  // namespace uptake::collector
