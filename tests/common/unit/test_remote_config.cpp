// The app's remote configuration (uptake_common/remote_config.hpp): the collector's strict
// validation, which names the first problem, and the devices' lenient reading.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "uptake_common/remote_config.hpp"

using namespace uptake::detail;

namespace {

// PROTOCOL.md's `GET /v1/config` example, verbatim.
constexpr std::string_view kProtocolExample = R"({
  "key_actions": ["export_pdf", "share_link"],
  "tips": [
    {
      "id": "tip-export-pdf",
      "feature": "export_pdf",
      "title": "Export to PDF",
      "body": "Press Ctrl+E to export the document as a PDF.",
      "when": {
        "min_sessions": 3,
        "min_days_since_install": 1,
        "not_used": ["export_pdf"],
        "used": ["open_document"],
        "after_event": "save_document"
      },
      "max_impressions": 3,
      "retire_after_ignored": 2,
      "cooldown_hours": 24,
      "priority": 10,
      "holdout_pct": 10,
      "starts_at": 1793491200000,
      "ends_at": null,
      "min_app_version": "2.3.0"
    }
  ],
  "surveys": [
    {
      "id": "nps-2026-q4",
      "kind": "nps",
      "question": "How likely are you to recommend Notes to a colleague?",
      "when": {"min_sessions": 5, "used": ["export_pdf"]},
      "max_impressions": 2,
      "cooldown_hours": 72,
      "priority": 20,
      "sample_pct": 30,
      "starts_at": null,
      "ends_at": null
    }
  ],
  "limits": {"max_tips_per_session": 1, "min_minutes_between_tips": 30,
             "max_prompts_per_session": 1, "min_minutes_between_prompts": 30,
             "max_prompts_per_day": 2}
})";

std::string problem(std::string_view json) {
  return validate_remote_config(json).value_or("");
}

// A config with one tip: {"id":"t","feature":"f", <extra>}.
std::string tip_with(const std::string& extra) {
  return R"({"tips":[{"id":"t","feature":"f")" + (extra.empty() ? "" : "," + extra) + "}]}";
}

// A config with one survey: {"id":"s","kind":<kind>,"question":"Q?", <extra>}.
std::string survey_with(const std::string& kind, const std::string& extra = "") {
  return R"({"surveys":[{"id":"s","kind":")" + kind + R"(","question":"Q?")" +
         (extra.empty() ? "" : "," + extra) + "}]}";
}

}  // namespace

TEST(ValidateRemoteConfig, AcceptsTheProtocolExampleVerbatim) {
  EXPECT_EQ(validate_remote_config(kProtocolExample), std::nullopt);
}

TEST(ValidateRemoteConfig, AcceptsAnEmptyConfigAndNullLists) {
  EXPECT_EQ(problem("{}"), "");
  EXPECT_EQ(problem(R"({"key_actions":null,"tips":null,"surveys":null,"limits":null})"), "");
  EXPECT_EQ(problem(R"({"key_actions":[],"tips":[],"surveys":[],"limits":{}})"), "");
  EXPECT_EQ(problem(R"({"future_setting":{"anything":[1,2]}})"), "");  // forward compatible
}

TEST(ValidateRemoteConfig, TheConfigMustBeAJsonObject) {
  EXPECT_EQ(problem(""), "The body is not valid JSON.");
  EXPECT_EQ(problem("{"), "The body is not valid JSON.");
  EXPECT_EQ(problem("[]"), "The config must be a JSON object.");
  EXPECT_EQ(problem("\"config\""), "The config must be a JSON object.");
}

TEST(ValidateRemoteConfig, KeyActionsAreStrings) {
  EXPECT_EQ(problem(R"({"key_actions":"export"})"), "key_actions must be an array of strings.");
  EXPECT_EQ(problem(R"({"key_actions":["export",1]})"), "key_actions must be an array of strings.");
}

