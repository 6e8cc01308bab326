#include "event_id.hpp"

#include <random>

namespace uptake::detail {

std::uint64_t random_u64() {
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

EventIdGenerator::EventIdGenerator(std::uint64_t run_random)
    : run_random_(run_random & ((1ull << 42) - 1)) {}

void EventIdGenerator::append_next(std::string& out, std::int64_t ts_ms) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto ms = static_cast<std::uint64_t>(ts_ms < 0 ? 0 : ts_ms) & 0xFFFFFFFFFFFFull;
  // 128 bits: ms(48) | ver 7 (4) | rand_a(12) | variant 10 (2) | rand_b(62)
  // rand_a = top 12 run bits; rand_b = low 30 run bits then the 32-bit counter.
  const std::uint64_t hi = (ms << 16) | (0x7ull << 12) | (run_random_ >> 30);
  const std::uint64_t lo = (0x2ull << 62) | ((run_random_ & 0x3FFFFFFFull) << 32) | counter_++;
  char buf[36];
  int k = 0;
  for (int nibble = 0; nibble < 32; ++nibble) {
    if (nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20) buf[k++] = '-';
    const std::uint64_t word = nibble < 16 ? hi : lo;
    const int shift = 60 - 4 * (nibble % 16);
    buf[k++] = kHex[(word >> shift) & 0xF];
  }
  out.append(buf, sizeof buf);
}

}  // namespace uptake::detail
