// GET /v1/reports/{name}: parameters checked, the report computed by the store, rendered.

#include "api/api_context.hpp"
#include "reports/calendar.hpp"
#include "reports/render.hpp"
#include "reports/report_request.hpp"

namespace uptake::collector {

void handle_report(ApiContext& ctx, Call& call, const Respond& respond) {
  ApiResponse error;
  const auto app = app_of(ctx, call, error);
  if (!app) return respond(std::move(error));
  ReportRequest q;
  q.app = *app;
  q.name = call.target.path.substr(std::string_view("/v1/reports/").size());
  if (!is_report_name(q.name)) {
    return respond(
        error_response(404, "unknown_report", "Reports are " + std::string(report_names()) + "."));
  }
  const auto format = call.target.param("format").value_or("json");
  if (format != "json" && format != "csv")
    return respond(error_response(400, "bad_format", "format must be json or csv."));
  if (auto problem = parse_report_request(q, call.target.query, now_unix_ms() / kDayMs))
    return respond(error_response(400, "bad_request", *problem));
  const Report report = ctx.store.report(q);
  ApiResponse r;
  if (format == "csv") {
    r.content_type = "text/csv; charset=utf-8";
    r.body = render_csv(report);
  } else {
    r.body = render_json(report, q);
  }
  r.headers.emplace_back("Cache-Control", "no-store");
  respond(std::move(r));
}

}  // namespace uptake::collector
