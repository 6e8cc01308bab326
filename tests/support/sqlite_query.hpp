#pragma once
// Reads one integer from a SQLite file, for tests that check what the collector stored.

#include <cstdint>
#include <string>

namespace uptake::test {

/// The first column of the first row of `sql` on the database at `path` (read-only), or -1.
std::int64_t sqlite_int(const std::string& path, const std::string& sql);

}  // namespace uptake::test
