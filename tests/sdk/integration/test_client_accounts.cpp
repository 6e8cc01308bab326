// group(): putting the install's person in a customer account (PROTOCOL.md "Accounts"),
// against the real test receiver.
#include <mutex>
#include <vector>

#include "client_fixture.hpp"
#include "uptake/uptake.h"

using namespace uptake;
using namespace uptake::test;
using namespace std::chrono_literals;

namespace {

class ClientAccounts : public ClientTest {
 protected:
  std::vector<std::string> group_lines() const {
    std::vector<std::string> out;
    for (const auto& l : receiver_->lines()) {
      if (json_field(l, "type") == "group") out.push_back(l);
    }
    return out;
  }
};

// Records what a plugin sees of accounts: at start, and with every event.
class AccountWatcher final : public Plugin {
 public:
  std::string name() const override { return "account_watcher"; }
  void start(PluginContext& ctx) override {
    std::lock_guard lock(mutex);
    at_start = ctx.account();
  }
  void on_event(PluginContext& ctx, const ObservedEvent& e) override {
    std::lock_guard lock(mutex);
    if (e.group) {
      groups.emplace_back(e.account);
      group_names_empty = group_names_empty && e.name.empty();
      if (auto plan = e.prop("plan")) group_plans.emplace_back(plan->as_string());
    }
    if (e.name == "after_group") {
      after_group_event = e.account;
      after_group_context = ctx.account();
    }
  }
  std::mutex mutex;
  std::string at_start = "<not started>";
  std::vector<std::string> groups, group_plans;
  bool group_names_empty = true;
  std::string after_group_event, after_group_context;
};

}  // namespace

TEST_F(ClientAccounts, AGroupEventArrivesOnceWithItsAccountAndTraits) {
  Client client(config());
  client.identify("alice");
  client.group("acme-corp", {{"plan", "enterprise"}, {"seats", 40}, {"trial", false}});
  client.track("after_group");
  ASSERT_TRUE(client.flush(10s));

  const auto groups = group_lines();
  ASSERT_EQ(groups.size(), 1u);
  const std::string& g = groups[0];
  EXPECT_EQ(json_field(g, "account"), "acme-corp");
  EXPECT_EQ(json_field(g, "anon"), client.anonymous_id());
  EXPECT_EQ(json_field(g, "user"), "alice") << "the person is the identified user";
  EXPECT_EQ(json_field(g, "name"), "") << "group events carry no name";
  EXPECT_EQ(json_field(g, "app_version"), "1.2.3");
  EXPECT_FALSE(json_field(g, "session").empty());
  EXPECT_EQ(json_field(g, "id").size(), 36u);
  EXPECT_TRUE(json_int_field(g, "ts").has_value());
  EXPECT_NE(g.find(R"("props":{"plan":"enterprise","seats":40,"trial":false})"), std::string::npos)
      << g;
  // The account belongs on group events only (PROTOCOL.md: ignored on other types).
  EXPECT_EQ(json_field(tracked("after_group").at(0), "account"), "");
  EXPECT_EQ(receiver_->ids().size(), receiver_->unique_ids().size());
  EXPECT_EQ(client.stats().dropped_invalid, 0u);
}

TEST_F(ClientAccounts, InvalidAccountsAndOversizedTraitsAreCountedAndNeverSent) {
  Client client(config());
  client.group("");
  client.group(std::string(129, 'a'));
  client.group("acme", {{"blob", std::string(9000, 'x')}});   // props over 8 KiB as JSON
  client.group("acme", {{"blob", std::string(20000, 'x')}});  // refused before queueing
  client.group(std::string(128, 'b'));                        // the longest valid account
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(client.stats().dropped_invalid, 4u);
  const auto groups = group_lines();
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(json_field(groups[0], "account"), std::string(128, 'b'));
}

