#pragma once
// What to do with a batch after the collector's answer (PROTOCOL.md "Clients retry ..."),
// and how long to wait before the next attempt.

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

#include "uptake_common/http_transport.hpp"

namespace uptake::detail {

enum class Verdict {
  delivered,  // 200: remove from the spool
  retry,      // network error, 429, 5xx: keep, back off
  split,      // 413: halve the batch and send each half
  drop,       // any other answer: the batch can never succeed; remove and count
};

/// Maps an HTTP answer (status 0 = no answer) to what the client does with the batch.
Verdict classify_response(const HttpResponse& response);

/// Exponential backoff with full jitter: attempt n waits uniform(0, min(cap, base * 2^n)),
/// but never less than the server's Retry-After. New events never cut a wait short.
class Backoff {
 public:
  Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, std::uint64_t seed)
      : base_(base), cap_(cap), rng_(seed) {}
  std::chrono::milliseconds next(std::optional<std::chrono::milliseconds> retry_after);
  void reset() { attempt_ = 0; }
  int attempt() const { return attempt_; }

 private:
  std::chrono::milliseconds base_, cap_;
  std::mt19937_64 rng_;
  int attempt_ = 0;
};

}  // namespace uptake::detail
