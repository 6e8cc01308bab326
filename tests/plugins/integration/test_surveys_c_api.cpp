// The surveys plugin through its C API: a survey presented to a C callback, refusals as error
// codes with a message (and nothing sent), answers and dismissals recorded.
#include <cstring>
#include <mutex>

#include "client_fixture.hpp"
#include "uptake/surveys.h"

using namespace uptake::test;

namespace {

struct Seen {
  std::mutex mutex;
  std::string id, question, choices;
  uptake_survey_kind kind = UPTAKE_SURVEY_NPS;
  int min_score = -1, max_score = -1, calls = 0;
};

void present(const char* survey_id, uptake_survey_kind kind, const char* question,
             const char* const* choices, size_t choice_count, int min_score, int max_score,
             void* user_data) {
  auto* seen = static_cast<Seen*>(user_data);
  std::lock_guard lock(seen->mutex);
  ++seen->calls;
  seen->id = survey_id;
  seen->kind = kind;
  seen->question = question;
  seen->choices.clear();
  for (size_t i = 0; i < choice_count; ++i) seen->choices += std::string(choices[i]) + ";";
  seen->min_score = min_score;
  seen->max_score = max_score;
}

const char* kConfig = R"({"surveys": [
  {"id": "nps-c", "kind": "nps", "question": "Recommend us?", "priority": 9},
  {"id": "pick", "kind": "choice", "question": "Which?", "choices": ["a", "b"],
   "when": {"min_sessions": 5}}]})";

class SurveysCApi : public ClientTest {};

}  // namespace

TEST_F(SurveysCApi, PresentsRefusesWithCodesAndRecordsAnswers) {
  Seen seen;
  uptake_surveys* surveys = uptake_surveys_new(present, &seen);
  ASSERT_NE(surveys, nullptr);
  EXPECT_EQ(uptake_survey_answer_score(surveys, "nps-c", 9), UPTAKE_SURVEY_ERR_NOT_RUNNING);

  uptake_config* cfg = uptake_config_new();
  const uptake::Config base = config();
  uptake_config_set_string(cfg, "endpoint", base.endpoint.c_str());
  uptake_config_set_string(cfg, "write_key", "wk_test");
  uptake_config_set_string(cfg, "data_dir", base.data_dir.c_str());
  uptake_config_set_string(cfg, "tls_ca_file", base.tls_ca_file.c_str());
  uptake_config_set_string(cfg, "default_remote_config", kConfig);
  uptake_config_set_number(cfg, "fetch_remote_config", 0);
  uptake_config_set_number(cfg, "flush_interval_ms", 50);
  ASSERT_EQ(uptake_config_add_surveys(cfg, surveys), UPTAKE_OK);
  EXPECT_EQ(uptake_config_add_surveys(nullptr, surveys), UPTAKE_ERR_INVALID_ARGUMENT);
  uptake_client* client = nullptr;
  ASSERT_EQ(uptake_client_new(cfg, &client), UPTAKE_OK) << uptake_last_error();
  uptake_config_free(cfg);

  uptake_track(client, "open_note", nullptr, 0);
  ASSERT_EQ(uptake_flush(client, 10000), UPTAKE_OK);
  {
    std::lock_guard lock(seen.mutex);
    EXPECT_EQ(seen.calls, 1);
    EXPECT_EQ(seen.id, "nps-c");
    EXPECT_EQ(seen.kind, UPTAKE_SURVEY_NPS);
    EXPECT_EQ(seen.question, "Recommend us?");
    EXPECT_EQ(seen.choices, "");
    EXPECT_EQ(seen.min_score, 0);
    EXPECT_EQ(seen.max_score, 10);
  }

  EXPECT_EQ(uptake_survey_answer_score(surveys, "nps-c", 11), UPTAKE_SURVEY_ERR_SCORE_OUT_OF_RANGE);
  EXPECT_NE(std::strstr(uptake_last_error(), "0..10"), nullptr) << uptake_last_error();
  EXPECT_EQ(uptake_survey_answer_choice(surveys, "nps-c", "a"), UPTAKE_SURVEY_ERR_WRONG_KIND);
  EXPECT_EQ(uptake_survey_answer_choice(surveys, "pick", "c"), UPTAKE_SURVEY_ERR_UNKNOWN_CHOICE);
  EXPECT_EQ(uptake_survey_answer_score(surveys, "gone", 1), UPTAKE_SURVEY_ERR_UNKNOWN_SURVEY);
  EXPECT_EQ(uptake_survey_dismissed(surveys, "gone"), UPTAKE_SURVEY_ERR_UNKNOWN_SURVEY);
  EXPECT_EQ(uptake_survey_answer_score(surveys, nullptr, 1), UPTAKE_SURVEY_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(uptake_survey_answer_choice(surveys, "pick", nullptr),
            UPTAKE_SURVEY_ERR_INVALID_ARGUMENT);
  ASSERT_EQ(uptake_flush(client, 10000), UPTAKE_OK);
  EXPECT_TRUE(tracked("$survey_answered").empty());
  EXPECT_TRUE(tracked("$survey_dismissed").empty());

  char reason[256];
  int would_show = -1;
  ASSERT_EQ(uptake_survey_explain(surveys, "pick", reason, sizeof reason, &would_show), UPTAKE_OK);
  EXPECT_EQ(would_show, 0);
  EXPECT_NE(std::strstr(reason, "needs 5 sessions"), nullptr) << reason;

  EXPECT_EQ(uptake_survey_answer_score(surveys, "nps-c", 10), UPTAKE_SURVEY_OK);
  EXPECT_EQ(uptake_survey_answer_score(surveys, "nps-c", 10), UPTAKE_SURVEY_ERR_ALREADY_ANSWERED);
  EXPECT_EQ(uptake_survey_dismissed(surveys, "pick"), UPTAKE_SURVEY_OK);
  EXPECT_EQ(uptake_survey_answer_choice(surveys, "pick", "b"), UPTAKE_SURVEY_OK);
  ASSERT_EQ(uptake_flush(client, 10000), UPTAKE_OK);
  uptake_client_free(client);
  uptake_surveys_free(surveys);

  ASSERT_EQ(tracked("$survey_answered").size(), 2u);
  EXPECT_NE(tracked("$survey_answered")[0].find(R"({"survey":"nps-c","score":10})"),
            std::string::npos);
  EXPECT_NE(tracked("$survey_answered")[1].find(R"({"survey":"pick","choice":"b"})"),
            std::string::npos);
  ASSERT_EQ(tracked("$survey_dismissed").size(), 1u);
  EXPECT_EQ(tracked("$survey_shown").size(), 1u);
}
