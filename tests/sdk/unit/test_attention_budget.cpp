// The attention budget's decisions, table by table, and its file: the pure limits, the clock
// that never goes back, and what a restart, a torn file or a lost file leave behind.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>

#include "attention_budget.hpp"
#include "temp_dir.hpp"

using namespace uptake::detail;

namespace {

constexpr std::int64_t kMinute = 60'000, kHour = 60 * kMinute, kDay = 24 * kHour;
// 2027-01-15 12:00 UTC: mid-day, so "today" and "tomorrow" are unambiguous.
constexpr std::int64_t kNoon = 1'800'000'000'000 / kDay * kDay + 12 * kHour;

struct Case {
  const char* name;
  std::function<void(BudgetCounts&, PromptLimits&, std::int64_t& now)> setup;
  const char* blocked_by;  // substring of the reason, or nullptr when a prompt may show
};

}  // namespace

TEST(AttentionBudget, EachLimitBlocksWhenItShould) {
  const std::vector<Case> cases = {
      {"nothing shown, no limits", [](auto&, auto&, auto&) {}, nullptr},
      {"absent limits never block",
       [](auto& c, auto&, auto& now) {
         for (int i = 0; i < 50; ++i) count_prompt(c, now);
       },
       nullptr},
      {"session cap reached",
       [](auto& c, auto& l, auto& now) {
         l.max_prompts_per_session = 1;
         count_prompt(c, now - kHour);
       },
       "max_prompts_per_session"},
      {"session cap not reached",
       [](auto& c, auto& l, auto& now) {
         l.max_prompts_per_session = 2;
         count_prompt(c, now - kHour);
       },
       nullptr},
      {"a cap of zero blocks every prompt",
       [](auto&, auto& l, auto&) { l.max_prompts_per_session = 0; }, "max_prompts_per_session"},
      {"day cap reached",
       [](auto& c, auto& l, auto& now) {
         l.max_prompts_per_day = 2;
         count_prompt(c, now - 3 * kHour);
         count_prompt(c, now - 2 * kHour);
         c.session_prompts = 0;  // two sessions today
       },
       "max_prompts_per_day"},
      {"yesterday's prompts do not count today",
       [](auto& c, auto& l, auto& now) {
         l.max_prompts_per_day = 1;
         count_prompt(c, now - kDay);
       },
       nullptr},
      {"the day is a UTC day, not 24 hours",
       [](auto& c, auto& l, auto& now) {
         l.max_prompts_per_day = 1;
         count_prompt(c, now - 12 * kHour - kMinute);  // 23:59 yesterday
       },
       nullptr},
      {"minutes between prompts",
       [](auto& c, auto& l, auto& now) {
         l.min_minutes_between_prompts = 30;
         count_prompt(c, now - 29 * kMinute);
       },
       "min_minutes_between_prompts"},
      {"minutes between prompts passed",
       [](auto& c, auto& l, auto& now) {
         l.min_minutes_between_prompts = 30;
         count_prompt(c, now - 30 * kMinute);
       },
       nullptr},
      {"a lost file spends the day",
       [](auto& c, auto&, auto& now) { c.spent_day = budget_day(now); }, "could not be read"},
      {"a lost file spends that day only",
       [](auto& c, auto&, auto& now) { c.spent_day = budget_day(now) - 1; }, nullptr},
  };
  for (const Case& c : cases) {
    BudgetCounts counts;
    PromptLimits limits;
    std::int64_t now = kNoon;
    c.setup(counts, limits, now);
    const auto blocked = budget_blocks(counts, limits, now);
    if (c.blocked_by) {
      ASSERT_TRUE(blocked.has_value()) << c.name;
      EXPECT_NE(blocked->find(c.blocked_by), std::string::npos) << c.name << ": " << *blocked;
    } else {
      EXPECT_FALSE(blocked.has_value()) << c.name << ": " << blocked.value_or("");
    }
  }
}

