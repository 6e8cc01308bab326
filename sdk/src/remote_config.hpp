#pragma once
// The app's remote configuration (/v1/config), cached on disk with its ETag so plugins work
// offline and a refresh costs a 304 when nothing changed.

#include <filesystem>
#include <optional>
#include <string>

#include "uptake_common/http_transport.hpp"

namespace uptake::detail {

struct CachedConfig {
  std::string body;
  std::string etag;
};

/// The cached copy in `dir`, if any (body and etag files written atomically).
std::optional<CachedConfig> load_cached_config(const std::filesystem::path& dir);
bool save_cached_config(const std::filesystem::path& dir, const CachedConfig& config);

/// Asks the collector with If-None-Match. A new config when it changed; nullopt on 304 or
/// failure (`answered` tells them apart).
std::optional<CachedConfig> fetch_remote_config(HttpTransport& transport,
                                                const std::string& auth_header,
                                                const std::string& current_etag, bool& answered);

}  // namespace uptake::detail
