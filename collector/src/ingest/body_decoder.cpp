#include "ingest/body_decoder.hpp"

#include <simdjson.h>
#include <zstd.h>

#include <memory>

namespace uptake::collector {
namespace {

DecodedBody failure(int status, std::string error, std::string message) {
  DecodedBody d;
  d.status = status;
  d.error = std::move(error);
  d.message = std::move(message);
  return d;
}

struct DStreamDeleter {
  void operator()(ZSTD_DStream* s) const { ZSTD_freeDStream(s); }
};

}  // namespace

DecodedBody decode_body(std::string&& body, std::string_view encoding,
                        std::size_t max_decompressed_bytes) {
  MemoryBudget::Reservation unlimited;
  return decode_body(std::move(body), encoding, max_decompressed_bytes, unlimited);
}

DecodedBody decode_body(std::string&& body, std::string_view encoding,
                        std::size_t max_decompressed_bytes, MemoryBudget::Reservation& memory) {
  DecodedBody out;
  const auto overloaded = [] {
    return failure(503, "overloaded",
                   "The collector is holding as many request bodies as it may; resend later.");
  };
  if (!memory.grow(body.size())) return overloaded();
  if (encoding != "zstd") {
    if (body.size() > max_decompressed_bytes) {
      return failure(413, "payload_too_large", "The body is larger than the decompressed limit.");
    }
    out.text = std::move(body);
    out.text.reserve(out.text.size() + simdjson::SIMDJSON_PADDING);
    return out;
  }
  thread_local std::unique_ptr<ZSTD_DStream, DStreamDeleter> stream(ZSTD_createDStream());
  ZSTD_initDStream(stream.get());
  // Bound the decoder's window too: a frame asking for a huge window is refused up front.
  ZSTD_DCtx_setParameter(stream.get(), ZSTD_d_windowLogMax, 27);

  ZSTD_inBuffer in{body.data(), body.size(), 0};
  std::size_t pending = 1;
  // Grow in steps; never beyond the limit (+1 byte to detect overflow).
  std::string& text = out.text;
  const std::size_t first_size = std::min<std::size_t>(
      std::max<std::size_t>(body.size() * 8, 64 * 1024), max_decompressed_bytes + 1);
  if (!memory.grow(first_size)) return overloaded();
  text.resize(first_size);
  std::size_t produced = 0;
  while (true) {
    if (produced == text.size()) {
      if (text.size() > max_decompressed_bytes) {
        return failure(413, "payload_too_large", "The decompressed body is larger than the limit.");
      }
      const std::size_t next_size = std::min(text.size() * 2, max_decompressed_bytes + 1);
      if (!memory.grow(next_size - text.size())) return overloaded();
      text.resize(next_size);
    }
    ZSTD_outBuffer o{text.data() + produced, text.size() - produced, 0};
    pending = ZSTD_decompressStream(stream.get(), &o, &in);
    if (ZSTD_isError(pending)) {
      return failure(
          400, "bad_compression",
          std::string("The zstd body could not be decoded: ") + ZSTD_getErrorName(pending) + ".");
    }
    produced += o.pos;
    if (produced > max_decompressed_bytes) {
      return failure(413, "payload_too_large", "The decompressed body is larger than the limit.");
    }
    if (in.pos == in.size && o.pos < o.size) break;  // input consumed, decoder drained
  }
  if (pending != 0) return failure(400, "bad_compression", "The zstd body is truncated.");
  text.resize(produced);
  text.reserve(produced + simdjson::SIMDJSON_PADDING);
  return out;
}

}  // namespace uptake::collector
