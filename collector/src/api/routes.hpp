#pragma once
// The one route table: every route of PROTOCOL.md declared once, with the keys that may call
// it, where its handler runs and what it checks before the body is read. Authorization,
// dispatch and metrics all read this table.

#include <optional>
#include <span>
#include <string_view>

#include "api/api_context.hpp"

namespace uptake::collector {

/// Where a handler runs. Slow routes never run on an I/O thread, so a report or a deletion
/// can never delay ingest or a health check.
enum class RunsOn { io_thread, report_pool, admin_pool };

/// Which keys may call a route (a bit per Role); none: no key needed.
enum class Keys : unsigned { none = 0, write = 1, read = 2, admin = 4 };
constexpr Keys operator|(Keys a, Keys b) {
  return static_cast<Keys>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}
bool allows(Keys keys, Role role);

using Handler = void (*)(ApiContext&, Call&, const Respond&);
/// Checks made from the headers alone, after the key (415, 429 ...): an answer, or nullopt.
using Admit = std::optional<ApiResponse> (*)(ApiContext&, const ApiRequest&, const KeyGrant&);

struct Route {
  std::string_view method;
  std::string_view path;  // the whole path, or its prefix when `prefix`
  bool prefix = false;
  std::string_view family;  // the metrics label
  Keys keys = Keys::none;
  RunsOn runs = RunsOn::io_thread;
  Admit admit = nullptr;
  Handler handle = nullptr;
};

std::span<const Route> routes();

struct RouteMatch {
  const Route* route = nullptr;  // set when path and method match
  bool path_known = false;       // the path exists, perhaps under another method
  std::string_view allowed;      // the methods the path has, for 405's Allow header
  std::string_view family = "other";
};
RouteMatch match_route(std::string_view method, std::string_view path);

}  // namespace uptake::collector
