#include "config_check.hpp"

#include <algorithm>

namespace uptake::detail {
namespace {

void require(bool ok, const char* field, const char* why) {
  if (!ok) throw ConfigError(std::string("uptake config: ") + field + ": " + why);
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
  require(c.app_version.size() <= 64, "app_version", "must be at most 64 bytes");
  require(c.flush_interval_ms.count() > 0, "flush_interval_ms", "must be positive");
  require(c.max_batch_events >= 1 && c.max_batch_events <= 100'000, "max_batch_events",
          "must be between 1 and 100000");
  require(c.max_batch_bytes >= 16 * 1024 && c.max_batch_bytes <= 32 * 1024 * 1024,
          "max_batch_bytes", "must be between 16 KiB and 32 MiB");
  require(c.queue_capacity >= 2 && c.queue_capacity <= (1u << 24), "queue_capacity",
          "must be between 2 and 16777216");
  require(c.max_spool_bytes >= 64 * 1024, "max_spool_bytes", "must be at least 64 KiB");
  require(c.max_spool_age_ms.count() > 0, "max_spool_age_ms", "must be positive");
  require(c.session_timeout_ms.count() > 0, "session_timeout_ms", "must be positive");
  require(c.sample_rate > 0.0 && c.sample_rate <= 1.0, "sample_rate", "must be in (0, 1]");
  require(c.connect_timeout_ms.count() > 0, "connect_timeout_ms", "must be positive");
  require(c.request_timeout_ms.count() > 0, "request_timeout_ms", "must be positive");
  require(c.retry_base_ms.count() > 0, "retry_base_ms", "must be positive");
  require(c.retry_cap_ms >= c.retry_base_ms, "retry_cap_ms", "must be at least retry_base_ms");
  require(c.shutdown_timeout_ms.count() >= 0, "shutdown_timeout_ms", "must not be negative");
  require(c.compression_level >= 1 && c.compression_level <= 19, "compression_level",
          "must be between 1 and 19");
  return *url;
}

}  // namespace uptake::detail
