// The plugin system and both plugins, driven through a real Client against the test
// receiver, with an injected clock so days and cooldowns pass in microseconds.
#include <atomic>
#include <fstream>

#include "client_fixture.hpp"
#include "uptake/feature_tips.hpp"
#include "uptake/first_action.hpp"

using namespace uptake;
using namespace uptake::test;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kMinute = 60'000, kHour = 60 * kMinute, kDay = 24 * kHour;

struct SimClock {
  std::shared_ptr<std::atomic<std::int64_t>> now =
      std::make_shared<std::atomic<std::int64_t>>(1'800'000'000'000);
  std::function<std::int64_t()> fn() const {
    return [n = now] { return n->load(); };
  }
  void advance(std::int64_t ms) { *now += ms; }
};

const char* kTipsConfig = R"({
  "key_actions": ["export_pdf"],
  "tips": [
    {"id": "tip-export", "feature": "export_pdf", "title": "Export", "body": "Ctrl+E",
     "when": {"min_sessions": 2}, "max_impressions": 2, "cooldown_hours": 24, "priority": 5},
    {"id": "tip-share", "feature": "share_link", "title": "Share", "body": "Ctrl+L",
     "when": {"used": ["export_pdf"], "after_event": "export_pdf"}, "priority": 1}
  ],
  "limits": {"max_tips_per_session": 1, "min_minutes_between_tips": 0}
})";

class Plugins : public ClientTest {
 protected:
  Config plugin_config(std::vector<std::shared_ptr<Plugin>> plugins) const {
    Config c = config();
    c.clock = clock_.fn();
    c.plugins = std::move(plugins);
    c.default_remote_config = kTipsConfig;
    c.fetch_remote_config = false;
    return c;
  }
  // A new session: a gap beyond the session timeout, then one event.
  void new_session(Client& client, const char* feature = "open_note") {
    clock_.advance(31 * kMinute);
    client.track(feature);
  }
  SimClock clock_;
};

std::int64_t prop_int(const std::string& line, const std::string& key) {
  const auto at = line.find("\"" + key + "\":");
  return at == std::string::npos ? -1 : std::stoll(line.substr(at + key.size() + 3));
}

}  // namespace

TEST_F(Plugins, FirstActionRecordsInstallOnceAndEachKeyActionOnce) {
  {
    Client client(plugin_config({std::make_shared<FirstAction>()}));
    client.track("open_note");
    clock_.advance(5 * kMinute);
    client.track("export_pdf");
    clock_.advance(kMinute);
    client.track("export_pdf");
    ASSERT_TRUE(client.flush(10s));
  }
  {
    Client client(plugin_config({std::make_shared<FirstAction>()}));
    new_session(client, "export_pdf");
    ASSERT_TRUE(client.flush(10s));
  }
  EXPECT_EQ(tracked("$install").size(), 1u);
  const auto firsts = tracked("$first_action");
  ASSERT_EQ(firsts.size(), 1u);
  EXPECT_NE(firsts[0].find(R"("feature":"export_pdf")"), std::string::npos);
  EXPECT_EQ(prop_int(firsts[0], "ms_since_install"), 5 * kMinute);
  EXPECT_EQ(prop_int(firsts[0], "ms_since_session_start"), 5 * kMinute);
  EXPECT_EQ(prop_int(firsts[0], "sessions_before"), 0);
}

TEST_F(Plugins, FirstActionTimingSurvivesARestartWithTheClockSetBack) {
  {
    Client client(
        plugin_config({std::make_shared<FirstAction>(std::vector<std::string>{"share_link"})}));
    client.track("open_note");
    clock_.advance(2 * kHour);
    client.track("open_note");
    ASSERT_TRUE(client.flush(10s));
  }
  clock_.advance(-kDay);  // the user set the clock back a day
  Client client(
      plugin_config({std::make_shared<FirstAction>(std::vector<std::string>{"share_link"})}));
  new_session(client, "share_link");
  ASSERT_TRUE(client.flush(10s));
  const auto firsts = tracked("$first_action");
  ASSERT_EQ(firsts.size(), 1u);
  // Two hours measured in the first run, plus the 31 minutes of this one; never negative.
  EXPECT_EQ(prop_int(firsts[0], "ms_since_install"), 2 * kHour + 31 * kMinute);
  // Run 1 had two sessions (the two-hour gap started the second); this is the third.
  EXPECT_EQ(prop_int(firsts[0], "sessions_before"), 2);
}

