#pragma once
// For plugin libraries that add their own C functions on top of uptake.h: the C++ objects
// behind the C API's opaque handles. App code does not need this header.

#include "uptake/config.hpp"
#include "uptake/uptake.h"

namespace uptake {

/// The Config behind a handle from uptake_config_new(); valid while the handle lives.
Config& config_of(uptake_config* config);
/// Records `message` as this thread's uptake_last_error() and returns `status`.
uptake_status c_api_fail(uptake_status status, const char* message);

}  // namespace uptake
