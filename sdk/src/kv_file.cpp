#include "kv_file.hpp"

#include <simdjson.h>

#include "file_io.hpp"
#include "uptake_common/json_writer.hpp"

namespace uptake::detail {
namespace fs = std::filesystem;
namespace {

bool read_map(const fs::path& path, std::map<std::string, std::string, std::less<>>& out) {
  const auto text = read_whole_file(path);
  if (!text) return false;
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  if (parser.parse(*text).get(obj)) return false;
  std::map<std::string, std::string, std::less<>> values;
  for (auto [key, value] : obj) {
    std::string_view s;
    if (value.get(s)) return false;
    values.emplace(std::string(key), std::string(s));
  }
  out = std::move(values);
  return true;
}

}  // namespace

bool KvFile::load() {
  values_.clear();
  dirty_ = false;
  loaded_backup_ = false;
  std::error_code ec;
  if (!fs::exists(path_, ec) && !fs::exists(fs::path(path_) += ".bak", ec)) return true;
  if (read_map(path_, values_)) return true;
  loaded_backup_ = read_map(fs::path(path_) += ".bak", values_);
  return loaded_backup_;
}

bool KvFile::save_if_dirty() {
  if (!dirty_) return true;
  std::string json = "{";
  bool first = true;
  for (const auto& [k, v] : values_) {
    if (!first) json += ',';
    first = false;
    append_json_string(json, k);
    json += ':';
    append_json_string(json, v);
  }
  json += "}\n";
  if (!replace_file(path_, json, /*backup=*/true)) return false;
  dirty_ = false;
  return true;
}

}  // namespace uptake::detail
