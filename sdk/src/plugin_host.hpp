#pragma once
// Runs the app's plugins on the background thread: their state files, the remote config
// they read, their timers, work posted from app threads, isolation (a plugin that throws is
// switched off and counted, never rethrown), and the prompts they offer, which it shows or
// not by the attention budget (uptake/prompts.hpp) after each round of callbacks.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "attention_budget.hpp"
#include "event_record.hpp"
#include "install_state.hpp"
#include "kv_file.hpp"
#include "uptake/config.hpp"
#include "uptake/plugin.hpp"

namespace uptake::detail {

class PluginHost {
 public:
  /// `state` is the install's identity as the background thread keeps it (plugins read it);
  /// `emit` records an event for a plugin (the worker encodes and later dispatches it);
  /// `wake` nudges the worker after work is posted from another thread.
  using EmitFn = std::function<void(std::string_view name, std::span<const Prop> props)>;
  PluginHost(const Config& config, const InstallState& state, EmitFn emit,
             std::function<void()> wake);
  ~PluginHost();

  bool empty() const { return plugins_.empty(); }
  /// Loads state files and the cached remote config, then starts every plugin.
  void start(std::string remote_config);
  /// Shows a recorded event to every plugin, with the identity in effect after it.
  void dispatch(const EventRecord& record);
  void remote_config_changed(std::string remote_config);
  /// Runs posted work and due timers. Returns when the next timer is due (or max()), and
  /// adds the number of posted tasks it ran to `posted_ran`.
  std::chrono::steady_clock::time_point run_due_work(std::uint64_t& posted_ran);
  /// Tasks ever posted from app threads (flush() waits until they have run).
  std::uint64_t posted_count() const { return posted_count_.load(std::memory_order_acquire); }
  void stop();

  std::uint64_t disabled_count() const { return disabled_.load(std::memory_order_relaxed); }
  std::int64_t now_ms() const;
  std::int64_t monotonic_ms() const;

 private:
  struct Slot;
  class Context;
  struct Offer {
    Slot* slot;
    PromptOffer prompt;
  };
  template <typename Fn>
  void guarded(Slot& slot, Fn&& fn);
  void apply_limits();
  /// Runs the work posted from app threads; returns how many tasks ran.
  std::size_t run_posted();
  /// The end of a round: shows the best offer the budget allows, drops the rest.
  void resolve_offers();

  const Config& config_;
  const InstallState& state_;
  EmitFn emit_;
  std::function<void()> wake_;
  std::string remote_config_;
  std::vector<std::unique_ptr<Slot>> plugins_;
  AttentionBudget budget_;
  std::vector<Offer> offers_;  // made during the current round
  std::atomic<std::uint64_t> disabled_{0};
  std::atomic<std::uint64_t> posted_count_{0};
  std::chrono::steady_clock::time_point run_start_ = std::chrono::steady_clock::now();

  struct Timer {
    std::chrono::steady_clock::time_point due;
    Slot* slot;
    std::function<void(PluginContext&)> task;
  };
  std::vector<Timer> timers_;

  std::mutex posted_mutex_;
  std::deque<std::pair<Slot*, std::function<void(PluginContext&)>>> posted_;  // guarded
};

}  // namespace uptake::detail
