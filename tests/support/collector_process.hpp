#pragma once
// Runs the real uptake-collector binary on a free loopback port for black-box tests, and a
// minimal blocking HTTP client to talk to it.

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace uptake::test {

class CollectorProcess {
 public:
  /// Starts the collector with `args` (plus --listen 127.0.0.1:PORT; PORT 0 = any free port)
  /// and waits for its "listening" line. Throws std::runtime_error when it does not start.
  CollectorProcess(std::vector<std::string> args, std::uint16_t port = 0);
  ~CollectorProcess();
  CollectorProcess(const CollectorProcess&) = delete;
  CollectorProcess& operator=(const CollectorProcess&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url(bool tls = false) const;
  /// Sends `signal` and waits for the exit; returns the wait status.
  int stop(int signal);
  /// Everything the process wrote to stderr so far.
  std::string log() const;

 private:
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string log_;
  int exit_status_ = -1;
};

/// Runs the collector binary to completion (for flag errors); returns exit code and stderr.
std::pair<int, std::string> run_collector_to_exit(const std::vector<std::string>& args);

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

/// One blocking HTTP/1.1 request over plain TCP to 127.0.0.1:port.
HttpResult http_request(std::uint16_t port, const std::string& method, const std::string& target,
                        const std::vector<std::pair<std::string, std::string>>& headers = {},
                        const std::string& body = "");

/// Compresses with zstd (level 3).
std::string zstd_compress(const std::string& text);

}  // namespace uptake::test
