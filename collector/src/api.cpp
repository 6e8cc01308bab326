#include "api.hpp"

#include <simdjson.h>

#include <charconv>
#include <cstdio>

#include "batch_parser.hpp"
#include "body_decoder.hpp"
#include "dashboard_page.hpp"
#include "json_writer.hpp"
#include "tips_config.hpp"

namespace uptake::collector {
namespace {

// Seconds a client should wait after storage trouble before resending.
constexpr int kStorageRetryAfterSeconds = 5;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string media_type(std::string_view content_type) {
  std::string out;
  for (char c : content_type.substr(0, content_type.find(';'))) {
    if (c != ' ') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

bool accepted_content_type(std::string_view content_type) {
  const std::string type = media_type(content_type);
  return type.empty() || type == "application/x-ndjson" || type == "application/ndjson" ||
         type == "application/jsonl" || type == "application/json";
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

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

std::string percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int v = 0;
      auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
      if (ec == std::errc() && p == s.data() + i + 3) {
        out.push_back(static_cast<char>(v));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && s[i] == '+' ? ' ' : s[i]);
  }
  return out;
}

std::string request_path(const std::string& target) {
  return target.substr(0, target.find('?'));
}

std::optional<std::string> query_param(const std::string& target, const std::string& name) {
  const auto q = target.find('?');
  if (q == std::string::npos) return std::nullopt;
  std::string_view query(target);
  query.remove_prefix(q + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (percent_decode(pair.substr(0, eq), true) == name) {
      return eq == std::string_view::npos ? std::string()
                                          : percent_decode(pair.substr(eq + 1), true);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

Api::Api(const Options& options, Store& store, Metrics& metrics)
    : options_(options),
      store_(store),
      metrics_(metrics),
      keys_(options.apps, options.admin_key),
      limiter_(options.rate_limit_rps, options.rate_limit_burst) {}

std::optional<ApiResponse> Api::precheck(const ApiRequest& request) {
  const std::string path = request_path(request.target);
  if (path == "/healthz" || path == "/metrics" || path == "/" || path == "/index.html") {
    if (request.method != "GET") return error_response(405, "method_not_allowed", "Use GET.");
    return std::nullopt;
  }
  const bool batch = path == "/v1/batch";
  const bool config = path == "/v1/config";
  const bool users = path.starts_with("/v1/users/") && path.size() > 10;
  const bool reports = path.starts_with("/v1/reports/") && path.size() > 12;
  if (!batch && !config && !users && !reports) {
    return error_response(404, "not_found", "There is no such route.");
  }
  if (batch && request.method != "POST")
    return error_response(405, "method_not_allowed", "Use POST.");
  if (config && request.method != "GET" && request.method != "PUT") {
    return error_response(405, "method_not_allowed", "Use GET or PUT.");
  }
  if (users && request.method != "DELETE")
    return error_response(405, "method_not_allowed", "Use DELETE.");
  if (reports && request.method != "GET")
    return error_response(405, "method_not_allowed", "Use GET.");

  const std::string_view key = bearer_token(request.authorization);
  if (key.empty()) {
    return error_response(401, "unauthorized", "Send the key as Authorization: Bearer <key>.");
  }
  const auto grant = keys_.lookup(key);
  if (!grant) return error_response(401, "unauthorized", "The key is not known.");

  const Role role = grant->role;
  const bool allowed = (batch && role == Role::write) || (config && request.method == "GET") ||
                       (config && request.method == "PUT" && role == Role::admin) ||
                       (users && role == Role::admin) || (reports && role != Role::write);
  if (!allowed) return error_response(403, "forbidden", "This key may not use this route.");

  if (request.content_length && *request.content_length > options_.max_body_bytes) {
    return error_response(
        413, "payload_too_large",
        "The body is larger than " + std::to_string(options_.max_body_bytes) + " bytes.");
  }
  if (batch) {
    const std::string encoding = lower(request.content_encoding);
    if (!encoding.empty() && encoding != "zstd" && encoding != "identity") {
      return error_response(415, "unsupported_encoding",
                            "Content-Encoding must be zstd or identity.");
    }
    if (!accepted_content_type(request.content_type)) {
      return error_response(415, "unsupported_media_type",
                            "Content-Type must be application/x-ndjson.");
    }
    if (const int wait = limiter_.acquire(std::string(key), std::chrono::steady_clock::now());
        wait > 0) {
      ApiResponse r =
          error_response(429, "rate_limited", "Too many requests for this key; retry later.");
      r.headers.emplace_back("Retry-After", std::to_string(wait));
      return r;
    }
  }
  return std::nullopt;
}

void Api::handle(ApiRequest request, Respond respond) {
  const std::string path = request_path(request.target);
  if (path == "/healthz") {
    const bool ok = store_.healthy();
    ApiResponse r = ok ? ApiResponse{200, "application/json", R"({"status":"ok"})", {}, {}, 0}
                       : error_response(503, "storage_unavailable", "Storage does not answer.");
    if (!ok) r.headers.emplace_back("Retry-After", std::to_string(kStorageRetryAfterSeconds));
    return respond(std::move(r));
  }
  if (path == "/" || path == "/index.html") {
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
    return respond(std::move(r));
  }
  if (path == "/metrics") {
    ApiResponse r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = metrics_.render(store_.queue_depth(), open_connections());
    return respond(std::move(r));
  }
  const auto grant = keys_.lookup(bearer_token(request.authorization));
  if (!grant) return respond(error_response(401, "unauthorized", "The key is not known."));
  try {
    if (path == "/v1/batch") return handle_batch(request, *grant, std::move(respond));
    if (path == "/v1/config") return respond(handle_config(request, *grant));
    if (path.starts_with("/v1/users/")) {
      return respond(handle_delete_user(request, percent_decode(path.substr(10), false)));
    }
    return respond(handle_report(request, *grant));
  } catch (const NotSupported& e) {
    return respond(error_response(501, "not_implemented", e.what()));
  } catch (const StoreError& e) {
    ApiResponse r =
        error_response(503, "storage_unavailable", "Storage failed: " + std::string(e.what()));
    r.headers.emplace_back("Retry-After", std::to_string(kStorageRetryAfterSeconds));
    return respond(std::move(r));
  } catch (const std::exception& e) {
    // Whatever went wrong, the server stays up and the client gets the PROTOCOL.md shape.
    return respond(error_response(500, "internal_error", e.what()));
  }
}

void Api::handle_batch(ApiRequest& request, const KeyGrant& grant, Respond respond) {
  const std::int64_t received_at = now_ms();
  metrics_.bytes_in_compressed += request.body.size();
  DecodedBody decoded = decode_body(std::move(request.body), lower(request.content_encoding),
                                    options_.max_decompressed_bytes);
  if (decoded.status != 200)
    return respond(error_response(decoded.status, decoded.error, decoded.message));
  metrics_.bytes_in_decompressed += decoded.text.size();
  if (!simdjson::validate_utf8(decoded.text.data(), decoded.text.size())) {
    return respond(error_response(400, "invalid_utf8", "The body is not valid UTF-8."));
  }
  std::optional<std::int64_t> sent_at;
  if (!request.sent_at.empty()) {
    std::int64_t v = 0;
    auto [p, ec] =
        std::from_chars(request.sent_at.data(), request.sent_at.data() + request.sent_at.size(), v);
    if (ec == std::errc() && p == request.sent_at.data() + request.sent_at.size()) sent_at = v;
  }
  ParsedBatch parsed = parse_batch(decoded.text, received_at, sent_at);
  std::string rejected = "[";
  for (std::size_t i = 0; i < parsed.rejected.size(); ++i) {
    if (i > 0) rejected += ',';
    rejected += "{\"line\":" + std::to_string(parsed.rejected[i].line) + ",\"error\":";
    detail::append_json_string(rejected, parsed.rejected[i].error);
    rejected += '}';
  }
  rejected += ']';
  metrics_.events_rejected += parsed.rejected.size();
  if (parsed.events.empty()) {
    ApiResponse r = parsed.lines == 0
                        ? error_response(400, "empty_batch", "The body holds no event lines.")
                        : error_response(400, "no_valid_lines",
                                         "No line is a valid event; first problem: line " +
                                             std::to_string(parsed.rejected.front().line) + ": " +
                                             parsed.rejected.front().error + ".");
    if (parsed.lines > 0) r.body.insert(r.body.size() - 1, ",\"rejected\":" + rejected);
    return respond(std::move(r));
  }
  const std::size_t events = parsed.events.size();
  const auto queued_at = std::chrono::steady_clock::now();
  store_.write(
      grant.app, std::move(parsed.events),
      [this, respond = std::move(respond), rejected = std::move(rejected), events,
       queued_at](WriteResult result) {
        metrics_.storage_write_latency.observe(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - queued_at).count());
        if (!result.ok) {
          ApiResponse r = error_response(503, "storage_unavailable",
                                         "Storage could not commit the batch; resend it.");
          r.headers.emplace_back("Retry-After", std::to_string(kStorageRetryAfterSeconds));
          return respond(std::move(r));
        }
        metrics_.events_accepted += result.inserted;
        metrics_.events_duplicate += result.duplicates;
        ApiResponse r;
        r.events = events;
        r.body = "{\"accepted\":" + std::to_string(result.inserted) +
                 ",\"duplicates\":" + std::to_string(result.duplicates) +
                 ",\"rejected\":" + rejected + "}";
        respond(std::move(r));
      });
}

void Api::record(const ApiRequest& request, const ApiResponse& response) {
  const std::string path = request_path(request.target);
  std::string route = "other";
  for (const char* known :
       {"/v1/batch", "/v1/config", "/v1/users", "/v1/reports", "/healthz", "/metrics"}) {
    if (path.starts_with(known)) route = known;
  }
  if (path == "/" || path == "/index.html") route = "/";
  metrics_.count_request(route, response.status);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - request.started).count();
  if (route == "/v1/batch") metrics_.ingest_latency.observe(seconds);
  if (!options_.log_requests) return;
  // One JSON line per request; no IP address, no key (PROTOCOL.md privacy).
  std::string line = "{\"ts\":" + std::to_string(now_ms()) + ",\"method\":";
  detail::append_json_string(line, request.method);
  line += ",\"route\":";
  detail::append_json_string(line, route);
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", seconds * 1000);
  line += ",\"status\":" + std::to_string(response.status) +
          ",\"events\":" + std::to_string(response.events) +
          ",\"bytes\":" + std::to_string(request.content_length.value_or(0)) + ",\"ms\":" + ms +
          "}\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

std::optional<std::string> Api::app_for(const ApiRequest& request, const KeyGrant& grant,
                                        ApiResponse& error) {
  if (grant.role != Role::admin) return grant.app;
  const auto app = query_param(request.target, "app");
  if (!app || app->empty()) {
    error = error_response(400, "missing_app", "The admin key needs ?app=NAME.");
    return std::nullopt;
  }
  if (!keys_.has_app(*app)) {
    error = error_response(404, "unknown_app", "There is no app named '" + *app + "'.");
    return std::nullopt;
  }
  return app;
}

ApiResponse Api::handle_config(const ApiRequest& request, const KeyGrant& grant) {
  ApiResponse error;
  const auto app = app_for(request, grant, error);
  if (!app) return error;
  if (request.method == "PUT") {
    if (auto problem = validate_tips_config(request.body)) {
      return error_response(400, "invalid_config", *problem);
    }
    StoredConfig stored{request.body, config_etag(request.body)};
    store_.put_config(*app, stored);
    ApiResponse r;
    r.body = stored.body;
    r.headers.emplace_back("ETag", stored.etag);
    return r;
  }
  StoredConfig config = store_.get_config(*app).value_or(
      StoredConfig{default_tips_config(), config_etag(default_tips_config())});
  ApiResponse r;
  r.headers.emplace_back("ETag", config.etag);
  r.headers.emplace_back("Cache-Control", "no-cache");
  // If-None-Match may list several tags, or be "*".
  const std::string& inm = request.if_none_match;
  if (!inm.empty() && (inm == "*" || inm.find(config.etag) != std::string::npos)) {
    r.status = 304;
    return r;
  }
  r.body = std::move(config.body);
  return r;
}

ApiResponse Api::handle_report(const ApiRequest& request, const KeyGrant& grant) {
  ApiResponse error;
  const auto app = app_for(request, grant, error);
  if (!app) return error;
  ReportRequest q;
  q.app = *app;
  q.name = percent_decode(request_path(request.target).substr(12), false);
  if (!is_report_name(q.name)) {
    return error_response(404, "unknown_report",
                          "Reports are overview, features, first-action, stickiness, funnel, tips, "
                          "product-adoption.");
  }
  const auto format = query_param(request.target, "format").value_or("json");
  if (format != "json" && format != "csv")
    return error_response(400, "bad_format", "format must be json or csv.");
  auto param = [&](const char* name) { return query_param(request.target, name); };
  if (auto problem =
          parse_report_request(q, param("from"), param("to"), param("feature"),
                               param("adopted_days"), param("month"), now_ms() / kDayMs)) {
    return error_response(400, "bad_request", *problem);
  }
  const Report report = store_.report(q);
  ApiResponse r;
  if (format == "csv") {
    r.content_type = "text/csv; charset=utf-8";
    r.body = render_csv(report);
  } else {
    r.body = render_json(report, q);
  }
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

ApiResponse Api::handle_delete_user(const ApiRequest& request, const std::string& person) {
  ApiResponse error;
  const auto app = app_for(request, KeyGrant{Role::admin, {}}, error);
  if (!app) return error;
  if (person.empty()) return error_response(400, "missing_person", "Name the person to delete.");
  const std::uint64_t deleted = store_.delete_person(*app, person);
  ApiResponse r;
  r.body = "{\"deleted\":" + std::to_string(deleted) + "}";
  return r;
}

}  // namespace uptake::collector
