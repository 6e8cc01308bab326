#pragma once
// The tips part of the remote config, parsed once per config change.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uptake::tips_detail {

struct TipRule {
  std::string id, feature, title, body;
  double min_sessions = 0;
  double min_days_since_install = 0;
  std::vector<std::string> not_used, used;
  std::string after_event;                // empty: any event
  std::int64_t max_impressions = 0;       // 0: no limit
  std::int64_t retire_after_ignored = 0;  // 0: never retire
  double cooldown_hours = 0;
  double priority = 0;
  double holdout_pct = 0;
  std::optional<std::int64_t> starts_at, ends_at;
  std::string min_app_version;
};

struct TipLimits {
  std::int64_t max_tips_per_session = 1;
  double min_minutes_between_tips = 0;
};

struct TipsConfig {
  std::vector<TipRule> tips;  // in config order
  TipLimits limits;
};

/// Parses the remote config; malformed tips are skipped, a malformed document gives no tips.
TipsConfig parse_tips_config(std::string_view json);

}  // namespace uptake::tips_detail
