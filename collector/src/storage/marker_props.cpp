#include "storage/marker_props.hpp"

#include <simdjson.h>

namespace uptake::collector {

bool is_marker_name(std::string_view name) {
  return name == "$tip_shown" || name == "$tip_clicked" || name == "$tip_dismissed" ||
         name == "$tip_held_out" || name == "$first_action";
}

MarkerProps marker_props(std::string_view props_json) {
  MarkerProps out;
  if (props_json.empty()) return out;
  // One parser per thread: its buffers are reused across events.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::object props;
  if (parser.parse(props_json.data(), props_json.size()).get(props)) return out;
  std::string_view s;
  if (!props["tip"].get(s)) out.tip = std::string(s);
  if (!props["feature"].get(s)) out.feature = std::string(s);
  std::int64_t ms = 0;
  if (!props["ms_since_install"].get(ms)) out.ms_since_install = ms;
  return out;
}

}  // namespace uptake::collector