TEST(AttentionBudget, ItsClockNeverGoesBackAndMovesOnByRealTime) {
  struct Step {
    const char* name;
    std::int64_t wall, mono, expect;
  };
  // One run: the wall clock goes forward, is set back a day, then runs on.
  const std::vector<Step> steps = {
      {"starts at the wall clock", kNoon, 0, kNoon},
      {"follows the wall clock", kNoon + kHour, kHour, kNoon + kHour},
      {"set back a day: holds", kNoon - kDay + kHour, kHour, kNoon + kHour},
      {"then moves by real time", kNoon - kDay + 2 * kHour, 2 * kHour, kNoon + 2 * kHour},
      {"a monotonic clock going back tells nothing", kNoon - kDay, kHour, kNoon + 2 * kHour},
      {"wall clock ahead again: follows", kNoon + 5 * kHour, 3 * kHour, kNoon + 5 * kHour},
  };
  BudgetClock clock;
  for (const Step& s : steps) {
    EXPECT_EQ(clock.peek(s.wall, s.mono), s.expect) << s.name;
    EXPECT_EQ(clock.advance(s.wall, s.mono), s.expect) << s.name;
  }
  // The next run starts from the high-water mark; its monotonic clock starts anew.
  BudgetClock next(clock.high_ms());
  EXPECT_EQ(next.advance(kNoon - kDay, 0), kNoon + 5 * kHour);
  EXPECT_EQ(next.advance(kNoon - kDay + kHour, kHour), kNoon + 6 * kHour);
}

TEST(AttentionBudget, SettingTheClockBackAndForthNeverResetsTheDay) {
  PromptLimits limits;
  limits.max_prompts_per_day = 1;
  BudgetClock clock;
  BudgetCounts counts;
  count_prompt(counts, clock.advance(kNoon, 0));
  // Back to yesterday, forward to today, back again: still today's one prompt.
  for (std::int64_t wall : {kNoon - kDay, kNoon + kMinute, kNoon - 2 * kDay}) {
    EXPECT_TRUE(budget_blocks(counts, limits, clock.advance(wall, 0))) << wall;
  }
  // A day of real time later it is tomorrow, whatever the wall clock says.
  EXPECT_FALSE(budget_blocks(counts, limits, clock.advance(kNoon - 2 * kDay, kDay)));
}

namespace {

class BudgetFile : public ::testing::Test {
 protected:
  std::filesystem::path file() const { return dir_.path() / "attention_budget.json"; }
  PromptLimits limits() const {
    PromptLimits l;
    l.max_prompts_per_day = 2;
    l.max_prompts_per_session = 5;
    return l;
  }
  uptake::test::TempDir dir_;
};

}  // namespace

TEST_F(BudgetFile, ARestartKeepsTheDaysCountAndTheSession) {
  {
    AttentionBudget b(file());
    b.load(kNoon, 0);
    b.set_limits(limits());
    b.count(kNoon, 0);
    b.count(kNoon + kHour, kHour);
  }  // no save(): every count is on disk at once
  AttentionBudget b(file());
  b.load(kNoon + 2 * kHour, 0);
  b.set_limits(limits());
  const auto blocked = b.blocks(kNoon + 2 * kHour, 0);
  ASSERT_TRUE(blocked);
  EXPECT_NE(blocked->find("2 prompts already shown today"), std::string::npos) << *blocked;
  EXPECT_FALSE(b.blocks(kNoon + kDay, 0)) << "tomorrow";
}

TEST_F(BudgetFile, AClockSetBackBeforeARestartDoesNotUnblock) {
  {
    AttentionBudget b(file());
    b.load(kNoon, 0);
    b.count(kNoon, 0);
    b.count(kNoon + 11 * kHour, 11 * kHour);  // 23:00
  }
  AttentionBudget b(file());
  b.load(kNoon - kDay, 0);  // the clock says yesterday
  b.set_limits(limits());
  EXPECT_TRUE(b.blocks(kNoon - kDay, 0));
  b.session_started(kNoon - kDay, 0);
  EXPECT_TRUE(b.blocks(kNoon - kDay + kMinute, kMinute)) << "a new session, the same day";
  EXPECT_FALSE(b.blocks(kNoon - kDay + kHour, kHour)) << "an hour of real time: tomorrow";
}

