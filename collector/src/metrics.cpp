#include "metrics.hpp"

namespace uptake::collector {

void Histogram::observe(double seconds) {
  std::size_t i = 0;
  while (i < kBucketsSeconds.size() && seconds > kBucketsSeconds[i]) ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void Histogram::render(std::string& out, const std::string& name, const std::string& help) const {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    char le[32];
    std::snprintf(le, sizeof le, "%g", kBucketsSeconds[i]);
    out += name + "_bucket{le=\"" + le + "\"} " + std::to_string(cumulative) + "\n";
  }
  cumulative += counts_.back().load(std::memory_order_relaxed);
  out += name + "_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  char sum[48];
  std::snprintf(sum, sizeof sum, "%.6f", static_cast<double>(sum_micros_.load()) / 1e6);
  out += name + "_sum " + sum + "\n" + name + "_count " + std::to_string(cumulative) + "\n";
}

void Metrics::count_request(const std::string& route, int status) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
}

std::string Metrics::render(std::size_t queue_depth, std::size_t connections) const {
  std::string out;
  out += "# HELP uptake_requests_total HTTP requests by route and status.\n";
  out += "# TYPE uptake_requests_total counter\n";
  {
    std::lock_guard lock(mutex_);
    for (const auto& [key, n] : requests_) {
      out += "uptake_requests_total{route=\"" + key.first + "\",status=\"" +
             std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
    }
  }
  auto counter = [&](const char* name, const char* help, std::uint64_t v) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name +
           " " + std::to_string(v) + "\n";
  };
  out +=
      "# HELP uptake_events_total Events received, by outcome.\n# TYPE uptake_events_total "
      "counter\n";
  out +=
      "uptake_events_total{outcome=\"accepted\"} " + std::to_string(events_accepted.load()) + "\n";
  out += "uptake_events_total{outcome=\"duplicate\"} " + std::to_string(events_duplicate.load()) +
         "\n";
  out +=
      "uptake_events_total{outcome=\"rejected\"} " + std::to_string(events_rejected.load()) + "\n";
  counter("uptake_bytes_in_compressed_total", "Request body bytes as received.",
          bytes_in_compressed.load());
  counter("uptake_bytes_in_decompressed_total", "Request body bytes after decompression.",
          bytes_in_decompressed.load());
  ingest_latency.render(out, "uptake_ingest_latency_seconds",
                        "Time from batch received to answered.");
  storage_write_latency.render(out, "uptake_storage_write_latency_seconds",
                               "Time from batch queued for storage to committed.");
  out +=
      "# HELP uptake_storage_queue_depth Write requests waiting for commit.\n# TYPE "
      "uptake_storage_queue_depth gauge\n";
  out += "uptake_storage_queue_depth " + std::to_string(queue_depth) + "\n";
  out +=
      "# HELP uptake_open_connections Open client connections.\n# TYPE uptake_open_connections "
      "gauge\n";
  out += "uptake_open_connections " + std::to_string(connections) + "\n";
  return out;
}

}  // namespace uptake::collector
