#pragma once
// What every route handler works with: the collector's options and store, the keys, the
// limits and counters, and the call being handled.

#include <functional>
#include <optional>
#include <string>

#include "api/counters.hpp"
#include "api/keyring.hpp"
#include "api/rate_limiter.hpp"
#include "api/request.hpp"
#include "api/target.hpp"
#include "config/options.hpp"
#include "ingest/memory_budget.hpp"
#include "storage/store.hpp"

namespace uptake::collector {

struct ApiContext {
  const Options& options;
  Store& store;
  const Keyring& keys;
  ApiCounters& counters;
  RateLimiter& key_limiter;      // per write key
  RateLimiter& address_limiter;  // per client address
  MemoryBudget& ingest_memory;
  /// The server's Prometheus exposition (set by the server; empty until then).
  std::function<std::string()> metrics_text;
};

struct Call {
  ApiRequest request;
  Target target;
  KeyGrant grant{Role::read, {}};  // meaningful only on routes that need a key
};

/// The app a call acts on: the key's own, or ?app= for the admin key. nullopt with `error`
/// set (400 without ?app=, 404 for an unknown app).
std::optional<std::string> app_of(const ApiContext& ctx, const Call& call, ApiResponse& error);

/// Milliseconds since the Unix epoch, collector clock.
std::int64_t now_unix_ms();

// Route handlers, one file per family (batch_route.cpp, config_route.cpp, report_route.cpp,
// users_route.cpp, ops_routes.cpp).
std::optional<ApiResponse> admit_batch(ApiContext&, const ApiRequest&, const KeyGrant&);
void handle_batch(ApiContext&, Call&, const Respond&);
void handle_get_config(ApiContext&, Call&, const Respond&);
void handle_put_config(ApiContext&, Call&, const Respond&);
void handle_report(ApiContext&, Call&, const Respond&);
void handle_delete_user(ApiContext&, Call&, const Respond&);
void handle_health(ApiContext&, Call&, const Respond&);
void handle_metrics(ApiContext&, Call&, const Respond&);
void handle_dashboard(ApiContext&, Call&, const Respond&);

}  // namespace uptake::collector
