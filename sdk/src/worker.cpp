// The background thread's loop. Each step follows an event's way: drain the queue into the
// open batch (batcher.*: sessions.* first announces a new session), show each event to the
// plugins, seal what is due into the spool, then deliver the spool's front (sender.*); then
// sleep until the next deadline or a request from an app thread. It owns every slow operation.

#include <algorithm>
#include <filesystem>
#include <limits>

#include "client_impl.hpp"
#include "sdk_limits.hpp"
#include "wall_clock.hpp"

namespace uptake {
using namespace detail;
using Clock = std::chrono::steady_clock;

namespace {
// Progress is counted in "ticks": queue position + 1 (see publish_progress()).
std::uint64_t tick_of(std::uint64_t queue_pos) {
  return queue_pos + 1;
}
}  // namespace

void Client::Impl::run_worker() {
  next_expiry_check_ = Clock::now();
  next_config_fetch_ = Clock::now();
  // Plugins start first (the constructor waits for it), so they see the app's first event.
  if (auto cached = load_cached_config(std::filesystem::path(config.data_dir))) {
    remote_config_ = std::move(*cached);
  } else {
    remote_config_.body = config.default_remote_config;
  }
  try {
    plugins_.start(remote_config_.body);
    drain_plugin_emits();
  } catch (...) {
  }
  enter_phase(WorkerPhase::running);
  try {
    spool_.open();
  } catch (...) {
    // An unreadable spool directory must not take the app down; appends will count failures.
  }
  for (;;) {
    bool stopping = false;
    {
      std::lock_guard lock(mutex_);
      stopping = phase_ == WorkerPhase::stopping;
    }
    try {
      if (stopping) {
        drain_queue();
        plugins_.stop();
        drain_plugin_emits();
        if (!batcher_.empty()) seal_batch();
        save_state_if_dirty();
        break;
      }
      worker_step();
    } catch (...) {
      // Out of memory or a filesystem surprise: nothing may escape into the app. Try again
      // after a pause rather than spinning.
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, kWorkerErrorPause, [&] { return phase_ == WorkerPhase::stopping; });
    }
  }
  publish_progress();
  enter_phase(WorkerPhase::stopped);
}

void Client::Impl::worker_step() {
  apply_opt_out_change();
  drain_queue();
  {
    std::lock_guard lock(mutex_);
    plugin_work_ = false;
  }
  if (!plugins_.empty()) {
    std::uint64_t posted_ran = 0;
    next_plugin_timer_ = plugins_.run_due_work(posted_ran);
    drain_plugin_emits();
    // Counted together with the progress that includes their events, so flush() never sees
    // the task done before its events are pending.
    if (posted_ran > 0) publish_progress(posted_ran);
  }
  const auto now = Clock::now();
  bool flush_wanted;
  {
    std::lock_guard lock(mutex_);
    flush_wanted = flush_waiters_ > 0;
  }
  if (batcher_.due(now, flush_wanted)) seal_batch();
  if (now >= next_expiry_check_) {
    spool_.expire(now_unix_ms());
    next_expiry_check_ = now + kSpoolExpiryCheckInterval;
  }
  save_state_if_dirty();
  if (config.fetch_remote_config && !opted_out && now >= next_config_fetch_)
    refresh_remote_config();
  if (!spool_.empty() && !opted_out && sender_.ready(now)) {
    sender_.send_front();
    publish_progress();
    return;  // loop at once: more batches may be ready to send
  }
  publish_progress();
  wait_for_work();
}

void Client::Impl::wait_for_work() {
  auto until = std::min(Clock::now() + config.flush_interval_ms, batcher_.deadline());
  if (!spool_.empty()) until = std::min(until, std::max(sender_.next_attempt_at(), Clock::now()));
  if (config.fetch_remote_config) until = std::min(until, next_config_fetch_);
  until = std::min(until, next_plugin_timer_);
  std::unique_lock lock(mutex_);
  wake_.wait_until(lock, until, [&] {
    return phase_ == WorkerPhase::stopping || opt_out_changed_ || plugin_work_ ||
           (process_waiters_ > 0 && queue_.approx_size() > 0) ||
           (!plugins_.empty() && queue_.approx_size() > 0) ||
           (flush_waiters_ > 0 && (!batcher_.empty() || queue_.approx_size() > 0));
  });
}

void Client::Impl::apply_opt_out_change() {
  {
    std::lock_guard lock(mutex_);
    if (!opt_out_changed_) return;
    opt_out_changed_ = false;
  }
  const bool out = opted_out.load();
  if (out) {
    EventRecord r;
    while (queue_.try_pop(r)) r.release();
    queue_.publish_popped();
    batcher_.discard();
    spool_.purge();
  }
  if (state_.opted_out != out) {
    state_.opted_out = out;
    state_dirty_ = true;
  }
}

