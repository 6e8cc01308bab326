// The background thread: drains the queue, encodes and seals batches, spools them, sends
// them, and settles them by the collector's answer. It owns every slow operation.

#include <algorithm>
#include <filesystem>
#include <limits>

#include "client_impl.hpp"

namespace uptake {
using namespace detail;
using Clock = std::chrono::steady_clock;

void Client::Impl::run_worker() {
  next_send_at_ = Clock::now();
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
  {
    std::lock_guard lock(mutex_);
    plugins_started_ = true;
  }
  progress_.notify_all();
  try {
    spool_.open();
  } catch (...) {
    // An unreadable spool directory must not take the app down; appends will count failures.
  }
  for (;;) {
    bool stopping = false;
    {
      std::lock_guard lock(mutex_);
      stopping = stop_requested_;
    }
    try {
      if (stopping) {
        drain_queue();
        plugins_.stop();
        drain_plugin_emits();
        if (batch_events_ > 0) seal_batch();
        save_state_if_dirty();
        break;
      }
      worker_step();
    } catch (...) {
      // Out of memory or a filesystem surprise: nothing may escape into the app. Try again
      // after a pause rather than spinning.
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, kWorkerErrorPause, [&] { return stop_requested_; });
    }
  }
  publish_progress();
  std::lock_guard lock(mutex_);
  worker_done_ = true;
  progress_.notify_all();
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
  if (batch_events_ > 0 && (flush_wanted || now - batch_opened_at_ >= config.flush_interval_ms)) {
    seal_batch();
  }
  if (now >= next_expiry_check_) {
    spool_.expire(now_unix_ms());
    next_expiry_check_ = now + kSpoolExpiryCheckInterval;
  }
  save_state_if_dirty();
  if (config.fetch_remote_config && !opted_out && now >= next_config_fetch_)
    refresh_remote_config();
  if (!spool_.empty() && !opted_out && now >= next_send_at_) {
    send_front();
    publish_progress();
    return;  // loop at once: more batches may be ready to send
  }
  publish_progress();
  wait_for_work();
}

void Client::Impl::wait_for_work() {
  auto until = Clock::now() + config.flush_interval_ms;
  if (batch_events_ > 0) until = std::min(until, batch_opened_at_ + config.flush_interval_ms);
  if (!spool_.empty()) until = std::min(until, std::max(next_send_at_, Clock::now()));
  if (config.fetch_remote_config) until = std::min(until, next_config_fetch_);
  until = std::min(until, next_plugin_timer_);
  std::unique_lock lock(mutex_);
  wake_.wait_until(lock, until, [&] {
    return stop_requested_ || opt_out_changed_ || plugin_work_ ||
           (process_waiters_ > 0 && queue_.approx_size() > 0) ||
           (!plugins_.empty() && queue_.approx_size() > 0) ||
           (flush_waiters_ > 0 && (batch_events_ > 0 || queue_.approx_size() > 0));
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
    batch_.clear();
    batch_events_ = 0;
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
    if (batch_events_ == 0) {
      batch_min_pos_ = pos;
      batch_opened_at_ = Clock::now();
    }
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
      if (batch_events_ == 0) {
        // As old as the app's latest event: flush() waits for plugin events too.
        batch_min_pos_ = queue_.popped() > 0 ? queue_.popped() - 1 : 0;
        batch_opened_at_ = Clock::now();
      }
      encode_event(r);
    }
    r.release();
  }
  for (auto& r : plugin_emits_) r.release();
  plugin_emits_.clear();
  draining_emits_ = false;
}

