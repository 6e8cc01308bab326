#include "storage/marker_props.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cmath>

namespace uptake::collector {
namespace {

namespace od = simdjson::ondemand;

// On demand: values that are not read are never parsed, so a 30-digit number elsewhere in
// props (valid JSON, kept as text at ingest) does not hide the fields we want.
template <class Visit>
void for_each_field(std::string_view props_json, Visit visit) {
  if (props_json.empty()) return;
  thread_local od::parser parser;
  thread_local std::string buffer;
  buffer.assign(props_json);
  buffer.reserve(buffer.size() + simdjson::SIMDJSON_PADDING);
  od::document doc;
  od::object object;
  if (parser.iterate(buffer.data(), buffer.size(), buffer.capacity()).get(doc) ||
      doc.get_object().get(object)) {
    return;
  }
  for (auto field : object) {
    std::string_view key;
    od::value value;
    if (field.unescaped_key().get(key) || field.value().get(value)) return;
    visit(key, value);
  }
}

std::optional<std::string> string_of(od::value v) {
  std::string_view s;
  if (v.get_string().get(s)) return std::nullopt;
  return std::string(s);
}

std::optional<std::int64_t> integer_of(od::value v) {
  od::json_type type;
  if (v.type().get(type) || type != od::json_type::number) return std::nullopt;
  std::int64_t i = 0;
  if (!v.get_int64().get(i)) return i;
  double d = 0;
  if (v.get_double().get(d) || std::floor(d) != d || std::fabs(d) >= 9.2e18) return std::nullopt;
  return static_cast<std::int64_t>(d);
}

}  // namespace

bool is_marker_name(std::string_view name) {
  return name == "$tip_shown" || name == "$tip_clicked" || name == "$tip_dismissed" ||
         name == "$tip_held_out" || name == "$first_action" || name == "$survey_shown" ||
         name == "$survey_answered" || name == "$survey_dismissed";
}

MarkerProps marker_props(std::string_view props_json) {
  MarkerProps out;
  for_each_field(props_json, [&](std::string_view key, od::value v) {
    if (key == "tip")
      out.tip = string_of(v);
    else if (key == "feature")
      out.feature = string_of(v);
    else if (key == "ms_since_install")
      out.ms_since_install = integer_of(v);
    else if (key == "survey")
      out.survey = string_of(v);
    else if (key == "score")
      out.score = integer_of(v);
    else if (key == "choice")
      out.choice = string_of(v);
  });
  return out;
}

std::vector<PropTrait> prop_traits(std::string_view props_json) {
  std::vector<PropTrait> out;
  for_each_field(props_json, [&](std::string_view key, od::value v) {
    // A key given twice keeps its last value, as JSON parsers (and marker_props) read it.
    const auto same =
        std::find_if(out.begin(), out.end(), [&](const PropTrait& t) { return t.key == key; });
    if (same != out.end())
      same->text = string_of(v);
    else
      out.push_back({std::string(key), string_of(v)});
  });
  return out;
}

}  // namespace uptake::collector
