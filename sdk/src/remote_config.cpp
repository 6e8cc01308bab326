#include "remote_config.hpp"

#include <simdjson.h>

#include "file_io.hpp"

namespace uptake::detail {
namespace fs = std::filesystem;
namespace {

bool is_json_object(const std::string& text) {
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  return !parser.parse(text).get(obj);
}

}  // namespace

std::optional<CachedConfig> load_cached_config(const fs::path& dir) {
  auto body = read_whole_file(dir / "remote_config.json");
  auto etag = read_whole_file(dir / "remote_config.etag");
  if (!body || !is_json_object(*body)) return std::nullopt;
  return CachedConfig{std::move(*body), etag.value_or("")};
}

bool save_cached_config(const fs::path& dir, const CachedConfig& config) {
  // Body first: a crash between the two leaves an old etag, which only costs a 200.
  return replace_file(dir / "remote_config.json", config.body) &&
         replace_file(dir / "remote_config.etag", config.etag);
}

std::optional<CachedConfig> fetch_remote_config(HttpTransport& transport,
                                                const std::string& auth_header,
                                                const std::string& current_etag, bool& answered) {
  HttpRequest request;
  request.method = "GET";
  request.target = "/v1/config";
  request.headers = {{"Authorization", auth_header}};
  if (!current_etag.empty()) request.headers.emplace_back("If-None-Match", current_etag);
  const HttpResponse response = transport.send(request);
  answered = response.status == 200 || response.status == 304;
  if (response.status != 200 || !is_json_object(response.body)) return std::nullopt;
  return CachedConfig{response.body, response.etag};
}

}  // namespace uptake::detail
