#include "batcher.hpp"

namespace uptake::detail {

bool batch_is_full(const BatchLimits& limits, std::size_t events, std::size_t bytes) {
  return events >= limits.max_events || bytes >= limits.max_bytes;
}

bool batch_is_due(const BatchLimits& limits, std::size_t events,
                  std::chrono::steady_clock::duration age, bool flush_wanted) {
  return events > 0 && (flush_wanted || age >= limits.max_wait);
}

Batcher::Batcher(BatchLimits limits, std::uint64_t id_seed, ZstdCompressor& compressor,
                 Spool& spool)
    : limits_(limits), encoder_(id_seed), compressor_(compressor), spool_(spool) {}

void Batcher::open_if_empty(std::uint64_t first_tick, Clock::time_point now) {
  if (events_ > 0) return;
  first_tick_ = first_tick;
  opened_at_ = now;
}

bool Batcher::append(const EventRecord& record, const EventContext& context) {
  if (!encoder_.append(ndjson_, record, context)) return false;
  ++events_;
  return true;
}

Batcher::Clock::time_point Batcher::deadline() const {
  return events_ > 0 ? opened_at_ + limits_.max_wait : Clock::time_point::max();
}

void Batcher::seal(std::int64_t created_unix_ms) {
  if (events_ == 0) return;
  const std::string payload = compressor_.compress(ndjson_);
  spool_.append(payload, events_, created_unix_ms, first_tick_);
  ndjson_.clear();
  events_ = 0;
}

void Batcher::discard() {
  ndjson_.clear();
  events_ = 0;
}

}  // namespace uptake::detail
