#pragma once
// Plugins driven through a real Client against the test receiver, on an injected clock so that
// days and cooldowns pass in microseconds, plus a probe plugin that offers a prompt at every
// feature event (to test the attention budget apart from any plugin's own rules).

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client_fixture.hpp"

namespace uptake::test {

inline constexpr std::int64_t kMinute = 60'000, kHour = 60 * kMinute, kDay = 24 * kHour;

struct SimClock {
  // 2027-01-15 08:00 UTC: early in a UTC day, so a test's hours stay within it.
  std::shared_ptr<std::atomic<std::int64_t>> now =
      std::make_shared<std::atomic<std::int64_t>>(1'800'000'000'000 / kDay * kDay + 8 * kHour);
  std::function<std::int64_t()> fn() const {
    return [n = now] { return n->load(); };
  }
  void advance(std::int64_t ms) { *now += ms; }
};

/// Offers a prompt of `priority` at every feature event; counts the ones the host showed.
class Prober final : public Plugin {
 public:
  explicit Prober(std::string name, double priority = 0, PromptKind kind = PromptKind::survey)
      : name_(std::move(name)), priority_(priority), kind_(kind) {}
  std::string name() const override { return name_; }
  void on_event(PluginContext& ctx, const ObservedEvent& e) override {
    if (e.name.empty() || e.name.front() == '$') return;
    ctx.offer_prompt(PromptOffer{kind_, priority_, name_, [this](PluginContext&) { ++shown; }});
  }
  void on_remote_config(PluginContext&) override { ++configs; }
  std::atomic<int> shown{0};
  std::atomic<int> configs{0};

 private:
  std::string name_;
  double priority_;
  PromptKind kind_;
};

/// What a presenter was given, safe to read from the test thread.
template <typename T>
class Presented {
 public:
  void add(const T& item) {
    std::lock_guard lock(mutex_);
    items_.push_back(item);
  }
  std::vector<T> items() const {
    std::lock_guard lock(mutex_);
    return items_;
  }
  std::size_t size() const { return items().size(); }

 private:
  mutable std::mutex mutex_;
  std::vector<T> items_;
};

class PluginTest : public ClientTest {
 protected:
  Config plugin_config(std::vector<std::shared_ptr<Plugin>> plugins,
                       const std::string& remote_config) const {
    Config c = config();
    c.clock = clock_.fn();
    c.plugins = std::move(plugins);
    c.default_remote_config = remote_config;
    c.fetch_remote_config = false;
    return c;
  }
  /// One event, handled by the plugins before the test moves the clock on (they read the
  /// clock when they handle it).
  void step(Client& client, const char* feature) {
    client.track(feature);
    EXPECT_TRUE(client.flush(std::chrono::seconds(10)));
  }
  // A new session: a gap beyond the session timeout, then one event.
  void new_session(Client& client, const char* feature = "open_note") {
    clock_.advance(31 * kMinute);
    step(client, feature);
  }
  /// Tracked events named `name` whose line contains `needle`.
  std::size_t tracked_with(const std::string& name, const std::string& needle) const {
    std::size_t n = 0;
    for (const auto& l : tracked(name)) n += l.find(needle) != std::string::npos;
    return n;
  }
  SimClock clock_;
};

}  // namespace uptake::test
