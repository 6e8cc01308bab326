#pragma once
// A real clickhouse-server (Debian's 18.16) for tests: its own temporary config and data
// directory, free loopback ports, stopped (and its files removed) at scope exit. Besides the
// password-less "default" user it has "uptake" with password "s3cret:pw" (credential tests).

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace uptake::test {

class ClickHouseServer {
 public:
  /// Starts the server and waits until it answers /ping. Throws std::runtime_error.
  ClickHouseServer();
  /// The same on given ports (0: any free one), with `extra_config` XML added to its config.
  ClickHouseServer(std::uint16_t http_port, std::uint16_t tcp_port,
                   const std::string& extra_config);
  ~ClickHouseServer();
  ClickHouseServer(const ClickHouseServer&) = delete;
  ClickHouseServer& operator=(const ClickHouseServer&) = delete;

  std::uint16_t http_port() const { return http_port_; }
  std::uint16_t tcp_port() const { return tcp_port_; }
  /// "http://127.0.0.1:PORT" (no database).
  std::string node_url() const;
  /// "http://127.0.0.1:PORT/DATABASE" for the collector's --db clickhouse:URL.
  std::string url(const std::string& database = "uptake") const;
  void stop();
  /// Starts it again on the same ports and data (an outage that ends).
  void start();

 private:
  TempDir dir_;
  std::uint16_t http_port_ = 0, tcp_port_ = 0;
  pid_t pid_ = -1;
};

/// `shards` servers, each a one-replica shard of the cluster `name` (remote_servers, no
/// ZooKeeper), every one knowing all of them.
class ClickHouseCluster {
 public:
  ClickHouseCluster(const std::string& name, int shards);
  ClickHouseServer& node(int i) { return *nodes_.at(static_cast<std::size_t>(i)); }
  /// Every node's "http://127.0.0.1:PORT", comma-separated (the collector's --clickhouse-nodes).
  std::string node_list() const;

 private:
  std::vector<std::unique_ptr<ClickHouseServer>> nodes_;
};

/// A free loopback TCP port (for servers whose ports must be known before they start).
std::uint16_t free_loopback_port();

/// True when clickhouse-server is installed (scripts/test.sh installs it).
bool clickhouse_available();

}  // namespace uptake::test
