#pragma once
// first_action: records `$install` on an install's first launch, and for each key action the
// first use on this install as one `$first_action` event with how long it took
// (PROTOCOL.md: props feature, ms_since_install, ms_since_session_start, sessions_before).
//
// Timing survives restarts, crashes and clock changes: within a run, time since install is
// measured on the monotonic clock; across runs, the plugin persists the time since install
// at its last checkpoint plus the wall-clock time of that checkpoint, and adds the wall-clock
// gap only when the clock did not go backwards (so a clock set back never makes time negative).

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "uptake/export.h"
#include "uptake/plugin.hpp"

namespace uptake {

class UPTAKE_API FirstAction final : public Plugin {
 public:
  /// `key_actions`: the features to time. When empty, the remote config's "key_actions".
  explicit FirstAction(std::vector<std::string> key_actions = {});

  std::string name() const override { return "first_action"; }
  void start(PluginContext& ctx) override;
  void on_event(PluginContext& ctx, const ObservedEvent& event) override;
  void on_remote_config(PluginContext& ctx) override;
  void stop(PluginContext& ctx) override;

 private:
  // Private helpers stay out of libuptake.so's exports (and so out of its ABI).
  UPTAKE_HIDDEN std::int64_t elapsed_since_install(PluginContext& ctx, std::int64_t event_ts) const;
  UPTAKE_HIDDEN void checkpoint(PluginContext& ctx);
  UPTAKE_HIDDEN void load_key_actions(PluginContext& ctx);

  std::vector<std::string> app_key_actions_;
  std::set<std::string, std::less<>> key_actions_;
  std::int64_t base_elapsed_ms_ = 0;  // time since install when this run started
  std::int64_t run_start_mono_ms_ = 0;
  std::int64_t session_start_ms_ = 0;
  std::int64_t sessions_ = 0;
};

}  // namespace uptake