TEST(ValidateRemoteConfig, NamesTheFirstProblemOfATip) {
  struct Case {
    std::string json, problem;
  };
  const Case cases[] = {
      {R"({"tips":{}})", "tips must be an array."},
      {R"({"tips":[1]})", "tips[0] must be an object."},
      {R"({"tips":[{"feature":"f"}]})", "tips[0].id must be a non-empty string."},
      {R"({"tips":[{"id":"","feature":"f"}]})", "tips[0].id must be a non-empty string."},
      {R"({"tips":[{"id":7,"feature":"f"}]})", "tips[0].id must be a non-empty string."},
      {R"({"tips":[{"id":"a","feature":"f"},{"id":"a","feature":"g"}]})",
       "tips[1].id 'a' is repeated."},
      {R"({"tips":[{"id":"t"}]})", "tips[0].feature must be a non-empty string."},
      {tip_with(R"("title":5)"), "tips[0].title must be a string."},
      {tip_with(R"("body":["x"])"), "tips[0].body must be a string."},
      {tip_with(R"("max_impressions":-1)"), "tips[0].max_impressions must not be negative."},
      {tip_with(R"("retire_after_ignored":"2")"), "tips[0].retire_after_ignored must be a number."},
      {tip_with(R"("cooldown_hours":-0.5)"), "tips[0].cooldown_hours must not be negative."},
      {tip_with(R"("priority":"high")"), "tips[0].priority must be a number."},
      {tip_with(R"("holdout_pct":101)"), "tips[0].holdout_pct must be a number from 0 to 100."},
      {tip_with(R"("holdout_pct":-1)"), "tips[0].holdout_pct must be a number from 0 to 100."},
      {tip_with(R"("holdout_pct":"10")"), "tips[0].holdout_pct must be a number from 0 to 100."},
      {tip_with(R"("holdout_pct":100.5)"), "tips[0].holdout_pct must be a number from 0 to 100."},
      {tip_with(R"("starts_at":"2026-01-01")"),
       "tips[0].starts_at must be epoch milliseconds or null."},
      {tip_with(R"("ends_at":1.5)"), "tips[0].ends_at must be epoch milliseconds or null."},
      {tip_with(R"("min_app_version":2)"), "tips[0].min_app_version must be a string."},
      {tip_with(R"("when":5)"), "tips[0].when must be an object."},
      {tip_with(R"("when":{"min_sessions":-1})"),
       "tips[0].when.min_sessions must be a non-negative number."},
      {tip_with(R"("when":{"min_days_since_install":"1"})"),
       "tips[0].when.min_days_since_install must be a non-negative number."},
      {tip_with(R"("when":{"used":"x"})"), "tips[0].when.used must be an array of strings."},
      {tip_with(R"("when":{"not_used":[1]})"),
       "tips[0].when.not_used must be an array of strings."},
      {tip_with(R"("when":{"after_event":1})"), "tips[0].when.after_event must be a string."},
      // The first problem, by tip and then by field:
      {R"({"tips":[{"id":"a","feature":"f"},{"id":"b","feature":"f","priority":"x"},{"id":""}]})",
       "tips[1].priority must be a number."},
      {tip_with(R"("title":1,"priority":"x")"), "tips[0].title must be a string."},
  };
  for (const Case& c : cases) EXPECT_EQ(problem(c.json), c.problem) << c.json;
}

TEST(ValidateRemoteConfig, AcceptsEveryValidTipField) {
  for (const char* extra :
       {R"("holdout_pct":0)", R"("holdout_pct":100)", R"("holdout_pct":12.5)",
        R"("starts_at":null,"ends_at":null)", R"("starts_at":0,"ends_at":1793491200000)",
        R"("max_impressions":0,"retire_after_ignored":0,"cooldown_hours":0.5)", R"("priority":-3)",
        R"("when":null)", R"("when":{})", R"("title":null)"}) {
    EXPECT_EQ(problem(tip_with(extra)), "") << extra;
  }
}

