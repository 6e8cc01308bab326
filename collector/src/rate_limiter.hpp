#pragma once
// Per-key token buckets: each request takes a token; tokens refill at a steady rate.

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace uptake::collector {

class RateLimiter {
 public:
  RateLimiter(double tokens_per_second, double burst);
  /// Takes a token for `key`. Returns 0 when allowed, else the whole seconds (>= 1) until
  /// a token will be available, for Retry-After.
  int acquire(const std::string& key, std::chrono::steady_clock::time_point now);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point updated;
  };
  double rate_, burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace uptake::collector
