// libFuzzer target for the collector's ingest decoder: body decoding (zstd or identity,
// bounded), UTF-8 check and per-line NDJSON validation, exactly as /v1/batch runs them.
// The first input byte picks the encoding so the fuzzer explores both paths.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest/batch_parser.hpp"
#include "ingest/body_decoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool zstd = data[0] & 1;
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto decoded = uptake::collector::decode_body(std::move(body), zstd ? "zstd" : "", 1 << 20);
  if (decoded.status != 200) return 0;
  if (!simdjson::validate_utf8(decoded.text.data(), decoded.text.size())) return 0;
  auto parsed = uptake::collector::parse_batch(decoded.text, 1'795'000'000'000, 1'795'000'000'000);
  if (parsed.events.size() + parsed.rejected_total != parsed.lines) __builtin_trap();
  if (parsed.rejected.size() > 100) __builtin_trap();
  return 0;
}
