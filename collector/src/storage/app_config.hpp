#pragma once
// What the collector keeps of an app's remote configuration (/v1/config): the default an app
// starts with and its strong ETag. The format itself (model, validation) is shared with the
// SDK plugins: uptake_common/remote_config.hpp.

#include <string>
#include <string_view>

namespace uptake::collector {

/// The configuration an app has before any PUT.
std::string default_app_config();
/// A strong ETag (quoted) derived from the body's SHA-256.
std::string config_etag(std::string_view body);

}  // namespace uptake::collector
