// The attention budget through a real Client: prompts of several plugins compete for it, its
// caps hold over simulated days, across a restart, when the clock is set back, and a new
// remote config changes them at once.
#include "plugin_fixture.hpp"
#include "uptake/feature_tips.hpp"
#include "uptake/surveys.hpp"

using namespace uptake;
using namespace uptake::test;
using namespace std::chrono_literals;

namespace {

class AttentionBudget : public PluginTest {
 protected:
  std::filesystem::path budget_file() const {
    return std::filesystem::path(config_dir()) / "attention_budget.json";
  }
};

// A tip and a survey, both eligible at once; the survey's priority is higher.
const char* kTipAndSurvey = R"({
  "tips": [{"id": "tip-export", "feature": "export_pdf", "title": "Export", "body": "Ctrl+E",
            "priority": 5, "max_impressions": 3}],
  "surveys": [{"id": "nps-q4", "kind": "nps", "question": "Recommend us?", "priority": 20,
               "max_impressions": 1}],
  "limits": {"max_tips_per_session": 1, "max_prompts_per_session": 1}
})";

}  // namespace

TEST_F(AttentionBudget, TheHighestPriorityWinsAcrossPluginsAndTheSessionCapHolds) {
  Presented<std::string> tips_shown, surveys_shown;
  auto tips = std::make_shared<FeatureTips>([&](const Tip& t) { tips_shown.add(t.id); });
  auto surveys = std::make_shared<Surveys>([&](const Survey& s) { surveys_shown.add(s.id); });
  // The tips plugin comes first, so it offers first: priority alone decides.
  Client client(plugin_config({tips, surveys}, kTipAndSurvey));
  client.track("open_note");
  client.track("search");
  client.track("edit_note");
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(surveys_shown.items(), std::vector<std::string>{"nps-q4"});
  EXPECT_EQ(tips_shown.size(), 0u) << "one prompt per session, and the survey outranks the tip";
  EXPECT_NE(tips->explain("tip-export").reason.find("max_prompts_per_session"), std::string::npos)
      << tips->explain("tip-export").reason;
  EXPECT_NE(tips->explain("tip-export").reason.find("attention budget"), std::string::npos);

  new_session(client);  // the survey reached max_impressions: the tip's turn
  client.track("search");
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(tips_shown.items(), std::vector<std::string>{"tip-export"});
  EXPECT_EQ(surveys_shown.size(), 1u);
  EXPECT_EQ(tracked("$survey_shown").size(), 1u);
  EXPECT_EQ(tracked("$tip_shown").size(), 1u);
}

TEST_F(AttentionBudget, ATipOfHigherPriorityWinsOverASurvey) {
  const std::string config = R"({
    "tips": [{"id": "tip-export", "feature": "export_pdf", "priority": 50}],
    "surveys": [{"id": "nps-q4", "kind": "nps", "question": "Recommend us?", "priority": 20}],
    "limits": {"max_prompts_per_session": 1}})";
  Presented<std::string> shown;
  auto tips = std::make_shared<FeatureTips>([&](const Tip& t) { shown.add(t.id); });
  auto surveys = std::make_shared<Surveys>([&](const Survey& s) { shown.add(s.id); });
  Client client(plugin_config({surveys, tips}, config));
  client.track("open_note");
  client.track("search");
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(shown.items(), std::vector<std::string>{"tip-export"});
  EXPECT_NE(surveys->explain("nps-q4").reason.find("max_prompts_per_session"), std::string::npos)
      << surveys->explain("nps-q4").reason;
}

TEST_F(AttentionBudget, TheControlGroupIsRecordedOnlyWhereItsTipWouldHaveWon) {
  // Every install in the tip's control group; the survey outranks the tip in the first session.
  const std::string config = R"({
    "tips": [{"id": "tip-export", "feature": "export_pdf", "priority": 5, "holdout_pct": 100}],
    "surveys": [{"id": "nps-q4", "kind": "nps", "question": "Recommend us?", "priority": 20,
                 "max_impressions": 1}],
    "limits": {"max_tips_per_session": 1, "max_prompts_per_session": 1}})";
  Presented<std::string> shown;
  auto tips = std::make_shared<FeatureTips>([&](const Tip& t) { shown.add(t.id); });
  auto surveys = std::make_shared<Surveys>([&](const Survey& s) { shown.add(s.id); });
  Client client(plugin_config({tips, surveys}, config));
  client.track("open_note");
  client.track("search");
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(shown.items(), std::vector<std::string>{"nps-q4"});
  EXPECT_EQ(tracked("$tip_held_out").size(), 0u)
      << "the survey won the round: a shown tip would not have shown either";

  new_session(client);  // the survey is done: now the tip would have won
  client.track("search");
  client.track("edit_note");
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(tracked("$tip_held_out").size(), 1u);
  EXPECT_EQ(shown.items(), std::vector<std::string>{"nps-q4"}) << "the control never sees it";
  EXPECT_NE(tips->explain("tip-export").reason.find("max_tips_per_session"), std::string::npos)
      << "the held-out turn counts as the session's tip: " << tips->explain("tip-export").reason;
}

