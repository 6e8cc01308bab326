#include "api/api.hpp"

#include <cstdio>

#include "config/limits.hpp"
#include "uptake_common/json_writer.hpp"

namespace uptake::collector {

ApiResponse error_response(int status, std::string code, std::string message) {
  ApiResponse r;
  r.status = status;
  r.body = "{\"error\":";
  detail::append_json_string(r.body, code);
  r.body += ",\"message\":";
  detail::append_json_string(r.body, message);
  r.body += "}";
  return r;
}

ApiResponse retry_later(int status, std::string code, std::string message, int retry_after_s) {
  ApiResponse r = error_response(status, std::move(code), std::move(message));
  r.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
  return r;
}

std::int64_t now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<std::string> app_of(const ApiContext& ctx, const Call& call, ApiResponse& error) {
  if (call.grant.role != Role::admin) return call.grant.app;
  const auto app = call.target.param("app");
  if (!app || app->empty()) {
    error = error_response(400, "missing_app", "The admin key needs ?app=NAME.");
    return std::nullopt;
  }
  if (!ctx.keys.has_app(*app)) {
    error = error_response(404, "unknown_app", "There is no app named '" + *app + "'.");
    return std::nullopt;
  }
  return app;
}

Api::Api(const Options& options, Store& store)
    : options_(options),
      keys_(options.apps, options.admin_key),
      key_limiter_(options.rate_limit_rps, options.rate_limit_burst),
      address_limiter_(options.address_rate_limit_rps, options.address_rate_limit_burst),
      ingest_memory_(options.max_ingest_memory_bytes),
      context_{options,
               store,
               keys_,
               counters_,
               key_limiter_,
               address_limiter_,
               ingest_memory_,
               [this] {
                 std::string out;
                 counters_.render(out);
                 if (server_metrics_) out += server_metrics_();
                 return out;
               }},
      report_pool_(std::make_unique<TaskPool>(options.report_threads, options.report_queue)),
      admin_pool_(std::make_unique<TaskPool>(1, options.report_queue)) {}

Api::~Api() {
  stop();
}

void Api::stop() {
  // The pools finish what they run (and what is queued) before the context goes away.
  report_pool_.reset();
  admin_pool_.reset();
}

void Api::set_metrics_source(std::function<std::string()> server_metrics) {
  server_metrics_ = std::move(server_metrics);
}

Admission Api::admit(ApiRequest headers) {
  Admission a;
  auto target = parse_target(headers.target);
  const RouteMatch match = target ? match_route(headers.method, target->path) : RouteMatch{};
  a.family = match.family;
  a.call.request = std::move(headers);
  const ApiRequest& r = a.call.request;
  if (!target) {
    a.early = error_response(400, "bad_target",
                             "The request target has a malformed percent escape or a NUL.");
    return a;
  }
  a.call.target = std::move(*target);
  if (!match.route) {
    if (!match.path_known) {
      a.early = error_response(404, "not_found", "There is no such route.");
    } else {
      a.early = error_response(405, "method_not_allowed",
                               "Use " + std::string(match.allowed) + " on this route.");
      a.early->headers.emplace_back("Allow", std::string(match.allowed));
    }
    return a;
  }
  const Route& route = *match.route;
  a.route = &route;
  if (route.keys != Keys::none) {
    const std::string_view key = bearer_token(r.authorization);
    if (key.empty()) {
      a.early = error_response(401, "unauthorized", "Send the key as Authorization: Bearer <key>.");
      return a;
    }
    const auto grant = keys_.lookup(key);
    if (!grant) {
      a.early = error_response(401, "unauthorized", "The key is not known.");
      return a;
    }
    if (!allows(route.keys, grant->role)) {
      a.early = error_response(403, "forbidden", "This key may not use this route.");
      return a;
    }
    a.call.grant = *grant;
  }
  if (r.content_length && *r.content_length > options_.max_body_bytes) {
    a.early = error_response(
        413, "payload_too_large",
        "The body is larger than " + std::to_string(options_.max_body_bytes) + " bytes.");
    return a;
  }
  if (route.admit) a.early = route.admit(context_, r, a.call.grant);
  return a;
}

void Api::handle(Admission admission, std::string body, Respond respond) {
  const Route& route = *admission.route;
  auto call = std::make_shared<Call>(std::move(admission.call));
  call->request.body = std::move(body);
  if (route.runs == RunsOn::io_thread) return run(route, *call, respond);
  TaskPool* pool = route.runs == RunsOn::report_pool ? report_pool_.get() : admin_pool_.get();
  const bool queued = pool && pool->try_submit([this, &route, call, respond] {
    const auto started = std::chrono::steady_clock::now();
    run(route, *call, respond);
    if (route.runs == RunsOn::report_pool) {
      counters_.report_latency.observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
  });
  if (!queued) {
    respond(retry_later(429, "busy",
                        "Too many slow requests (reports, deletions) are running; retry later.",
                        limits::kReportsBusyRetryAfterSeconds));
  }
}

void Api::run(const Route& route, Call& call, const Respond& respond) {
  try {
    route.handle(context_, call, respond);
  } catch (const NotSupported& e) {
    respond(error_response(501, "not_implemented", e.what()));
  } catch (const StoreError& e) {
    respond(retry_later(503, "storage_unavailable", "Storage failed: " + std::string(e.what()),
                        limits::kStorageRetryAfterSeconds));
  } catch (const std::exception& e) {
    // Whatever went wrong, the server stays up and the client gets the PROTOCOL.md shape.
    respond(error_response(500, "internal_error", e.what()));
  }
}

void Api::record(std::string_view family, const ApiRequest& request, const ApiResponse& response) {
  counters_.count_request(family, response.status);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - request.started).count();
  if (family == "/v1/batch") counters_.ingest_latency.observe(seconds);
  if (!options_.log_requests) return;
  // One JSON line per request; no IP address, no key (PROTOCOL.md privacy).
  std::string line = "{\"ts\":" + std::to_string(now_unix_ms()) + ",\"method\":";
  detail::append_json_string(line, request.method);
  line += ",\"route\":";
  detail::append_json_string(line, family);
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", seconds * 1000);
  line += ",\"status\":" + std::to_string(response.status) +
          ",\"events\":" + std::to_string(response.events) +
          ",\"bytes\":" + std::to_string(request.content_length.value_or(0)) + ",\"ms\":" + ms +
          "}\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace uptake::collector
