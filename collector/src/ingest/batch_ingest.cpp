#include "ingest/batch_ingest.hpp"

#include <simdjson.h>

#include "ingest/body_decoder.hpp"
#include "uptake_common/json_writer.hpp"

namespace uptake::collector {
namespace {

ReadBatch failure(int status, std::string error, std::string message) {
  ReadBatch r;
  r.status = status;
  r.error = std::move(error);
  r.message = std::move(message);
  return r;
}

// Parsed events take about as much memory again as their text (strings, vectors): reserve it
// before parsing, so the budget covers what the request really holds.
constexpr std::size_t kParsedBytesPerTextByte = 2;

}  // namespace

ReadBatch read_batch(BatchInput input, MemoryBudget::Reservation& memory) {
  DecodedBody decoded = decode_body(std::move(input.body), input.content_encoding,
                                    input.max_decompressed_bytes, memory);
  if (decoded.status != 200)
    return failure(decoded.status, std::move(decoded.error), std::move(decoded.message));
  if (!simdjson::validate_utf8(decoded.text.data(), decoded.text.size()))
    return failure(400, "invalid_utf8", "The body is not valid UTF-8.");
  const SentAt sent_at = parse_sent_at(input.sent_at);
  if (!sent_at.valid) {
    return failure(400, "bad_sent_at",
                   "Uptake-Sent-At must be the client's clock in epoch milliseconds.");
  }
  if (!memory.grow(decoded.text.size() * kParsedBytesPerTextByte)) {
    return failure(503, "overloaded",
                   "The collector is holding as many request bodies as it may; resend later.");
  }
  ReadBatch out;
  out.decompressed_bytes = decoded.text.size();
  out.parsed = parse_batch(decoded.text, input.received_at, sent_at.ms);
  const ParsedBatch& parsed = out.parsed;
  // PROTOCOL.md: 400 only when the body is undecodable as a whole, and so when no line even
  // parses. Lines that parse but break the field rules are per-line rejects in a 200.
  if (parsed.lines == 0) return failure(400, "empty_batch", "The body holds no event lines.");
  if (parsed.objects == 0) {
    ReadBatch none = failure(400, "no_valid_lines",
                             "No line parses as a JSON object; first problem: line " +
                                 std::to_string(parsed.rejected.front().line) + ": " +
                                 parsed.rejected.front().error + ".");
    none.parsed = std::move(out.parsed);
    return none;
  }
  return out;
}

void append_rejections(std::string& json, const ParsedBatch& parsed) {
  json += "\"rejected\":[";
  for (std::size_t i = 0; i < parsed.rejected.size(); ++i) {
    if (i > 0) json += ',';
    json += "{\"line\":" + std::to_string(parsed.rejected[i].line) + ",\"error\":";
    detail::append_json_string(json, parsed.rejected[i].error);
    json += '}';
  }
  json += "],\"rejected_total\":" + std::to_string(parsed.rejected_total);
}

std::string batch_answer(std::uint64_t accepted, std::uint64_t duplicates,
                         const ParsedBatch& parsed) {
  std::string json = "{\"accepted\":" + std::to_string(accepted) +
                     ",\"duplicates\":" + std::to_string(duplicates) + ",";
  append_rejections(json, parsed);
  json += '}';
  return json;
}

}  // namespace uptake::collector