TEST_F(ClientAccounts, TheAccountSurvivesARestartAndPluginsSeeIt) {
  auto first = std::make_shared<AccountWatcher>();
  {
    Config c = config();
    c.plugins = {first};
    Client client(c);
    client.track("before_group");
    client.group("acme-corp", {{"plan", "team"}});
    client.track("after_group");
    ASSERT_TRUE(client.flush(10s));
  }
  {
    std::lock_guard lock(first->mutex);
    EXPECT_EQ(first->at_start, "") << "a new install has no account";
    EXPECT_EQ(first->groups, std::vector<std::string>{"acme-corp"});
    EXPECT_EQ(first->group_plans, std::vector<std::string>{"team"});
    EXPECT_TRUE(first->group_names_empty);
    EXPECT_EQ(first->after_group_event, "acme-corp");
    EXPECT_EQ(first->after_group_context, "acme-corp");
  }

  auto second = std::make_shared<AccountWatcher>();
  Config c = config();
  c.plugins = {second};
  Client client(c);
  std::lock_guard lock(second->mutex);
  EXPECT_EQ(second->at_start, "acme-corp") << "the account was persisted in data_dir";
  EXPECT_EQ(group_lines().size(), 1u) << "a restart does not resend the group event";
}

TEST_F(ClientAccounts, ALaterGroupMovesThePersonToTheNewAccount) {
  auto watcher = std::make_shared<AccountWatcher>();
  {
    Client client(config());
    client.group("pilot-team");
    client.group("acme-corp");
    ASSERT_TRUE(client.flush(10s));
  }
  Config c = config();
  c.plugins = {watcher};
  Client client(c);
  std::lock_guard lock(watcher->mutex);
  EXPECT_EQ(watcher->at_start, "acme-corp");
  const auto groups = group_lines();
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(json_field(groups[0], "account"), "pilot-team");
  EXPECT_EQ(json_field(groups[1], "account"), "acme-corp");
}

TEST_F(ClientAccounts, OptedOutInstallsSendNoGroupEvents) {
  Client client(config());
  client.set_opt_out(true);
  client.group("acme-corp");
  client.flush(300ms);
  EXPECT_TRUE(group_lines().empty());
}

TEST_F(ClientAccounts, TheCApiGroupsAndCountsAnInvalidAccount) {
  uptake_config* cfg = uptake_config_new();
  ASSERT_NE(cfg, nullptr);
  const Config c = config();
  uptake_config_set_string(cfg, "endpoint", c.endpoint.c_str());
  uptake_config_set_string(cfg, "write_key", c.write_key.c_str());
  uptake_config_set_string(cfg, "data_dir", c.data_dir.c_str());
  uptake_config_set_string(cfg, "tls_ca_file", c.tls_ca_file.c_str());
  uptake_client* client = nullptr;
  ASSERT_EQ(uptake_client_new(cfg, &client), UPTAKE_OK) << uptake_last_error();
  uptake_config_free(cfg);
  const uptake_prop traits[] = {{"plan", UPTAKE_PROP_STRING, "team", 0, 0, 0},
                                {"seats", UPTAKE_PROP_INT, nullptr, 12, 0, 0},
                                {nullptr, UPTAKE_PROP_INT, nullptr, 1, 0, 0}};  // no key: skipped
  uptake_group(client, "c-acme", traits, 3);
  uptake_group(client, "", nullptr, 0);
  uptake_group(client, nullptr, nullptr, 0);  // ignored, like a NULL name in uptake_track
  EXPECT_EQ(uptake_flush(client, 10000), UPTAKE_OK);
  uptake_stats stats;
  ASSERT_EQ(uptake_get_stats(client, &stats), UPTAKE_OK);
  EXPECT_EQ(stats.dropped_invalid, 1u);
  uptake_client_free(client);
  const auto groups = group_lines();
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(json_field(groups[0], "account"), "c-acme");
  EXPECT_NE(groups[0].find(R"("props":{"plan":"team","seats":12})"), std::string::npos)
      << groups[0];
}
