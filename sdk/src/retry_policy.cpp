#include "retry_policy.hpp"

#include <algorithm>

#include "sdk_limits.hpp"

namespace uptake::detail {

Verdict classify_response(const HttpResponse& response) {
  const int s = response.status;
  if (s == 200) return Verdict::delivered;
  if (s == 0 || s == 429 || s >= 500) return Verdict::retry;
  if (s == 413) return Verdict::split;
  // 408 (timeout) is transient in practice; every other answer would repeat forever.
  if (s == 408) return Verdict::retry;
  return Verdict::drop;
}

std::chrono::milliseconds Backoff::next(std::optional<std::chrono::milliseconds> retry_after) {
  const int shift = std::min(attempt_, 30);
  ++attempt_;
  const auto ceiling = std::min<std::int64_t>(cap_.count(), base_.count() << shift);
  std::uniform_int_distribution<std::int64_t> pick(0, std::max<std::int64_t>(ceiling, 0));
  std::chrono::milliseconds wait(pick(rng_));
  // Honour the server's wait in full, but not a hostile one that would park the spool forever.
  if (retry_after) {
    wait = std::max(wait, std::min<std::chrono::milliseconds>(*retry_after, kMaxRetryAfter));
  }
  return wait;
}

}  // namespace uptake::detail