TEST(ValidateRemoteConfig, NamesTheFirstProblemOfASurvey) {
  struct Case {
    std::string json, problem;
  };
  const Case cases[] = {
      {R"({"surveys":"nps"})", "surveys must be an array."},
      {R"({"surveys":[null]})", "surveys[0] must be an object."},
      {R"({"surveys":[{"kind":"nps","question":"Q?"}]})",
       "surveys[0].id must be a non-empty string."},
      {R"({"surveys":[{"id":"s","kind":"nps","question":"Q?"},{"id":"s","kind":"csat","question":"Q?"}]})",
       "surveys[1].id 's' is repeated."},
      {R"({"surveys":[{"id":"s","question":"Q?"}]})",
       "surveys[0].kind must be nps, csat or choice."},
      {survey_with("stars"), "surveys[0].kind must be nps, csat or choice."},
      {survey_with("NPS"), "surveys[0].kind must be nps, csat or choice."},
      {R"({"surveys":[{"id":"s","kind":"nps"}]})",
       "surveys[0].question must be a non-empty string."},
      {R"({"surveys":[{"id":"s","kind":"nps","question":""}]})",
       "surveys[0].question must be a non-empty string."},
      {survey_with("choice"),
       "surveys[0].choices must be a non-empty array of strings for a choice survey."},
      {survey_with("choice", R"("choices":null)"),
       "surveys[0].choices must be a non-empty array of strings for a choice survey."},
      {survey_with("choice", R"("choices":[])"),
       "surveys[0].choices must be a non-empty array of strings for a choice survey."},
      {survey_with("choice", R"("choices":"yes,no")"),
       "surveys[0].choices must be a non-empty array of strings for a choice survey."},
      {survey_with("choice", R"("choices":["yes",1])"),
       "surveys[0].choices must hold non-empty strings."},
      {survey_with("choice", R"("choices":["yes",""])"),
       "surveys[0].choices must hold non-empty strings."},
      {survey_with("choice", R"("choices":["yes","no","yes"])"),
       "surveys[0].choices repeats 'yes'."},
      {survey_with("nps", R"("choices":["a"])"), "surveys[0].choices is only for choice surveys."},
      {survey_with("csat", R"("choices":[])"), "surveys[0].choices is only for choice surveys."},
      {survey_with("nps", R"("sample_pct":101)"),
       "surveys[0].sample_pct must be a number from 0 to 100."},
      {survey_with("nps", R"("sample_pct":-5)"),
       "surveys[0].sample_pct must be a number from 0 to 100."},
      {survey_with("nps", R"("max_impressions":-2)"),
       "surveys[0].max_impressions must not be negative."},
      {survey_with("nps", R"("cooldown_hours":"a day")"),
       "surveys[0].cooldown_hours must be a number."},
      {survey_with("nps", R"("priority":true)"), "surveys[0].priority must be a number."},
      {survey_with("nps", R"("ends_at":"never")"),
       "surveys[0].ends_at must be epoch milliseconds or null."},
      {survey_with("nps", R"("when":{"used":[1]})"),
       "surveys[0].when.used must be an array of strings."},
  };
  for (const Case& c : cases) EXPECT_EQ(problem(c.json), c.problem) << c.json;
}

TEST(ValidateRemoteConfig, AcceptsEveryValidSurveyShape) {
  EXPECT_EQ(problem(survey_with("nps")), "");
  EXPECT_EQ(problem(survey_with("csat", R"("sample_pct":0)")), "");
  EXPECT_EQ(problem(survey_with("nps", R"("sample_pct":100,"choices":null)")), "");
  EXPECT_EQ(problem(survey_with("choice", R"("choices":["Yes","yes","No"])")), "");
}

TEST(ValidateRemoteConfig, LimitsAreNonNegativeNumbers) {
  EXPECT_EQ(problem(R"({"limits":5})"), "limits must be an object.");
  EXPECT_EQ(problem(R"({"limits":[]})"), "limits must be an object.");
  for (const char* field :
       {"max_tips_per_session", "min_minutes_between_tips", "max_prompts_per_session",
        "min_minutes_between_prompts", "max_prompts_per_day"}) {
    const std::string name(field);
    const std::string expected = "limits." + name + " must be a non-negative number.";
    EXPECT_EQ(problem(R"({"limits":{")" + name + R"(":-1}})"), expected);
    EXPECT_EQ(problem(R"({"limits":{")" + name + R"(":"2"}})"), expected);
    EXPECT_EQ(problem(R"({"limits":{")" + name + R"(":0}})"), "") << name;
    EXPECT_EQ(problem(R"({"limits":{")" + name + R"(":null}})"), "") << name;
  }
}

