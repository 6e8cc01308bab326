#pragma once
// Turns a /v1/batch request body into NDJSON text: zstd decoded in bounded steps, so a
// decompression bomb is cut off at the limit instead of being trusted or fully inflated.

#include <cstddef>
#include <string>
#include <string_view>

#include "ingest/memory_budget.hpp"

namespace uptake::collector {

struct DecodedBody {
  int status = 200;   // 200, or the PROTOCOL.md error status (400, 413, 503)
  std::string error;  // short code when status != 200
  std::string message;
  std::string text;  // the NDJSON, with simdjson padding capacity reserved
};

/// `encoding` is the Content-Encoding value ("zstd", "identity" or empty). Every byte of output
/// buffer is taken from `memory` first; when it has no room the answer is 503.
DecodedBody decode_body(std::string&& body, std::string_view encoding,
                        std::size_t max_decompressed_bytes, MemoryBudget::Reservation& memory);

/// The same without a budget (tools, tests, fuzzing).
DecodedBody decode_body(std::string&& body, std::string_view encoding,
                        std::size_t max_decompressed_bytes);

}  // namespace uptake::collector
