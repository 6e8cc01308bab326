#pragma once
// What this install has done, as far as tips care: kept in the plugin's durable state.

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "uptake/plugin.hpp"
#include "uptake_common/prompt_rules.hpp"

namespace uptake::tips_detail {

struct TipHistory {
  std::int64_t shown = 0;
  std::int64_t interactions = 0;  // clicks and dismissals
  std::int64_t last_shown_ms = 0;
  std::int64_t snooze_until_ms = 0;
  bool forever = false;
  bool held_out_recorded = false;
  [[nodiscard]] std::int64_t ignored() const {
    return shown > interactions ? shown - interactions : 0;
  }
};

/// The install's activity (install time, sessions, features used) and the tips' own records.
struct InstallHistory : detail::InstallActivity {
  std::int64_t tips_this_session = 0;
  std::int64_t last_tip_ms = 0;
  std::map<std::string, TipHistory, std::less<>> tips;
};

InstallHistory load_history(const PluginContext& ctx);
/// Writes one tip's record (the rest is written as it changes).
void save_tip(PluginContext& ctx, const std::string& tip_id, const TipHistory& h);
void save_counters(PluginContext& ctx, const InstallHistory& h);

}  // namespace uptake::tips_detail