TEST_F(Plugins, TipsFollowSessionsCapsAndCooldownOverSimulatedTime) {
  std::vector<std::string> shown;
  std::mutex m;
  auto tips = std::make_shared<FeatureTips>([&](const Tip& t) {
    std::lock_guard lock(m);
    shown.push_back(t.id);
  });
  Client client(plugin_config({tips}));
  client.track("open_note");  // session 1: min_sessions 2 not met
  ASSERT_TRUE(client.flush(10s));
  EXPECT_TRUE(shown.empty());
  EXPECT_NE(tips->explain("tip-export").reason.find("needs 2 sessions"), std::string::npos);

  new_session(client);  // session 2: shows
  ASSERT_TRUE(client.flush(10s));
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0], "tip-export");

  client.track("search");  // same session: max_tips_per_session 1
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(shown.size(), 1u);

  new_session(client);  // next session but within the 24 h cooldown
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(shown.size(), 1u);
  EXPECT_NE(tips->explain("tip-export").reason.find("cooldown"), std::string::npos);

  clock_.advance(kDay);
  new_session(client);  // cooldown over: second impression
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(shown.size(), 2u);

  clock_.advance(2 * kDay);
  new_session(client);  // max_impressions 2 reached
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(shown.size(), 2u);
  EXPECT_NE(tips->explain("tip-export").reason.find("max_impressions"), std::string::npos);
  EXPECT_EQ(tracked("$tip_shown").size(), 2u);
}

TEST_F(Plugins, UsingTheFeatureSuppressesItsTipAtOnceAndAfterEventTriggersAnother) {
  std::vector<std::string> shown;
  std::mutex m;
  auto tips = std::make_shared<FeatureTips>([&](const Tip& t) {
    std::lock_guard lock(m);
    shown.push_back(t.id);
  });
  Client client(plugin_config({tips}));
  client.track("open_note");
  client.track("export_pdf");  // session 1: the feature is used by this very event
  ASSERT_TRUE(client.flush(10s));
  // tip-export is suppressed; tip-share's after_event is export_pdf and export_pdf is used.
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0], "tip-share");
  EXPECT_NE(tips->explain("tip-export").reason.find("already used"), std::string::npos);
}

TEST_F(Plugins, ClicksAndDismissalsAreRecordedAndForeverIsForever) {
  std::vector<std::string> shown;
  std::mutex m;
  auto tips = std::make_shared<FeatureTips>([&](const Tip& t) {
    std::lock_guard lock(m);
    shown.push_back(t.id);
  });
  Client client(plugin_config({tips}));
  client.track("open_note");
  new_session(client);
  ASSERT_TRUE(client.flush(10s));
  ASSERT_EQ(shown.size(), 1u);
  tips->clicked("tip-export");
  tips->dismissed("tip-export", Dismissal::forever);
  ASSERT_TRUE(eventually([&] { return tracked("$tip_dismissed").size() == 1; }));
  EXPECT_EQ(tracked("$tip_clicked").size(), 1u);
  EXPECT_NE(tracked("$tip_dismissed")[0].find(R"("forever":true)"), std::string::npos);
  clock_.advance(10 * kDay);
  new_session(client);
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(shown.size(), 1u);
  EXPECT_NE(tips->explain("tip-export").reason.find("not to see it again"), std::string::npos);
}

TEST_F(Plugins, TheControlGroupRecordsHeldOutOnceAndNeverSeesTheTip) {
  const std::string config = R"({"tips":[{"id":"tip-all","feature":"export_pdf","holdout_pct":100}],
                                 "limits":{"max_tips_per_session":5}})";
  int presented = 0;
  auto tips = std::make_shared<FeatureTips>([&](const Tip&) { ++presented; });
  Config c = plugin_config({tips});
  c.default_remote_config = config;
  Client client(c);
  client.track("open_note");
  client.track("search");
  new_session(client);
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(presented, 0);
  const auto held = tracked("$tip_held_out");
  ASSERT_EQ(held.size(), 1u);
  EXPECT_NE(held[0].find(R"("tip":"tip-all")"), std::string::npos);
  EXPECT_NE(tips->explain("tip-all").reason.find("control group"), std::string::npos);
}

