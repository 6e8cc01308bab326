// libFuzzer target for the SQLite store's event block reader (event_block.hpp). The first input
// byte picks what the rest is: a stored block as-is (exercises the zstd frame checks), or the
// packed layout, compressed here first (exercises every field's bounds checks). Whatever
// decodes must encode and decode again to the same events.
#include <zstd.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "storage/sqlite/event_block.hpp"

namespace {

bool same(const uptake::collector::Event& a, const uptake::collector::Event& b) {
  return a.id == b.id && a.type == b.type && a.name == b.name && a.anon == b.anon &&
         a.user == b.user && a.session == b.session && a.app_version == b.app_version &&
         a.props == b.props && a.ts == b.ts && a.client_ts == b.client_ts &&
         a.received_at == b.received_at;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string block(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 1) {
    std::string packed = std::move(block);
    block.assign(ZSTD_compressBound(packed.size()), '\0');
    const std::size_t n =
        ZSTD_compress(block.data(), block.size(), packed.data(), packed.size(), 1);
    if (ZSTD_isError(n)) return 0;
    block.resize(n);
  }
  std::vector<uptake::collector::Event> events;
  try {
    events = uptake::collector::decode_event_block(block, 1 << 20);
  } catch (const std::runtime_error&) {
    return 0;  // a clear refusal is the expected outcome for most inputs
  }
  const auto again =
      uptake::collector::decode_event_block(uptake::collector::encode_event_block(events));
  if (again.size() != events.size()) __builtin_trap();
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (!same(events[i], again[i])) __builtin_trap();
  }
  return 0;
}
