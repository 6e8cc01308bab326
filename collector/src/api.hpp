#pragma once
// The HTTP API of PROTOCOL.md, independent of the server underneath: routes, keys, limits,
// handlers. The server calls precheck() once headers are in (so limits apply before any body
// is read), then handle() with the whole request.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keyring.hpp"
#include "metrics.hpp"
#include "options.hpp"
#include "rate_limiter.hpp"
#include "store.hpp"

namespace uptake::collector {

struct ApiRequest {
  std::string method;
  std::string target;  // path and query
  std::string authorization;
  std::string content_type;
  std::string content_encoding;
  std::string if_none_match;
  std::string sent_at;  // Uptake-Sent-At, raw
  std::optional<std::uint64_t> content_length;
  std::string body;
  std::chrono::steady_clock::time_point started;
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // For the request log and metrics.
  std::string route;
  std::size_t events = 0;
};

using Respond = std::function<void(ApiResponse)>;

/// An error answer in PROTOCOL.md's shape: {"error": code, "message": sentence}.
ApiResponse error_response(int status, std::string code, std::string message);

class Api {
 public:
  Api(const Options& options, Store& store, Metrics& metrics);

  /// An early answer from the headers alone (401, 403, 404, 405, 413, 415, 429), or nullopt
  /// when the body should be read.
  std::optional<ApiResponse> precheck(const ApiRequest& request);
  /// Answers the request through `respond`, possibly later and from a storage thread.
  void handle(ApiRequest request, Respond respond);

  /// Counts the answer in /metrics and writes the structured request log line.
  void record(const ApiRequest& request, const ApiResponse& response);

  /// Sampled by /metrics.
  std::function<std::size_t()> open_connections = [] { return std::size_t{0}; };

 private:
  void handle_batch(ApiRequest& request, const KeyGrant& grant, Respond respond);
  ApiResponse handle_config(const ApiRequest& request, const KeyGrant& grant);
  ApiResponse handle_delete_user(const ApiRequest& request, const std::string& person);
  ApiResponse handle_report(const ApiRequest& request, const KeyGrant& grant);
  /// The app a request acts on: the key's own, or ?app= for the admin key.
  std::optional<std::string> app_for(const ApiRequest& request, const KeyGrant& grant,
                                     ApiResponse& error);

  const Options& options_;
  Store& store_;
  Metrics& metrics_;
  Keyring keys_;
  RateLimiter limiter_;
};

/// Splits "path?query" and percent-decodes query values. Returns the path.
std::string request_path(const std::string& target);
std::optional<std::string> query_param(const std::string& target, const std::string& name);
/// Percent-decodes a path segment or query value ("+" stays "+" in paths).
std::string percent_decode(std::string_view s, bool plus_is_space);

}  // namespace uptake::collector
