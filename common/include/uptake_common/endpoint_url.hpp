#pragma once
// The collector's base URL, split for the transport.

#include <optional>
#include <string>
#include <string_view>

namespace uptake::detail {

struct EndpointUrl {
  bool tls = true;
  std::string host;  // without brackets for IPv6 literals
  std::string port;
  std::string base_path;  // "" or "/prefix" without a trailing slash
};

/// Parses "https://host[:port][/prefix]" or "http://...". nullopt with `error` set when invalid.
std::optional<EndpointUrl> parse_endpoint_url(std::string_view url, std::string& error);
/// True for 127.0.0.0/8, ::1 and "localhost", where plain http is acceptable.
bool is_loopback_host(std::string_view host);

}  // namespace uptake::detail
