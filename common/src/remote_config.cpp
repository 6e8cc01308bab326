#include "uptake_common/remote_config.hpp"

#include <simdjson.h>

#include <algorithm>
#include <set>

namespace uptake::detail {
namespace {

// Ids are keys of the plugins' state (kept as lines): a control character would split one.
bool has_control_char(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

using simdjson::dom::element;

// ---- lenient reading: a device uses whatever it can of its cached config ----

double number_or(element obj, const char* field, double fallback) {
  element v;
  if (obj[field].get(v) || !v.is_number()) return fallback;
  return v.is_double()  ? double(v)
         : v.is_int64() ? static_cast<double>(std::int64_t(v))
                        : static_cast<double>(std::uint64_t(v));
}

// A count as the rules use it: a number beyond what an int64 holds (the validator takes any
// non-negative number) is held at 2^53, not converted with undefined behaviour.
std::int64_t to_count(double v) {
  constexpr double kMostCount = 9'007'199'254'740'992.0;  // 2^53
  if (!(v > 0)) return 0;                                 // NaN included
  return static_cast<std::int64_t>(std::min(v, kMostCount));
}

std::int64_t count_or(element obj, const char* field) {
  return to_count(number_or(obj, field, 0));
}

std::optional<std::int64_t> optional_count(element obj, const char* field) {
  element v;
  if (obj[field].get(v) || !v.is_number()) return std::nullopt;
  return to_count(number_or(obj, field, 0));
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

PromptWhen read_when(element prompt) {
  PromptWhen w;
  element when;
  if (prompt["when"].get(when) || !when.is_object()) return w;
  w.min_sessions = number_or(when, "min_sessions", 0);
  w.min_days_since_install = number_or(when, "min_days_since_install", 0);
  w.not_used = strings(when, "not_used");
  w.used = strings(when, "used");
  w.after_event = string_or(when, "after_event");
  return w;
}

std::optional<SurveyKind> kind_of(std::string_view name) {
  if (name == "nps") return SurveyKind::nps;
  if (name == "csat") return SurveyKind::csat;
  if (name == "choice") return SurveyKind::choice;
  return std::nullopt;
}

std::optional<TipRule> read_tip(element t) {
  if (!t.is_object()) return std::nullopt;
  TipRule rule;
  rule.id = string_or(t, "id");
  if (has_control_char(rule.id)) return std::nullopt;
  rule.feature = string_or(t, "feature");
  if (rule.id.empty() || rule.feature.empty()) return std::nullopt;
  rule.title = string_or(t, "title");
  rule.body = string_or(t, "body");
  rule.when = read_when(t);
  rule.max_impressions = count_or(t, "max_impressions");
  rule.retire_after_ignored = count_or(t, "retire_after_ignored");
  rule.cooldown_hours = number_or(t, "cooldown_hours", 0);
  rule.priority = number_or(t, "priority", 0);
  rule.holdout_pct = number_or(t, "holdout_pct", 0);
  rule.starts_at = time_or_null(t, "starts_at");
  rule.ends_at = time_or_null(t, "ends_at");
  rule.min_app_version = string_or(t, "min_app_version");
  return rule;
}

std::optional<SurveyRule> read_survey(element s) {
  if (!s.is_object()) return std::nullopt;
  SurveyRule rule;
  rule.id = string_or(s, "id");
  if (has_control_char(rule.id)) return std::nullopt;
  const auto kind = kind_of(string_or(s, "kind"));
  if (rule.id.empty() || !kind) return std::nullopt;
  rule.kind = *kind;
  rule.question = string_or(s, "question");
  rule.choices = strings(s, "choices");
  if (rule.kind == SurveyKind::choice && rule.choices.empty()) return std::nullopt;
  rule.when = read_when(s);
  rule.max_impressions = count_or(s, "max_impressions");
  rule.cooldown_hours = number_or(s, "cooldown_hours", 0);
  rule.priority = number_or(s, "priority", 0);
  rule.sample_pct = number_or(s, "sample_pct", 100);
  rule.starts_at = time_or_null(s, "starts_at");
  rule.ends_at = time_or_null(s, "ends_at");
  rule.min_app_version = string_or(s, "min_app_version");
  return rule;
}

// ---- strict validation: the collector answers 400 with the first problem ----

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

// A field that may be absent or null; when present it must pass `ok`.
template <class Ok>
bool present_and_bad(element obj, const char* field, Ok ok) {
  element v;
  return !obj[field].get(v) && !v.is_null() && !ok(v);
}

std::optional<std::string> check_when(element prompt, const std::string& where) {
  element when;
  if (prompt["when"].get(when) || when.is_null()) return std::nullopt;
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
  if (present_and_bad(when, "after_event", [](element v) { return v.is_string(); }))
    return where + ".when.after_event must be a string";
  return std::nullopt;
}

// The fields tips and surveys share: counts, numbers, schedule, version floor, when.
std::optional<std::string> check_prompt_common(element p, const std::string& where,
                                               std::initializer_list<const char*> counts) {
  for (const char* field : {"min_app_version"}) {
    if (present_and_bad(p, field, [](element v) { return v.is_string(); }))
      return where + "." + field + " must be a string";
  }
  for (const char* field : counts) {
    element v;
    if (p[field].get(v) || v.is_null()) continue;
    if (!v.is_number()) return where + "." + field + " must be a number";
    if (!is_non_negative_number(v)) return where + "." + field + " must not be negative";
  }
  if (present_and_bad(p, "priority", [](element v) { return v.is_number(); }))
    return where + ".priority must be a number";
  for (const char* field : {"starts_at", "ends_at"}) {
    if (present_and_bad(p, field, [](element v) { return v.is_int64(); }))
      return where + "." + field + " must be epoch milliseconds or null";
  }
  return check_when(p, where);
}

bool is_percentage(element v) {
  return v.is_number() && is_non_negative_number(v) && double(v) <= 100;
}

std::optional<std::string> check_tip(element tip, std::size_t index, std::set<std::string>& ids) {
  const std::string where = "tips[" + std::to_string(index) + "]";
  if (!tip.is_object()) return where + " must be an object";
  std::string_view id, feature;
  if (tip["id"].get(id) || id.empty()) return where + ".id must be a non-empty string";
  if (has_control_char(id)) return where + ".id must not contain control characters";
  if (!ids.insert(std::string(id)).second)
    return where + ".id '" + std::string(id) + "' is repeated";
  if (tip["feature"].get(feature) || feature.empty())
    return where + ".feature must be a non-empty string";
  for (const char* field : {"title", "body"}) {
    if (present_and_bad(tip, field, [](element v) { return v.is_string(); }))
      return where + "." + field + " must be a string";
  }
  if (auto problem = check_prompt_common(
          tip, where, {"max_impressions", "retire_after_ignored", "cooldown_hours"}))
    return problem;
  if (present_and_bad(tip, "holdout_pct", is_percentage))
    return where + ".holdout_pct must be a number from 0 to 100";
  return std::nullopt;
}

std::optional<std::string> check_survey(element survey, std::size_t index,
                                        std::set<std::string>& ids) {
  const std::string where = "surveys[" + std::to_string(index) + "]";
  if (!survey.is_object()) return where + " must be an object";
  std::string_view id, kind_name, question;
  if (survey["id"].get(id) || id.empty()) return where + ".id must be a non-empty string";
  if (has_control_char(id)) return where + ".id must not contain control characters";
  if (!ids.insert(std::string(id)).second)
    return where + ".id '" + std::string(id) + "' is repeated";
  if (survey["kind"].get(kind_name) || !kind_of(kind_name))
    return where + ".kind must be nps, csat or choice";
  if (survey["question"].get(question) || question.empty())
    return where + ".question must be a non-empty string";
  element choices;
  const bool has_choices = !survey["choices"].get(choices) && !choices.is_null();
  if (*kind_of(kind_name) == SurveyKind::choice) {
    simdjson::dom::array list;
    if (!has_choices || choices.get(list) || list.size() == 0)
      return where + ".choices must be a non-empty array of strings for a choice survey";
    std::set<std::string_view> seen;
    for (element c : list) {
      std::string_view text;
      if (c.get(text) || text.empty()) return where + ".choices must hold non-empty strings";
      if (!seen.insert(text).second) return where + ".choices repeats '" + std::string(text) + "'";
    }
  } else if (has_choices) {
    return where + ".choices is only for choice surveys";
  }
  if (auto problem = check_prompt_common(survey, where, {"max_impressions", "cooldown_hours"}))
    return problem;
  if (present_and_bad(survey, "sample_pct", is_percentage))
    return where + ".sample_pct must be a number from 0 to 100";
  return std::nullopt;
}

std::optional<std::string> check_list(element root, const char* name,
                                      std::optional<std::string> (*check)(element, std::size_t,
                                                                          std::set<std::string>&)) {
  element v;
  if (root[name].get(v) || v.is_null()) return std::nullopt;
  simdjson::dom::array items;
  if (v.get(items)) return std::string(name) + " must be an array";
  std::set<std::string> ids;
  std::size_t i = 0;
  for (element item : items) {
    if (auto problem = check(item, i++, ids)) return problem;
  }
  return std::nullopt;
}

}  // namespace

RemoteConfig parse_remote_config(std::string_view json) {
  RemoteConfig config;
  if (json.empty()) return config;
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(json.data(), json.size()).get(root) || !root.is_object()) return config;
  config.key_actions = strings(root, "key_actions");
  element limits;
  if (!root["limits"].get(limits) && limits.is_object()) {
    PromptLimits& l = config.limits;
    l.max_tips_per_session = optional_count(limits, "max_tips_per_session").value_or(1);
    l.min_minutes_between_tips = number_or(limits, "min_minutes_between_tips", 0);
    l.max_prompts_per_session = optional_count(limits, "max_prompts_per_session");
    l.min_minutes_between_prompts = number_or(limits, "min_minutes_between_prompts", 0);
    l.max_prompts_per_day = optional_count(limits, "max_prompts_per_day");
  }
  simdjson::dom::array list;
  if (!root["tips"].get(list)) {
    for (element t : list) {
      if (auto tip = read_tip(t)) config.tips.push_back(std::move(*tip));
    }
  }
  if (!root["surveys"].get(list)) {
    for (element s : list) {
      if (auto survey = read_survey(s)) config.surveys.push_back(std::move(*survey));
    }
  }
  return config;
}

std::optional<std::string> validate_remote_config(std::string_view json) {
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(json.data(), json.size()).get(root)) return "The body is not valid JSON.";
  if (!root.is_object()) return "The config must be a JSON object.";
  element v;
  if (!root["key_actions"].get(v) && !v.is_null() && !is_string_array(v))
    return "key_actions must be an array of strings.";
  if (auto problem = check_list(root, "tips", check_tip)) return *problem + ".";
  if (auto problem = check_list(root, "surveys", check_survey)) return *problem + ".";
  if (!root["limits"].get(v) && !v.is_null()) {
    if (!v.is_object()) return "limits must be an object.";
    for (const char* field :
         {"max_tips_per_session", "min_minutes_between_tips", "max_prompts_per_session",
          "min_minutes_between_prompts", "max_prompts_per_day"}) {
      element x;
      if (!v[field].get(x) && !x.is_null() && !is_non_negative_number(x)) {
        return std::string("limits.") + field + " must be a non-negative number.";
      }
    }
  }
  return std::nullopt;
}

std::string_view survey_kind_name(SurveyKind kind) {
  switch (kind) {
    case SurveyKind::nps:
      return "nps";
    case SurveyKind::csat:
      return "csat";
    case SurveyKind::choice:
      return "choice";
  }
  return "";
}

bool survey_score_in_range(SurveyKind kind, std::int64_t score) {
  switch (kind) {
    case SurveyKind::nps:
      return score >= 0 && score <= 10;
    case SurveyKind::csat:
      return score >= 1 && score <= 5;
    case SurveyKind::choice:
      return false;
  }
  return false;
}

}  // namespace uptake::detail
