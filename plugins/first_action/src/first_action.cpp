#include "uptake/first_action.hpp"

#include "uptake_common/remote_config.hpp"

#include <algorithm>
#include <charconv>

namespace uptake {
namespace {

std::int64_t state_int(PluginContext& ctx, std::string_view key, std::int64_t fallback = 0) {
  const auto s = ctx.get_state(key);
  if (!s) return fallback;
  std::int64_t v = fallback;
  std::from_chars(s->data(), s->data() + s->size(), v);
  return v;
}

void set_int(PluginContext& ctx, std::string_view key, std::int64_t v) {
  ctx.set_state(key, std::to_string(v));
}

std::string done_key(std::string_view feature) {
  return "done:" + std::string(feature);
}

}  // namespace

FirstAction::FirstAction(std::vector<std::string> key_actions)
    : app_key_actions_(std::move(key_actions)) {}

void FirstAction::start(PluginContext& ctx) {
  const std::int64_t now = ctx.now_ms();
  if (!ctx.get_state("install_ms")) {
    ctx.emit("$install", {});
    set_int(ctx, "install_ms", now);
    set_int(ctx, "elapsed_ms", 0);
    set_int(ctx, "checkpoint_ms", now);
  }
  const std::int64_t elapsed = state_int(ctx, "elapsed_ms");
  const std::int64_t checkpoint_wall = state_int(ctx, "checkpoint_ms", now);
  base_elapsed_ms_ = elapsed + std::max<std::int64_t>(0, now - checkpoint_wall);
  run_start_mono_ms_ = ctx.monotonic_ms();
  sessions_ = state_int(ctx, "sessions");
  session_start_ms_ = state_int(ctx, "session_start_ms", now);
  load_key_actions(ctx);
}

void FirstAction::load_key_actions(PluginContext& ctx) {
  key_actions_.clear();
  if (!app_key_actions_.empty()) {
    key_actions_.insert(app_key_actions_.begin(), app_key_actions_.end());
    return;
  }
  for (auto& action : detail::parse_remote_config(ctx.remote_config()).key_actions)
    key_actions_.insert(std::move(action));
}

void FirstAction::on_remote_config(PluginContext& ctx) {
  load_key_actions(ctx);
}

// Monotonic time since this run started, minus how long ago (by the wall clock) the event
// happened: the queue delay is short, so a wall-clock jump can only skew it by that much.
std::int64_t FirstAction::elapsed_since_install(PluginContext& ctx, std::int64_t event_ts) const {
  const std::int64_t run_ms = ctx.monotonic_ms() - run_start_mono_ms_;
  const std::int64_t age_ms = std::max<std::int64_t>(0, ctx.now_ms() - event_ts);
  return std::max<std::int64_t>(0, base_elapsed_ms_ + run_ms - age_ms);
}

void FirstAction::checkpoint(PluginContext& ctx) {
  set_int(ctx, "elapsed_ms", elapsed_since_install(ctx, ctx.now_ms()));
  set_int(ctx, "checkpoint_ms", ctx.now_ms());
}

void FirstAction::on_event(PluginContext& ctx, const ObservedEvent& event) {
  if (event.name == "$session_start") {
    ++sessions_;
    session_start_ms_ = event.ts_ms;
    set_int(ctx, "sessions", sessions_);
    set_int(ctx, "session_start_ms", session_start_ms_);
    checkpoint(ctx);
    return;
  }
  if (event.identify || event.name.empty() || event.name.front() == '$') return;
  if (!key_actions_.contains(event.name)) return;
  const std::string key = done_key(event.name);
  if (ctx.get_state(key)) return;
  const Prop props[] = {
      {"feature", PropValue(event.name)},
      {"ms_since_install", PropValue(elapsed_since_install(ctx, event.ts_ms))},
      {"ms_since_session_start",
       PropValue(std::max<std::int64_t>(0, event.ts_ms - session_start_ms_))},
      {"sessions_before", PropValue(std::max<std::int64_t>(0, sessions_ - 1))},
  };
  ctx.emit("$first_action", props);
  ctx.set_state(key, "1");
  checkpoint(ctx);
}

void FirstAction::stop(PluginContext& ctx) {
  checkpoint(ctx);
}

}  // namespace uptake
