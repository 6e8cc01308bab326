#include "storage/sqlite/event_log.hpp"

#include <algorithm>

#include "config/limits.hpp"
#include "storage/sqlite/event_block.hpp"

namespace uptake::collector {

const char* const kEventLogSchema = R"(
CREATE TABLE IF NOT EXISTS event_ids (
  app TEXT NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (app, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS event_blocks (
  block INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: a store loads the blocks up to one
  app TEXT NOT NULL,
  events INTEGER NOT NULL,
  min_ts INTEGER NOT NULL,
  max_ts INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS event_blocks_app ON event_blocks (app, min_ts);
)";

EventLogWriter::EventLogWriter(sqlite3* db)
    : db_(db),
      insert_id_(db, "INSERT OR IGNORE INTO event_ids (app, id) VALUES (?1, ?2)"),
      insert_block_(db,
                    "INSERT INTO event_blocks (app, events, min_ts, max_ts, data) "
                    "VALUES (?1, ?2, ?3, ?4, ?5)") {}

bool EventLogWriter::add_id(const std::string& app, const std::string& id) {
  insert_id_.bind(1, app).bind(2, id);
  insert_id_.step();
  insert_id_.reset();
  return sqlite3_changes(db_) > 0;
}

void EventLogWriter::add_block(const std::string& app, std::int64_t count, std::int64_t min_ts,
                               std::int64_t max_ts, const std::string& block) {
  insert_block_.bind(1, app).bind(2, count).bind(3, min_ts).bind(4, max_ts);
  insert_block_.bind_blob(5, block);
  insert_block_.step();
  insert_block_.reset();
}

namespace {

struct BlockRef {
  std::int64_t block;
  std::string app;
};

// The blocks to visit, listed first: callers may rewrite blocks while they go.
std::vector<BlockRef> blocks_of(sqlite3* db, const std::string& app, std::int64_t after_block = 0) {
  Statement s(db, app.empty()
                      ? "SELECT block, app FROM event_blocks WHERE block > ?2 ORDER BY block"
                      : "SELECT block, app FROM event_blocks WHERE app = ?1 AND block > ?2 "
                        "ORDER BY block");
  if (!app.empty()) s.bind(1, app);
  s.bind(2, after_block);
  std::vector<BlockRef> out;
  while (s.step()) out.push_back({s.column_int(0), s.column_text(1)});
  return out;
}

std::vector<Event> decode_block(Statement& read, std::int64_t block) {
  read.reset();
  read.bind(1, block);
  if (!read.step()) return {};
  try {
    return decode_event_block(read.column_blob(0));
  } catch (const std::exception& e) {
    throw StoreError("event block " + std::to_string(block) + ": " + e.what());
  }
}

}  // namespace

void for_each_stored_event(sqlite3* db, const std::string& app,
                           const std::function<void(const std::string&, const Event&)>& fn,
                           std::int64_t after_block) {
  Statement read(db, "SELECT data FROM event_blocks WHERE block = ?1");
  for (const BlockRef& ref : blocks_of(db, app, after_block)) {
    for (const Event& e : decode_block(read, ref.block)) fn(ref.app, e);
  }
}

void for_each_stored_event_view(
    sqlite3* db, const std::string& app, std::int64_t last_block,
    const std::function<void(const std::string&, const EventView&)>& fn) {
  Statement blocks(db, app.empty() ? "SELECT block, app, data FROM event_blocks WHERE block <= ?2 "
                                     "ORDER BY block"
                                   : "SELECT block, app, data FROM event_blocks WHERE app = ?1 "
                                     "AND block <= ?2 ORDER BY block");
  if (!app.empty()) blocks.bind(1, app);
  blocks.bind(2, last_block);
  std::string buffer, block_app;
  std::vector<EventView> events;
  while (blocks.step()) {
    try {
      decode_event_block_views(blocks.column_blob(2), buffer, events);
    } catch (const std::exception& e) {
      throw StoreError("event block " + std::to_string(blocks.column_int(0)) + ": " + e.what());
    }
    block_app.assign(blocks.column_view(1));
    for (const EventView& e : events) fn(block_app, e);
  }
}

std::int64_t delete_stored_events(sqlite3* db, const std::string& app,
                                  const std::function<bool(const Event&)>& doomed,
                                  const std::function<void(const Event&)>& on_deleted) {
  Statement read(db, "SELECT data FROM event_blocks WHERE block = ?1");
  Statement forget_id(db, "DELETE FROM event_ids WHERE app = ?1 AND id = ?2");
  Statement drop_block(db, "DELETE FROM event_blocks WHERE block = ?1");
  Statement rewrite_block(
      db,
      "UPDATE event_blocks SET events = ?2, min_ts = ?3, max_ts = ?4, data = ?5 "
      "WHERE block = ?1");
  std::int64_t deleted = 0;
  for (const BlockRef& ref : blocks_of(db, app)) {
    const std::vector<Event> events = decode_block(read, ref.block);
    std::vector<bool> keep(events.size(), true);
    std::int64_t kept = 0, min_ts = INT64_MAX, max_ts = INT64_MIN;
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (doomed(events[i])) {
        keep[i] = false;
        forget_id.reset();
        forget_id.bind(1, ref.app).bind(2, events[i].id);
        forget_id.step();
        on_deleted(events[i]);
        ++deleted;
      } else {
        ++kept;
        min_ts = std::min(min_ts, events[i].ts);
        max_ts = std::max(max_ts, events[i].ts);
      }
    }
    if (kept == static_cast<std::int64_t>(events.size())) continue;
    if (kept == 0) {
      drop_block.reset();
      drop_block.bind(1, ref.block);
      drop_block.step();
      continue;
    }
    const std::string data = encode_event_block(events, keep);
    rewrite_block.reset();
    rewrite_block.bind(1, ref.block).bind(2, kept).bind(3, min_ts).bind(4, max_ts);
    rewrite_block.bind_blob(5, data);
    rewrite_block.step();
  }
  return deleted;
}

std::int64_t newest_block(sqlite3* db) {
  Statement s(db, "SELECT COALESCE(MAX(block), 0) FROM event_blocks");
  s.step();
  return s.column_int(0);
}

std::int64_t count_stored_events(sqlite3* db, const std::string& app) {
  Statement s(db, "SELECT COALESCE(SUM(events), 0) FROM event_blocks WHERE app = ?1");
  s.bind(1, app);
  s.step();
  return s.column_int(0);
}

bool migrate_event_rows(sqlite3* db) {
  {
    Statement t(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'");
    t.step();
    if (t.column_int(0) == 0) return false;
  }
  EventLogWriter writer(db);
  std::string app;
  std::vector<Event> pending;
  auto store_pending = [&] {
    if (pending.empty()) return;
    std::int64_t min_ts = INT64_MAX, max_ts = INT64_MIN;
    for (const Event& e : pending) {
      writer.add_id(app, e.id);
      min_ts = std::min(min_ts, e.ts);
      max_ts = std::max(max_ts, e.ts);
    }
    writer.add_block(app, static_cast<std::int64_t>(pending.size()), min_ts, max_ts,
                     encode_event_block(pending));
    pending.clear();
  };
  {
    Statement rows(db,
                   "SELECT app, id, type, name, anon, user, ts, client_ts, received_at, session, "
                   "app_version, props FROM events ORDER BY app, ts, id");
    while (rows.step()) {
      if (rows.column_view(0) != app || pending.size() == limits::kSqliteMigrationBlockEvents) {
        store_pending();
        app = rows.column_text(0);
      }
      Event e;
      e.id = rows.column_text(1);
      e.type = rows.column_int(2) == 1 ? EventType::identify : EventType::track;
      e.name = rows.column_text(3);
      e.anon = rows.column_text(4);
      e.user = rows.column_text(5);
      e.ts = rows.column_int(6);
      e.client_ts = rows.column_int(7);
      e.received_at = rows.column_int(8);
      e.session = rows.column_text(9);
      e.app_version = rows.column_text(10);
      e.props = rows.column_text(11);
      pending.push_back(std::move(e));
    }
    store_pending();
  }
  exec_sql(db, "DROP VIEW IF EXISTS resolved; DROP TABLE events");
  return true;
}

}  // namespace uptake::collector
