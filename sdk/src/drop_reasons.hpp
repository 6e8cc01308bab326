#pragma once
// Why the SDK drops events, and the one place that counts them (sentry-native's discard
// reasons). Every drop anywhere in the SDK goes through DropCounters::add(); uptake::Stats and
// the C uptake_stats are filled from this table.
//
// Adding a reason: one row in UPTAKE_DROP_REASONS, plus its `dropped_<name>` field in
// uptake::Stats (stats.hpp) and uptake_stats (uptake.h, an ABI change the C API's
// static_assert makes explicit). A row without its fields does not compile.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "uptake/stats.hpp"

namespace uptake::detail {

// X(name, unit counted, when it happens)
#define UPTAKE_DROP_REASONS(X)                                                             \
  X(queue_full, "events", "track() found the queue full (or no memory for a large event)") \
  X(invalid, "events", "name, user, account or props outside PROTOCOL.md limits")          \
  X(client_error, "events", "the collector answered a 4xx other than 408, 413 and 429")    \
  X(too_large, "events", "a single event still over the collector's body limit")           \
  X(spool_full, "events", "evicted by max_spool_bytes, or the spool could not be written") \
  X(spool_age, "events", "spooled longer than max_spool_age_ms")                           \
  X(spool_corrupt, "batches", "spool records that failed their checksum or were torn")     \
  X(shutdown, "events", "could not be spooled at shutdown")

enum class DropReason : std::uint8_t {
#define UPTAKE_DROP_REASON_ENUM(name, unit, doc) name,
  UPTAKE_DROP_REASONS(UPTAKE_DROP_REASON_ENUM)
#undef UPTAKE_DROP_REASON_ENUM
};

inline constexpr std::size_t kDropReasonCount = 0
#define UPTAKE_DROP_REASON_COUNT(name, unit, doc) +1
    UPTAKE_DROP_REASONS(UPTAKE_DROP_REASON_COUNT)
#undef UPTAKE_DROP_REASON_COUNT
    ;

/// The reason's name as in the Stats field after "dropped_" ("queue_full").
std::string_view drop_reason_name(DropReason reason) noexcept;
/// What one count of the reason is: "events" or "batches".
std::string_view drop_reason_unit(DropReason reason) noexcept;

/// One counter per reason. add() is wait-free (a relaxed atomic add) and callable from any
/// thread: track() counts on the app's threads, the background thread counts the rest.
class DropCounters {
 public:
  void add(DropReason reason, std::uint64_t n = 1) noexcept {
    counts_[index(reason)].fetch_add(n, std::memory_order_relaxed);
  }
  std::uint64_t get(DropReason reason) const noexcept {
    return counts_[index(reason)].load(std::memory_order_relaxed);
  }
  /// Writes every `dropped_<name>` field of `stats`.
  void fill(Stats& stats) const noexcept;

 private:
  static constexpr std::size_t index(DropReason reason) noexcept {
    return static_cast<std::size_t>(reason);
  }
  std::array<std::atomic<std::uint64_t>, kDropReasonCount> counts_{};
};

}  // namespace uptake::detail
