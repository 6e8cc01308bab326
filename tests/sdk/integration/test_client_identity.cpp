#include <set>

#include "client_fixture.hpp"

using namespace uptake;
using namespace uptake::test;
using namespace std::chrono_literals;

using ClientIdentity = ClientTest;

TEST_F(ClientIdentity, TheAnonymousIdPersistsAcrossRuns) {
  std::string first;
  {
    Client a(config());
    first = a.anonymous_id();
  }
  Client b(config());
  EXPECT_EQ(b.anonymous_id(), first);
  EXPECT_EQ(first.size(), 36u);
}

TEST_F(ClientIdentity, IdentifyTiesLaterEventsToTheUserAcrossRuns) {
  {
    Client client(config());
    client.track("before_login");
    client.identify("alice", {{"plan", "pro"}});
    client.track("after_login");
    ASSERT_TRUE(client.flush(10s));
  }
  {
    Client client(config());
    client.track("next_run");
    ASSERT_TRUE(client.flush(10s));
  }
  EXPECT_EQ(json_field(tracked("before_login").at(0), "user"), "");
  EXPECT_EQ(json_field(tracked("after_login").at(0), "user"), "alice");
  EXPECT_EQ(json_field(tracked("next_run").at(0), "user"), "alice");
  int identifies = 0;
  for (const auto& l : receiver_->lines()) {
    if (json_field(l, "type") == "identify") {
      ++identifies;
      EXPECT_EQ(json_field(l, "user"), "alice");
      EXPECT_NE(l.find("\"plan\":\"pro\""), std::string::npos);
    }
  }
  EXPECT_EQ(identifies, 1);
}

TEST_F(ClientIdentity, InactivityStartsANewSession) {
  Config c = config();
  c.session_timeout_ms = 100ms;
  Client client(c);
  client.track("first");
  ASSERT_TRUE(client.flush(10s));
  std::this_thread::sleep_for(300ms);
  client.track("second");
  ASSERT_TRUE(client.flush(10s));
  const auto starts = tracked("$session_start");
  ASSERT_EQ(starts.size(), 2u);
  const auto s1 = json_field(tracked("first").at(0), "session");
  const auto s2 = json_field(tracked("second").at(0), "session");
  EXPECT_NE(s1, s2);
  EXPECT_EQ(json_field(starts[0], "session"), s1);
  EXPECT_EQ(json_field(starts[1], "session"), s2);
}

TEST_F(ClientIdentity, ASessionContinuesAcrossAQuickRestart) {
  {
    Client client(config());
    client.track("a");
    ASSERT_TRUE(client.flush(10s));
  }
  Client client(config());
  client.track("b");
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(tracked("$session_start").size(), 1u);
  EXPECT_EQ(json_field(tracked("a").at(0), "session"), json_field(tracked("b").at(0), "session"));
}

TEST_F(ClientIdentity, OptOutStopsRecordingPurgesTheSpoolAndPersists) {
  receiver_->stop();
  {
    Client client(config());
    for (int i = 0; i < 100; ++i) client.track("private");
    client.flush(300ms);
    ASSERT_GT(client.stats().spooled_events, 0u);
    client.set_opt_out(true);
    EXPECT_TRUE(eventually([&] { return client.stats().spool_bytes == 0; }));
    client.track("while_out");
  }
  restart_receiver();
  {
    Client client(config());
    EXPECT_TRUE(client.opted_out());
    client.track("still_out");
    client.flush(500ms);
    EXPECT_TRUE(receiver_->lines().empty());
    client.set_opt_out(false);
    EXPECT_TRUE(eventually([&] { return !client.opted_out(); }));
    client.track("back_in");
    ASSERT_TRUE(client.flush(10s));
  }
  EXPECT_EQ(tracked("private").size(), 0u);
  EXPECT_EQ(tracked("while_out").size(), 0u);
  EXPECT_EQ(tracked("still_out").size(), 0u);
  EXPECT_EQ(tracked("back_in").size(), 1u);
}

TEST_F(ClientIdentity, SamplingIsDecidedOncePerInstall) {
  int in_sample = 0;
  constexpr int kInstalls = 60;
  for (int i = 0; i < kInstalls; ++i) {
    Config c = config();
    c.sample_rate = 0.5;
    c.data_dir = data_.str("sample-" + std::to_string(i));
    bool first;
    {
      Client client(c);
      first = client.sampled();
    }
    Client again(c);
    EXPECT_EQ(again.sampled(), first) << "stable across restarts";
    in_sample += first ? 1 : 0;
    if (!first) {
      again.track("unsampled");
      again.flush(100ms);
    }
  }
  EXPECT_GT(in_sample, kInstalls / 5);
  EXPECT_LT(in_sample, kInstalls * 4 / 5);
  EXPECT_EQ(tracked("unsampled").size(), 0u);
}

TEST_F(ClientIdentity, InvalidConfigurationIsAClearErrorNamingTheField) {
  auto error_for = [&](auto mutate) -> std::string {
    Config c = config();
    mutate(c);
    try {
      Client client(c);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_NE(error_for([](Config& c) { c.endpoint = "ftp://x"; }).find("endpoint"),
            std::string::npos);
  EXPECT_NE(
      error_for([](Config& c) { c.endpoint = "http://collector.example.com"; }).find("loopback"),
      std::string::npos);
  EXPECT_NE(error_for([](Config& c) { c.write_key = ""; }).find("write_key"), std::string::npos);
  EXPECT_NE(error_for([](Config& c) { c.data_dir = ""; }).find("data_dir"), std::string::npos);
  EXPECT_NE(error_for([](Config& c) { c.sample_rate = 0; }).find("sample_rate"), std::string::npos);
  EXPECT_NE(error_for([](Config& c) { c.max_batch_events = 0; }).find("max_batch_events"),
            std::string::npos);
  EXPECT_NE(error_for([](Config& c) { c.tls_ca_file = "/nonexistent/ca.pem"; }).find("tls_ca_file"),
            std::string::npos);
}
