#include "sender.hpp"

#include <simdjson.h>

#include <algorithm>

#include "sdk_limits.hpp"
#include "wall_clock.hpp"

namespace uptake::detail {

std::optional<BatchAck> parse_batch_ack(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(body).get(doc)) return std::nullopt;
  BatchAck ack;
  std::uint64_t value = 0;
  if (doc["accepted"].get(value)) return std::nullopt;
  ack.accepted = value;
  if (!doc["duplicates"].get(value)) ack.duplicates = value;
  simdjson::dom::array rejected;
  if (!doc["rejected_total"].get(value)) {
    ack.rejected = value;
  } else if (!doc["rejected"].get(rejected)) {
    ack.rejected = rejected.size();
  }
  return ack;
}

std::optional<LineSplit> split_lines_in_half(std::string_view ndjson) {
  const auto lines = static_cast<std::size_t>(std::count(ndjson.begin(), ndjson.end(), '\n'));
  if (lines <= 1) return std::nullopt;
  const std::size_t half = lines / 2;
  std::size_t cut = 0;
  for (std::size_t seen = 0; seen < half; ++cut) {
    if (ndjson[cut] == '\n') ++seen;
  }
  return LineSplit{cut, static_cast<std::uint32_t>(half), static_cast<std::uint32_t>(lines - half)};
}

Sender::Sender(HttpTransport& transport, Spool& spool, ZstdCompressor& compressor,
               DropCounters& drops, Backoff backoff, std::string authorization)
    : transport_(transport),
      spool_(spool),
      compressor_(compressor),
      drops_(drops),
      backoff_(std::move(backoff)),
      authorization_(std::move(authorization)) {}

void Sender::send_front() {
  const auto batch = spool_.front();
  if (!batch) return;
  HttpRequest request;
  request.target = "/v1/batch";
  request.body = batch->payload;
  request.headers = {{"Authorization", authorization_},
                     {"Content-Type", "application/x-ndjson"},
                     {"Content-Encoding", "zstd"},
                     // Set afresh on every attempt: the collector's skew correction needs the
                     // clock at sending time, not at batching time.
                     {"Uptake-Sent-At", std::to_string(now_unix_ms())}};
  const HttpResponse response = transport_.send(request);
  switch (classify_response(response)) {
    case Verdict::delivered:
      delivered(*batch, response);
      break;
    case Verdict::retry:
      counters_.retries.fetch_add(1, std::memory_order_relaxed);
      back_off(response.retry_after);
      break;
    case Verdict::split:
      split_front(*batch);
      break;
    case Verdict::drop:
      drops_.add(DropReason::client_error, batch->events);
      spool_.pop_front();
      break;
  }
}

void Sender::delivered(const SpoolBatch& batch, const HttpResponse& response) {
  const auto ack = parse_batch_ack(response.body);
  // An answer we cannot read still means "committed": count everything as sent.
  const std::uint64_t rejected = ack ? std::min<std::uint64_t>(ack->rejected, batch.events) : 0;
  counters_.rejected_by_collector.fetch_add(rejected, std::memory_order_relaxed);
  counters_.sent.fetch_add(batch.events - rejected, std::memory_order_relaxed);
  counters_.batches_sent.fetch_add(1, std::memory_order_relaxed);
  spool_.pop_front();
  backoff_.reset();
}

// PROTOCOL.md: on 413 split the batch in two and send each half; a single event still over
// the limit is dropped and counted.
void Sender::split_front(const SpoolBatch& batch) {
  const auto text = zstd_decompress(batch.payload, kMaxSplitInputBytes);
  const auto split = text && batch.events > 1 ? split_lines_in_half(*text) : std::nullopt;
  if (!split) {
    drops_.add(DropReason::too_large, batch.events);
    spool_.pop_front();
    return;
  }
  const std::string_view ndjson(*text);
  const std::string first = compressor_.compress(ndjson.substr(0, split->cut));
  const std::string second = compressor_.compress(ndjson.substr(split->cut));
  if (!spool_.split_front(first, split->first_lines, second, split->second_lines)) {
    counters_.retries.fetch_add(1, std::memory_order_relaxed);
    back_off(std::nullopt);
  }
}

void Sender::back_off(std::optional<std::chrono::milliseconds> retry_after) {
  next_attempt_at_ = Clock::now() + backoff_.next(retry_after);
}

}  // namespace uptake::detail