TEST_F(BudgetFile, ATornFileFallsBackToItsBackupAndCountsOneMore) {
  {
    AttentionBudget b(file());
    b.load(kNoon, 0);
    b.count(kNoon, 0);  // the backup will hold this save
    b.count(kNoon + kMinute, kMinute);
  }
  std::filesystem::resize_file(file(), std::filesystem::file_size(file()) / 2);
  AttentionBudget b(file());
  b.load(kNoon + kHour, 0);
  b.set_limits(limits());
  const auto blocked = b.blocks(kNoon + kHour, 0);
  ASSERT_TRUE(blocked) << "the backup's one prompt and the one it may miss";
  EXPECT_NE(blocked->find("max_prompts_per_day"), std::string::npos) << *blocked;
}

TEST_F(BudgetFile, ALostFileSpendsTheDayAndOnlyThatDay) {
  {
    AttentionBudget b(file());
    b.load(kNoon, 0);
    b.count(kNoon, 0);
    b.count(kNoon + kMinute, kMinute);
  }
  for (const char* suffix : {"", ".bak"}) {
    std::filesystem::path p = file();
    p += suffix;
    std::filesystem::resize_file(p, 3);
  }
  AttentionBudget b(file());
  b.load(kNoon + kHour, 0);
  const auto blocked = b.blocks(kNoon + kHour, 0);
  ASSERT_TRUE(blocked);
  EXPECT_NE(blocked->find("could not be read"), std::string::npos) << *blocked;
  EXPECT_FALSE(b.blocks(kNoon + kDay, 0));
  // The spent day is on disk again, readable.
  AttentionBudget again(file());
  again.load(kNoon + 2 * kHour, 0);
  EXPECT_TRUE(again.blocks(kNoon + 2 * kHour, 0));
}

TEST_F(BudgetFile, ANewSessionStartsTheSessionCountAgain) {
  PromptLimits l;
  l.max_prompts_per_session = 1;
  AttentionBudget b(file());
  b.load(kNoon, 0);
  b.set_limits(l);
  b.count(kNoon, 0);
  EXPECT_TRUE(b.blocks(kNoon + kMinute, kMinute));
  b.session_started(kNoon + kHour, kHour);
  EXPECT_FALSE(b.blocks(kNoon + kHour, kHour));
}

TEST_F(BudgetFile, ImplausibleValuesInTheFileAreIgnoredNotOverflowed) {
  // An edited or corrupted file that still parses: times and counts no install could write.
  std::ofstream(file()) << R"({"clock_high_ms":"9223372036854775807","session_prompts":)"
                        << R"("9223372036854775807","day":"-9223372036854775808","day_prompts":)"
                        << R"("-5","last_prompt_ms":"-9223372036854775808","spent_day":"x"})";
  AttentionBudget b(file());
  b.load(kNoon, 0);
  PromptLimits l = limits();
  l.min_minutes_between_prompts = 30;
  b.set_limits(l);
  EXPECT_FALSE(b.blocks(kNoon, 0)) << "nothing plausible was counted";
  b.count(kNoon, 0);
  b.count(std::numeric_limits<std::int64_t>::max(), 1);  // a broken host clock
  b.count(std::numeric_limits<std::int64_t>::min(), 2);
  EXPECT_TRUE(b.blocks(kNoon, 3));
}

TEST_F(BudgetFile, AClockFarBehindTheFileSpendsTodayThenFollowsTheClock) {
  constexpr std::int64_t kAhead = 400 * kDay;  // a run with the clock set a year ahead
  {
    AttentionBudget b(file());
    b.load(kNoon + kAhead, 0);
    b.count(kNoon + kAhead, 0);
  }
  AttentionBudget b(file());
  b.load(kNoon, 0);  // the clock corrected
  b.set_limits(limits());
  const auto blocked = b.blocks(kNoon + kHour, kHour);
  ASSERT_TRUE(blocked) << "setting the clock back must not give out attention";
  EXPECT_NE(blocked->find("far behind"), std::string::npos) << *blocked;
  EXPECT_FALSE(b.blocks(kNoon + kDay, kHour)) << "the next day by the clock, not in a year";
}
