// The operator's routes: /healthz, /metrics and the dashboard page.

#include "api/api_context.hpp"
#include "config/limits.hpp"
#include "dashboard_page.hpp"
#include "uptake_common/json_writer.hpp"

namespace uptake::collector {

void handle_health(ApiContext& ctx, Call&, const Respond& respond) {
  const StoreHealth health = ctx.store.health();
  if (health.ok) {
    ApiResponse r;
    r.body = R"({"status":"ok"})";
    return respond(std::move(r));
  }
  respond(retry_later(503, health.code, health.problem, limits::kStorageRetryAfterSeconds));
}

void handle_metrics(ApiContext& ctx, Call&, const Respond& respond) {
  ApiResponse r;
  r.content_type = "text/plain; version=0.0.4";
  r.body = ctx.metrics_text();
  render_metric(r.body, "uptake_storage_queue_depth", "gauge", "Write requests waiting for commit.",
                ctx.store.queue_depth());
  render_metric(r.body, "uptake_ingest_memory_bytes", "gauge",
                "Memory held by request bodies being ingested.", ctx.ingest_memory.used());
  respond(std::move(r));
}

void handle_dashboard(ApiContext&, Call&, const Respond& respond) {
  // The page holds no data and no key: it asks for the read key and calls the report API.
  ApiResponse r;
  r.content_type = "text/html; charset=utf-8";
  r.body = kDashboardHtml;
  r.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
      "connect-src 'self'; img-src 'self' data:");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  respond(std::move(r));
}

}  // namespace uptake::collector