void Client::Impl::drain_queue() {
  EventRecord record;
  while (queue_.try_pop(record)) {
    const std::uint64_t pos = queue_.popped() - 1;
    if (opted_out.load(std::memory_order_relaxed)) {
      record.release();
      continue;
    }
    batcher_.open_if_empty(tick_of(pos), Clock::now());
    encode_event(record);
    record.release();
    drain_plugin_emits();
  }
  queue_.publish_popped();
}

void Client::Impl::emit_from_plugin(std::string_view name, std::span<const Prop> props) {
  if (name.empty() || name.size() > kMaxNameBytes) {
    drops_.add(DropReason::invalid);
    return;
  }
  EventRecord r;
  r.ts_ms = plugins_.now_ms();
  r.kind = EventKind::track;
  r.size = static_cast<std::uint32_t>(packed_size(name, props));
  if (r.size > kMaxPackedPayloadBytes) {
    drops_.add(DropReason::invalid);
    return;
  }
  if (r.size > kInlinePayloadBytes) r.heap = new char[r.size];
  pack_payload(r.heap ? r.heap : r.inline_bytes.data(), name, props);
  plugin_emits_.push_back(r);
}

// Plugin events are encoded after the callback that emitted them returns, so plugins never
// re-enter each other; the cap stops two plugins that answer each other forever.
void Client::Impl::drain_plugin_emits() {
  if (draining_emits_) return;
  draining_emits_ = true;
  for (int n = 0; !plugin_emits_.empty() && n < kMaxPluginEmitsPerRound; ++n) {
    EventRecord r = plugin_emits_.front();
    plugin_emits_.pop_front();
    if (!opted_out.load(std::memory_order_relaxed)) {
      // As old as the app's latest event: flush() waits for plugin events too.
      batcher_.open_if_empty(tick_of(queue_.popped() > 0 ? queue_.popped() - 1 : 0), Clock::now());
      encode_event(r);
    }
    r.release();
  }
  for (auto& r : plugin_emits_) r.release();
  plugin_emits_.clear();
  draining_emits_ = false;
}

void Client::Impl::refresh_remote_config() {
  bool answered = false;
  auto fresh = fetch_remote_config(transport_, auth_header_, remote_config_.etag, answered);
  if (answered) config_fetches_.fetch_add(1, std::memory_order_relaxed);
  // Offline: try again in a minute; online: at the refresh interval.
  next_config_fetch_ =
      Clock::now() + (answered ? config.config_refresh_interval_ms
                               : std::min<std::chrono::milliseconds>(
                                     config.config_refresh_interval_ms, kConfigRetryWhenOffline));
  if (!fresh || fresh->body == remote_config_.body) {
    if (fresh) remote_config_.etag = fresh->etag;
    return;
  }
  remote_config_ = std::move(*fresh);
  save_cached_config(std::filesystem::path(config.data_dir), remote_config_);
  plugins_.remote_config_changed(remote_config_.body);
  drain_plugin_emits();
}

EventContext Client::Impl::event_context() const {
  return EventContext{state_.anon, state_.user, state_.session, config.app_version};
}

void Client::Impl::encode_event(const EventRecord& record) {
  start_session_if_due(record.ts_ms);
  if (!batcher_.append(record, event_context())) {
    drops_.add(DropReason::invalid);
    return;
  }
  // The identity an event sets holds from this event on (plugins see it already), and is
  // persisted with the next state save.
  if (record.kind == EventKind::identify || record.kind == EventKind::group) {
    std::string& held = record.kind == EventKind::identify ? state_.user : state_.account;
    const std::string_view value = PackedReader(record.data()).name();
    if (held != value) {
      held = value;
      state_dirty_ = true;
    }
  }
  plugins_.dispatch(record);
  if (batcher_.full()) seal_batch();
}

void Client::Impl::start_session_if_due(std::int64_t ts_ms) {
  if (!sessions_.advance(state_, ts_ms)) return;
  const EventRecord start = session_start_record(ts_ms);
  batcher_.append(start, event_context());  // a bare reserved name: never refused
  state_dirty_ = true;
  plugins_.dispatch(start);
}

void Client::Impl::seal_batch() {
  batcher_.seal(now_unix_ms());
  state_dirty_ = true;  // last_event_ms: persisted once per batch, not per event
}

void Client::Impl::save_state_if_dirty() {
  if (state_dirty_ &&
      save_install_state(std::filesystem::path(config.data_dir) / "install.json", state_)) {
    state_dirty_ = false;
  }
}

// Progress is counted in "ticks": queue position + 1, so that records left by an earlier run
// (tick 0) hold every flush() back until they are settled too.
void Client::Impl::publish_progress(std::uint64_t posted_ran) {
  std::uint64_t settled = tick_of(queue_.popped());
  if (!batcher_.empty()) settled = std::min(settled, batcher_.first_tick());
  settled = std::min(settled, spool_.min_pos());
  {
    std::lock_guard lock(mutex_);
    settled_pos_ = settled;
    processed_pos_ = queue_.popped();
    posted_done_ += posted_ran;
  }
  progress_.notify_all();
}

}  // namespace uptake
