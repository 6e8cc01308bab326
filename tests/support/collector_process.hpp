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
  pid_t pid() const { return pid_; }
  /// A line of /proc/PID/status in KiB (VmRSS: resident now, VmHWM: the peak so far).
  std::int64_t memory_kib(const std::string& field = "VmHWM") const;
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

/// The same from a chosen loopback source address (127.0.0.2 ...), to act as another client.
HttpResult http_request_from(const std::string& source_address, std::uint16_t port,
                             const std::string& method, const std::string& target,
                             const std::vector<std::pair<std::string, std::string>>& headers = {},
                             const std::string& body = "");

/// A plain TCP connection for writing raw bytes (malformed or hostile HTTP) and reading what
/// comes back.
class RawConnection {
 public:
  /// Connects to 127.0.0.1:port, from `source_address` when given. Throws on failure.
  explicit RawConnection(std::uint16_t port, const std::string& source_address = "");
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  /// Writes all of `bytes`; false once the peer has closed or reset.
  bool send(const std::string& bytes);
  /// Reads until the peer closes or `timeout` passes; returns what arrived.
  std::string read_until_closed(std::chrono::milliseconds timeout);
  /// Reads until `needle` has arrived, the peer closes, or `timeout` passes.
  std::string read_until(const std::string& needle, std::chrono::milliseconds timeout);
  /// True when the peer closed the connection (a read returned end of stream).
  [[nodiscard]] bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  bool closed_ = false;
  std::string pending_;
};

/// Counts the HTTP/1.1 status lines in raw response bytes.
int count_responses(const std::string& raw);

/// Compresses with zstd (level 3).
std::string zstd_compress(const std::string& text);

}  // namespace uptake::test
