#include "api/counters.hpp"

#include <cstdio>

namespace uptake::collector {

void Histogram::observe(double seconds) {
  std::size_t i = 0;
  while (i < kBucketsSeconds.size() && seconds > kBucketsSeconds[i]) ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void Histogram::render(std::string& out, std::string_view name, std::string_view help) const {
  const std::string n(name);
  out += "# HELP " + n + " " + std::string(help) + "\n# TYPE " + n + " histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    char le[32];
    std::snprintf(le, sizeof le, "%g", kBucketsSeconds[i]);
    out += n + "_bucket{le=\"" + le + "\"} " + std::to_string(cumulative) + "\n";
  }
  cumulative += counts_.back().load(std::memory_order_relaxed);
  out += n + "_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  char sum[48];
  std::snprintf(sum, sizeof sum, "%.6f", static_cast<double>(sum_micros_.load()) / 1e6);
  out += n + "_sum " + sum + "\n" + n + "_count " + std::to_string(cumulative) + "\n";
}

void render_metric(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help, std::uint64_t value) {
  const std::string n(name);
  out += "# HELP " + n + " " + std::string(help) + "\n# TYPE " + n + " " + std::string(type) +
         "\n" + n + " " + std::to_string(value) + "\n";
}

void ApiCounters::count_request(std::string_view route, int status) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), status}];
}

void ApiCounters::render(std::string& out) const {
  out += "# HELP uptake_requests_total HTTP requests by route and status.\n";
  out += "# TYPE uptake_requests_total counter\n";
  {
    std::lock_guard lock(mutex_);
    for (const auto& [key, n] : requests_) {
      out += "uptake_requests_total{route=\"" + key.first + "\",status=\"" +
             std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
    }
  }
  out += "# HELP uptake_events_total Events received, by outcome.\n";
  out += "# TYPE uptake_events_total counter\n";
  const std::pair<const char*, std::uint64_t> outcomes[] = {{"accepted", events_accepted.load()},
                                                            {"duplicate", events_duplicate.load()},
                                                            {"rejected", events_rejected.load()}};
  for (const auto& [outcome, n] : outcomes) {
    out +=
        std::string("uptake_events_total{outcome=\"") + outcome + "\"} " + std::to_string(n) + "\n";
  }
  render_metric(out, "uptake_bytes_in_compressed_total", "counter",
                "Request body bytes as received.", bytes_in_compressed.load());
  render_metric(out, "uptake_bytes_in_decompressed_total", "counter",
                "Request body bytes after decompression.", bytes_in_decompressed.load());
  ingest_latency.render(out, "uptake_ingest_latency_seconds",
                        "Time from batch received to answered.");
  storage_write_latency.render(out, "uptake_storage_write_latency_seconds",
                               "Time from batch queued for storage to committed.");
  report_latency.render(out, "uptake_report_latency_seconds",
                        "Time to compute a report, queueing included.");
}

}  // namespace uptake::collector
