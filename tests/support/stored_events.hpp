#pragma once
// Queries what the collector stored in a SQLite file with SQL, for tests: the file's event
// blocks are decoded (with the collector's own reader) into an in-memory `events` table with
// the columns app, id, type (0 track, 1 identify, 2 group), name, anon, user, ts, client_ts,
// received_at, session, app_version, props, account (empty strings as NULL).

#include <cstdint>
#include <string>

namespace uptake::test {

/// The first column of the first row of `sql` over the stored events of the database at
/// `path`, or -1 (no row, or the file cannot be read).
std::int64_t stored_events_int(const std::string& path, const std::string& sql);
/// The same for a text column ("" when there is no row or it is NULL).
std::string stored_events_text(const std::string& path, const std::string& sql);

}  // namespace uptake::test
