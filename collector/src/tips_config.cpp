#include "tips_config.hpp"

#include <openssl/sha.h>
#include <simdjson.h>

#include <set>

namespace uptake::collector {
namespace {

using simdjson::dom::element;

bool is_non_negative_number(element e) {
  if (e.is_int64()) return std::int64_t(e) >= 0;
  if (e.is_uint64()) return true;
  if (e.is_double()) return double(e) >= 0;
  return false;
}

bool is_string_array(element e) {
  simdjson::dom::array a;
  if (e.get(a)) return false;
  for (element x : a) {
    if (!x.is_string()) return false;
  }
  return true;
}

std::optional<std::string> check_tip(element tip, std::size_t index, std::set<std::string>& ids) {
  const std::string where = "tips[" + std::to_string(index) + "]";
  if (!tip.is_object()) return where + " must be an object";
  std::string_view id, feature;
  if (tip["id"].get(id) || id.empty()) return where + ".id must be a non-empty string";
  if (!ids.insert(std::string(id)).second)
    return where + ".id '" + std::string(id) + "' is repeated";
  if (tip["feature"].get(feature) || feature.empty())
    return where + ".feature must be a non-empty string";
  for (const char* field : {"title", "body", "min_app_version"}) {
    element v;
    if (!tip[field].get(v) && !v.is_string() && !v.is_null())
      return where + "." + field + " must be a string";
  }
  for (const char* field :
       {"max_impressions", "retire_after_ignored", "cooldown_hours", "priority"}) {
    element v;
    if (!tip[field].get(v) && !v.is_null() && !v.is_number())
      return where + "." + field + " must be a number";
    if (!tip[field].get(v) && v.is_number() && std::string_view(field) != "priority" &&
        !is_non_negative_number(v)) {
      return where + "." + field + " must not be negative";
    }
  }
  element holdout;
  if (!tip["holdout_pct"].get(holdout) && !holdout.is_null()) {
    if (!holdout.is_number() || !is_non_negative_number(holdout) || double(holdout) > 100) {
      return where + ".holdout_pct must be a number from 0 to 100";
    }
  }
  for (const char* field : {"starts_at", "ends_at"}) {
    element v;
    if (!tip[field].get(v) && !v.is_null() && !v.is_int64()) {
      return where + "." + field + " must be epoch milliseconds or null";
    }
  }
  element when;
  if (!tip["when"].get(when) && !when.is_null()) {
    if (!when.is_object()) return where + ".when must be an object";
    for (const char* field : {"min_sessions", "min_days_since_install"}) {
      element v;
      if (!when[field].get(v) && !is_non_negative_number(v))
        return where + ".when." + field + " must be a non-negative number";
    }
    for (const char* field : {"not_used", "used"}) {
      element v;
      if (!when[field].get(v) && !is_string_array(v))
        return where + ".when." + field + " must be an array of strings";
    }
    element after;
    if (!when["after_event"].get(after) && !after.is_string() && !after.is_null()) {
      return where + ".when.after_event must be a string";
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> validate_tips_config(std::string_view json) {
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(json.data(), json.size()).get(root)) return "The body is not valid JSON.";
  if (!root.is_object()) return "The config must be a JSON object.";
  element v;
  if (!root["key_actions"].get(v) && !is_string_array(v))
    return "key_actions must be an array of strings.";
  if (!root["tips"].get(v)) {
    simdjson::dom::array tips;
    if (v.get(tips)) return "tips must be an array.";
    std::set<std::string> ids;
    std::size_t i = 0;
    for (element tip : tips) {
      if (auto problem = check_tip(tip, i++, ids)) return *problem + ".";
    }
  }
  if (!root["limits"].get(v)) {
    if (!v.is_object()) return "limits must be an object.";
    for (const char* field : {"max_tips_per_session", "min_minutes_between_tips"}) {
      element x;
      if (!v[field].get(x) && !is_non_negative_number(x)) {
        return std::string("limits.") + field + " must be a non-negative number.";
      }
    }
  }
  return std::nullopt;
}

std::string default_tips_config() {
  return R"({"key_actions":[],"tips":[],"limits":{"max_tips_per_session":1,"min_minutes_between_tips":30}})";
}

std::string config_etag(std::string_view body) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string etag = "\"";
  for (int i = 0; i < 16; ++i) {
    etag.push_back(kHex[digest[i] >> 4]);
    etag.push_back(kHex[digest[i] & 0xF]);
  }
  etag.push_back('"');
  return etag;
}

std::vector<std::string> key_actions_of(std::string_view json) {
  std::vector<std::string> out;
  simdjson::dom::parser parser;
  simdjson::dom::array actions;
  if (parser.parse(json.data(), json.size())["key_actions"].get(actions)) return out;
  for (auto a : actions) {
    std::string_view s;
    if (!a.get(s)) out.emplace_back(s);
  }
  return out;
}

}  // namespace uptake::collector
