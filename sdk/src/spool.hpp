#pragma once
// The on-disk spool: every sealed batch is written here before it is sent and removed only
// after the collector acknowledged it, so events survive network outages and restarts.
//
// One file per batch, written to a temporary name and renamed, so a crash never leaves a
// half-written record under a real name. Each record carries a header checksum and a payload
// checksum; a torn or corrupt record is removed and counted, never trusted, never fatal.
// Bounded by total bytes (oldest evicted first) and by age.

#include <atomic>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "drop_reasons.hpp"

namespace uptake::detail {

/// The client passes Config's max_spool_bytes, max_spool_age_ms and spool_fsync; a default
/// SpoolLimits{} (tests, tools) bounds nothing.
struct SpoolLimits {
  std::uint64_t max_bytes = std::numeric_limits<std::uint64_t>::max();
  std::int64_t max_age_ms = std::numeric_limits<std::int64_t>::max();
  bool fsync = false;
};

struct SpoolBatch {
  std::string payload;  // the zstd-compressed NDJSON, as sent
  std::uint32_t events = 0;
  std::int64_t created_ms = 0;
};

class Spool {
 public:
  /// Does no I/O; call open() (on the background thread) before anything else. What the spool
  /// drops (evicted, expired, corrupt, unwritable) is counted in `drops`.
  Spool(std::filesystem::path dir, SpoolLimits limits, DropCounters& drops);

  /// Creates the directory, removes temporary leftovers of a crash and indexes the records.
  /// Records whose header is corrupt or whose file is torn are removed and counted.
  void open();

  /// Writes a batch. `min_pos` orders it for flush(): the client's progress tick of its first
  /// event (records found at open() get 0). Evicts the oldest records to stay under max_bytes.
  /// False when the write failed.
  bool append(std::string_view payload, std::uint32_t events, std::int64_t created_ms,
              std::uint64_t min_pos);

  /// The oldest intact record; corrupt ones met on the way are removed and counted.
  std::optional<SpoolBatch> front();
  /// Removes the oldest record (after the collector acknowledged it, or dropped it).
  void pop_front();
  /// Replaces the oldest record by two (a batch the collector found too large, halved).
  bool split_front(std::string_view first, std::uint32_t first_events, std::string_view second,
                   std::uint32_t second_events);
  /// Removes records older than max_age_ms at `now_ms`.
  void expire(std::int64_t now_ms);
  /// Removes every record (opt-out).
  void purge();

  bool empty() const { return entries_.empty(); }
  std::uint64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }
  std::uint64_t events() const { return events_.load(std::memory_order_relaxed); }
  /// Lowest min_pos still spooled (0 for records of earlier runs), or UINT64_MAX.
  std::uint64_t min_pos() const;

 private:
  struct Entry {
    std::filesystem::path path;
    std::uint64_t file_bytes;
    std::uint32_t events;
    std::int64_t created_ms;
    std::uint64_t min_pos;
  };

  std::optional<Entry> write_record(std::string_view payload, std::uint32_t events,
                                    std::int64_t created_ms, std::uint64_t min_pos);
  void remove_entry(const Entry& entry);
  void evict_to_fit(std::uint64_t incoming_bytes);
  void recount();

  std::filesystem::path dir_;
  SpoolLimits limits_;
  std::deque<Entry> entries_;
  std::uint64_t next_seq_ = 0;
  std::atomic<std::uint64_t> bytes_{0};
  std::atomic<std::uint64_t> events_{0};
  DropCounters& drops_;
};

}  // namespace uptake::detail
