#pragma once
// Counters the app can read to see what the SDK did with its events.

#include <cstdint>

namespace uptake {

struct Stats {
  std::uint64_t queued = 0;          ///< events waiting in memory right now
  std::uint64_t spooled_events = 0;  ///< events in batches on disk, not yet acknowledged
  std::uint64_t spool_bytes = 0;     ///< bytes the spool uses on disk
  std::uint64_t sent = 0;            ///< events the collector acknowledged (accepted + duplicates)
  std::uint64_t batches_sent = 0;    ///< requests answered 200
  std::uint64_t retries = 0;         ///< failed send attempts that will be retried
  std::uint64_t rejected_by_collector = 0;  ///< lines a 200 answer counted as rejected

  // Events dropped, by reason.
  std::uint64_t dropped_queue_full = 0;     ///< track() found the queue full
  std::uint64_t dropped_invalid = 0;        ///< name/user/account/props outside PROTOCOL.md limits
  std::uint64_t dropped_client_error = 0;   ///< collector answered a 4xx other than 413/429
  std::uint64_t dropped_too_large = 0;      ///< a single event still over the collector's limit
  std::uint64_t dropped_spool_full = 0;     ///< oldest batches evicted by max_spool_bytes
  std::uint64_t dropped_spool_age = 0;      ///< batches older than max_spool_age_ms
  std::uint64_t dropped_spool_corrupt = 0;  ///< spool records that failed their checksum (batches)
  std::uint64_t dropped_shutdown = 0;       ///< events that could not be spooled at shutdown

  std::uint64_t plugins_disabled = 0;  ///< plugins switched off after throwing
  std::uint64_t config_fetches = 0;    ///< /v1/config answers received (200 or 304)
};

}  // namespace uptake
