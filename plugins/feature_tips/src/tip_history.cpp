#include "tip_history.hpp"

#include <cstdio>

#include "uptake_plugin_support/install_activity.hpp"

namespace uptake::tips_detail {

using plugin_support::state_int;

InstallHistory load_history(const PluginContext& ctx) {
  InstallHistory h;
  static_cast<detail::InstallActivity&>(h) = plugin_support::load_activity(ctx);
  h.tips_this_session = state_int(ctx, "tips_this_session");
  h.last_tip_ms = state_int(ctx, "last_tip_ms");
  if (auto ids = ctx.get_state("tips")) {
    plugin_support::each_line(*ids, [&](std::string_view line) {
      const std::string id(line);
      const auto rec = ctx.get_state("tip:" + id);
      long long shown = 0, inter = 0, last = 0, snooze = 0;
      int forever = 0, held = 0;
      if (rec && std::sscanf(rec->c_str(), "%lld %lld %lld %lld %d %d", &shown, &inter, &last,
                             &snooze, &forever, &held) == 6) {
        h.tips[id] = TipHistory{shown, inter, last, snooze, forever != 0, held != 0};
      }
    });
  }
  return h;
}

void save_tip(PluginContext& ctx, const std::string& tip_id, const TipHistory& h) {
  char rec[160];
  std::snprintf(rec, sizeof rec, "%lld %lld %lld %lld %d %d", static_cast<long long>(h.shown),
                static_cast<long long>(h.interactions), static_cast<long long>(h.last_shown_ms),
                static_cast<long long>(h.snooze_until_ms), h.forever ? 1 : 0,
                h.held_out_recorded ? 1 : 0);
  ctx.set_state("tip:" + tip_id, rec);
  plugin_support::remember_id(ctx, "tips", tip_id);
}

void save_counters(PluginContext& ctx, const InstallHistory& h) {
  plugin_support::save_activity(ctx, h);
  ctx.set_state("tips_this_session", std::to_string(h.tips_this_session));
  ctx.set_state("last_tip_ms", std::to_string(h.last_tip_ms));
}

}  // namespace uptake::tips_detail
