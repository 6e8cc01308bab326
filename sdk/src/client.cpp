// The app-facing side of the client: everything here runs on the app's threads and must
// stay cheap, non-blocking and exception-free (except the constructor).

#include <algorithm>
#include <filesystem>
#include <limits>

#include "client_impl.hpp"
#include "config_check.hpp"
#include "wall_clock.hpp"

namespace uptake {
namespace fs = std::filesystem;
using namespace detail;

namespace {

InstallState load_state(const Config& c) {
  std::error_code ec;
  fs::create_directories(c.data_dir, ec);
  if (ec) throw std::system_error(ec, "cannot create data_dir " + c.data_dir);
  return load_or_create_install_state(fs::path(c.data_dir) / "install.json");
}

// Sampling by install: a stable hash of the anonymous id, so an install is in or out for good.
bool in_sample(const std::string& anon, double rate) {
  if (rate >= 1.0) return true;
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : anon) h = (h ^ c) * 1099511628211ull;
  return static_cast<double>(h >> 11) / static_cast<double>(1ull << 53) < rate;
}

TransportOptions transport_options(const Config& c, const EndpointUrl& url) {
  TransportOptions t;
  t.url = url;
  t.ca_file = c.tls_ca_file;
  t.verify = c.tls_verify;
  t.connect_timeout = c.connect_timeout_ms;
  t.request_timeout = c.request_timeout_ms;
  return t;
}

HttpTransport make_transport(const Config& c, const EndpointUrl& url) {
  try {
    return HttpTransport(transport_options(c, url));
  } catch (const std::exception& e) {
    throw ConfigError(std::string("uptake config: tls_ca_file: ") + e.what());
  }
}

}  // namespace

Client::Impl::Impl(Config c)
    : config(std::move(c)),
      endpoint_(check_config(config)),
      state_(load_state(config)),
      sampled(in_sample(state_.anon, config.sample_rate)),
      queue_(config.queue_capacity),
      notify_mask_(
          std::bit_floor(std::clamp<std::size_t>(
              std::min(config.max_batch_events, queue_.capacity() / 4), 1, kMaxWakeStrideEvents)) -
          1),
      compressor_(config.compression_level),
      spool_(
          fs::path(config.data_dir) / "spool",
          SpoolLimits{config.max_spool_bytes, config.max_spool_age_ms.count(), config.spool_fsync},
          drops_),
      transport_(make_transport(config, endpoint_)),
      batcher_(
          BatchLimits{config.max_batch_events, config.max_batch_bytes, config.flush_interval_ms},
          random_u64(), compressor_, spool_),
      sessions_(config.session_timeout_ms, random_u64()),
      sender_(transport_, spool_, compressor_, drops_,
              Backoff(config.retry_base_ms, config.retry_cap_ms, random_u64()),
              "Bearer " + config.write_key),
      auth_header_("Bearer " + config.write_key),
      plugins_(
          config, state_,
          [this](std::string_view name, std::span<const Prop> props) {
            emit_from_plugin(name, props);
          },
          [this] {
            {
              std::lock_guard lock(mutex_);
              plugin_work_ = true;
            }
            wake_.notify_one();
          }) {
  opted_out = state_.opted_out;
  recording = sampled && !state_.opted_out;
  worker_ = std::thread([this] { run_worker(); });
  // Plugins must have started (loaded their state) before the app records its first event.
  std::unique_lock lock(mutex_);
  progress_.wait(lock, [&] { return phase_ != WorkerPhase::starting; });
}

Client::Impl::~Impl() {
  shutdown(config.shutdown_timeout_ms);
}

void Client::Impl::enqueue(EventKind kind, std::string_view name,
                           std::span<const Prop> props) noexcept {
  const std::size_t size = packed_size(name, props);
  if (size > kMaxPackedPayloadBytes) {
    drops_.add(DropReason::invalid);
    return;
  }
  char* heap = nullptr;
  if (size > kInlinePayloadBytes) {
    heap = new (std::nothrow) char[size];
    if (!heap) {
      drops_.add(DropReason::queue_full);
      return;
    }
    pack_payload(heap, name, props);
  }
  const std::int64_t ts = config.clock ? config.clock() : now_unix_ms();
  const std::int64_t pos = queue_.try_push([&](EventRecord& r) {
    r.ts_ms = ts;
    r.kind = kind;
    r.size = static_cast<std::uint32_t>(size);
    r.heap = heap;
    if (!heap) pack_payload(r.inline_bytes.data(), name, props);
  });
  if (pos < 0) {
    delete[] heap;
    drops_.add(DropReason::queue_full);
    return;
  }
  // Wake the worker once per batch-worth of events so the ring never fills while it sleeps,
  // and, when plugins must react (a tip to show), when an event lands in an empty ring:
  // sparse interactive events get handled at once, tight loops rarely pay for a wake-up.
  if ((static_cast<std::size_t>(pos) & notify_mask_) == notify_mask_ ||
      (!plugins_.empty() && static_cast<std::uint64_t>(pos) == queue_.popped_published())) {
    wake_.notify_one();
  }
}

// Blocks until `done()` holds (evaluated under mutex_ at each progress report) or `timeout`;
// `waiters` tells the worker someone waits, so it stops sleeping and works now.
template <typename Done>
bool Client::Impl::wait_for_progress(int& waiters, std::chrono::milliseconds timeout, Done done) {
  std::unique_lock lock(mutex_);
  ++waiters;
  wake_.notify_one();
  const bool ok = progress_.wait_for(lock, timeout, [&] {
    return done() || phase_ == WorkerPhase::stopped;
  }) && done();
  --waiters;
  return ok;
}

