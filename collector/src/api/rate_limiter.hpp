#pragma once
// Token buckets by key (a write key, or a client address): each request takes a token; tokens
// refill at a steady rate up to the burst size. In memory only. The number of buckets is
// bounded: a bucket that has refilled completely is the same as no bucket, so those are the
// ones dropped when the table is full, and a flood of new keys cannot grow it without end.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace uptake::collector {

class RateLimiter {
 public:
  RateLimiter(double tokens_per_second, double burst, std::size_t max_buckets = 100'000);
  /// Takes a token for `key`. Returns 0 when allowed, else the whole seconds (>= 1) until
  /// a token will be available, for Retry-After.
  int acquire(std::string_view key, std::chrono::steady_clock::time_point now);
  [[nodiscard]] std::size_t buckets() const;

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point updated;
  };
  void drop_refilled(std::chrono::steady_clock::time_point now);

  double rate_, burst_;
  std::size_t max_buckets_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace uptake::collector
