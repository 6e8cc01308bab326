#pragma once
// The install's activity as every prompt plugin keeps it in its own durable state (the same
// keys in each: install_ms, sessions, used), and the small state encodings the plugins share:
// integers, newline-separated lists, the list of rule ids that have a record.

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "uptake/plugin.hpp"
#include "uptake_common/prompt_rules.hpp"
#include "uptake_common/remote_config.hpp"

namespace uptake::plugin_support {

/// The integer in state `key`; 0 when absent or not a number.
inline std::int64_t state_int(const PluginContext& ctx, std::string_view key) {
  const auto s = ctx.get_state(key);
  std::int64_t v = 0;
  if (s) std::from_chars(s->data(), s->data() + s->size(), v);
  return v;
}

/// Calls fn with each non-empty line of `text`.
template <typename Fn>
void each_line(std::string_view text, Fn&& fn) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    if (nl > 0) fn(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

/// Adds `id` to the newline-separated id list in state `list_key` unless it is there.
inline void remember_id(PluginContext& ctx, std::string_view list_key, const std::string& id) {
  const std::string ids = ctx.get_state(list_key).value_or("");
  if (("\n" + ids + "\n").find("\n" + id + "\n") == std::string::npos)
    ctx.set_state(list_key, ids.empty() ? id : ids + "\n" + id);
}

/// Reads the activity (a new install: all zero, nothing used).
inline detail::InstallActivity load_activity(const PluginContext& ctx) {
  detail::InstallActivity a;
  a.install_ms = state_int(ctx, "install_ms");
  a.sessions = state_int(ctx, "sessions");
  if (auto used = ctx.get_state("used")) each_line(*used, [&](auto f) { a.used.emplace(f); });
  return a;
}

/// Writes the activity.
inline void save_activity(PluginContext& ctx, const detail::InstallActivity& a) {
  ctx.set_state("install_ms", std::to_string(a.install_ms));
  ctx.set_state("sessions", std::to_string(a.sessions));
  std::string used;
  for (const auto& f : a.used) {
    if (!used.empty()) used += '\n';
    used += f;
  }
  ctx.set_state("used", used);
}

/// What an event changed in the activity.
enum class ActivityChange {
  none,           // nothing (a repeat use, or an event that is not a feature use)
  not_a_feature,  // an identify, group or SDK event ($…) other than a session start
  session,        // a $session_start: one more session
  first_use,      // the first use of a feature on this install
};

/// Folds `event` into the activity.
inline ActivityChange observe_activity(detail::InstallActivity& a, const ObservedEvent& event) {
  if (event.name == "$session_start") {
    ++a.sessions;
    return ActivityChange::session;
  }
  if (event.identify || event.group || event.name.empty() || event.name.front() == '$')
    return ActivityChange::not_a_feature;
  return a.used.emplace(event.name).second ? ActivityChange::first_use : ActivityChange::none;
}

/// What a prompt plugin keeps in memory: the remote config, its history on this install
/// (`History` derives from InstallActivity) and which install and version this is.
template <typename History>
struct PromptModel {
  detail::RemoteConfig config;
  History history;
  std::string anon, app_version;

  /// At the plugin's start: the cached config, the saved history (`load`), and the install's
  /// time on its very first run (written with `save_counters`).
  template <typename Load, typename SaveCounters>
  void start(PluginContext& ctx, Load&& load, SaveCounters&& save_counters) {
    config = detail::parse_remote_config(ctx.remote_config());
    history = load(ctx);
    anon = std::string(ctx.anonymous_id());
    app_version = std::string(ctx.app_version());
    if (history.install_ms == 0) {
      history.install_ms = ctx.now_ms();
      save_counters(ctx, history);
    }
  }
};

}  // namespace uptake::plugin_support
