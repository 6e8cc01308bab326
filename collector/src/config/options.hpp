#pragma once
// The collector's settings: command-line flags over an optional JSON config file.

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "uptake_common/protocol_limits.hpp"

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
  /// How often the collector merges the ClickHouse rollups' spread partitions (0: never).
  std::chrono::seconds clickhouse_compact_every{3600};
  /// ClickHouse writer lanes of the store: INSERT streams.
  std::size_t clickhouse_writers = 1;
  std::string tls_cert_file;
  std::string tls_key_file;

  std::size_t max_body_bytes = detail::kDefaultMaxBodyBytes;  // compressed, PROTOCOL.md
  std::size_t max_decompressed_bytes = detail::kDefaultMaxDecompressedBytes;  // PROTOCOL.md
  double rate_limit_rps = 200;    // /v1/batch requests per second per write key (token refill)
  double rate_limit_burst = 400;  // bucket size
  /// /v1/batch requests per second per client address: well under the key's rate, so one
  /// client cannot use up the budget every install of the app shares. Default: a quarter of
  /// the key's rate and burst.
  double address_rate_limit_rps = 0;
  double address_rate_limit_burst = 0;
  /// Header naming the client's address when a trusted proxy sits in front (e.g.
  /// X-Forwarded-For: its last entry is used); empty: the connection's peer address.
  std::string client_address_header;
  std::size_t max_connections = 1024;
  /// Open connections per client address (0: no per-address cap; behind a load balancer
  /// every connection comes from it).
  std::size_t max_connections_per_address = 128;
  /// Memory all /v1/batch bodies may hold at once while decoded, parsed and stored; beyond
  /// it requests get 503 with Retry-After.
  std::size_t max_ingest_memory_bytes = std::size_t{512} * 1024 * 1024;
  /// Reports (and other slow requests) run on their own threads, never on an I/O thread; at
  /// most report_queue wait beyond those running, more get 429.
  std::size_t report_threads = 2;
  std::size_t report_queue = 16;
  std::chrono::milliseconds header_timeout_ms{10'000};
  std::chrono::milliseconds body_timeout_ms{30'000};
  std::chrono::milliseconds idle_timeout_ms{60'000};
  std::chrono::milliseconds shutdown_grace_ms{10'000};
  Durability durability = Durability::normal;
  std::uint64_t max_db_bytes = 0;  // 0: unlimited; beyond it writes answer 503
  unsigned threads = 0;            // 0: one per core
  bool log_requests = true;
};

/// What a --db value names: a SQLite file or a ClickHouse URL.
struct DbSpec {
  enum class Backend { sqlite, clickhouse };
  Backend backend = Backend::sqlite;
  std::string location;  // the file path, or the http(s) URL
};
/// Splits "sqlite:PATH" or "clickhouse:URL". Throws UsageError for anything else.
DbSpec parse_db_spec(const std::string& db);

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Parses argv (flags win over --config FILE). Throws UsageError with a one-line reason.
Options parse_options(const std::vector<std::string>& args);
/// The --help text.
std::string usage_text();

}  // namespace uptake::collector
