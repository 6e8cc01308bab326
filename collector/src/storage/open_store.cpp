#include "storage/open_store.hpp"

#include "config/limits.hpp"
#include "storage/clickhouse/clickhouse_store.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace uptake::collector {

std::unique_ptr<Store> open_store(const Options& o, StoreAccess access) {
  const DbSpec spec = parse_db_spec(o.db);
  if (spec.backend == DbSpec::Backend::clickhouse) {
    const bool owner = access == StoreAccess::owner;
    return std::make_unique<ClickHouseStore>(ClickHouseOptions{
        spec.location, o.clickhouse_user, o.clickhouse_password, o.clickhouse_cluster,
        // A reader neither creates schema, deletes nor compacts: it needs the --db node only.
        owner ? o.clickhouse_nodes : std::vector<std::string>{},
        owner ? o.clickhouse_compact_every : std::chrono::seconds{0},
        // A reader writes nothing: one lane, which stays idle.
        owner ? o.clickhouse_writers : 1});
  }
  const SqliteOptions sqlite{.durability = o.durability,
                             .max_db_bytes = o.max_db_bytes,
                             .lock_wait = limits::kSqliteOwnerLockWait};
  if (access == StoreAccess::owner) return std::make_unique<SqliteStore>(spec.location, sqlite);
  try {
    return std::make_unique<SqliteStore>(spec.location, SqliteOptions{});
  } catch (const StoreBusy&) {
    // A collector runs on this file: read what it has written (see SqliteStore::ReadOnly).
    return std::make_unique<SqliteStore>(spec.location, SqliteStore::ReadOnly{});
  }
}

}  // namespace uptake::collector
