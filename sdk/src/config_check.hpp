#pragma once
// Turns a Config into the parts the client needs, or a ConfigError naming the bad field.

#include "uptake/config.hpp"
#include "uptake_common/endpoint_url.hpp"

namespace uptake::detail {

/// Throws ConfigError for the first field that cannot work; returns the parsed endpoint.
EndpointUrl check_config(const Config& config);

}  // namespace uptake::detail
