#pragma once
// Prometheus counters and histograms for /metrics. Lock-free on the request path except for
// the per-route/status map, which takes a short mutex.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace uptake::collector {

class Histogram {
 public:
  static constexpr std::array<double, 12> kBucketsSeconds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};
  void observe(double seconds);
  void render(std::string& out, const std::string& name, const std::string& help) const;

 private:
  std::array<std::atomic<std::uint64_t>, kBucketsSeconds.size() + 1> counts_{};
  std::atomic<std::uint64_t> sum_micros_{0};
};

class Metrics {
 public:
  void count_request(const std::string& route, int status);
  std::atomic<std::uint64_t> events_accepted{0}, events_duplicate{0}, events_rejected{0};
  std::atomic<std::uint64_t> bytes_in_compressed{0}, bytes_in_decompressed{0};
  Histogram ingest_latency, storage_write_latency;
  /// Prometheus text exposition; `queue_depth` and `connections` are sampled by the caller.
  std::string render(std::size_t queue_depth, std::size_t connections) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
};

}  // namespace uptake::collector
