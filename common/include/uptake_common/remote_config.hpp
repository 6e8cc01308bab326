#pragma once
// The app's remote configuration (PROTOCOL.md `GET /v1/config`): one model, one parser and one
// validator, shared by the collector (which validates what an admin PUTs) and the SDK plugins
// (which read key actions, tips, surveys and the attention budget from the cached copy).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uptake::detail {

/// When a prompt (tip or survey) may show, from the install's own history.
struct PromptWhen {
  double min_sessions = 0;
  double min_days_since_install = 0;
  std::vector<std::string> not_used, used;  // feature names
  std::string after_event;                  // empty: any event
};

struct TipRule {
  std::string id, feature, title, body;
  PromptWhen when;
  std::int64_t max_impressions = 0;       // 0: no limit
  std::int64_t retire_after_ignored = 0;  // 0: never retire
  double cooldown_hours = 0;
  double priority = 0;
  double holdout_pct = 0;
  std::optional<std::int64_t> starts_at, ends_at;  // epoch ms
  std::string min_app_version;
};

enum class SurveyKind { nps, csat, choice };

struct SurveyRule {
  std::string id, question;
  SurveyKind kind = SurveyKind::nps;
  std::vector<std::string> choices;  // choice surveys only
  PromptWhen when;
  std::int64_t max_impressions = 0;  // 0: no limit
  double cooldown_hours = 0;
  double priority = 0;
  double sample_pct = 100;
  std::optional<std::int64_t> starts_at, ends_at;  // epoch ms
  std::string min_app_version;
};

/// The attention budget. Absent limits do not restrict (max_tips_per_session keeps its
/// historical default of 1).
struct PromptLimits {
  std::int64_t max_tips_per_session = 1;
  double min_minutes_between_tips = 0;
  std::optional<std::int64_t> max_prompts_per_session;
  double min_minutes_between_prompts = 0;
  std::optional<std::int64_t> max_prompts_per_day;  // a UTC day of the device's clock
};

struct RemoteConfig {
  std::vector<std::string> key_actions;
  std::vector<TipRule> tips;        // in config order
  std::vector<SurveyRule> surveys;  // in config order
  PromptLimits limits;
};

/// Parses a config leniently (what a device does with whatever it has cached): malformed tips
/// and surveys are skipped, malformed fields take their defaults, a malformed document gives
/// the empty config.
RemoteConfig parse_remote_config(std::string_view json);

/// Validates a config strictly (what the collector accepts from an admin): the first problem
/// found as one sentence naming the field (e.g. "tips[1].priority must be a number."), or
/// nullopt when the config is valid.
std::optional<std::string> validate_remote_config(std::string_view json);

/// "nps", "csat" or "choice".
std::string_view survey_kind_name(SurveyKind kind);
/// The valid scores of a kind: nps 0..10, csat 1..5 (choice surveys have no score).
bool survey_score_in_range(SurveyKind kind, std::int64_t score);

}  // namespace uptake::detail
