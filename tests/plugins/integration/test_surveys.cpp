// The surveys plugin through a real Client: when a survey is asked, what answers and
// dismissals record, what is refused (and then never sent), and what survives a restart.
#include "plugin_fixture.hpp"
#include "uptake/surveys.hpp"

using namespace uptake;
using namespace uptake::test;
using namespace std::chrono_literals;

namespace {

const char* kSurveys = R"({
  "surveys": [
    {"id": "nps-q4", "kind": "nps", "question": "How likely are you to recommend Notes?",
     "when": {"min_sessions": 2, "used": ["export_pdf"], "after_event": "export_pdf"},
     "priority": 20},
    {"id": "csat-export", "kind": "csat", "question": "How happy are you with exports?",
     "when": {"min_sessions": 99}},
    {"id": "color", "kind": "choice", "question": "Pick a theme", "choices": ["red", "blue"],
     "when": {"min_sessions": 99}}
  ]
})";

class SurveysPlugin : public PluginTest {
 protected:
  std::shared_ptr<Surveys> make_surveys() {
    return std::make_shared<Surveys>([this](const Survey& s) { presented_.add(s); });
  }
  Presented<Survey> presented_;
};

}  // namespace

TEST_F(SurveysPlugin, IsAskedWhenItsRulesHoldAndNeverAgainOnceAnswered) {
  {
    auto surveys = make_surveys();
    Client client(plugin_config({surveys}, kSurveys));
    client.track("export_pdf");  // session 1: min_sessions 2 not met
    ASSERT_TRUE(client.flush(10s));
    EXPECT_EQ(presented_.size(), 0u);
    EXPECT_NE(surveys->explain("nps-q4").reason.find("needs 2 sessions"), std::string::npos);

    new_session(client, "open_note");  // session 2, but it waits for export_pdf
    ASSERT_TRUE(client.flush(10s));
    EXPECT_EQ(presented_.size(), 0u);
    client.track("export_pdf");
    ASSERT_TRUE(client.flush(10s));
    ASSERT_EQ(presented_.size(), 1u);
    const Survey s = presented_.items()[0];
    EXPECT_EQ(s.id, "nps-q4");
    EXPECT_EQ(s.kind, SurveyKind::nps);
    EXPECT_EQ(s.question, "How likely are you to recommend Notes?");
    EXPECT_EQ(s.min_score, 0);
    EXPECT_EQ(s.max_score, 10);
    EXPECT_EQ(tracked_with("$survey_shown", R"("survey":"nps-q4")"), 1u);

    const SurveyResult r = surveys->answered("nps-q4", 9);
    EXPECT_TRUE(r.ok()) << r.message;
    ASSERT_TRUE(client.flush(10s));
    const auto answers = tracked("$survey_answered");
    ASSERT_EQ(answers.size(), 1u);
    EXPECT_NE(answers[0].find(R"("props":{"survey":"nps-q4","score":9})"), std::string::npos)
        << answers[0];
    const SurveyResult again = surveys->answered("nps-q4", 10);
    EXPECT_EQ(again.status, SurveyStatus::already_answered);
    EXPECT_EQ(surveys->dismissed("nps-q4").status, SurveyStatus::already_answered);
  }
  auto surveys = make_surveys();
  Client client(plugin_config({surveys}, kSurveys));
  new_session(client, "export_pdf");
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(presented_.size(), 1u) << "answered before the restart";
  EXPECT_NE(surveys->explain("nps-q4").reason.find("already answered"), std::string::npos);
  EXPECT_EQ(surveys->answered("nps-q4", 3).status, SurveyStatus::already_answered);
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(tracked("$survey_answered").size(), 1u);
}

TEST_F(SurveysPlugin, RefusedAnswersSayWhyAndRecordNothing) {
  auto surveys = make_surveys();
  Client client(plugin_config({surveys}, kSurveys));
  client.track("open_note");
  struct Refusal {
    SurveyResult result;
    SurveyStatus expected;
    const char* says;
  };
  const std::vector<Refusal> refusals = {
      {surveys->answered("nps-q4", 11), SurveyStatus::score_out_of_range, "0..10"},
      {surveys->answered("nps-q4", -1), SurveyStatus::score_out_of_range, "out of range"},
      {surveys->answered("csat-export", 0), SurveyStatus::score_out_of_range, "1..5"},
      {surveys->answered("csat-export", 6), SurveyStatus::score_out_of_range, "1..5"},
      {surveys->answered("color", "purple"), SurveyStatus::unknown_choice, "purple"},
      {surveys->answered("color", 1), SurveyStatus::wrong_kind, "choices"},
      {surveys->answered("nps-q4", "red"), SurveyStatus::wrong_kind, "score"},
      {surveys->answered("no-such-survey", 5), SurveyStatus::unknown_survey, "no-such-survey"},
      {surveys->dismissed("no-such-survey"), SurveyStatus::unknown_survey, "no-such-survey"},
  };
  for (const auto& r : refusals) {
    EXPECT_FALSE(r.result.ok()) << r.says;
    EXPECT_EQ(r.result.status, r.expected) << r.result.message;
    EXPECT_NE(r.result.message.find(r.says), std::string::npos) << r.result.message;
  }
  ASSERT_TRUE(client.flush(10s));
  EXPECT_TRUE(tracked("$survey_answered").empty());
  EXPECT_TRUE(tracked("$survey_dismissed").empty());

  // The same surveys take answers that fit them.
  EXPECT_TRUE(surveys->answered("csat-export", 5).ok());
  EXPECT_TRUE(surveys->answered("color", "blue").ok());
  EXPECT_TRUE(surveys->answered("nps-q4", 0).ok()) << "0 is a score, not a null choice";
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(tracked_with("$survey_answered", R"({"survey":"csat-export","score":5})"), 1u);
  EXPECT_EQ(tracked_with("$survey_answered", R"({"survey":"color","choice":"blue"})"), 1u);
  EXPECT_EQ(tracked_with("$survey_answered", R"({"survey":"nps-q4","score":0})"), 1u);
}