TEST(ParseRemoteConfig, ReadsEveryFieldOfTheProtocolExample) {
  const RemoteConfig c = parse_remote_config(kProtocolExample);
  EXPECT_EQ(c.key_actions, (std::vector<std::string>{"export_pdf", "share_link"}));
  ASSERT_EQ(c.tips.size(), 1u);
  const TipRule& t = c.tips[0];
  EXPECT_EQ(t.id, "tip-export-pdf");
  EXPECT_EQ(t.feature, "export_pdf");
  EXPECT_EQ(t.title, "Export to PDF");
  EXPECT_EQ(t.body, "Press Ctrl+E to export the document as a PDF.");
  EXPECT_EQ(t.when.min_sessions, 3);
  EXPECT_EQ(t.when.min_days_since_install, 1);
  EXPECT_EQ(t.when.not_used, std::vector<std::string>{"export_pdf"});
  EXPECT_EQ(t.when.used, std::vector<std::string>{"open_document"});
  EXPECT_EQ(t.when.after_event, "save_document");
  EXPECT_EQ(t.max_impressions, 3);
  EXPECT_EQ(t.retire_after_ignored, 2);
  EXPECT_EQ(t.cooldown_hours, 24);
  EXPECT_EQ(t.priority, 10);
  EXPECT_EQ(t.holdout_pct, 10);
  EXPECT_EQ(t.starts_at, 1'793'491'200'000);
  EXPECT_EQ(t.ends_at, std::nullopt);
  EXPECT_EQ(t.min_app_version, "2.3.0");

  ASSERT_EQ(c.surveys.size(), 1u);
  const SurveyRule& s = c.surveys[0];
  EXPECT_EQ(s.id, "nps-2026-q4");
  EXPECT_EQ(s.kind, SurveyKind::nps);
  EXPECT_EQ(s.question, "How likely are you to recommend Notes to a colleague?");
  EXPECT_TRUE(s.choices.empty());
  EXPECT_EQ(s.when.min_sessions, 5);
  EXPECT_EQ(s.when.used, std::vector<std::string>{"export_pdf"});
  EXPECT_TRUE(s.when.not_used.empty());
  EXPECT_EQ(s.max_impressions, 2);
  EXPECT_EQ(s.cooldown_hours, 72);
  EXPECT_EQ(s.priority, 20);
  EXPECT_EQ(s.sample_pct, 30);
  EXPECT_EQ(s.starts_at, std::nullopt);
  EXPECT_EQ(s.ends_at, std::nullopt);

  EXPECT_EQ(c.limits.max_tips_per_session, 1);
  EXPECT_EQ(c.limits.min_minutes_between_tips, 30);
  EXPECT_EQ(c.limits.max_prompts_per_session, 1);
  EXPECT_EQ(c.limits.min_minutes_between_prompts, 30);
  EXPECT_EQ(c.limits.max_prompts_per_day, 2);
}

TEST(ParseRemoteConfig, ReadsEveryFieldOfAChoiceSurvey) {
  const RemoteConfig c = parse_remote_config(R"({"surveys":[{
      "id":"pick","kind":"choice","question":"Which?","choices":["a","b"],
      "when":{"min_days_since_install":2.5,"not_used":["x"],"after_event":"save"},
      "max_impressions":4,"cooldown_hours":1.5,"priority":-1,"sample_pct":12.5,
      "starts_at":1000,"ends_at":2000,"min_app_version":"3.0"}]})");
  ASSERT_EQ(c.surveys.size(), 1u);
  const SurveyRule& s = c.surveys[0];
  EXPECT_EQ(s.kind, SurveyKind::choice);
  EXPECT_EQ(s.choices, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s.when.min_days_since_install, 2.5);
  EXPECT_EQ(s.when.not_used, std::vector<std::string>{"x"});
  EXPECT_EQ(s.when.after_event, "save");
  EXPECT_EQ(s.max_impressions, 4);
  EXPECT_EQ(s.cooldown_hours, 1.5);
  EXPECT_EQ(s.priority, -1);
  EXPECT_EQ(s.sample_pct, 12.5);
  EXPECT_EQ(s.starts_at, 1000);
  EXPECT_EQ(s.ends_at, 2000);
  EXPECT_EQ(s.min_app_version, "3.0");
}

