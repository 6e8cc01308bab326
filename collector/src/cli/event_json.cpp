#include "cli/event_json.hpp"

#include "uptake_common/json_writer.hpp"

namespace uptake::collector {

void append_event_json(std::string& out, const std::string& app, const Event& e) {
  auto text = [&](const char* key, const std::string& value) {
    if (value.empty()) return;
    out += ",\"";
    out += key;
    out += "\":";
    uptake::detail::append_json_string(out, value);
  };
  auto number = [&](const char* key, std::int64_t value) {
    out += ",\"";
    out += key;
    out += "\":";
    out += std::to_string(value);
  };
  out += "{\"app\":";
  uptake::detail::append_json_string(out, app);
  text("id", e.id);
  out += R"(,"type":")";
  out += event_type_name(e.type);
  out += '"';
  text("name", e.name);
  text("anon", e.anon);
  text("user", e.user);
  text("account", e.account);
  number("ts", e.ts);
  number("client_ts", e.client_ts);
  number("received_at", e.received_at);
  text("session", e.session);
  text("app_version", e.app_version);
  if (!e.props.empty()) {
    out += R"(,"props":)";
    out += e.props;
  }
  out += '}';
}

}  // namespace uptake::collector