void Client::Impl::dispatch_to_plugins(const EventRecord& record) {
  if (plugins_.empty()) return;
  PackedReader reader(record.data());
  std::vector<Prop> props;
  props.reserve(reader.prop_count());
  for (std::size_t i = 0; i < reader.prop_count(); ++i) {
    const PackedProp p = reader.next_prop();
    switch (p.kind) {
      case PropValue::Kind::string:
        props.push_back({p.key, PropValue(p.string)});
        break;
      case PropValue::Kind::integer:
        props.push_back({p.key, PropValue(p.integer)});
        break;
      case PropValue::Kind::number:
        props.push_back({p.key, PropValue(p.number)});
        break;
      case PropValue::Kind::boolean:
        props.push_back({p.key, PropValue(p.boolean)});
        break;
    }
  }
  ObservedEvent event;
  event.identify = record.kind == EventKind::identify;
  event.name = event.identify ? std::string_view() : reader.name();
  event.ts_ms = record.ts_ms;
  event.user = state_.user;
  event.session = state_.session;
  event.props = props;
  plugins_.dispatch(event);
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

void Client::Impl::encode_event(const EventRecord& record) {
  start_session_if_due(record.ts_ms);
  const EventContext context{state_.anon, state_.user, state_.session, config.app_version};
  if (!encoder_.append(batch_, record, context)) {
    drops_.add(DropReason::invalid);
    return;
  }
  ++batch_events_;
  if (record.kind == EventKind::identify) {
    const std::string_view user = PackedReader(record.data()).name();
    if (state_.user != user) {
      state_.user = user;
      state_dirty_ = true;
    }
  }
  dispatch_to_plugins(record);
  if (batch_events_ >= config.max_batch_events || batch_.size() >= config.max_batch_bytes) {
    seal_batch();
  }
}

void Client::Impl::start_session_if_due(std::int64_t ts_ms) {
  const bool expired = ts_ms - state_.last_event_ms > config.session_timeout_ms.count();
  const bool clock_went_back = state_.last_event_ms - ts_ms > config.session_timeout_ms.count();
  if (state_.session.empty() || expired || clock_went_back) {
    state_.session = session_ids_.next(ts_ms);
    EventRecord start;
    start.ts_ms = ts_ms;
    start.kind = EventKind::track;
    static constexpr std::string_view kName = "$session_start";
    start.size = static_cast<std::uint32_t>(packed_size(kName, {}));
    pack_payload(start.inline_bytes.data(), kName, {});
    const EventContext context{state_.anon, state_.user, state_.session, config.app_version};
    if (encoder_.append(batch_, start, context)) ++batch_events_;
    state_dirty_ = true;
    dispatch_to_plugins(start);
  }
  if (ts_ms > state_.last_event_ms || clock_went_back) state_.last_event_ms = ts_ms;
}

void Client::Impl::seal_batch() {
  const std::string payload = compressor_.compress(batch_);
  spool_.append(payload, batch_events_, now_unix_ms(), batch_min_pos_ + 1);
  batch_.clear();
  batch_events_ = 0;
  state_dirty_ = true;  // last_event_ms: persisted once per batch, not per event
}

void Client::Impl::save_state_if_dirty() {
  if (state_dirty_ &&
      save_install_state(std::filesystem::path(config.data_dir) / "install.json", state_)) {
    state_dirty_ = false;
  }
}

void Client::Impl::send_front() {
  auto batch = spool_.front();
  if (!batch) return;
  HttpRequest request;
  request.target = "/v1/batch";
  request.body = batch->payload;
  request.headers = {{"Authorization", auth_header_},
                     {"Content-Type", "application/x-ndjson"},
                     {"Content-Encoding", "zstd"},
                     // Set afresh on every attempt: the collector's skew correction needs the
                     // clock at sending time, not at batching time.
                     {"Uptake-Sent-At", std::to_string(now_unix_ms())}};
  const HttpResponse response = transport_.send(request);
  switch (classify_response(response)) {
    case Verdict::delivered: {
      const auto ack = parse_batch_ack(response.body);
      const std::uint64_t rejected =
          ack ? std::min<std::uint64_t>(ack->rejected, batch->events) : 0;
      rejected_by_collector_.fetch_add(rejected, std::memory_order_relaxed);
      sent_.fetch_add(batch->events - rejected, std::memory_order_relaxed);
      batches_sent_.fetch_add(1, std::memory_order_relaxed);
      spool_.pop_front();
      backoff_.reset();
      break;
    }
    case Verdict::retry:
      retries_.fetch_add(1, std::memory_order_relaxed);
      next_send_at_ = Clock::now() + backoff_.next(response.retry_after);
      break;
    case Verdict::split:
      split_front(*batch);
      break;
    case Verdict::drop:
      drops_.add(DropReason::client_error, batch->events);
      spool_.pop_front();
      break;
  }
}

// PROTOCOL.md: on 413 split the batch in two and send each half; a single event still over
// the limit is dropped and counted.
void Client::Impl::split_front(const SpoolBatch& batch) {
  const auto text = zstd_decompress(batch.payload, kMaxSplitInputBytes);
  if (!text || batch.events <= 1) {
    drops_.add(DropReason::too_large, batch.events);
    spool_.pop_front();
    return;
  }
  std::vector<std::size_t> line_ends;
  for (std::size_t i = 0; i < text->size(); ++i) {
    if ((*text)[i] == '\n') line_ends.push_back(i + 1);
  }
  if (line_ends.size() <= 1) {
    drops_.add(DropReason::too_large, batch.events);
    spool_.pop_front();
    return;
  }
  const std::size_t half = line_ends.size() / 2;
  const std::size_t cut = line_ends[half - 1];
  const std::string first = compressor_.compress(std::string_view(*text).substr(0, cut));
  const std::string second = compressor_.compress(std::string_view(*text).substr(cut));
  const auto first_events = static_cast<std::uint32_t>(half);
  const auto second_events = static_cast<std::uint32_t>(line_ends.size() - half);
  if (!spool_.split_front(first, first_events, second, second_events)) {
    retries_.fetch_add(1, std::memory_order_relaxed);
    next_send_at_ = Clock::now() + backoff_.next(std::nullopt);
  }
}

// Progress is counted in "ticks": queue position + 1, so that records left by an earlier run
// (tick 0) hold every flush() back until they are settled too.
void Client::Impl::publish_progress(std::uint64_t posted_ran) {
  std::uint64_t settled = queue_.popped() + 1;
  if (batch_events_ > 0) settled = std::min(settled, batch_min_pos_ + 1);
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
