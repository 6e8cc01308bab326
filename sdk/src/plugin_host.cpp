#include "plugin_host.hpp"

#include <algorithm>
#include <system_error>

#include "sessions.hpp"
#include "uptake_common/remote_config.hpp"
#include "wall_clock.hpp"

namespace uptake {

bool Plugin::post(std::function<void(PluginContext&)> task) {
  std::lock_guard lock(poster_mutex_);
  return poster_ && poster_(std::move(task));
}

void Plugin::attach_poster(Poster poster) {
  std::lock_guard lock(poster_mutex_);
  poster_ = std::move(poster);
}

}  // namespace uptake

namespace uptake::detail {
namespace fs = std::filesystem;

struct PluginHost::Slot {
  std::shared_ptr<Plugin> plugin;
  KvFile state;
  bool enabled = true;
  std::unique_ptr<Context> context;
};

class PluginHost::Context final : public PluginContext {
 public:
  Context(PluginHost& host, Slot& slot) : host_(host), slot_(slot) {}
  void emit(std::string_view name, std::span<const Prop> props) override {
    host_.emit_(name, props);
  }
  std::optional<std::string> get_state(std::string_view key) const override {
    auto& values = slot_.state.values();
    auto it = values.find(key);
    if (it == values.end()) return std::nullopt;
    return it->second;
  }
  void set_state(std::string_view key, std::string_view value) override {
    auto& values = slot_.state.values();
    auto it = values.find(key);
    if (it != values.end() && it->second == value) return;
    values.insert_or_assign(std::string(key), std::string(value));
    slot_.state.mark_dirty();
  }
  void erase_state(std::string_view key) override {
    auto& values = slot_.state.values();
    if (auto it = values.find(key); it != values.end()) {
      values.erase(it);
      slot_.state.mark_dirty();
    }
  }
  std::string_view remote_config() const override { return host_.remote_config_; }
  void schedule(std::chrono::milliseconds delay,
                std::function<void(PluginContext&)> task) override {
    host_.timers_.push_back({std::chrono::steady_clock::now() + delay, &slot_, std::move(task)});
  }
  std::int64_t now_ms() const override { return host_.now_ms(); }
  std::int64_t monotonic_ms() const override { return host_.monotonic_ms(); }
  std::string_view anonymous_id() const override { return host_.state_.anon; }
  std::string_view account() const override { return host_.state_.account; }
  std::string_view app_version() const override { return host_.config_.app_version; }
  void offer_prompt(PromptOffer offer) override {
    host_.offers_.push_back({&slot_, std::move(offer)});
  }
  std::optional<std::string> prompt_budget_blocks(PromptKind) const override {
    return host_.budget_.blocks(host_.now_ms(), host_.monotonic_ms());
  }

 private:
  PluginHost& host_;
  Slot& slot_;
};

PluginHost::PluginHost(const Config& config, const InstallState& state, EmitFn emit,
                       std::function<void()> wake)
    : config_(config),
      state_(state),
      emit_(std::move(emit)),
      wake_(std::move(wake)),
      budget_(fs::path(config.data_dir) / "attention_budget.json") {
  const fs::path dir = fs::path(config.data_dir) / "plugins";
  for (const auto& plugin : config.plugins) {
    if (!plugin) continue;
    auto slot = std::make_unique<Slot>(
        Slot{plugin, KvFile(dir / (plugin->name() + ".json")), true, nullptr});
    slot->context = std::make_unique<Context>(*this, *slot);
    plugins_.push_back(std::move(slot));
  }
  for (auto& slot : plugins_) {
    slot->plugin->attach_poster([this, s = slot.get()](std::function<void(PluginContext&)> task) {
      {
        std::lock_guard lock(posted_mutex_);
        posted_.emplace_back(s, std::move(task));
        posted_count_.fetch_add(1, std::memory_order_release);
      }
      wake_();
      return true;
    });
  }
}

PluginHost::~PluginHost() {
  for (auto& slot : plugins_) slot->plugin->attach_poster(nullptr);
}

std::int64_t PluginHost::now_ms() const {
  return config_.clock ? config_.clock() : now_unix_ms();
}

std::int64_t PluginHost::monotonic_ms() const {
  if (config_.clock) return config_.clock();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               run_start_)
      .count();
}

void PluginHost::apply_limits() {
  budget_.set_limits(parse_remote_config(remote_config_).limits);
}

