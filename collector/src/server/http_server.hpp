#pragma once
// The collector's HTTP(S) server on Boost.Beast/Asio: one io_context, one thread per core,
// one Session object per connection. Beast stays inside http_server.cpp.

#include <cstddef>
#include <memory>
#include <string>

#include "api/api.hpp"
#include "config/options.hpp"

namespace uptake::collector {

class HttpServer {
 public:
  /// Binds and listens (throws std::runtime_error with the reason on failure). Registers its
  /// connection metrics with `api`.
  HttpServer(const Options& options, Api& api);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// "host:port" actually bound (the port is real even when 0 was asked for).
  [[nodiscard]] std::string address() const;
  /// Starts the I/O threads; returns at once.
  void start();
  /// Stops accepting; open connections finish their current request and close.
  void stop_accepting();
  /// Requests read but not yet answered.
  [[nodiscard]] std::size_t in_flight() const;
  [[nodiscard]] std::size_t connections() const;
  /// Stops every thread (after stop_accepting and draining).
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace uptake::collector
