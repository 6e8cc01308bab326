#pragma once
// Every fixed limit and interval of the collector, with its unit and why it has its value.
// Limits an operator may want to change are options (options.hpp) instead; their defaults
// live there, next to the flag that sets them.

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace uptake::collector::limits {

using std::chrono::milliseconds;
using std::chrono::seconds;

// ---- HTTP server ----
/// Request line and headers, and the trailer of a chunked body. Far above what any client of
/// ours sends, far below what would let one connection hold real memory.
inline constexpr std::size_t kMaxHeaderBytes = std::size_t{16} * 1024;
/// The connection's read buffer. Beast keeps an unparsed chunk header (with its extensions)
/// or trailer whole in this buffer, so this is also what bounds those.
inline constexpr std::size_t kReadBufferBytes = std::size_t{64} * 1024;
/// After answering without reading a body: how long and how much we read and discard so the
/// client sees our answer instead of a reset.
inline constexpr milliseconds kLingerTime{2000};
inline constexpr std::size_t kMaxLingerBytes = std::size_t{16} * 1024 * 1024;
inline constexpr std::size_t kLingerBufferBytes = std::size_t{16} * 1024;

// ---- answers ----
/// Retry-After (seconds) when storage cannot take a batch: long enough for a busy disk or a
/// restarting ClickHouse, short enough that spooled events arrive soon after.
inline constexpr int kStorageRetryAfterSeconds = 5;
/// Retry-After (seconds) when the report pool is full: reports take milliseconds.
inline constexpr int kReportsBusyRetryAfterSeconds = 1;

// ---- SQLite ----
/// Events per write transaction: many requests share a commit, but one commit never holds the
/// write lock for long.
inline constexpr std::size_t kSqliteMaxEventsPerCommit = 50'000;
/// Pending report aggregates are written once this many events have gathered.
inline constexpr std::size_t kSqliteAggregateFlushEvents = 200'000;
/// A statement waits this long for a lock another connection holds before failing.
inline constexpr milliseconds kSqliteBusyTimeout{5000};
/// The checkpointer copies the WAL into the database this often (and at once after a delete).
inline constexpr milliseconds kSqliteCheckpointInterval{500};
/// A collector restarted while the previous one still shuts down waits this long for it.
inline constexpr milliseconds kSqliteOwnerLockWait{5000};
inline constexpr milliseconds kSqliteOwnerLockPoll{50};
/// After a failed transaction the idle writer replays lost aggregates after this pause:
/// storage trouble tends to last a moment.
inline constexpr milliseconds kSqliteReplayRetry{200};
/// Page cache per connection: the id index's and aggregate tables' hot pages must stay in
/// memory for writes to stay fast.
inline constexpr std::int64_t kSqliteCacheKiB = 128 * 1024;
/// Aggregate rows per INSERT: for rows this small the statement's own work is a large part
/// of the cost.
inline constexpr std::size_t kSqliteRowsPerInsert = 64;
/// Stored events decoded and replayed per flush when aggregates are rebuilt (bounds memory).
inline constexpr std::size_t kSqliteReplaySliceEvents = 200'000;
/// Events per block when old one-row-per-event databases are migrated.
inline constexpr std::size_t kSqliteMigrationBlockEvents = 1000;
/// After a disk-full failure, /healthz reports healthy again once this much disk is free.
inline constexpr std::uint64_t kMinFreeDiskBytes = 16 * 1024 * 1024;
/// A block never decodes to more than this (a corrupt length cannot exhaust memory).
inline constexpr std::size_t kMaxDecodedBlockBytes = std::size_t{256} << 20;

// ---- the activity index (SQLite's report engine) ----
/// Committed events wait at most this long, or until this many have gathered, before the
/// background thread folds them into the index (a report folds whatever waits first).
inline constexpr milliseconds kIndexFoldInterval{100};
inline constexpr std::size_t kIndexFoldEvents = 100'000;

// ---- ClickHouse ----
/// Events per INSERT: one statement stays a few MB.
inline constexpr std::size_t kClickHouseMaxEventsPerInsert = 100'000;
/// Writer lanes (--clickhouse-writers): each holds a thread and a connection.
inline constexpr std::uint64_t kClickHouseMaxWriters = 64;
inline constexpr seconds kClickHouseConnectTimeout{5};
/// Report queries over billions of rows may take this long.
inline constexpr seconds kClickHouseRequestTimeout{120};
inline constexpr std::size_t kClickHouseMaxResponseBytes = std::size_t{256} * 1024 * 1024;
/// A report query names the features it shows (up to 128 bytes each, in a list and an index):
/// room for tens of thousands, past the server's 256 KiB default.
inline constexpr std::size_t kClickHouseMaxReportQueryBytes = std::size_t{16} * 1024 * 1024;
/// A new rollup is backfilled from the stored events in slices of about this many rows.
inline constexpr std::uint64_t kClickHouseBackfillSliceRows = 5'000'000;
/// A GDPR delete waits this long for its mutations, polling at the interval.
inline constexpr seconds kClickHouseMutationWait{60};
inline constexpr milliseconds kClickHouseMutationPoll{50};

// ---- shutdown ----
/// How often main checks whether in-flight requests have finished while draining.
inline constexpr milliseconds kDrainPoll{10};

}  // namespace uptake::collector::limits
