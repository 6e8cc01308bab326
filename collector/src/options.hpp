#pragma once
// The collector's settings: command-line flags over an optional JSON config file.

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace uptake::collector {

struct AppKeys {
  std::string name;
  std::string write_key;
  std::string read_key;
};

enum class Durability { normal, fsync };

struct Options {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  std::string db = "sqlite:./uptake.db";  // sqlite:PATH | clickhouse:URL
  std::vector<AppKeys> apps;
  std::string admin_key;
  std::string clickhouse_user;  // with --db clickhouse:URL
  std::string clickhouse_password;
  std::string clickhouse_cluster;             // remote_servers name: shard via Distributed
  std::vector<std::string> clickhouse_nodes;  // every node's http://host:port (cluster only)
  std::string tls_cert_file;
  std::string tls_key_file;

  std::size_t max_body_bytes = std::size_t{5} * 1024 * 1024;           // compressed, PROTOCOL.md
  std::size_t max_decompressed_bytes = std::size_t{50} * 1024 * 1024;  // PROTOCOL.md
  double rate_limit_rps = 200;    // requests per second per key (token refill)
  double rate_limit_burst = 400;  // bucket size
  std::size_t max_connections = 1024;
  std::chrono::milliseconds header_timeout_ms{10'000};
  std::chrono::milliseconds body_timeout_ms{30'000};
  std::chrono::milliseconds idle_timeout_ms{60'000};
  std::chrono::milliseconds shutdown_grace_ms{10'000};
  Durability durability = Durability::normal;
  std::uint64_t max_db_bytes = 0;                     // 0: unlimited; beyond it writes answer 503
  std::chrono::milliseconds aggregate_delay_ms{250};  // SQLite: see DeferredAggregates
  unsigned threads = 0;                               // 0: one per core
  bool log_requests = true;
};

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Parses argv (flags win over --config FILE). Throws UsageError with a one-line reason.
Options parse_options(const std::vector<std::string>& args);
/// The --help text.
std::string usage_text();

}  // namespace uptake::collector
