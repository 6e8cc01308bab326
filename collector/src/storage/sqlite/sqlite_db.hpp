#pragma once
// Thin RAII over the SQLite C API: statements with typed binds, errors as StoreError.

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/store.hpp"

namespace uptake::collector {

/// A StoreError that keeps SQLite's primary result code (SQLITE_FULL, SQLITE_BUSY ...).
class SqliteError : public StoreError {
 public:
  SqliteError(const std::string& message, int code) : StoreError(message), code_(code) {}
  [[nodiscard]] int code() const { return code_; }

 private:
  int code_;
};

/// Throws SqliteError with the database's message when `rc` is not one of the OK codes.
void check_sqlite(sqlite3* db, int rc, const char* what);

/// Runs SQL that returns no rows.
void exec_sql(sqlite3* db, const char* sql);

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  /// Binds text without copying: `text` must stay alive until the next step() or reset().
  Statement& bind(int index, std::string_view text);
  /// As bind(), but an empty string binds NULL.
  Statement& bind_or_null(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  /// Binds bytes as a BLOB without copying (same lifetime rule as bind()).
  Statement& bind_blob(int index, std::string_view bytes);
  /// Steps once: true when a row is ready, false when done. Throws StoreError.
  bool step();
  void reset();
  [[nodiscard]] std::int64_t column_int(int i) const { return sqlite3_column_int64(stmt_, i); }
  [[nodiscard]] std::string column_text(int i) const;
  /// The text of column `i` without copying; valid until the next step() or reset().
  [[nodiscard]] std::string_view column_view(int i) const;
  /// The bytes of BLOB column `i` without copying; valid until the next step() or reset().
  [[nodiscard]] std::string_view column_blob(int i) const;
  [[nodiscard]] sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace uptake::collector
