#include <sys/wait.h>

#include <cstdlib>

#include "client_fixture.hpp"
#include "uptake/uptake.h"

using namespace uptake::test;

using CApi = ClientTest;

TEST_F(CApi, TheCExampleProgramDeliversItsEvents) {
  // The collector serves the same tip the example ships as its default.
  receiver_->set_remote_config(
      R"({"tips":[{"id":"tip-c-export","feature":"c_export"}],"limits":{"max_tips_per_session":1}})");
  const std::string cmd = std::string(UPTAKE_C_EXAMPLE) + " " + receiver_->endpoint() + " " +
                          data_.str("c") + " " + cert_.cert_file.string();
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(tracked("c_feature").size(), 3u);
  EXPECT_EQ(tracked("$install").size(), 1u);
  EXPECT_EQ(tracked("$first_action").size(), 1u);
  EXPECT_EQ(tracked("$tip_shown").size(), 1u);
  EXPECT_EQ(tracked("$tip_clicked").size(), 1u);
  int identifies = 0;
  for (const auto& l : receiver_->lines()) identifies += json_field(l, "type") == "identify";
  EXPECT_EQ(identifies, 1);
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
  EXPECT_EQ(uptake_flush(nullptr, 10), UPTAKE_ERR_INVALID_ARGUMENT);
  uptake_track(nullptr, "x", nullptr, 0);  // ignored, no crash
  uptake_client_free(nullptr);
  uptake_config_free(cfg);
}
