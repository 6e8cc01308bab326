#include "storage/sqlite/sqlite_db.hpp"

namespace uptake::collector {

void check_sqlite(sqlite3* db, int rc, const char* what) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
  throw SqliteError(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)),
                    rc & 0xFF);
}

void exec_sql(sqlite3* db, const char* sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string message = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw SqliteError(std::string("sqlite: ") + message, rc & 0xFF);
  }
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  check_sqlite(db,
               sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr),
               "prepare");
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::string_view text) {
  check_sqlite(
      db_,
      sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC),
      "bind");
  return *this;
}

Statement& Statement::bind_or_null(int index, std::string_view text) {
  if (text.empty()) {
    check_sqlite(db_, sqlite3_bind_null(stmt_, index), "bind");
    return *this;
  }
  return bind(index, text);
}

Statement& Statement::bind(int index, std::int64_t value) {
  check_sqlite(db_, sqlite3_bind_int64(stmt_, index, value), "bind");
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  check_sqlite(
      db_,
      sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC),
      "bind");
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  check_sqlite(db_, rc, "step");
  return rc == SQLITE_ROW;
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string_view Statement::column_view(int i) const {
  const auto* p = sqlite3_column_text(stmt_, i);
  return p ? std::string_view(reinterpret_cast<const char*>(p),
                              static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)))
           : std::string_view();
}

std::string_view Statement::column_blob(int i) const {
  const auto* p = sqlite3_column_blob(stmt_, i);
  return p ? std::string_view(static_cast<const char*>(p),
                              static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)))
           : std::string_view();
}

std::string Statement::column_text(int i) const {
  const auto* p = sqlite3_column_text(stmt_, i);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)))
           : std::string();
}

}  // namespace uptake::collector
