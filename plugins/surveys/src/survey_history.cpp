#include "survey_history.hpp"

#include <cstdio>

#include "uptake_plugin_support/install_activity.hpp"

namespace uptake::surveys_detail {

using plugin_support::each_line;

InstallHistory load_history(const PluginContext& ctx) {
  InstallHistory h;
  static_cast<detail::InstallActivity&>(h) = plugin_support::load_activity(ctx);
  if (auto ids = ctx.get_state("surveys")) {
    each_line(*ids, [&](std::string_view id) {
      const auto rec = ctx.get_state("survey:" + std::string(id));
      long long impressions = 0, last = 0, dismissals = 0, session = 0;
      int open = 0, answered = 0;
      if (rec && std::sscanf(rec->c_str(), "%lld %lld %lld %lld %d %d", &impressions, &last,
                             &dismissals, &session, &open, &answered) == 6) {
        h.surveys[std::string(id)] =
            SurveyHistory{impressions, last, dismissals, session, open != 0, answered != 0};
      }
    });
  }
  return h;
}

void save_survey(PluginContext& ctx, const std::string& survey_id, const SurveyHistory& h) {
  char rec[128];
  std::snprintf(rec, sizeof rec, "%lld %lld %lld %lld %d %d", static_cast<long long>(h.impressions),
                static_cast<long long>(h.last_impression_ms), static_cast<long long>(h.dismissals),
                static_cast<long long>(h.shown_in_session), h.open ? 1 : 0, h.answered ? 1 : 0);
  ctx.set_state("survey:" + survey_id, rec);
  plugin_support::remember_id(ctx, "surveys", survey_id);
}

void save_counters(PluginContext& ctx, const InstallHistory& h) {
  plugin_support::save_activity(ctx, h);
}

}  // namespace uptake::surveys_detail
