#include <sys/wait.h>

#include <cmath>
#include <cstdlib>

#include "client_fixture.hpp"
#include "uptake/uptake.h"

using namespace uptake::test;

class CApi : public ClientTest {
 protected:
  // Runs the C example (a C program using the C API, every plugin included) against the
  // receiver and checks everything it records arrived.
  void expect_c_example_delivers(const std::string& program) {
    // The collector serves the same tip and survey the example ships as its default.
    receiver_->set_remote_config(R"({"tips":[{"id":"tip-c-export","feature":"c_export"}],
      "surveys":[{"id":"csat-c","kind":"csat","question":"Happy with it?","priority":10}],
      "limits":{"max_tips_per_session":1}})");
    const std::string cmd = program + " " + receiver_->endpoint() + " " + data_.str("c") + " " +
                            cert_.cert_file.string();
    const int status = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
    EXPECT_EQ(tracked("c_feature").size(), 3u);
    EXPECT_EQ(tracked("$install").size(), 1u);
    EXPECT_EQ(tracked("$first_action").size(), 1u);
    EXPECT_EQ(tracked("$tip_shown").size(), 1u);
    EXPECT_EQ(tracked("$tip_clicked").size(), 1u);
    EXPECT_EQ(tracked("$survey_shown").size(), 1u);
    ASSERT_EQ(tracked("$survey_answered").size(), 1u) << "the refused score was not sent";
    EXPECT_NE(tracked("$survey_answered")[0].find(R"({"survey":"csat-c","score":4})"),
              std::string::npos);
    int identifies = 0;
    std::vector<std::string> groups;
    for (const auto& l : receiver_->lines()) {
      identifies += json_field(l, "type") == "identify";
      if (json_field(l, "type") == "group") groups.push_back(l);
    }
    EXPECT_EQ(identifies, 1);
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(json_field(groups[0], "account"), "c-account-1");
    EXPECT_EQ(json_field(groups[0], "user"), "c-user-1");
    EXPECT_NE(groups[0].find(R"("props":{"plan":"enterprise","seats":40})"), std::string::npos);
  }
};

TEST_F(CApi, TheCExampleProgramDeliversItsEvents) {
  expect_c_example_delivers(UPTAKE_C_EXAMPLE);
}

// The same program linked to libuptake.so alone: the library exports the whole C API, the
// bundled plugins' included.
TEST_F(CApi, TheCExampleLinkedToTheSharedLibraryDeliversItsEvents) {
  expect_c_example_delivers(UPTAKE_C_EXAMPLE_SHARED);
}

TEST_F(CApi, ErrorsComeBackAsCodesWithAMessage) {
  uptake_config* cfg = uptake_config_new();
  ASSERT_NE(cfg, nullptr);
  EXPECT_EQ(uptake_config_set_string(cfg, "no_such_option", "x"), UPTAKE_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(uptake_config_set_string(cfg, "endpoint", "gopher://x"), UPTAKE_OK);
  uptake_client* client = reinterpret_cast<uptake_client*>(0x1);
  EXPECT_EQ(uptake_client_new(cfg, &client), UPTAKE_ERR_INVALID_CONFIG);
  EXPECT_EQ(client, nullptr);
  EXPECT_NE(std::string(uptake_last_error()).find("endpoint"), std::string::npos);
  EXPECT_EQ(uptake_config_set_number(cfg, "max_batch_events", std::nan("")),
            UPTAKE_ERR_INVALID_CONFIG);
  EXPECT_EQ(uptake_config_set_number(cfg, "queue_capacity", 1e300), UPTAKE_ERR_INVALID_CONFIG);
  EXPECT_NE(std::string(uptake_last_error()).find("queue_capacity"), std::string::npos);
  EXPECT_EQ(uptake_config_set_number(cfg, "compression_level", 1e12), UPTAKE_ERR_INVALID_CONFIG);
  EXPECT_EQ(uptake_flush(nullptr, 10), UPTAKE_ERR_INVALID_ARGUMENT);
  uptake_track(nullptr, "x", nullptr, 0);  // ignored, no crash
  uptake_group(nullptr, "acme", nullptr, 0);
  uptake_client_free(nullptr);
  uptake_config_free(cfg);
}

TEST_F(CApi, StatsCarryEveryCounterUnderItsOwnName) {
  uptake_config* cfg = uptake_config_new();
  ASSERT_NE(cfg, nullptr);
  const uptake::Config c = config();
  uptake_config_set_string(cfg, "endpoint", c.endpoint.c_str());
  uptake_config_set_string(cfg, "write_key", c.write_key.c_str());
  uptake_config_set_string(cfg, "data_dir", c.data_dir.c_str());
  uptake_config_set_string(cfg, "tls_ca_file", c.tls_ca_file.c_str());
  uptake_config_set_number(cfg, "flush_interval_ms", 50);
  uptake_client* client = nullptr;
  ASSERT_EQ(uptake_client_new(cfg, &client), UPTAKE_OK) << uptake_last_error();
  uptake_config_free(cfg);
  uptake_track(client, "", nullptr, 0);
  uptake_track(client, "$reserved", nullptr, 0);
  uptake_track(client, "fine", nullptr, 0);
  EXPECT_EQ(uptake_flush(client, 10000), UPTAKE_OK);
  uptake_stats stats;
  ASSERT_EQ(uptake_get_stats(client, &stats), UPTAKE_OK);
  EXPECT_EQ(stats.dropped_invalid, 2u);
  EXPECT_EQ(stats.dropped_queue_full, 0u);
  EXPECT_EQ(stats.sent, 2u);  // "fine" and $session_start
  EXPECT_EQ(stats.batches_sent, 1u);
  EXPECT_EQ(stats.spooled_events, 0u);
  uptake_client_free(client);
}
