#include "plugin_host.hpp"

#include <algorithm>
#include <system_error>

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
  std::int64_t monotonic_ms() const override {
    if (host_.config_.clock) return host_.config_.clock();
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 host_.run_start_)
        .count();
  }
  std::string_view anonymous_id() const override { return host_.state_.anon; }
  std::string_view account() const override { return host_.state_.account; }
  std::string_view app_version() const override { return host_.config_.app_version; }

 private:
  PluginHost& host_;
  Slot& slot_;
};

PluginHost::PluginHost(const Config& config, const InstallState& state, EmitFn emit,
                       std::function<void()> wake)
    : config_(config), state_(state), emit_(std::move(emit)), wake_(std::move(wake)) {
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
  std::error_code ec;
  if (!plugins_.empty()) fs::create_directories(fs::path(config_.data_dir) / "plugins", ec);
  for (auto& slot : plugins_) {
    slot->state.load();  // an unreadable state (and backup) starts the plugin afresh
    guarded(*slot, [&] { slot->plugin->start(*slot->context); });
  }
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
  for (auto& slot : plugins_)
    guarded(*slot, [&] { slot->plugin->on_event(*slot->context, event); });
}

void PluginHost::remote_config_changed(std::string remote_config) {
  remote_config_ = std::move(remote_config);
  for (auto& slot : plugins_)
    guarded(*slot, [&] { slot->plugin->on_remote_config(*slot->context); });
}

std::chrono::steady_clock::time_point PluginHost::run_due_work(std::uint64_t& posted_ran) {
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
  posted_ran += posted.size();

  const auto now = std::chrono::steady_clock::now();
  std::vector<Timer> due;
  std::erase_if(timers_, [&](Timer& t) {
    if (t.due > now) return false;
    due.push_back(std::move(t));
    return true;
  });
  for (auto& t : due) guarded(*t.slot, [&] { t.task(*t.slot->context); });

  auto next = std::chrono::steady_clock::time_point::max();
  for (const Timer& t : timers_) next = std::min(next, t.due);
  return next;
}

void PluginHost::stop() {
  for (auto& slot : plugins_) {
    slot->plugin->attach_poster(nullptr);
    guarded(*slot, [&] { slot->plugin->stop(*slot->context); });
  }
}

}  // namespace uptake::detail
