// DELETE /v1/users/{person}: a GDPR deletion of one person's events.

#include "api/api_context.hpp"

namespace uptake::collector {

void handle_delete_user(ApiContext& ctx, Call& call, const Respond& respond) {
  ApiResponse error;
  const auto app = app_of(ctx, call, error);
  if (!app) return respond(std::move(error));
  const std::string person = call.target.path.substr(std::string_view("/v1/users/").size());
  if (person.empty())
    return respond(error_response(400, "missing_person", "Name the person to delete."));
  const std::uint64_t deleted = ctx.store.delete_person(*app, person);
  ApiResponse r;
  r.body = "{\"deleted\":" + std::to_string(deleted) + "}";
  respond(std::move(r));
}

}  // namespace uptake::collector
