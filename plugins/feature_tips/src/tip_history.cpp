#include "tip_history.hpp"

#include <charconv>
#include <cstdio>

namespace uptake::tips_detail {
namespace {

std::int64_t to_int(std::string_view s) {
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::int64_t state_int(const PluginContext& ctx, std::string_view key) {
  const auto s = ctx.get_state(key);
  return s ? to_int(*s) : 0;
}

}  // namespace

InstallHistory load_history(const PluginContext& ctx) {
  InstallHistory h;
  h.install_ms = state_int(ctx, "install_ms");
  h.sessions = state_int(ctx, "sessions");
  h.tips_this_session = state_int(ctx, "tips_this_session");
  h.last_tip_ms = state_int(ctx, "last_tip_ms");
  if (auto used = ctx.get_state("used")) {
    std::string_view rest = *used;
    while (!rest.empty()) {
      const auto nl = rest.find('\n');
      if (nl > 0) h.used.emplace(rest.substr(0, nl));
      if (nl == std::string_view::npos) break;
      rest.remove_prefix(nl + 1);
    }
  }
  if (auto ids = ctx.get_state("tips")) {
    std::string_view rest = *ids;
    while (!rest.empty()) {
      const auto nl = rest.find('\n');
      const std::string id(rest.substr(0, nl));
      if (auto rec = ctx.get_state("tip:" + id)) {
        TipHistory t;
        long long shown = 0, inter = 0, last = 0, snooze = 0;
        int forever = 0, held = 0;
        if (std::sscanf(rec->c_str(), "%lld %lld %lld %lld %d %d", &shown, &inter, &last, &snooze,
                        &forever, &held) == 6) {
          t = TipHistory{shown, inter, last, snooze, forever != 0, held != 0};
          h.tips[id] = t;
        }
      }
      if (nl == std::string_view::npos) break;
      rest.remove_prefix(nl + 1);
    }
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
  std::string ids = ctx.get_state("tips").value_or("");
  if (("\n" + ids + "\n").find("\n" + tip_id + "\n") == std::string::npos) {
    ctx.set_state("tips", ids.empty() ? tip_id : ids + "\n" + tip_id);
  }
}

void save_counters(PluginContext& ctx, const InstallHistory& h) {
  ctx.set_state("install_ms", std::to_string(h.install_ms));
  ctx.set_state("sessions", std::to_string(h.sessions));
  ctx.set_state("tips_this_session", std::to_string(h.tips_this_session));
  ctx.set_state("last_tip_ms", std::to_string(h.last_tip_ms));
  std::string used;
  for (const auto& f : h.used) {
    if (!used.empty()) used += '\n';
    used += f;
  }
  ctx.set_state("used", used);
}

}  // namespace uptake::tips_detail
