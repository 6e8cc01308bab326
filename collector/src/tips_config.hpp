#pragma once
// The app's remote configuration (/v1/config): validation of what an admin PUTs, the
// default an app starts with, and its strong ETag.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uptake::collector {

/// The first problem found in `json` as a one-sentence message, or nullopt when valid.
std::optional<std::string> validate_tips_config(std::string_view json);
/// The configuration an app has before any PUT.
std::string default_tips_config();
/// A strong ETag (quoted) derived from the body's SHA-256.
std::string config_etag(std::string_view body);
/// The config's `key_actions` (empty when absent or the body is not valid).
std::vector<std::string> key_actions_of(std::string_view json);

}  // namespace uptake::collector
