#include "config_check.hpp"

#include <algorithm>
#include <string>

#include "sdk_limits.hpp"

namespace uptake::detail {
namespace {

void require(bool ok, const char* field, const std::string& why) {
  if (!ok) throw ConfigError(std::string("uptake config: ") + field + ": " + why);
}

template <typename T>
std::string between(T low, T high) {
  return "must be between " + std::to_string(low) + " and " + std::to_string(high);
}

bool is_header_safe(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c > 0x20 && c < 0x7F; });
}

}  // namespace

EndpointUrl check_config(const Config& c) {
  std::string error;
  auto url = parse_endpoint_url(c.endpoint, error);
  require(url.has_value(), "endpoint", error.c_str());
  require(url->tls || is_loopback_host(url->host), "endpoint",
          "plain http is only allowed for loopback hosts; use https");
  require(!c.write_key.empty() && is_header_safe(c.write_key), "write_key",
          "must be non-empty printable ASCII without spaces");
  require(!c.data_dir.empty(), "data_dir", "is required (spool and install identity live there)");
  require(c.app_version.size() <= kMaxAppVersionBytes, "app_version",
          "must be at most " + std::to_string(kMaxAppVersionBytes) + " bytes");
  require(c.flush_interval_ms.count() > 0, "flush_interval_ms", "must be positive");
  require(c.max_batch_events >= 1 && c.max_batch_events <= kMaxBatchEventsCeiling,
          "max_batch_events", between<std::size_t>(1, kMaxBatchEventsCeiling));
  require(c.max_batch_bytes >= kMinBatchBytesFloor && c.max_batch_bytes <= kMaxBatchBytesCeiling,
          "max_batch_bytes",
          "must be between " + std::to_string(kMinBatchBytesFloor / 1024) + " KiB and " +
              std::to_string(kMaxBatchBytesCeiling / (1024 * 1024)) + " MiB");
  require(c.queue_capacity >= kMinQueueCapacity && c.queue_capacity <= kMaxQueueCapacity,
          "queue_capacity", between(kMinQueueCapacity, kMaxQueueCapacity));
  require(c.max_spool_bytes >= kMinSpoolBytesFloor, "max_spool_bytes",
          "must be at least " + std::to_string(kMinSpoolBytesFloor / 1024) + " KiB");
  require(c.max_spool_age_ms.count() > 0, "max_spool_age_ms", "must be positive");
  require(c.session_timeout_ms.count() > 0, "session_timeout_ms", "must be positive");
  require(c.sample_rate > 0.0 && c.sample_rate <= 1.0, "sample_rate", "must be in (0, 1]");
  require(c.connect_timeout_ms.count() > 0, "connect_timeout_ms", "must be positive");
  require(c.request_timeout_ms.count() > 0, "request_timeout_ms", "must be positive");
  require(c.retry_base_ms.count() > 0, "retry_base_ms", "must be positive");
  require(c.retry_cap_ms >= c.retry_base_ms, "retry_cap_ms", "must be at least retry_base_ms");
  require(c.shutdown_timeout_ms.count() >= 0, "shutdown_timeout_ms", "must not be negative");
  require(
      c.compression_level >= kMinCompressionLevel && c.compression_level <= kMaxCompressionLevel,
      "compression_level", between(kMinCompressionLevel, kMaxCompressionLevel));
  return *url;
}

}  // namespace uptake::detail
