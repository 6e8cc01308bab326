#pragma once
// The open batch: NDJSON lines of events not yet sealed. A batch is sealed (compressed and
// written to the spool) when it holds max_batch_events events or max_batch_bytes bytes, when
// its first event has waited flush_interval_ms, or when a flush() waits for it. Background
// thread only.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "event_record.hpp"
#include "ndjson_encoder.hpp"
#include "spool.hpp"
#include "zstd_codec.hpp"

namespace uptake::detail {

struct BatchLimits {
  std::size_t max_events = 0;
  std::size_t max_bytes = 0;              // uncompressed NDJSON
  std::chrono::milliseconds max_wait{0};  // age of the first event
};

/// Whether a batch of `events` events and `bytes` bytes must be sealed at once.
bool batch_is_full(const BatchLimits& limits, std::size_t events, std::size_t bytes);
/// Whether an open batch whose first event is `age` old is due now: waited max_wait, or a
/// flush() waits for it. An empty batch is never due.
bool batch_is_due(const BatchLimits& limits, std::size_t events,
                  std::chrono::steady_clock::duration age, bool flush_wanted);

class Batcher {
 public:
  using Clock = std::chrono::steady_clock;

  /// `id_seed` seeds the event ids (event_id.hpp). Sealed batches go to `spool`.
  Batcher(BatchLimits limits, std::uint64_t id_seed, ZstdCompressor& compressor, Spool& spool);

  /// Called before each event: when no batch is open, the next line opens one now, tagged
  /// with `first_tick` (the flush() progress tick of its first event, stored with the record).
  void open_if_empty(std::uint64_t first_tick, Clock::time_point now);
  /// Appends the event's line. False, and the batch unchanged, when PROTOCOL.md's limits
  /// refuse it once encoded (the caller counts it).
  bool append(const EventRecord& record, const EventContext& context);

  bool full() const { return batch_is_full(limits_, events_, ndjson_.size()); }
  bool due(Clock::time_point now, bool flush_wanted) const {
    return batch_is_due(limits_, events_, now - opened_at_, flush_wanted);
  }
  /// When the open batch becomes due by age (max() when none is open).
  Clock::time_point deadline() const;

  /// Compresses the open batch into one zstd frame and appends it to the spool (a failed
  /// write is counted by the spool). No-op when no batch is open.
  void seal(std::int64_t created_unix_ms);
  /// Forgets the open batch (opt-out).
  void discard();

  bool empty() const { return events_ == 0; }
  std::uint32_t events() const { return events_; }
  /// The tick given to open_if_empty() for the open batch.
  std::uint64_t first_tick() const { return first_tick_; }

 private:
  BatchLimits limits_;
  NdjsonEncoder encoder_;
  ZstdCompressor& compressor_;
  Spool& spool_;
  std::string ndjson_;
  std::uint32_t events_ = 0;
  std::uint64_t first_tick_ = 0;
  Clock::time_point opened_at_;
};

}  // namespace uptake::detail
