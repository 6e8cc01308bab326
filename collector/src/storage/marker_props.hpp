#pragma once
// The props the reports read from marker events ($tip_* and $first_action), extracted once at
// ingest so no backend has to parse JSON at query time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace uptake::collector {

struct MarkerProps {
  std::optional<std::string> tip;                // props.tip when a string
  std::optional<std::string> feature;            // props.feature when a string
  std::optional<std::int64_t> ms_since_install;  // props.ms_since_install when an integer
};

/// True for the event names whose props the reports read.
bool is_marker_name(std::string_view name);
/// Extracts the marker fields of a props JSON object (empty or invalid text gives none).
MarkerProps marker_props(std::string_view props_json);

}  // namespace uptake::collector
