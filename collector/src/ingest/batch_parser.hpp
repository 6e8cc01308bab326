#pragma once
// PROTOCOL.md's per-line rules for /v1/batch: each NDJSON line becomes an Event or a
// rejection with its 1-based line number. Clock-skew correction happens here too.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/event.hpp"

namespace uptake::collector {

struct LineRejection {
  std::size_t line;
  std::string error;
};

struct ParsedBatch {
  std::vector<Event> events;
  /// The first detail::kMaxRejectedListed rejected lines: a hostile body of millions of bad
  /// lines costs a bounded answer and bounded memory.
  std::vector<LineRejection> rejected;
  std::size_t rejected_total = 0;  // every rejected line
  std::size_t lines = 0;           // non-blank lines seen
  std::size_t objects = 0;         // lines that parse as JSON objects, valid events or not
};

/// Skew correction: ts + (received_at - sent_at) when the two clocks differ by more than two
/// minutes; otherwise ts unchanged (transit time is never folded into event times). nullopt
/// when the corrected time leaves the range of event times the collector accepts.
std::optional<std::int64_t> corrected_ts(std::int64_t ts, std::int64_t received_at,
                                         std::optional<std::int64_t> sent_at);

/// Parses `text` (capacity must include simdjson's padding, as decode_body leaves it).
/// `sent_at` must already be range-checked (see parse_sent_at).
ParsedBatch parse_batch(const std::string& text, std::int64_t received_at,
                        std::optional<std::int64_t> sent_at);

/// The Uptake-Sent-At header: nullopt when absent (empty); an error when it is not an
/// integer number of milliseconds within the accepted range of times.
struct SentAt {
  std::optional<std::int64_t> ms;
  bool valid = true;
};
SentAt parse_sent_at(std::string_view header);

}  // namespace uptake::collector
