#pragma once
// Delivery: POSTs the spool's oldest batch to /v1/batch and settles it by the collector's
// answer (PROTOCOL.md "Responses"): 200 removes it and counts what was accepted and rejected;
// network errors, 408, 429 and 5xx keep it and back off (never sooner than Retry-After); 413
// replaces it by its two halves (a single event still too large is dropped); any other 4xx
// drops it. Background thread only; the counters are readable from any thread.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "drop_reasons.hpp"
#include "retry_policy.hpp"
#include "spool.hpp"
#include "uptake_common/http_transport.hpp"
#include "zstd_codec.hpp"

namespace uptake::detail {

/// The counts of a 200 answer; nullopt when the body is not the PROTOCOL.md shape.
struct BatchAck {
  std::uint64_t accepted = 0;
  std::uint64_t duplicates = 0;
  /// Lines rejected: `rejected_total` when the answer has it, else the length of `rejected`
  /// (which lists at most the first 100).
  std::uint64_t rejected = 0;
};
std::optional<BatchAck> parse_batch_ack(const std::string& body);

/// Where a 413 splits a batch: at the line boundary that leaves the first half
/// floor(lines / 2) lines. nullopt when there are fewer than two lines to split.
struct LineSplit {
  std::size_t cut = 0;  // the halves are [0, cut) and [cut, end)
  std::uint32_t first_lines = 0;
  std::uint32_t second_lines = 0;
};
std::optional<LineSplit> split_lines_in_half(std::string_view ndjson);

struct DeliveryCounters {
  std::atomic<std::uint64_t> sent{0};          // events acknowledged (accepted + duplicates)
  std::atomic<std::uint64_t> batches_sent{0};  // requests answered 200
  std::atomic<std::uint64_t> retries{0};       // failed attempts that will be retried
  std::atomic<std::uint64_t> rejected_by_collector{0};
};

class Sender {
 public:
  using Clock = std::chrono::steady_clock;

  /// `authorization` is the full header value ("Bearer <write key>").
  Sender(HttpTransport& transport, Spool& spool, ZstdCompressor& compressor, DropCounters& drops,
         Backoff backoff, std::string authorization);

  /// Whether the backoff (and any Retry-After) allows an attempt at `now`.
  bool ready(Clock::time_point now) const { return now >= next_attempt_at_; }
  Clock::time_point next_attempt_at() const { return next_attempt_at_; }

  /// One attempt at the spool's oldest batch (nothing when the spool is empty).
  void send_front();

  const DeliveryCounters& counters() const { return counters_; }

 private:
  void delivered(const SpoolBatch& batch, const HttpResponse& response);
  void split_front(const SpoolBatch& batch);
  void back_off(std::optional<std::chrono::milliseconds> retry_after);

  HttpTransport& transport_;
  Spool& spool_;
  ZstdCompressor& compressor_;
  DropCounters& drops_;
  Backoff backoff_;
  std::string authorization_;
  Clock::time_point next_attempt_at_{};
  DeliveryCounters counters_;
};

}  // namespace uptake::detail
