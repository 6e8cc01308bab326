#include <gtest/gtest.h>

#include "tip_rules.hpp"

using namespace uptake::tips_detail;

namespace {

constexpr std::int64_t kDay = 86'400'000, kHour = 3'600'000, kNow = 1'800'000'000'000;

uptake::detail::TipRule base_rule() {
  uptake::detail::TipRule r;
  r.id = "tip-export";
  r.feature = "export_pdf";
  return r;
}

InstallHistory base_history() {
  InstallHistory h;
  h.install_ms = kNow - 10 * kDay;
  h.sessions = 5;
  return h;
}

struct Case {
  const char* name;
  std::function<void(uptake::detail::TipRule&, InstallHistory&, uptake::detail::PromptLimits&,
                     Moment&)>
      setup;
  const char* blocked_by;  // substring of the reason, or nullptr when it may show
};

}  // namespace

TEST(TipRules, EachRuleBlocksWhenItShould) {
  const std::vector<Case> cases = {
      {"eligible by default", [](auto&, auto&, auto&, auto&) {}, nullptr},
      {"feature already used", [](auto&, auto& h, auto&, auto&) { h.used.insert("export_pdf"); },
       "already used"},
      {"dismissed forever",
       [](auto&, auto& h, auto&, auto&) { h.tips["tip-export"].forever = true; },
       "not to see it again"},
      {"retired after ignoring",
       [](auto& r, auto& h, auto&, auto&) {
         r.retire_after_ignored = 2;
         h.tips["tip-export"].shown = 2;
       },
       "retired"},
      {"clicks are not ignoring",
       [](auto& r, auto& h, auto&, auto&) {
         r.retire_after_ignored = 2;
         h.tips["tip-export"].shown = 2;
         h.tips["tip-export"].interactions = 1;
         h.tips["tip-export"].last_shown_ms = kNow - 100 * kDay;
       },
       nullptr},
      {"max impressions",
       [](auto& r, auto& h, auto&, auto&) {
         r.max_impressions = 3;
         h.tips["tip-export"].shown = 3;
       },
       "max_impressions"},
      {"not started", [](auto& r, auto&, auto&, auto&) { r.starts_at = kNow + 1; }, "not started"},
      {"ended", [](auto& r, auto&, auto&, auto&) { r.ends_at = kNow; }, "ended"},
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
       "sessions"},
      {"too soon after install",
       [](auto& r, auto&, auto&, auto&) { r.when.min_days_since_install = 11; },
       "days since install"},
      {"needs a used feature",
       [](auto& r, auto&, auto&, auto&) { r.when.used = {"open_document"}; }, "open_document"},
      {"not_used violated",
       [](auto& r, auto& h, auto&, auto&) {
         r.when.not_used = {"share_link"};
         h.used.insert("share_link");
       },
       "not_used"},
      {"snoozed",
       [](auto&, auto& h, auto&, auto&) { h.tips["tip-export"].snooze_until_ms = kNow + 1; },
       "snoozed"},
      {"cooldown",
       [](auto& r, auto& h, auto&, auto&) {
         r.cooldown_hours = 24;
         h.tips["tip-export"].shown = 1;
         h.tips["tip-export"].last_shown_ms = kNow - 23 * kHour;
       },
       "cooldown"},
      {"cooldown over",
       [](auto& r, auto& h, auto&, auto&) {
         r.cooldown_hours = 24;
         h.tips["tip-export"].shown = 1;
         h.tips["tip-export"].last_shown_ms = kNow - 25 * kHour;
       },
       nullptr},
      {"last shown on a date the clock has been set back from",
       [](auto& r, auto& h, auto& l, auto&) {
         r.cooldown_hours = 24;
         l.min_minutes_between_tips = 30;
         h.tips["tip-export"].shown = 1;
         h.tips["tip-export"].last_shown_ms = kNow + 400 * 24 * kHour;
         h.last_tip_ms = kNow + 400 * 24 * kHour;
       },
       nullptr},
      {"session cap",
       [](auto&, auto& h, auto& l, auto&) {
         l.max_tips_per_session = 1;
         h.tips_this_session = 1;
       },
       "max_tips_per_session"},
      {"minutes between tips",
       [](auto&, auto& h, auto& l, auto&) {
         l.min_minutes_between_tips = 30;
         h.last_tip_ms = kNow - 29 * 60'000;
       },
       "minutes ago"},
      {"waits for its event",
       [](auto& r, auto&, auto&, auto& m) {
         r.when.after_event = "save_document";
         m.trigger = "open_note";
       },
       "save_document"},
      {"its event arrived",
       [](auto& r, auto&, auto&, auto& m) {
         r.when.after_event = "save_document";
         m.trigger = "save_document";
       },
       nullptr},
  };
  for (const Case& c : cases) {
    uptake::detail::TipRule r = base_rule();
    InstallHistory h = base_history();
    uptake::detail::PromptLimits l;
    Moment m{kNow, "3.0.0", std::string_view("open_note")};
    c.setup(r, h, l, m);
    const auto blocked = blocking_rule(r, h, l, m);
    if (c.blocked_by) {
      ASSERT_TRUE(blocked.has_value()) << c.name;
      EXPECT_NE(blocked->find(c.blocked_by), std::string::npos) << c.name << ": " << *blocked;
    } else {
      EXPECT_FALSE(blocked.has_value()) << c.name << ": " << blocked.value_or("");
    }
  }
}

TEST(TipRules, HoldoutIsStableAndCloseToItsPercentage) {
  int held = 0;
  constexpr int kInstalls = 20000;
  for (int i = 0; i < kInstalls; ++i) {
    const std::string anon = "anon-" + std::to_string(i);
    const bool first = in_holdout("tip-export", anon, 10);
    EXPECT_EQ(first, in_holdout("tip-export", anon, 10));
    held += first;
  }
  EXPECT_NEAR(held / static_cast<double>(kInstalls), 0.10, 0.01);
  EXPECT_FALSE(in_holdout("tip-export", "anything", 0));
  EXPECT_TRUE(in_holdout("tip-export", "anything", 100));
}

TEST(TipRules, VersionsCompareNumerically) {
  EXPECT_LT(compare_versions("2.9", "2.10"), 0);
  EXPECT_EQ(compare_versions("2.10", "2.10.0"), 0);
  EXPECT_GT(compare_versions("3.0.0-beta", "2.99"), 0);
  EXPECT_LT(compare_versions("2.3-beta2", "2.3.1"), 0) << "a part's suffix is not a part";
  EXPECT_EQ(compare_versions("v2.3", "2.3"), 0);
  EXPECT_GT(compare_versions("1.99999999999999999999999", "1.2"), 0) << "held, not overflowed";
}