TEST(ParseRemoteConfig, ReadsTheAttentionBudget) {
  const RemoteConfig c = parse_remote_config(
      R"({"limits":{"max_tips_per_session":2,"min_minutes_between_tips":15,
                    "max_prompts_per_session":3,"min_minutes_between_prompts":45.5,
                    "max_prompts_per_day":4}})");
  EXPECT_EQ(c.limits.max_tips_per_session, 2);
  EXPECT_EQ(c.limits.min_minutes_between_tips, 15);
  EXPECT_EQ(c.limits.max_prompts_per_session, 3);
  EXPECT_EQ(c.limits.min_minutes_between_prompts, 45.5);
  EXPECT_EQ(c.limits.max_prompts_per_day, 4);
  // An explicit zero is a limit, not an absent one.
  const RemoteConfig zero = parse_remote_config(
      R"({"limits":{"max_tips_per_session":0,"max_prompts_per_session":0,"max_prompts_per_day":0}})");
  EXPECT_EQ(zero.limits.max_tips_per_session, 0);
  EXPECT_EQ(zero.limits.max_prompts_per_session, 0);
  EXPECT_EQ(zero.limits.max_prompts_per_day, 0);
}

TEST(ParseRemoteConfig, AbsentLimitsDoNotRestrict) {
  for (const char* json : {"{}", R"({"limits":{}})", R"({"limits":"none"})",
                           R"({"limits":{"max_prompts_per_day":"two"}})"}) {
    const RemoteConfig c = parse_remote_config(json);
    EXPECT_EQ(c.limits.max_tips_per_session, 1) << json;  // the historical default
    EXPECT_EQ(c.limits.min_minutes_between_tips, 0) << json;
    EXPECT_EQ(c.limits.max_prompts_per_session, std::nullopt) << json;
    EXPECT_EQ(c.limits.min_minutes_between_prompts, 0) << json;
    EXPECT_EQ(c.limits.max_prompts_per_day, std::nullopt) << json;
  }
}

TEST(ParseRemoteConfig, AMalformedDocumentIsTheEmptyConfig) {
  for (const char* json : {"", "not json", "[]", "{\"tips\":", "42"}) {
    const RemoteConfig c = parse_remote_config(json);
    EXPECT_TRUE(c.key_actions.empty()) << json;
    EXPECT_TRUE(c.tips.empty()) << json;
    EXPECT_TRUE(c.surveys.empty()) << json;
    EXPECT_EQ(c.limits.max_tips_per_session, 1) << json;
  }
}

TEST(ParseRemoteConfig, SkipsMalformedTipsAndDefaultsMalformedFields) {
  const RemoteConfig c = parse_remote_config(R"({"key_actions":["a",1,"b"],"tips":[
      1,
      {"id":"no-feature"},
      {"id":"","feature":"f"},
      {"id":"lenient","feature":"f","priority":"high","holdout_pct":"x","starts_at":"soon",
       "max_impressions":"3","when":5,"title":7},
      {"id":"kept","feature":"g","when":{"min_sessions":"x","used":["u",2]}}]})");
  EXPECT_EQ(c.key_actions, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(c.tips.size(), 2u);
  const TipRule& t = c.tips[0];
  EXPECT_EQ(t.id, "lenient");
  EXPECT_EQ(t.priority, 0);
  EXPECT_EQ(t.holdout_pct, 0);
  EXPECT_EQ(t.starts_at, std::nullopt);
  EXPECT_EQ(t.max_impressions, 0);
  EXPECT_EQ(t.title, "");
  EXPECT_EQ(t.when.min_sessions, 0);
  EXPECT_EQ(c.tips[1].id, "kept");  // in config order
  EXPECT_EQ(c.tips[1].when.min_sessions, 0);
  EXPECT_EQ(c.tips[1].when.used, std::vector<std::string>{"u"});
}

