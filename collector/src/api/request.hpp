#pragma once
// A request as the API sees it, independent of the HTTP server underneath, and its answer.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace uptake::collector {

struct ApiRequest {
  std::string method;
  std::string target;  // path and query, as sent
  std::string authorization;
  std::string content_type;
  std::string content_encoding;
  std::string if_none_match;
  std::string sent_at;  // Uptake-Sent-At, raw
  std::optional<std::uint64_t> content_length;
  std::string body;
  /// The client's address, for per-address limits only: kept in memory, never stored or
  /// logged (PROTOCOL.md privacy).
  std::string client_address;
  std::chrono::steady_clock::time_point started;
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::size_t events = 0;  // for the request log
};

using Respond = std::function<void(ApiResponse)>;

/// An error answer in PROTOCOL.md's shape: {"error": code, "message": sentence}.
ApiResponse error_response(int status, std::string code, std::string message);
/// The same with a Retry-After header (429, 503).
ApiResponse retry_later(int status, std::string code, std::string message, int retry_after_s);

}  // namespace uptake::collector