TEST_F(AttentionBudget, EqualPrioritiesGoToTheFirstOffer) {
  auto first = std::make_shared<Prober>("first", 7);
  auto second = std::make_shared<Prober>("second", 7);
  Client client(plugin_config({first, second}, R"({"limits": {}})"));
  client.track("open_note");
  client.track("search");
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(first->shown.load(), 2) << "no limits: one prompt per event, the first offer's";
  EXPECT_EQ(second->shown.load(), 0);
}

TEST_F(AttentionBudget, TheDayCapAndTheGapHoldOverSimulatedDays) {
  auto probe = std::make_shared<Prober>("probe");
  Client client(plugin_config(
      {probe}, R"({"limits": {"max_prompts_per_day": 2, "min_minutes_between_prompts": 30}})"));
  step(client, "open_note");  // 08:00: shown
  clock_.advance(10 * kMinute);
  step(client, "search");  // 08:10: within 30 minutes
  EXPECT_EQ(probe->shown.load(), 1);
  clock_.advance(25 * kMinute);
  step(client, "search");  // 08:35 (a new session too): shown
  for (int i = 0; i < 5; ++i) {
    clock_.advance(2 * kHour);
    step(client, "search");  // the day's two are used up, whatever the sessions
  }
  EXPECT_EQ(probe->shown.load(), 2);
  clock_.advance(kDay);
  step(client, "search");  // tomorrow
  step(client, "search");  // within 30 minutes
  clock_.advance(31 * kMinute);
  step(client, "search");
  clock_.advance(31 * kMinute);
  step(client, "search");  // the third of that day
  EXPECT_EQ(probe->shown.load(), 4);
}

TEST_F(AttentionBudget, ARestartInTheMiddleOfADayKeepsTheDaysCount) {
  const char* limits = R"({"limits": {"max_prompts_per_day": 2}})";
  {
    auto probe = std::make_shared<Prober>("probe");
    Client client(plugin_config({probe}, limits));
    step(client, "open_note");
    new_session(client);
    new_session(client);
    EXPECT_EQ(probe->shown.load(), 2);
  }
  ASSERT_TRUE(std::filesystem::exists(budget_file()));
  clock_.advance(kHour);
  auto probe = std::make_shared<Prober>("probe");
  Client client(plugin_config({probe}, limits));
  step(client, "search");
  new_session(client);
  EXPECT_EQ(probe->shown.load(), 0) << "the day's two prompts were shown before the restart";
  clock_.advance(kDay);
  step(client, "search");
  EXPECT_EQ(probe->shown.load(), 1);
}

// (The injected clock is the budget's monotonic clock too, so here every step forward is real
// time passing; the unit tests cover a wall clock that jumps while real time does not.)
TEST_F(AttentionBudget, AClockSetBackNeitherShortensTheGapNorStartsANewDay) {
  auto probe = std::make_shared<Prober>("probe");
  Client client(plugin_config(
      {probe}, R"({"limits": {"max_prompts_per_day": 1, "min_minutes_between_prompts": 60}})"));
  step(client, "open_note");  // 08:00: shown, the day's one
  clock_.advance(-kDay);
  step(client, "search");  // the clock says yesterday: still today's one prompt
  clock_.advance(-kDay);
  step(client, "search");
  ASSERT_EQ(probe->shown.load(), 1);
  EXPECT_TRUE(std::filesystem::exists(budget_file()));
  for (int i = 0; i < 15; ++i) {
    clock_.advance(kHour);  // 15 real hours: 23:00 of the day of the prompt
    step(client, "search");
  }
  EXPECT_EQ(probe->shown.load(), 1) << "the device's clock is two days behind, not in a new day";
  clock_.advance(2 * kHour);  // 01:00: the next day
  step(client, "search");
  EXPECT_EQ(probe->shown.load(), 2);
}

TEST_F(AttentionBudget, ANewRemoteConfigChangesTheLimitsAtOnce) {
  receiver_->set_remote_config(R"({"limits": {}})");
  auto probe = std::make_shared<Prober>("probe");
  Config c = plugin_config({probe}, "");
  c.fetch_remote_config = true;
  c.config_refresh_interval_ms = 50ms;
  Client client(c);
  ASSERT_TRUE(eventually([&] { return client.stats().config_fetches >= 1; }));
  client.track("open_note");
  client.track("search");
  client.track("search");
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(probe->shown.load(), 3) << "no limits";

  const int configs = probe->configs.load();
  receiver_->set_remote_config(R"({"limits": {"max_prompts_per_session": 4}})");
  ASSERT_TRUE(eventually([&] { return probe->configs.load() > configs; }));
  client.track("search");  // the 4th of the session
  client.track("search");
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(probe->shown.load(), 4);

  const int configs2 = probe->configs.load();
  receiver_->set_remote_config(R"({"limits": {"max_prompts_per_session": 6}})");
  ASSERT_TRUE(eventually([&] { return probe->configs.load() > configs2; }));
  client.track("search");
  client.track("search");
  client.track("search");
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(probe->shown.load(), 6);
}
