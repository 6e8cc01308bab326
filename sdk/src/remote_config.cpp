#include "remote_config.hpp"

#include <simdjson.h>

#include <fstream>
#include <sstream>

namespace uptake::detail {
namespace fs = std::filesystem;
namespace {

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool write_atomically(const fs::path& p, const std::string& text) {
  const fs::path tmp = fs::path(p) += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out.write(text.data(), static_cast<std::streamsize>(text.size())) || !out.flush())
      return false;
  }
  std::error_code ec;
  fs::rename(tmp, p, ec);
  return !ec;
}

bool is_json_object(const std::string& text) {
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  return !parser.parse(text).get(obj);
}

}  // namespace

std::optional<CachedConfig> load_cached_config(const fs::path& dir) {
  auto body = read_file(dir / "remote_config.json");
  auto etag = read_file(dir / "remote_config.etag");
  if (!body || !is_json_object(*body)) return std::nullopt;
  return CachedConfig{std::move(*body), etag.value_or("")};
}

bool save_cached_config(const fs::path& dir, const CachedConfig& config) {
  // Body first: a crash between the two leaves an old etag, which only costs a 200.
  return write_atomically(dir / "remote_config.json", config.body) &&
         write_atomically(dir / "remote_config.etag", config.etag);
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
