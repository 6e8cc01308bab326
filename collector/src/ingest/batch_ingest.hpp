#pragma once
// A /v1/batch body's way to validated events: bounded decoding, the UTF-8 check, the clock
// header, per-line parsing; and the 200 answer of PROTOCOL.md once storage has committed.

#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/batch_parser.hpp"
#include "ingest/memory_budget.hpp"

namespace uptake::collector {

struct BatchInput {
  std::string body;
  std::string_view content_encoding;  // lower-case
  std::string_view sent_at;           // Uptake-Sent-At, raw
  std::int64_t received_at = 0;       // collector clock, ms
  std::size_t max_decompressed_bytes = 0;
};

struct ReadBatch {
  int status = 200;   // 200, or the whole body's error status (400, 413, 503)
  std::string error;  // short code when status != 200
  std::string message;
  ParsedBatch parsed;  // status 200: at least one valid event
  std::size_t decompressed_bytes = 0;
};

/// Decodes and validates a batch body. The memory it holds is taken from `memory` (503 when
/// the collector-wide budget is used up); keep the reservation until the events are stored.
ReadBatch read_batch(BatchInput input, MemoryBudget::Reservation& memory);

/// The 200 answer once storage took the events: {"accepted", "duplicates", "rejected",
/// "rejected_total"}. Bounded (at most the first detail::kMaxRejectedListed lines listed).
std::string batch_answer(std::uint64_t accepted, std::uint64_t duplicates,
                         const ParsedBatch& parsed);

/// Appends `"rejected":[...],"rejected_total":N` (for the 400 of a body without a valid line).
void append_rejections(std::string& json, const ParsedBatch& parsed);

}  // namespace uptake::collector
