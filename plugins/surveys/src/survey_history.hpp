#pragma once
// What this install has done, as far as surveys care: kept in the plugin's durable state.

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "uptake/plugin.hpp"
#include "uptake_common/prompt_rules.hpp"

namespace uptake::surveys_detail {

struct SurveyHistory {
  std::int64_t impressions = 0;         // shown, or dismissed without being shown
  std::int64_t last_impression_ms = 0;  // when it was last shown or dismissed
  std::int64_t dismissals = 0;
  std::int64_t shown_in_session = 0;  // the install's session number when it last showed
  bool open = false;                  // shown, and neither answered nor dismissed since
  bool answered = false;              // never asked again on this install
};

/// The install's activity (install time, sessions, features used) and the surveys' records.
struct InstallHistory : detail::InstallActivity {
  std::map<std::string, SurveyHistory, std::less<>> surveys;
};

InstallHistory load_history(const PluginContext& ctx);
/// Writes one survey's record (the rest is written as it changes).
void save_survey(PluginContext& ctx, const std::string& survey_id, const SurveyHistory& h);
void save_counters(PluginContext& ctx, const InstallHistory& h);

}  // namespace uptake::surveys_detail
