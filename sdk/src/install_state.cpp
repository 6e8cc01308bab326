#include "install_state.hpp"

#include <simdjson.h>

#include <cstdio>
#include <system_error>

#include "event_id.hpp"
#include "file_io.hpp"
#include "uptake_common/json_writer.hpp"
#include "uptake_common/protocol_limits.hpp"

namespace uptake::detail {
namespace fs = std::filesystem;

std::string random_uuid_v4() {
  std::uint64_t hi = random_u64();
  std::uint64_t lo = random_u64();
  hi = (hi & ~0xF000ull) | 0x4000ull;
  lo = (lo & ~(0x3ull << 62)) | (0x2ull << 62);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xFFFF),
                static_cast<unsigned long long>(hi & 0xFFFF),
                static_cast<unsigned long long>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
  return buf;
}

namespace {

bool parse_state(const std::string& text, InstallState& state) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(text).get(doc)) return false;
  std::string_view anon;
  if (doc["anon"].get(anon) || anon.empty() || anon.size() > kMaxAnonBytes) return false;
  state.anon = anon;
  std::string_view s;
  if (!doc["user"].get(s)) state.user = s;
  if (!doc["account"].get(s)) state.account = s;  // absent in files of earlier versions
  if (!doc["session"].get(s)) state.session = s;
  std::int64_t last = 0;
  if (!doc["last_event_ms"].get(last)) state.last_event_ms = last;
  bool opted_out = false;
  if (!doc["opted_out"].get(opted_out)) state.opted_out = opted_out;
  return true;
}

}  // namespace

InstallState load_or_create_install_state(const fs::path& file) {
  InstallState state;
  if (auto text = read_whole_file(file); text && parse_state(*text, state)) return state;
  state = InstallState{};
  state.anon = random_uuid_v4();
  if (!save_install_state(file, state)) {
    throw std::system_error(errno ? errno : EIO, std::generic_category(),
                            "cannot write install state " + file.string());
  }
  return state;
}

bool save_install_state(const fs::path& file, const InstallState& state) {
  std::string json = "{\"anon\":";
  append_json_string(json, state.anon);
  json += ",\"user\":";
  append_json_string(json, state.user);
  json += ",\"account\":";
  append_json_string(json, state.account);
  json += ",\"session\":";
  append_json_string(json, state.session);
  json += ",\"last_event_ms\":";
  append_json_int(json, state.last_event_ms);
  json += state.opted_out ? ",\"opted_out\":true}\n" : ",\"opted_out\":false}\n";
  return replace_file(file, json);
}

}  // namespace uptake::detail
