#pragma once
// The Uptake client: record feature usage from any thread without slowing the app.
//
// Contract: track(), identify() and group() never block, never throw and never do I/O; they
// copy the event into a bounded lock-free queue (a full queue drops and counts). One background
// thread batches, compresses, spools to disk and sends. Events survive restarts through
// the spool; the collector deduplicates by event id, so resends are harmless.

#include <chrono>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "uptake/config.hpp"
#include "uptake/export.h"
#include "uptake/props.hpp"
#include "uptake/stats.hpp"

namespace uptake {

class UPTAKE_API Client {
 public:
  /// Validates `config` (throws ConfigError naming the bad field), loads or creates the
  /// install's identity in data_dir, and starts the background thread.
  explicit Client(Config config);
  /// Calls shutdown(config.shutdown_timeout_ms); never takes longer than that. Never destroy
  /// the client on the SDK's thread (inside a presenter or a plugin callback).
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Records that feature `name` was used. Wait-free apart from one CAS; no allocation when
  /// name and props fit 224 bytes. Dropped (and counted) when invalid or the queue is full.
  void track(std::string_view name, std::initializer_list<Prop> props = {}) noexcept;
  void track(std::string_view name, std::span<const Prop> props) noexcept;

  /// Ties this install to the app's user id from now on (persisted) and sends an
  /// `identify` event carrying `traits` as props. Same non-blocking contract as track().
  void identify(std::string_view user, std::initializer_list<Prop> traits = {}) noexcept;
  void identify(std::string_view user, std::span<const Prop> traits) noexcept;

  /// Puts the person using this install in customer account `account` (company, workspace,
  /// team: 1..128 bytes) from now on and sends a `group` event carrying `traits` (the
  /// account's, e.g. plan or seats; at most 8 KiB as JSON) as props. The account is persisted
  /// and plugins read it (PluginContext::account()). Same non-blocking contract as track();
  /// an invalid account or oversized traits drop the event (Stats::dropped_invalid).
  void group(std::string_view account, std::initializer_list<Prop> traits = {}) noexcept;
  void group(std::string_view account, std::span<const Prop> traits) noexcept;

  /// Blocks until every event recorded before the call is acknowledged by the collector,
  /// or `timeout` passes. Returns true when everything was delivered.
  bool flush(std::chrono::milliseconds timeout) noexcept;

  /// Blocks until the background thread has handled every event recorded and every plugin
  /// task posted before the call (batched them and shown them to plugins), without waiting
  /// for delivery. For simulations and tests that need plugin reactions in a fixed order.
  bool wait_processed(std::chrono::milliseconds timeout) noexcept;

  /// Stops recording, tries to deliver until `timeout`, then stops the background thread
  /// and leaves what is undelivered in the spool for the next run. Idempotent.
  /// Returns true when nothing was left undelivered. Called on the SDK's thread (a presenter
  /// or plugin callback), it does nothing and returns false: that thread cannot wait for itself.
  bool shutdown(std::chrono::milliseconds timeout) noexcept;

  /// Opting out stops recording at once and purges the queue and the spool; persisted.
  void set_opt_out(bool opt_out) noexcept;
  bool opted_out() const noexcept;

  /// Whether this install is in the sample (config.sample_rate); stable across restarts.
  bool sampled() const noexcept;

  /// The persisted anonymous id of this install.
  std::string anonymous_id() const;

  /// A snapshot of the counters; cheap, callable from any thread.
  Stats stats() const noexcept;

  class UPTAKE_HIDDEN Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace uptake