TEST_F(Plugins, TipStateSurvivesARestartAndATornStateFile) {
  int presented = 0;
  auto make_tips = [&] { return std::make_shared<FeatureTips>([&](const Tip&) { ++presented; }); };
  const std::string config = R"({"tips":[{"id":"once","feature":"export_pdf","max_impressions":1}],
                                 "limits":{"max_tips_per_session":5}})";
  {
    Config c = plugin_config({make_tips()});
    c.default_remote_config = config;
    Client client(c);
    client.track("open_note");
    ASSERT_TRUE(client.flush(10s));
    client.track("search");  // second event: state saved again, so a backup exists
    ASSERT_TRUE(client.flush(10s));
  }
  EXPECT_EQ(presented, 1);
  const auto state = std::filesystem::path(config_dir()) / "plugins" / "feature_tips.json";
  ASSERT_TRUE(std::filesystem::exists(state));
  std::filesystem::resize_file(state, std::filesystem::file_size(state) / 2);  // torn
  Config c = plugin_config({make_tips()});
  c.default_remote_config = config;
  Client client(c);
  new_session(client);
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(presented, 1) << "the backup remembered the impression";
}

TEST_F(Plugins, RemoteConfigIsFetchedRevalidatedWithEtagAndCachedForOffline) {
  receiver_->set_remote_config(kTipsConfig);
  int presented = 0;
  auto make = [&] {
    Config c = config();
    c.clock = clock_.fn();
    c.plugins = {std::make_shared<FeatureTips>([&](const Tip&) { ++presented; })};
    return c;
  };
  {
    Client client(make());
    ASSERT_TRUE(eventually([&] { return client.stats().config_fetches >= 1; }));
  }
  {
    Client client(make());
    ASSERT_TRUE(eventually([&] { return receiver_->config_not_modified() >= 1; }));
  }
  receiver_->stop();  // offline from now on: the cached config must drive tips
  Client client(make());
  client.track("open_note");
  new_session(client);
  client.flush(300ms);
  EXPECT_EQ(presented, 1);
}

namespace {
class ThrowingPlugin final : public Plugin {
 public:
  std::string name() const override { return "thrower"; }
  void on_event(PluginContext&, const ObservedEvent& e) override {
    if (e.name == "boom") throw std::runtime_error("plugin bug");
    ++seen;
  }
  void stop(PluginContext&) override { stopped = true; }
  std::atomic<int> seen{0};
  std::atomic<bool> stopped{false};
};
}  // namespace

TEST_F(Plugins, AMisbehavingPluginIsSwitchedOffAndNothingElseSuffers) {
  auto thrower = std::make_shared<ThrowingPlugin>();
  Client client(plugin_config({thrower, std::make_shared<FirstAction>()}));
  client.track("open_note");
  client.track("boom");
  client.track("export_pdf");
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(client.stats().plugins_disabled, 1u);
  EXPECT_EQ(tracked("export_pdf").size(), 1u);
  EXPECT_EQ(tracked("$first_action").size(), 1u) << "the other plugin still runs";
  EXPECT_EQ(thrower->seen.load(), 3) << "$session_start, $install, open_note before the throw";
  client.shutdown(5s);
  EXPECT_TRUE(thrower->stopped) << "switched off, it still hears stop(): its context is gone";
}

TEST_F(Plugins, ShutdownFromAPresenterIsRefusedNotADeadlock) {
  std::atomic<Client*> self{nullptr};
  std::atomic<int> result{-1};
  auto tips = std::make_shared<FeatureTips>([&](const Tip&) {
    if (Client* c = self.load()) result = c->shutdown(1s) ? 1 : 0;
  });
  Config c = plugin_config({tips});
  c.default_remote_config =
      R"({"tips":[{"id":"t","feature":"export_pdf","when":{"after_event":"open_note"}}]})";
  Client client(c);
  self = &client;
  client.track("open_note");
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(result.load(), 0) << "refused on the SDK's thread";
  client.track("search");
  EXPECT_TRUE(client.flush(10s)) << "and the client still runs";
  EXPECT_EQ(tracked("search").size(), 1u);
}
