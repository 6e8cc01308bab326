// GET and PUT /v1/config: the app's remote configuration, validated on the way in.

#include "api/api_context.hpp"
#include "storage/app_config.hpp"
#include "uptake_common/remote_config.hpp"

namespace uptake::collector {

void handle_get_config(ApiContext& ctx, Call& call, const Respond& respond) {
  ApiResponse error;
  const auto app = app_of(ctx, call, error);
  if (!app) return respond(std::move(error));
  StoredConfig config = ctx.store.get_config(*app).value_or(
      StoredConfig{default_app_config(), config_etag(default_app_config())});
  ApiResponse r;
  r.headers.emplace_back("ETag", config.etag);
  r.headers.emplace_back("Cache-Control", "no-cache");
  // If-None-Match may list several tags, or be "*".
  const std::string& inm = call.request.if_none_match;
  if (!inm.empty() && (inm == "*" || inm.find(config.etag) != std::string::npos)) {
    r.status = 304;
    return respond(std::move(r));
  }
  r.body = std::move(config.body);
  respond(std::move(r));
}

void handle_put_config(ApiContext& ctx, Call& call, const Respond& respond) {
  ApiResponse error;
  const auto app = app_of(ctx, call, error);
  if (!app) return respond(std::move(error));
  const std::string& body = call.request.body;
  if (auto problem = detail::validate_remote_config(body))
    return respond(error_response(400, "invalid_config", *problem));
  StoredConfig stored{body, config_etag(body)};
  ctx.store.put_config(*app, stored);
  ApiResponse r;
  r.body = stored.body;
  r.headers.emplace_back("ETag", stored.etag);
  respond(std::move(r));
}

}  // namespace uptake::collector
