// The survey rules, table by table: when a survey may be asked, in the order explain()
// reports them, and which answers fit which survey.
#include <gtest/gtest.h>

#include <functional>

#include "survey_rules.hpp"

using namespace uptake::surveys_detail;
using uptake::detail::SurveyKind;
using uptake::detail::SurveyRule;

namespace {

constexpr std::int64_t kDay = 86'400'000, kHour = 3'600'000, kNow = 1'800'000'000'000;
constexpr const char* kAnon = "0b6f3a52-4c1e-4d7a-9a3e-2f1d9b8c7e65";

SurveyRule base_rule() {
  SurveyRule r;
  r.id = "nps-q4";
  r.kind = SurveyKind::nps;
  r.question = "How likely are you to recommend us?";
  return r;
}

InstallHistory base_history() {
  InstallHistory h;
  h.install_ms = kNow - 10 * kDay;
  h.sessions = 5;
  h.used = {"export_pdf"};
  return h;
}

// An anonymous id in (or out of) the first `pct` percent of `survey`'s sample.
std::string anon_where(bool inside, const std::string& survey, double pct) {
  for (int i = 0;; ++i) {
    const std::string anon = "anon-" + std::to_string(i);
    if (in_sample(survey, anon, pct) == inside) return anon;
  }
}

struct Case {
  const char* name;
  std::function<void(SurveyRule&, InstallHistory&, std::string& anon, Moment&)> setup;
  const char* blocked_by;  // substring of the reason, or nullptr when it may be asked
};

}  // namespace

TEST(SurveyRules, EachRuleBlocksWhenItShould) {
  const std::vector<Case> cases = {
      {"eligible by default", [](auto&, auto&, auto&, auto&) {}, nullptr},
      {"answered on this install",
       [](auto&, auto& h, auto&, auto&) { h.surveys["nps-q4"].answered = true; },
       "already answered"},
      {"answered beats every other rule",
       [](auto& r, auto& h, auto&, auto&) {
         h.surveys["nps-q4"].answered = true;
         r.sample_pct = 0;
         r.ends_at = kNow - 1;
       },
       "already answered"},
      {"outside the sample",
       [](auto& r, auto&, auto& anon, auto&) {
         r.sample_pct = 30;
         anon = anon_where(false, r.id, 30);
       },
       "sample_pct 30"},
      {"inside the sample",
       [](auto& r, auto&, auto& anon, auto&) {
         r.sample_pct = 30;
         anon = anon_where(true, r.id, 30);
       },
       nullptr},
      {"a sample of 0 asks nobody", [](auto& r, auto&, auto&, auto&) { r.sample_pct = 0; },
       "sample"},
      {"max impressions",
       [](auto& r, auto& h, auto&, auto&) {
         r.max_impressions = 2;
         h.surveys["nps-q4"].impressions = 2;
       },
       "max_impressions"},
      {"under max impressions",
       [](auto& r, auto& h, auto&, auto&) {
         r.max_impressions = 2;
         h.surveys["nps-q4"].impressions = 1;
         h.surveys["nps-q4"].last_impression_ms = kNow - kDay;
       },
       nullptr},
      {"not started", [](auto& r, auto&, auto&, auto&) { r.starts_at = kNow + 1; }, "starts_at"},
      {"ended", [](auto& r, auto&, auto&, auto&) { r.ends_at = kNow; }, "ends_at"},
      {"running",
       [](auto& r, auto&, auto&, auto&) {
         r.starts_at = kNow - 1;
         r.ends_at = kNow + 1;
       },
       nullptr},
      {"app too old",
       [](auto& r, auto&, auto&, auto& m) {
         r.min_app_version = "2.10.0";
         m.app_version = "2.9.9";
       },
       "min_app_version"},
      {"app new enough",
       [](auto& r, auto&, auto&, auto& m) {
         r.min_app_version = "2.10.0";
         m.app_version = "2.10";
       },
       nullptr},
      {"too few sessions", [](auto& r, auto&, auto&, auto&) { r.when.min_sessions = 6; },
       "needs 6 sessions"},
      {"too soon after install",
       [](auto& r, auto&, auto&, auto&) { r.when.min_days_since_install = 11; },
       "days since install"},
      {"needs a used feature", [](auto& r, auto&, auto&, auto&) { r.when.used = {"share_link"}; },
       "share_link"},
      {"has the used feature", [](auto& r, auto&, auto&, auto&) { r.when.used = {"export_pdf"}; },
       nullptr},
      {"not_used violated", [](auto& r, auto&, auto&, auto&) { r.when.not_used = {"export_pdf"}; },
       "not_used"},
      {"cooldown after an impression",
       [](auto& r, auto& h, auto&, auto&) {
         r.cooldown_hours = 72;
         h.surveys["nps-q4"].impressions = 1;
         h.surveys["nps-q4"].last_impression_ms = kNow - 71 * kHour;
       },
       "cooldown"},
      {"cooldown over",
       [](auto& r, auto& h, auto&, auto&) {
         r.cooldown_hours = 72;
         h.surveys["nps-q4"].impressions = 1;
         h.surveys["nps-q4"].last_impression_ms = kNow - 73 * kHour;
       },
       nullptr},
      {"last shown on a date the clock has been set back from",
       [](auto& r, auto& h, auto&, auto&) {
         r.cooldown_hours = 72;
         h.surveys["nps-q4"].impressions = 1;
         h.surveys["nps-q4"].last_impression_ms = kNow + 400 * 24 * kHour;
       },
       nullptr},
      {"once per session",
       [](auto&, auto& h, auto&, auto&) {
         h.surveys["nps-q4"].impressions = 1;
         h.surveys["nps-q4"].shown_in_session = 5;
       },
       "this session"},
      {"asked in an earlier session",
       [](auto&, auto& h, auto&, auto&) {
         h.surveys["nps-q4"].impressions = 1;
         h.surveys["nps-q4"].shown_in_session = 4;
       },
       nullptr},
      {"waits for its event",
       [](auto& r, auto&, auto&, auto& m) {
         r.when.after_event = "export_pdf";
         m.trigger = "open_note";
       },
       "waits for event 'export_pdf'"},
      {"its event arrived",
       [](auto& r, auto&, auto&, auto& m) {
         r.when.after_event = "export_pdf";
         m.trigger = "export_pdf";
       },
       nullptr},
      {"any event, when asked without one",
       [](auto& r, auto&, auto&, auto& m) {
         r.when.after_event = "export_pdf";
         m.trigger = std::nullopt;
       },
       nullptr},
  };
  for (const Case& c : cases) {
    SurveyRule r = base_rule();
    InstallHistory h = base_history();
    std::string anon = kAnon;
    Moment m{kNow, "3.0.0", std::string_view("open_note")};
    c.setup(r, h, anon, m);
    const auto blocked = blocking_rule(r, h, anon, m);
    if (c.blocked_by) {
      ASSERT_TRUE(blocked.has_value()) << c.name;
      EXPECT_NE(blocked->find(c.blocked_by), std::string::npos) << c.name << ": " << *blocked;
    } else {
      EXPECT_FALSE(blocked.has_value()) << c.name << ": " << blocked.value_or("");
    }
  }
}

