#pragma once
// Uptake SDK configuration: every limit and default the client uses lives here.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "uptake/export.h"

namespace uptake {

class Plugin;

/// Thrown by the Client constructor when the configuration cannot work; what() names the field.
class UPTAKE_API ConfigError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct Config {
  /// Collector base URL: "https://host[:port]" (plain "http://" only for loopback hosts).
  std::string endpoint;
  /// The app's write key, sent as "Authorization: Bearer <key>".
  std::string write_key;
  /// Sent as `app_version` on every event (optional, at most 64 bytes).
  std::string app_version;
  /// Directory for the spool and the install's identity; created if missing. Required.
  std::string data_dir;

  /// A batch is sealed when its oldest event has waited this long ...
  std::chrono::milliseconds flush_interval_ms{5000};
  /// ... or when it holds this many events ...
  std::size_t max_batch_events = 500;
  /// ... or this many bytes of uncompressed NDJSON.
  std::size_t max_batch_bytes = 1024 * 1024;
  /// Events the in-memory queue holds (rounded up to a power of two); a full queue drops.
  std::size_t queue_capacity = 8192;

  /// Disk the spool may use; the oldest batches are dropped (and counted) beyond it.
  std::uint64_t max_spool_bytes = 32ull * 1024 * 1024;
  /// Batches older than this are dropped (and counted) instead of sent.
  std::chrono::milliseconds max_spool_age_ms{std::chrono::hours(24 * 7)};
  /// fsync each spool record (survives power loss, costs a disk flush per batch).
  bool spool_fsync = false;

  /// A gap without events longer than this starts a new session.
  std::chrono::milliseconds session_timeout_ms{std::chrono::minutes(30)};
  /// Share of installs that record anything, decided once per install (0..1].
  double sample_rate = 1.0;

  /// PEM file of trusted CAs; empty means the system's default trust store.
  std::string tls_ca_file;
  /// Verify the collector's certificate chain and host name. Keep on outside tests.
  bool tls_verify = true;

  std::chrono::milliseconds connect_timeout_ms{10'000};
  std::chrono::milliseconds request_timeout_ms{30'000};
  /// First retry waits up to this long (full jitter), doubling per failure up to the cap.
  std::chrono::milliseconds retry_base_ms{1000};
  std::chrono::milliseconds retry_cap_ms{std::chrono::minutes(5)};
  /// The destructor never takes longer than this.
  std::chrono::milliseconds shutdown_timeout_ms{2000};

  /// zstd level for batches (1..19); 3 is fast and small.
  int compression_level = 3;

  /// Plugins, run in this order on the background thread (see plugin.hpp).
  std::vector<std::shared_ptr<Plugin>> plugins;
  /// The remote config to use until /v1/config has answered once (JSON; may be empty).
  std::string default_remote_config;
  /// Fetch /v1/config at start and then this often (If-None-Match; cached on disk).
  std::chrono::milliseconds config_refresh_interval_ms{std::chrono::hours(1)};
  bool fetch_remote_config = true;
  /// Wall-clock milliseconds for event times and plugin logic; empty means the system clock.
  /// Tests and simulations inject their own.
  std::function<std::int64_t()> clock;
};

}  // namespace uptake
