#pragma once
// zstd compression of whole batches, with contexts reused across batches.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace uptake::detail {

class ZstdCompressor {
 public:
  explicit ZstdCompressor(int level);
  ~ZstdCompressor();
  ZstdCompressor(const ZstdCompressor&) = delete;
  ZstdCompressor& operator=(const ZstdCompressor&) = delete;
  /// Compresses `input` into one zstd frame (with content size and checksum).
  std::string compress(std::string_view input);

 private:
  struct Context;
  std::unique_ptr<Context> context_;
  int level_;
};

/// Decompresses one or more zstd frames; nullopt when corrupt or larger than `max_bytes`.
std::optional<std::string> zstd_decompress(std::string_view input, std::size_t max_bytes);

}  // namespace uptake::detail