TEST(SurveyRules, TheSampleIsStableAndCloseToItsPercentage) {
  int inside = 0;
  constexpr int kInstalls = 20000;
  for (int i = 0; i < kInstalls; ++i) {
    const std::string anon = "install-" + std::to_string(i);
    const bool first = in_sample("nps-q4", anon, 30);
    EXPECT_EQ(first, in_sample("nps-q4", anon, 30));
    inside += first;
  }
  EXPECT_NEAR(inside, kInstalls * 0.30, kInstalls * 0.02);
  EXPECT_TRUE(in_sample("nps-q4", "anything", 100)) << "the default asks everyone";
  EXPECT_FALSE(in_sample("nps-q4", "anything", 0));
}

TEST(SurveyRules, AnswersMustFitTheSurvey) {
  struct AnswerCase {
    const char* name;
    SurveyKind kind;
    std::optional<std::int64_t> score;
    const char* choice;
    const char* problem;  // substring, or nullptr when it fits
  };
  const std::vector<AnswerCase> cases = {
      {"nps 0", SurveyKind::nps, 0, nullptr, nullptr},
      {"nps 10", SurveyKind::nps, 10, nullptr, nullptr},
      {"nps 11", SurveyKind::nps, 11, nullptr, "out of range"},
      {"nps -1", SurveyKind::nps, -1, nullptr, "0..10"},
      {"csat 1", SurveyKind::csat, 1, nullptr, nullptr},
      {"csat 5", SurveyKind::csat, 5, nullptr, nullptr},
      {"csat 0", SurveyKind::csat, 0, nullptr, "1..5"},
      {"csat 6", SurveyKind::csat, 6, nullptr, "out of range"},
      {"a choice for nps", SurveyKind::nps, std::nullopt, "red", "asks for a score"},
      {"a score for a choice survey", SurveyKind::choice, 3, nullptr, "asks for one of"},
      {"a listed choice", SurveyKind::choice, std::nullopt, "red", nullptr},
      {"an unknown choice", SurveyKind::choice, std::nullopt, "purple", "not one of the choices"},
      {"choices are exact", SurveyKind::choice, std::nullopt, "Red", "not one of the choices"},
  };
  for (const auto& c : cases) {
    SurveyRule r = base_rule();
    r.kind = c.kind;
    if (c.kind == SurveyKind::choice) r.choices = {"red", "green", "blue"};
    const auto problem = c.score ? score_problem(r, *c.score) : choice_problem(r, c.choice);
    if (c.problem) {
      ASSERT_TRUE(problem.has_value()) << c.name;
      EXPECT_NE(problem->find(c.problem), std::string::npos) << c.name << ": " << *problem;
    } else {
      EXPECT_FALSE(problem.has_value()) << c.name << ": " << problem.value_or("");
    }
  }
}
