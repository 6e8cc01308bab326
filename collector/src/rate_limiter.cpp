#include "rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace uptake::collector {

RateLimiter::RateLimiter(double tokens_per_second, double burst)
    : rate_(tokens_per_second), burst_(std::max(1.0, burst)) {}

int RateLimiter::acquire(const std::string& key, std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& b = it->second;
  const double elapsed = std::chrono::duration<double>(now - b.updated).count();
  b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
  b.updated = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / rate_)));
}

}  // namespace uptake::collector
