#pragma once
// One keep-alive HTTP(S) connection to the collector, used synchronously by the background
// thread with connect and request deadlines. Boost.Beast stays inside http_transport.cpp.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "uptake_common/endpoint_url.hpp"

namespace uptake::detail {

struct TransportOptions {
  EndpointUrl url;
  std::string ca_file;
  bool verify = true;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds request_timeout{30'000};
  std::size_t max_response_bytes = std::size_t{1024} * 1024;
};

struct HttpRequest {
  std::string_view method = "POST";
  std::string_view target;  // appended to the endpoint's base path
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view body;
};

struct HttpResponse {
  int status = 0;     // 0: no response (network error, timeout, TLS failure, cancelled)
  std::string error;  // what failed when status is 0
  std::string body;
  std::optional<std::chrono::milliseconds> retry_after;
  std::string etag;
};

class HttpTransport {
 public:
  /// Throws std::runtime_error when the TLS context cannot be set up (e.g. unreadable CA file).
  explicit HttpTransport(TransportOptions options);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  /// Sends one request and waits for the answer, reusing the connection when it can.
  /// Never throws; failures come back as status 0 with `error` set.
  HttpResponse send(const HttpRequest& request);

  /// Aborts the request in flight and every later one; callable from any thread.
  void cancel();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Parses a Retry-After value (delta seconds or an HTTP date relative to now).
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value);

}  // namespace uptake::detail
