#include "tips_config.hpp"

#include <simdjson.h>

namespace uptake::tips_detail {
namespace {

using simdjson::dom::element;

double number_or(element obj, const char* field, double fallback) {
  element v;
  if (obj[field].get(v) || !v.is_number()) return fallback;
  return v.is_double()  ? double(v)
         : v.is_int64() ? static_cast<double>(std::int64_t(v))
                        : static_cast<double>(std::uint64_t(v));
}

std::string string_or(element obj, const char* field) {
  std::string_view s;
  return obj[field].get(s) ? std::string() : std::string(s);
}

std::vector<std::string> strings(element obj, const char* field) {
  std::vector<std::string> out;
  simdjson::dom::array a;
  if (obj[field].get(a)) return out;
  for (element x : a) {
    std::string_view s;
    if (!x.get(s)) out.emplace_back(s);
  }
  return out;
}

std::optional<std::int64_t> time_or_null(element obj, const char* field) {
  std::int64_t v;
  if (obj[field].get(v)) return std::nullopt;
  return v;
}

}  // namespace

TipsConfig parse_tips_config(std::string_view json) {
  TipsConfig config;
  if (json.empty()) return config;
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(json.data(), json.size()).get(root) || !root.is_object()) return config;
  element limits;
  if (!root["limits"].get(limits) && limits.is_object()) {
    config.limits.max_tips_per_session =
        static_cast<std::int64_t>(number_or(limits, "max_tips_per_session", 1));
    config.limits.min_minutes_between_tips = number_or(limits, "min_minutes_between_tips", 0);
  }
  simdjson::dom::array tips;
  if (root["tips"].get(tips)) return config;
  for (element t : tips) {
    if (!t.is_object()) continue;
    TipRule rule;
    rule.id = string_or(t, "id");
    rule.feature = string_or(t, "feature");
    if (rule.id.empty() || rule.feature.empty()) continue;
    rule.title = string_or(t, "title");
    rule.body = string_or(t, "body");
    element when;
    if (!t["when"].get(when) && when.is_object()) {
      rule.min_sessions = number_or(when, "min_sessions", 0);
      rule.min_days_since_install = number_or(when, "min_days_since_install", 0);
      rule.not_used = strings(when, "not_used");
      rule.used = strings(when, "used");
      rule.after_event = string_or(when, "after_event");
    }
    rule.max_impressions = static_cast<std::int64_t>(number_or(t, "max_impressions", 0));
    rule.retire_after_ignored = static_cast<std::int64_t>(number_or(t, "retire_after_ignored", 0));
    rule.cooldown_hours = number_or(t, "cooldown_hours", 0);
    rule.priority = number_or(t, "priority", 0);
    rule.holdout_pct = number_or(t, "holdout_pct", 0);
    rule.starts_at = time_or_null(t, "starts_at");
    rule.ends_at = time_or_null(t, "ends_at");
    rule.min_app_version = string_or(t, "min_app_version");
    config.tips.push_back(std::move(rule));
  }
  return config;
}

}  // namespace uptake::tips_detail
