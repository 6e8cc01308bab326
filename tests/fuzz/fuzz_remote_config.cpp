// libFuzzer target for the /v1/config model: the strict validator (what an admin may PUT)
// and the lenient parser (what a device makes of its cached copy) on the same input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "uptake_common/remote_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  const auto problem = uptake::detail::validate_remote_config(json);
  const auto config = uptake::detail::parse_remote_config(json);
  if (!problem) {
    // A config the collector accepts loses nothing when a device reads it.
    for (const auto& tip : config.tips) {
      if (tip.id.empty() || tip.feature.empty()) __builtin_trap();
    }
    for (const auto& survey : config.surveys) {
      if (survey.id.empty()) __builtin_trap();
      if (survey.kind == uptake::detail::SurveyKind::choice && survey.choices.empty())
        __builtin_trap();
    }
  }
  return 0;
}
