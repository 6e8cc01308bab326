#pragma once
// What the reports read from props, extracted once when an event is stored, so no backend
// parses JSON at query time: the fields of the SDK's marker events ($tip_*, $first_action,
// $survey_*) and the top-level traits of identify and group events.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uptake::collector {

struct MarkerProps {
  std::optional<std::string> tip;                // props.tip when a string
  std::optional<std::string> feature;            // props.feature when a string
  std::optional<std::int64_t> ms_since_install;  // props.ms_since_install when an integer
  std::optional<std::string> survey;             // props.survey when a string
  std::optional<std::int64_t> score;             // props.score when an integer
  std::optional<std::string> choice;             // props.choice when a string
};

/// True for the event names whose props the reports read.
bool is_marker_name(std::string_view name);
/// Extracts the marker fields of a props JSON object (empty or invalid text gives none). An
/// integer is a JSON integer or a number with no fraction (9.0 is 9).
MarkerProps marker_props(std::string_view props_json);

/// One top-level key of an identify's or group's props (METRICS.md traits): `text` holds the
/// value when it is a JSON string; any other value carries the key but never matches a segment.
struct PropTrait {
  std::string key;
  std::optional<std::string> text;
};
/// Every top-level key of a props object once, in order of first appearance, with its last
/// value when repeated (empty for empty or invalid text).
std::vector<PropTrait> prop_traits(std::string_view props_json);

}  // namespace uptake::collector
