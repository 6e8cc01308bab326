#include "stored_events.hpp"

#include <sqlite3.h>

#include "storage/sqlite/event_log.hpp"

namespace uptake::test {
namespace {

using collector::Statement;

void copy_events(sqlite3* from, sqlite3* to) {
  collector::exec_sql(
      to,
      "CREATE TABLE events (app TEXT, id TEXT, type INTEGER, name TEXT, anon TEXT, "
      "user TEXT, ts INTEGER, client_ts INTEGER, received_at INTEGER, session TEXT, "
      "app_version TEXT, props TEXT, account TEXT)");
  Statement insert(
      to, "INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
  collector::exec_sql(from, "BEGIN");
  collector::for_each_stored_event(
      from, "", [&](const std::string& app, const collector::Event& e) {
        insert.bind(1, app).bind(2, e.id).bind(3, static_cast<std::int64_t>(e.type));
        insert.bind_or_null(4, e.name).bind_or_null(5, e.anon).bind_or_null(6, e.user);
        insert.bind(7, e.ts).bind(8, e.client_ts).bind(9, e.received_at);
        insert.bind_or_null(10, e.session)
            .bind_or_null(11, e.app_version)
            .bind_or_null(12, e.props)
            .bind_or_null(13, e.account);
        insert.step();
        insert.reset();
      });
  collector::exec_sql(from, "COMMIT");
}

}  // namespace

namespace {

// Runs `read` on the first row of `sql` over the stored events; false when there is none.
template <class Read>
bool query_stored_events(const std::string& path, const std::string& sql, Read read) {
  sqlite3* file = nullptr;
  sqlite3* memory = nullptr;
  bool found = false;
  try {
    if (sqlite3_open_v2(path.c_str(), &file, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
        sqlite3_open(":memory:", &memory) == SQLITE_OK) {
      copy_events(file, memory);
      Statement query(memory, sql);
      if (query.step()) {
        read(query);
        found = true;
      }
    }
  } catch (const collector::StoreError&) {
    found = false;
  }
  sqlite3_close(memory);
  sqlite3_close(file);
  return found;
}

}  // namespace

std::int64_t stored_events_int(const std::string& path, const std::string& sql) {
  std::int64_t value = -1;
  query_stored_events(path, sql, [&](Statement& q) { value = q.column_int(0); });
  return value;
}

std::string stored_events_text(const std::string& path, const std::string& sql) {
  std::string value;
  query_stored_events(path, sql, [&](Statement& q) { value = q.column_text(0); });
  return value;
}

}  // namespace uptake::test
