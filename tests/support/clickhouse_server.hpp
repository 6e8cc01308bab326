#pragma once
// A real clickhouse-server (Debian's 18.16) for tests: its own temporary config and data
// directory, free loopback ports, stopped (and its files removed) at scope exit.

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "temp_dir.hpp"

namespace uptake::test {

class ClickHouseServer {
 public:
  /// Starts the server and waits until it answers /ping. Throws std::runtime_error.
  ClickHouseServer();
  ~ClickHouseServer();
  ClickHouseServer(const ClickHouseServer&) = delete;
  ClickHouseServer& operator=(const ClickHouseServer&) = delete;

  std::uint16_t http_port() const { return http_port_; }
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

/// True when clickhouse-server is installed (scripts/test.sh installs it).
bool clickhouse_available();

}  // namespace uptake::test
