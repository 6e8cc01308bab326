#pragma once
// Event ids: UUIDv7 strings, time-ordered per install. After the 48-bit millisecond time
// come 42 bits drawn at random once per run and a 32-bit counter, so ids from one run differ
// only in time and counter: the collector's id index stays append-mostly and a compressed
// batch stays small (PROTOCOL.md, DESIGN.md), while two runs of one install never collide.

#include <cstdint>
#include <string>

namespace uptake::detail {

class EventIdGenerator {
 public:
  /// `run_random` supplies the per-run random bits (only the low 42 are used).
  explicit EventIdGenerator(std::uint64_t run_random);
  /// Appends the next id (36 characters, lowercase hex) for an event at `ts_ms`.
  void append_next(std::string& out, std::int64_t ts_ms);
  std::string next(std::int64_t ts_ms) {
    std::string s;
    append_next(s, ts_ms);
    return s;
  }

 private:
  std::uint64_t run_random_;
  std::uint32_t counter_ = 0;
};

/// 64 bits from the OS's random source (std::random_device).
std::uint64_t random_u64();

}  // namespace uptake::detail