TEST_F(SurveysPlugin, ADismissalCountsAsAnImpressionAndStartsTheCooldown) {
  const std::string config = R"({"surveys": [
    {"id": "csat-1", "kind": "csat", "question": "Happy?", "max_impressions": 3,
     "cooldown_hours": 24}]})";
  auto surveys = make_surveys();
  Client client(plugin_config({surveys}, config));
  client.track("open_note");  // shown (1)
  ASSERT_TRUE(client.flush(10s));
  ASSERT_EQ(presented_.size(), 1u);
  clock_.advance(23 * kHour);
  EXPECT_TRUE(surveys->dismissed("csat-1").ok());  // the cooldown starts again from here
  ASSERT_TRUE(eventually([&] { return tracked("$survey_dismissed").size() == 1; }));
  EXPECT_NE(tracked("$survey_dismissed")[0].find(R"("props":{"survey":"csat-1"})"),
            std::string::npos);
  clock_.advance(2 * kHour);  // 25 h after it showed, 2 h after the dismissal
  client.track("search");
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(presented_.size(), 1u);
  EXPECT_NE(surveys->explain("csat-1").reason.find("cooldown"), std::string::npos);

  // Dismissed without being shown again (the app asked from its own menu): an impression too.
  EXPECT_TRUE(surveys->dismissed("csat-1").ok());  // (2)
  ASSERT_TRUE(eventually([&] { return tracked("$survey_dismissed").size() == 2; }));
  clock_.advance(25 * kHour);
  client.track("search");  // shown (3): max_impressions reached
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(presented_.size(), 2u);
  EXPECT_TRUE(surveys->dismissed("csat-1").ok());
  clock_.advance(100 * kHour);
  client.track("search");
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(presented_.size(), 2u);
  EXPECT_NE(surveys->explain("csat-1").reason.find("max_impressions"), std::string::npos)
      << surveys->explain("csat-1").reason;
  EXPECT_EQ(tracked("$survey_shown").size(), 2u);
}

TEST_F(SurveysPlugin, AChoiceSurveyHandsItsChoicesToThePresenter) {
  const std::string config = R"({"surveys": [
    {"id": "theme", "kind": "choice", "question": "Which theme?",
     "choices": ["light", "dark", "solarized"], "min_app_version": "1.2.0"}]})";
  auto surveys = make_surveys();
  Client client(plugin_config({surveys}, config));
  client.track("open_note");
  ASSERT_TRUE(client.flush(10s));
  ASSERT_EQ(presented_.size(), 1u);
  const Survey s = presented_.items()[0];
  EXPECT_EQ(s.kind, SurveyKind::choice);
  EXPECT_EQ(s.choices, (std::vector<std::string>{"light", "dark", "solarized"}));
  EXPECT_TRUE(surveys->answered("theme", "dark").ok());
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(tracked_with("$survey_answered", R"("choice":"dark")"), 1u);
}

TEST_F(SurveysPlugin, TheSampleAndTheScheduleKeepASurveyAway) {
  const std::string config = R"({"surveys": [
    {"id": "nobody", "kind": "nps", "question": "?", "sample_pct": 0},
    {"id": "later", "kind": "nps", "question": "?", "starts_at": 4000000000000},
    {"id": "newer-app", "kind": "nps", "question": "?", "min_app_version": "9.0"}]})";
  auto surveys = make_surveys();
  Client client(plugin_config({surveys}, config));
  client.track("open_note");
  new_session(client);
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(presented_.size(), 0u);
  EXPECT_NE(surveys->explain("nobody").reason.find("sample"), std::string::npos);
  EXPECT_NE(surveys->explain("later").reason.find("starts_at"), std::string::npos);
  EXPECT_NE(surveys->explain("newer-app").reason.find("min_app_version"), std::string::npos);
  EXPECT_NE(surveys->explain("missing").reason.find("no survey"), std::string::npos);
  EXPECT_TRUE(tracked("$survey_shown").empty());
}

TEST_F(SurveysPlugin, WorksOfflineFromTheCachedConfig) {
  receiver_->set_remote_config(R"({"surveys": [{"id": "nps-1", "kind": "nps", "question": "?",
                                   "when": {"min_sessions": 2}}]})");
  auto make = [&](std::shared_ptr<Surveys> s) {
    Config c = config();
    c.clock = clock_.fn();
    c.plugins = {std::move(s)};
    return c;
  };
  {
    Client client(make(make_surveys()));
    ASSERT_TRUE(eventually([&] { return client.stats().config_fetches >= 1; }));
  }
  receiver_->stop();  // offline from now on: the cached config must drive surveys
  Client client(make(make_surveys()));
  client.track("open_note");
  clock_.advance(31 * kMinute);
  client.track("open_note");  // the second session (sessions follow the events' times)
  EXPECT_TRUE(eventually([&] { return presented_.size() == 1; })) << presented_.size();
}

TEST_F(SurveysPlugin, AnswersBeforeTheClientRunsAreRefused) {
  auto surveys = make_surveys();
  const SurveyResult r = surveys->answered("nps-q4", 9);
  EXPECT_EQ(r.status, SurveyStatus::not_running);
  EXPECT_FALSE(r);
  EXPECT_FALSE(surveys->explain("nps-q4").would_show);
}
