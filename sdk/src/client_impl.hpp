#pragma once
// State shared by the app-facing API (client.cpp) and the background thread's loop
// (worker.cpp), which drives the batcher, the sessions and the sender. The app's threads touch
// only the queue, atomics, and the mutex-guarded request flags; everything slow belongs to the
// background thread.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>

#include "batcher.hpp"
#include "drop_reasons.hpp"
#include "event_queue.hpp"
#include "install_state.hpp"
#include "plugin_host.hpp"
#include "remote_config.hpp"
#include "sender.hpp"
#include "sessions.hpp"
#include "spool.hpp"
#include "uptake/client.hpp"
#include "uptake_common/endpoint_url.hpp"
#include "uptake_common/http_transport.hpp"
#include "zstd_codec.hpp"

namespace uptake {
namespace detail {

/// The background thread's life. It only moves forward, one step at a time, each step taken
/// under Impl::mutex_ and announced to everyone who waits (constructor, flush(), the worker).
enum class WorkerPhase : std::uint8_t {
  starting,  // thread launched, plugins loading their state: the constructor waits
  running,   // recording; the loop batches, sends and sleeps
  draining,  // shutdown() stopped recording and waits for delivery; the loop still sends
  stopping,  // shutdown()'s budget is spent: the loop spools what is left and exits
  stopped,   // the loop is done; progress waiters return at once
};

}  // namespace detail

class Client::Impl {
 public:
  explicit Impl(Config config);
  ~Impl();

  /// The hot path shared by track(), identify() and group(): validate sizes, copy, push.
  void enqueue(detail::EventKind kind, std::string_view name, std::span<const Prop> props) noexcept;

  /// Counts an event track()/identify()/group() refused before queueing it.
  void reject_invalid() noexcept { drops_.add(detail::DropReason::invalid); }
  const std::string& anonymous_id() const { return state_.anon; }  // fixed after construction

  bool flush(std::chrono::milliseconds timeout);
  bool wait_processed(std::chrono::milliseconds timeout);
  bool shutdown(std::chrono::milliseconds timeout);
  void set_opt_out(bool opt_out);
  Stats stats() const;

  const Config config;

 private:
  const detail::EndpointUrl endpoint_;
  detail::InstallState state_;  // anon fixed; the rest belongs to the background thread

 public:
  const bool sampled;
  std::atomic<bool> recording{false};
  std::atomic<bool> opted_out{false};

 private:
  template <typename Done>
  bool wait_for_progress(int& waiters, std::chrono::milliseconds timeout, Done done);
  /// Moves phase_ forward to `next` (never back) and wakes every waiter. Leaving `running`
  /// stops recording for good.
  void enter_phase(detail::WorkerPhase next);

  // Background thread (worker.cpp).
  void run_worker();
  void worker_step();
  void drain_queue();
  void encode_event(const detail::EventRecord& record);
  void emit_from_plugin(std::string_view name, std::span<const Prop> props);
  void drain_plugin_emits();
  void refresh_remote_config();
  void start_session_if_due(std::int64_t ts_ms);
  detail::EventContext event_context() const;
  void seal_batch();
  void apply_opt_out_change();
  void publish_progress(std::uint64_t posted_ran = 0);
  void wait_for_work();
  void save_state_if_dirty();

  // Shared.
  detail::EventQueue queue_;
  std::size_t notify_mask_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;      // the worker sleeps on it
  std::condition_variable progress_;  // flush() callers and the constructor sleep on it

  // Guarded by mutex_.
  detail::WorkerPhase phase_ = detail::WorkerPhase::starting;
  bool opt_out_changed_ = false;     // set_opt_out() was called: the worker applies it
  bool plugin_work_ = false;         // a plugin posted work
  int flush_waiters_ = 0;            // flush() callers waiting: seal now, do not sleep
  int process_waiters_ = 0;          // wait_processed() callers waiting
  std::uint64_t processed_pos_ = 0;  // queue positions handled
  std::uint64_t settled_pos_ = 0;    // ticks below it are all settled
  std::uint64_t posted_done_ = 0;    // plugin tasks run and their events batched

  std::mutex shutdown_mutex_;            // one shutdown() at a time; later calls get its result
  std::optional<bool> shutdown_result_;  // guarded by shutdown_mutex_: set once it finished

  // Counters (any thread reads; the sender keeps the delivery counters).
  std::atomic<std::uint64_t> config_fetches_{0};
  detail::DropCounters drops_;

  // Background thread only (transport_.cancel() and the counters aside).
  bool state_dirty_ = false;
  detail::ZstdCompressor compressor_;
  detail::Spool spool_;
  detail::HttpTransport transport_;
  detail::Batcher batcher_;
  detail::Sessions sessions_;
  detail::Sender sender_;
  std::string auth_header_;
  std::chrono::steady_clock::time_point next_expiry_check_;
  std::chrono::steady_clock::time_point next_config_fetch_;
  std::chrono::steady_clock::time_point next_plugin_timer_ =
      std::chrono::steady_clock::time_point::max();
  detail::CachedConfig remote_config_;
  std::deque<detail::EventRecord> plugin_emits_;
  bool draining_emits_ = false;
  detail::PluginHost plugins_;

  std::thread worker_;  // last: starts after everything above is built
};

}  // namespace uptake
