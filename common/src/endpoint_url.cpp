#include "uptake_common/endpoint_url.hpp"

#include <algorithm>
#include <cctype>

namespace uptake::detail {

std::optional<EndpointUrl> parse_endpoint_url(std::string_view url, std::string& error) {
  EndpointUrl out;
  if (url.starts_with("https://")) {
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    out.tls = false;
    url.remove_prefix(7);
  } else {
    error = "endpoint must start with https:// or http://";
    return std::nullopt;
  }
  const auto slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view path = url.substr(slash);
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    out.base_path = path;
  }
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      error = "endpoint has an unterminated IPv6 literal";
      return std::nullopt;
    }
    out.host = authority.substr(1, close - 1);
    authority.remove_prefix(close + 1);
    if (authority.starts_with(':')) out.port = authority.substr(1);
  } else {
    const auto colon = authority.rfind(':');
    out.host = authority.substr(0, colon);
    if (colon != std::string_view::npos) out.port = authority.substr(colon + 1);
  }
  if (out.host.empty()) {
    error = "endpoint has no host";
    return std::nullopt;
  }
  if (out.port.empty()) out.port = out.tls ? "443" : "80";
  if (!std::all_of(out.port.begin(), out.port.end(),
                   [](unsigned char c) { return std::isdigit(c); }) ||
      out.port.size() > 5 || std::stoi(out.port) == 0 || std::stoi(out.port) > 65535) {
    error = "endpoint has an invalid port";
    return std::nullopt;
  }
  return out;
}

bool is_loopback_host(std::string_view host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

}  // namespace uptake::detail
