#pragma once
// What the API counts, for /metrics: requests by route family and status, events by outcome,
// bytes in, latencies. Lock-free on the request path except the route/status map.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace uptake::collector {

class Histogram {
 public:
  static constexpr std::array<double, 12> kBucketsSeconds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};
  void observe(double seconds);
  /// Appends the Prometheus text of this histogram.
  void render(std::string& out, std::string_view name, std::string_view help) const;

 private:
  std::array<std::atomic<std::uint64_t>, kBucketsSeconds.size() + 1> counts_{};
  std::atomic<std::uint64_t> sum_micros_{0};
};

struct ApiCounters {
  std::atomic<std::uint64_t> events_accepted{0}, events_duplicate{0}, events_rejected{0};
  std::atomic<std::uint64_t> bytes_in_compressed{0}, bytes_in_decompressed{0};
  Histogram ingest_latency, storage_write_latency, report_latency;

  void count_request(std::string_view route, int status);
  /// Appends every counter above as Prometheus text.
  void render(std::string& out) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t, std::less<>> requests_;
};

/// Appends one metric of a single value: "# HELP", "# TYPE" and the sample.
void render_metric(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help, std::uint64_t value);

}  // namespace uptake::collector
