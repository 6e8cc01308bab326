#include "storage/sqlite/schema.hpp"

#include <string>

#include "storage/sqlite/event_log.hpp"
#include "storage/sqlite/sqlite_db.hpp"

namespace uptake::collector {
namespace {

struct Migration {
  int version;          // the version the database has after it
  const char* purpose;  // why it exists
  void (*apply)(sqlite3* db);
};

// 1: raw events as compressed blocks with one id row per event (databases from before kept
// one row per event in `events`, which is moved), and the app configs.
void blocks_and_configs(sqlite3* db) {
  exec_sql(db, kEventLogSchema);
  exec_sql(db,
           "CREATE TABLE IF NOT EXISTS app_config (app TEXT PRIMARY KEY, body TEXT NOT NULL, "
           "etag TEXT NOT NULL)");
  migrate_event_rows(db);
}

// 2: reports read the in-memory activity index, rebuilt from the blocks; the aggregate tables
// and the identity table that fed the old report queries go.
void drop_report_aggregates(sqlite3* db) {
  exec_sql(db,
           "DROP TABLE IF EXISTS agg_actor_day; DROP TABLE IF EXISTS agg_actor_first; "
           "DROP TABLE IF EXISTS agg_feature_day; DROP TABLE IF EXISTS agg_feature_first; "
           "DROP TABLE IF EXISTS agg_session_day; DROP TABLE IF EXISTS agg_marker; "
           "DROP TABLE IF EXISTS agg_progress; DROP TABLE IF EXISTS identities;");
}

constexpr Migration kMigrations[] = {
    {1, "raw events in blocks, app configs", blocks_and_configs},
    {2, "the activity index replaces report aggregates", drop_report_aggregates},
};
static_assert(std::size(kMigrations) == kSchemaVersion, "one migration per version");

}  // namespace

int schema_version(sqlite3* db) {
  Statement s(db, "PRAGMA user_version");
  s.step();
  return static_cast<int>(s.column_int(0));
}

int migrate_schema(sqlite3* db) {
  exec_sql(db, "BEGIN IMMEDIATE");
  try {
    const int found = schema_version(db);
    if (found > kSchemaVersion) {
      throw StoreError("the database has schema version " + std::to_string(found) +
                       ", newer than this collector's " + std::to_string(kSchemaVersion));
    }
    // Version 0 is a new file, or one from before versions: every migration is written to
    // run on either (CREATE/DROP IF EXISTS, moves only what it finds).
    for (const Migration& m : kMigrations) {
      if (m.version > found) m.apply(db);
    }
    exec_sql(db, ("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str());
    exec_sql(db, "COMMIT");
    return found;
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace uptake::collector