TEST(ParseRemoteConfig, SkipsMalformedSurveysAndDefaultsTheirFields) {
  const RemoteConfig c = parse_remote_config(R"({"surveys":[
      {"id":"unknown-kind","kind":"stars","question":"?"},
      {"kind":"nps","question":"no id"},
      {"id":"choice-without-choices","kind":"choice"},
      {"id":"choice-without-string-choices","kind":"choice","choices":[1,2]},
      {"id":"some-choices","kind":"choice","choices":[1,"yes"]},
      {"id":"bare","kind":"csat"}]})");
  ASSERT_EQ(c.surveys.size(), 2u);
  EXPECT_EQ(c.surveys[0].id, "some-choices");
  EXPECT_EQ(c.surveys[0].choices, std::vector<std::string>{"yes"});
  const SurveyRule& bare = c.surveys[1];
  EXPECT_EQ(bare.kind, SurveyKind::csat);
  EXPECT_EQ(bare.question, "");
  EXPECT_EQ(bare.sample_pct, 100);  // everyone, unless sampled
  EXPECT_EQ(bare.max_impressions, 0);
  EXPECT_EQ(bare.starts_at, std::nullopt);
}

TEST(SurveyKinds, HaveTheirNamesAndScoreRanges) {
  EXPECT_EQ(survey_kind_name(SurveyKind::nps), "nps");
  EXPECT_EQ(survey_kind_name(SurveyKind::csat), "csat");
  EXPECT_EQ(survey_kind_name(SurveyKind::choice), "choice");
  for (std::int64_t s = 0; s <= 10; ++s) EXPECT_TRUE(survey_score_in_range(SurveyKind::nps, s));
  EXPECT_FALSE(survey_score_in_range(SurveyKind::nps, -1));
  EXPECT_FALSE(survey_score_in_range(SurveyKind::nps, 11));
  for (std::int64_t s = 1; s <= 5; ++s) EXPECT_TRUE(survey_score_in_range(SurveyKind::csat, s));
  EXPECT_FALSE(survey_score_in_range(SurveyKind::csat, 0));
  EXPECT_FALSE(survey_score_in_range(SurveyKind::csat, 6));
  for (std::int64_t s : {-1, 0, 1, 5, 10})
    EXPECT_FALSE(survey_score_in_range(SurveyKind::choice, s));
}

TEST(ParseRemoteConfig, CountsBeyondAnInt64AreHeldNotWrapped) {
  const RemoteConfig c = parse_remote_config(R"({"tips":[{"id":"t","feature":"f",
    "max_impressions":1e20,"retire_after_ignored":-3}],
    "surveys":[{"id":"s","kind":"nps","max_impressions":1e300}],
    "limits":{"max_prompts_per_day":1e30}})");
  ASSERT_EQ(c.tips.size(), 1u);
  EXPECT_EQ(c.tips[0].max_impressions, std::int64_t{1} << 53);
  EXPECT_EQ(c.tips[0].retire_after_ignored, 0);
  ASSERT_EQ(c.surveys.size(), 1u);
  EXPECT_EQ(c.surveys[0].max_impressions, std::int64_t{1} << 53);
  EXPECT_EQ(c.limits.max_prompts_per_day, std::int64_t{1} << 53);
}

TEST(ValidateRemoteConfig, IdsWithControlCharactersAreRefusedAndSkipped) {
  const std::string config = R"({"tips":[{"id":"tip\nexport","feature":"f"}],
    "surveys":[{"id":"nps\tq4","kind":"nps"}]})";
  const auto problem = validate_remote_config(config);
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("tips[0].id must not contain control characters"), std::string::npos)
      << *problem;
  const RemoteConfig c = parse_remote_config(config);
  EXPECT_TRUE(c.tips.empty());
  EXPECT_TRUE(c.surveys.empty());
}
