#pragma once
// The SQLite file's schema, under `PRAGMA user_version`, with one ordered list of migrations:
// a database of any earlier layout is brought to the current one when a store opens it.

#include <sqlite3.h>

namespace uptake::collector {

/// The schema version this collector writes.
inline constexpr int kSchemaVersion = 2;

/// Runs every migration past the database's version, in one transaction (a collector killed
/// half way leaves the old layout), and sets the version. Returns the version found. Throws
/// StoreError, also for a database newer than this collector.
int migrate_schema(sqlite3* db);

/// The database's schema version (0 for files from before versions, or new files).
int schema_version(sqlite3* db);

}  // namespace uptake::collector
