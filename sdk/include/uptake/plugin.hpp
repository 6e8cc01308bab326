#pragma once
// The plugin interface: code that runs inside the SDK's background thread, sees every event,
// and can emit events, keep durable state, read the remote config and schedule timers.
//
// Threading: every Plugin callback and every PluginContext call happens on the background
// thread (except prompt_budget_blocks(), callable from any thread while the client runs). The
// app talks to a plugin only through the plugin's own thread-safe methods, which hand work to
// the background thread with Plugin::post().
// Prompts: a plugin that interrupts the end user offers its prompt with offer_prompt() and the
// host decides, by the attention budget shared by all plugins (uptake/prompts.hpp).
// Failure: a callback that throws disables that plugin (counted in Stats::plugins_disabled);
// the app and the other plugins go on.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "uptake/export.h"
#include "uptake/prompts.hpp"
#include "uptake/props.hpp"

namespace uptake {

/// One event as plugins see it. Views are valid during the callback only.
struct ObservedEvent {
  std::string_view name;     // empty for identify and group events
  bool identify = false;     // an identify() event: `user` is the new user, `props` the traits
  bool group = false;        // a group() event: `account` is the new account, `props` its traits
  std::int64_t ts_ms = 0;    // when it happened (the client's clock)
  std::string_view user;     // the user id in effect ("" when none)
  std::string_view account;  // the account in effect ("" when group() was never called)
  std::string_view session;
  std::span<const Prop> props;
  /// The value of prop `key`, if the event has it.
  std::optional<PropValue> prop(std::string_view key) const {
    for (const Prop& p : props) {
      if (p.key == key) return p.value;
    }
    return std::nullopt;
  }
};

class UPTAKE_API PluginContext {
 public:
  virtual ~PluginContext() = default;
  /// Records an event now, as track() would, except that reserved "$" names are allowed.
  virtual void emit(std::string_view name, std::span<const Prop> props) = 0;
  /// This plugin's durable key/value state; saved atomically after each callback.
  virtual std::optional<std::string> get_state(std::string_view key) const = 0;
  virtual void set_state(std::string_view key, std::string_view value) = 0;
  virtual void erase_state(std::string_view key) = 0;
  /// The app's remote configuration JSON (/v1/config, its cached copy, or the app's default).
  virtual std::string_view remote_config() const = 0;
  /// Runs `task` on the background thread after `delay` (real time).
  virtual void schedule(std::chrono::milliseconds delay,
                        std::function<void(PluginContext&)> task) = 0;
  /// Wall-clock milliseconds (Config::clock when the app injects one).
  virtual std::int64_t now_ms() const = 0;
  /// Milliseconds that never go backwards within a run (Config::clock when injected).
  virtual std::int64_t monotonic_ms() const = 0;
  virtual std::string_view anonymous_id() const = 0;
  virtual std::string_view app_version() const = 0;
  /// The account of this install's latest group() call ("" when never called). Persisted in
  /// data_dir, so start() already sees the account of an earlier run; during on_event() it is
  /// the account in effect for that event (a group event's own account, from that event on).
  virtual std::string_view account() const = 0;

  /// Offers a prompt; the host shows at most one offer per round, the highest priority the
  /// attention budget allows, by calling its `show` after the round (uptake/prompts.hpp).
  virtual void offer_prompt(PromptOffer offer) = 0;
  /// The attention budget limit that would refuse a prompt of `kind` now, as a sentence naming
  /// it (e.g. "2 prompts already shown today (max_prompts_per_day)"), or nullopt when a prompt
  /// may show. Callable from any thread between the plugin's start() and stop(), so that a
  /// plugin's explain() can say when the budget is what blocks.
  virtual std::optional<std::string> prompt_budget_blocks(PromptKind kind) const = 0;
};

class UPTAKE_API Plugin {
 public:
  virtual ~Plugin() = default;
  /// Unique and stable: it names the plugin's state file.
  virtual std::string name() const = 0;
  /// Once, before any event, after the state and the cached remote config are loaded.
  virtual void start(PluginContext&) {}
  /// Every recorded event, in order, including other plugins' and the SDK's own ("$...").
  virtual void on_event(PluginContext&, const ObservedEvent&) {}
  /// After a new remote config arrived.
  virtual void on_remote_config(PluginContext&) {}
  /// Once, at shutdown.
  virtual void stop(PluginContext&) {}

  /// Runs `task` on the background thread soon; callable from any thread. Returns false
  /// when the plugin is not (or no longer) attached to a running client.
  bool post(std::function<void(PluginContext&)> task);

  /// Wired by the client; not for app code.
  using Poster = std::function<bool(std::function<void(PluginContext&)>)>;
  void attach_poster(Poster poster);

 private:
  std::mutex poster_mutex_;
  Poster poster_;
};

}  // namespace uptake