bool Client::Impl::flush(std::chrono::milliseconds timeout) {
  const std::uint64_t target = queue_.pushed() + 1;  // in ticks, see publish_progress()
  const std::uint64_t posted_target = plugins_.posted_count();
  return wait_for_progress(flush_waiters_, timeout,
                           [&] { return settled_pos_ >= target && posted_done_ >= posted_target; });
}

bool Client::Impl::wait_processed(std::chrono::milliseconds timeout) {
  const std::uint64_t target = queue_.pushed();
  const std::uint64_t posted_target = plugins_.posted_count();
  return wait_for_progress(process_waiters_, timeout, [&] {
    return processed_pos_ >= target && posted_done_ >= posted_target;
  });
}

void Client::Impl::enter_phase(WorkerPhase next) {
  {
    std::lock_guard lock(mutex_);
    if (next <= phase_) return;
    phase_ = next;
    if (phase_ != WorkerPhase::running) recording = false;
  }
  progress_.notify_all();
  wake_.notify_one();
}

bool Client::Impl::shutdown(std::chrono::milliseconds timeout) {
  // From a presenter or plugin callback, the SDK's thread would wait for itself to stop:
  // refused (false) rather than a deadlock or std::terminate.
  if (std::this_thread::get_id() == worker_.get_id()) return false;
  std::lock_guard guard(shutdown_mutex_);
  if (shutdown_result_) return *shutdown_result_;
  enter_phase(WorkerPhase::draining);
  // Leave part of the budget to write what is left to the spool.
  const auto reserve = std::min<std::chrono::milliseconds>(timeout / kShutdownSpoolReserveDivisor,
                                                           kMaxShutdownSpoolReserve);
  const bool delivered = flush(timeout - reserve);
  enter_phase(WorkerPhase::stopping);
  transport_.cancel();  // a request in flight must not hold the join past the budget
  if (worker_.joinable()) worker_.join();
  shutdown_result_ = delivered;
  return delivered;
}

void Client::Impl::set_opt_out(bool value) {
  opted_out = value;
  {
    std::lock_guard lock(mutex_);
    opt_out_changed_ = true;
    recording = sampled && !value && phase_ == WorkerPhase::running;
  }
  wake_.notify_one();
}

Stats Client::Impl::stats() const {
  Stats s;
  s.queued = queue_.approx_size();
  s.spooled_events = spool_.events();
  s.spool_bytes = spool_.bytes();
  const DeliveryCounters& delivery = sender_.counters();
  s.sent = delivery.sent.load(std::memory_order_relaxed);
  s.batches_sent = delivery.batches_sent.load(std::memory_order_relaxed);
  s.retries = delivery.retries.load(std::memory_order_relaxed);
  s.rejected_by_collector = delivery.rejected_by_collector.load(std::memory_order_relaxed);
  drops_.fill(s);
  s.plugins_disabled = plugins_.disabled_count();
  s.config_fetches = config_fetches_.load(std::memory_order_relaxed);
  return s;
}

// ---- Client: thin, exception-proof forwarding ----

Client::Client(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Client::~Client() = default;

void Client::track(std::string_view name, std::initializer_list<Prop> props) noexcept {
  track(name, std::span<const Prop>(props.begin(), props.size()));
}

void Client::track(std::string_view name, std::span<const Prop> props) noexcept {
  Impl& impl = *impl_;
  if (!impl.recording.load(std::memory_order_relaxed)) return;
  // '$' names are reserved for the SDK and its plugins (PROTOCOL.md).
  if (name.empty() || name.size() > kMaxNameBytes || name.front() == '$') {
    impl.reject_invalid();
    return;
  }
  impl.enqueue(EventKind::track, name, props);
}

void Client::identify(std::string_view user, std::initializer_list<Prop> traits) noexcept {
  identify(user, std::span<const Prop>(traits.begin(), traits.size()));
}

void Client::identify(std::string_view user, std::span<const Prop> traits) noexcept {
  Impl& impl = *impl_;
  if (!impl.recording.load(std::memory_order_relaxed)) return;
  if (user.empty() || user.size() > kMaxUserBytes) {
    impl.reject_invalid();
    return;
  }
  impl.enqueue(EventKind::identify, user, traits);
}

void Client::group(std::string_view account, std::initializer_list<Prop> traits) noexcept {
  group(account, std::span<const Prop>(traits.begin(), traits.size()));
}

void Client::group(std::string_view account, std::span<const Prop> traits) noexcept {
  Impl& impl = *impl_;
  if (!impl.recording.load(std::memory_order_relaxed)) return;
  if (account.empty() || account.size() > kMaxAccountBytes) {
    impl.reject_invalid();
    return;
  }
  impl.enqueue(EventKind::group, account, traits);
}

bool Client::flush(std::chrono::milliseconds timeout) noexcept {
  try {
    return impl_->flush(timeout);
  } catch (...) {
    return false;
  }
}

bool Client::wait_processed(std::chrono::milliseconds timeout) noexcept {
  try {
    return impl_->wait_processed(timeout);
  } catch (...) {
    return false;
  }
}

bool Client::shutdown(std::chrono::milliseconds timeout) noexcept {
  try {
    return impl_->shutdown(timeout);
  } catch (...) {
    return false;
  }
}

void Client::set_opt_out(bool opt_out) noexcept {
  try {
    impl_->set_opt_out(opt_out);
  } catch (...) {
  }
}

bool Client::opted_out() const noexcept {
  return impl_->opted_out.load();
}
bool Client::sampled() const noexcept {
  return impl_->sampled;
}
std::string Client::anonymous_id() const {
  return impl_->anonymous_id();
}
Stats Client::stats() const noexcept {
  return impl_->stats();
}

}  // namespace uptake