void PluginHost::resolve_offers() {
  if (offers_.empty()) return;
  std::vector<Offer> offers;
  offers.swap(offers_);
  std::erase_if(offers, [](const Offer& o) { return !o.slot->enabled || !o.prompt.show; });
  if (offers.empty()) return;
  const std::int64_t wall = now_ms(), mono = monotonic_ms();
  if (budget_.blocks(wall, mono)) return;
  auto best = offers.begin();
  for (auto it = offers.begin(); it != offers.end(); ++it) {
    if (it->prompt.priority > best->prompt.priority) best = it;  // ties: the first offered
  }
  // Counted before it shows: a crash or a throwing presenter must not hand out a free prompt.
  budget_.count(wall, mono);
  Slot& slot = *best->slot;
  guarded(slot, [&] { best->prompt.show(*slot.context); });
  offers_.clear();  // offers made from inside show() belong to no round
}

template <typename Fn>
void PluginHost::guarded(Slot& slot, Fn&& fn) {
  if (!slot.enabled) return;
  try {
    fn();
  } catch (...) {
    // A misbehaving plugin is switched off for this run; the app and the others go on.
    slot.enabled = false;
    disabled_.fetch_add(1, std::memory_order_relaxed);
  }
  slot.state.save_if_dirty();
}

void PluginHost::start(std::string remote_config) {
  remote_config_ = std::move(remote_config);
  if (plugins_.empty()) return;
  std::error_code ec;
  fs::create_directories(fs::path(config_.data_dir) / "plugins", ec);
  budget_.load(now_ms(), monotonic_ms());
  apply_limits();
  for (auto& slot : plugins_) {
    slot->state.load();  // an unreadable state (and backup) starts the plugin afresh
    guarded(*slot, [&] { slot->plugin->start(*slot->context); });
  }
  resolve_offers();
}

void PluginHost::dispatch(const EventRecord& record) {
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
  event.group = record.kind == EventKind::group;
  event.name = record.kind == EventKind::track ? reader.name() : std::string_view();
  event.ts_ms = record.ts_ms;
  event.user = state_.user;
  event.account = state_.account;
  event.session = state_.session;
  event.props = props;
  if (event.name == kSessionStartEvent) {
    budget_.session_started(now_ms(), monotonic_ms());
  } else {
    budget_.observe(now_ms(), monotonic_ms());
  }
  for (auto& slot : plugins_)
    guarded(*slot, [&] { slot->plugin->on_event(*slot->context, event); });
  resolve_offers();
}

void PluginHost::remote_config_changed(std::string remote_config) {
  remote_config_ = std::move(remote_config);
  if (plugins_.empty()) return;
  apply_limits();  // at once: the next offer already meets the new limits
  for (auto& slot : plugins_)
    guarded(*slot, [&] { slot->plugin->on_remote_config(*slot->context); });
  resolve_offers();
}

std::size_t PluginHost::run_posted() {
  std::deque<std::pair<Slot*, std::function<void(PluginContext&)>>> posted;
  {
    std::lock_guard lock(posted_mutex_);
    posted.swap(posted_);
  }
  for (auto& entry : posted) {  // (not a structured binding: clang 14 cannot capture those)
    Slot* slot = entry.first;
    auto& task = entry.second;
    guarded(*slot, [&] { task(*slot->context); });
  }
  return posted.size();
}

std::chrono::steady_clock::time_point PluginHost::run_due_work(std::uint64_t& posted_ran) {
  posted_ran += run_posted();

  const auto now = std::chrono::steady_clock::now();
  std::vector<Timer> due;
  std::erase_if(timers_, [&](Timer& t) {
    if (t.due > now) return false;
    due.push_back(std::move(t));
    return true;
  });
  for (auto& t : due) guarded(*t.slot, [&] { t.task(*t.slot->context); });
  resolve_offers();

  auto next = std::chrono::steady_clock::time_point::max();
  for (const Timer& t : timers_) next = std::min(next, t.due);
  return next;
}

void PluginHost::stop() {
  if (plugins_.empty()) return;
  for (auto& slot : plugins_) slot->plugin->attach_poster(nullptr);
  // Work posted before the shutdown (an answer, a click) is recorded, not lost: no more can
  // arrive now. Prompts are not shown any more.
  run_posted();
  offers_.clear();
  // Every plugin hears stop(), a disabled one too: it must let go of its context, which dies
  // with the client (its explain() and answers may still be called by the app).
  for (auto& slot : plugins_) {
    try {
      slot->plugin->stop(*slot->context);
    } catch (...) {
      slot->enabled = false;
    }
    slot->state.save_if_dirty();
  }
  budget_.save();
}

}  // namespace uptake::detail
