#include "api/routes.hpp"

#include <array>

namespace uptake::collector {
namespace {

constexpr std::array kRoutes = {
    Route{"GET", "/healthz", false, "/healthz", Keys::none, RunsOn::io_thread, nullptr,
          handle_health},
    Route{"GET", "/metrics", false, "/metrics", Keys::none, RunsOn::io_thread, nullptr,
          handle_metrics},
    Route{"GET", "/", false, "/", Keys::none, RunsOn::io_thread, nullptr, handle_dashboard},
    Route{"GET", "/index.html", false, "/", Keys::none, RunsOn::io_thread, nullptr,
          handle_dashboard},
    Route{"POST", "/v1/batch", false, "/v1/batch", Keys::write, RunsOn::io_thread, admit_batch,
          handle_batch},
    Route{"GET", "/v1/config", false, "/v1/config", Keys::write | Keys::read | Keys::admin,
          RunsOn::io_thread, nullptr, handle_get_config},
    Route{"PUT", "/v1/config", false, "/v1/config", Keys::admin, RunsOn::admin_pool, nullptr,
          handle_put_config},
    Route{"DELETE", "/v1/users/", true, "/v1/users", Keys::admin, RunsOn::admin_pool, nullptr,
          handle_delete_user},
    Route{"GET", "/v1/reports/", true, "/v1/reports", Keys::read | Keys::admin, RunsOn::report_pool,
          nullptr, handle_report},
};

// The methods each path has, for 405's Allow header.
constexpr std::string_view allowed_methods(std::string_view path) {
  if (path == "/v1/batch") return "POST";
  if (path == "/v1/config") return "GET, PUT";
  if (path == "/v1/users/") return "DELETE";
  return "GET";
}

bool path_matches(const Route& r, std::string_view path) {
  // A prefix route needs something after its prefix (/v1/reports/ alone names no report).
  return r.prefix ? path.starts_with(r.path) && path.size() > r.path.size() : path == r.path;
}

}  // namespace

bool allows(Keys keys, Role role) {
  const unsigned bit = role == Role::write ? 1u : role == Role::read ? 2u : 4u;
  return (static_cast<unsigned>(keys) & bit) != 0;
}

std::span<const Route> routes() {
  return kRoutes;
}

RouteMatch match_route(std::string_view method, std::string_view path) {
  RouteMatch m;
  for (const Route& r : kRoutes) {
    if (!path_matches(r, path)) continue;
    m.path_known = true;
    m.family = r.family;
    m.allowed = allowed_methods(r.path);
    if (r.method == method) {
      m.route = &r;
      return m;
    }
  }
  return m;
}

}  // namespace uptake::collector
