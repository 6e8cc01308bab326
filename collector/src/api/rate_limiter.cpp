#include "api/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace uptake::collector {

RateLimiter::RateLimiter(double tokens_per_second, double burst, std::size_t max_buckets)
    : rate_(tokens_per_second), burst_(std::max(1.0, burst)), max_buckets_(max_buckets) {}

int RateLimiter::acquire(std::string_view key, std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_buckets_) drop_refilled(now);
    if (buckets_.size() >= max_buckets_) {
      // Every bucket is still draining: the table is full of active clients. Refuse the new one
      // rather than forget a limited one.
      return 1;
    }
    it = buckets_.emplace(std::string(key), Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  const double elapsed = std::chrono::duration<double>(now - b.updated).count();
  b.tokens = std::min(burst_, b.tokens + std::max(0.0, elapsed) * rate_);
  b.updated = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / rate_)));
}

std::size_t RateLimiter::buckets() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

void RateLimiter::drop_refilled(std::chrono::steady_clock::time_point now) {
  std::erase_if(buckets_, [&](const auto& entry) {
    const Bucket& b = entry.second;
    return b.tokens + std::chrono::duration<double>(now - b.updated).count() * rate_ >= burst_;
  });
}

}  // namespace uptake::collector
