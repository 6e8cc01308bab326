#include "zstd_codec.hpp"

#include <zstd.h>

#include <stdexcept>

namespace uptake::detail {

struct ZstdCompressor::Context {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ~Context() { ZSTD_freeCCtx(cctx); }
};

ZstdCompressor::ZstdCompressor(int level) : context_(std::make_unique<Context>()), level_(level) {
  if (!context_->cctx) throw std::bad_alloc();
  ZSTD_CCtx_setParameter(context_->cctx, ZSTD_c_compressionLevel, level_);
  ZSTD_CCtx_setParameter(context_->cctx, ZSTD_c_checksumFlag, 1);
  ZSTD_CCtx_setParameter(context_->cctx, ZSTD_c_contentSizeFlag, 1);
}

ZstdCompressor::~ZstdCompressor() = default;

std::string ZstdCompressor::compress(std::string_view input) {
  std::string out(ZSTD_compressBound(input.size()), '\0');
  const std::size_t n =
      ZSTD_compress2(context_->cctx, out.data(), out.size(), input.data(), input.size());
  if (ZSTD_isError(n)) throw std::runtime_error(ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

std::optional<std::string> zstd_decompress(std::string_view input, std::size_t max_bytes) {
  struct Stream {
    ZSTD_DStream* ds = ZSTD_createDStream();
    ~Stream() { ZSTD_freeDStream(ds); }
  } stream;
  if (!stream.ds) return std::nullopt;
  std::string out;
  ZSTD_inBuffer in{input.data(), input.size(), 0};
  std::size_t last = 1;
  char chunk[64 * 1024];
  while (in.pos < in.size) {
    ZSTD_outBuffer o{chunk, sizeof chunk, 0};
    last = ZSTD_decompressStream(stream.ds, &o, &in);
    if (ZSTD_isError(last)) return std::nullopt;
    if (out.size() + o.pos > max_bytes) return std::nullopt;
    out.append(chunk, o.pos);
    if (o.pos == 0 && in.pos < in.size && last != 0) continue;
  }
  // Drain output still buffered inside the decoder.
  while (last != 0) {
    ZSTD_outBuffer o{chunk, sizeof chunk, 0};
    last = ZSTD_decompressStream(stream.ds, &o, &in);
    if (ZSTD_isError(last)) return std::nullopt;
    if (o.pos == 0) return std::nullopt;  // truncated frame
    if (out.size() + o.pos > max_bytes) return std::nullopt;
    out.append(chunk, o.pos);
  }
  return out;
}

}  // namespace uptake::detail
