// The report shapes of METRICS.md built from each backend's figures (reports/figures.hpp):
// percentiles, ratios, sort orders, the tips interval and the kind-specific survey fields.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "reports/calendar.hpp"
#include "reports/figures.hpp"
#include "reports/render.hpp"

using namespace uptake::collector;

namespace {

const ReportTable& table(const Report& r, std::string_view name = "rows") {
  for (const ReportTable& t : r.tables) {
    if (t.name == name) return t;
  }
  ADD_FAILURE() << "no table " << name;
  static const ReportTable none;
  return none;
}

const ReportValue& cell(const ReportTable& t, std::size_t row, std::string_view column) {
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    if (t.columns[c] == column) return t.rows.at(row).at(c);
  }
  ADD_FAILURE() << "no column " << column;
  static const ReportValue none;
  return none;
}

const ReportValue& field(const Report& r, std::string_view name) {
  for (const auto& [n, v] : r.fields) {
    if (n == name) return v;
  }
  ADD_FAILURE() << "no field " << name;
  static const ReportValue none;
  return none;
}

std::int64_t integer(const ReportValue& v) {
  EXPECT_TRUE(std::holds_alternative<std::int64_t>(v));
  return std::holds_alternative<std::int64_t>(v) ? std::get<std::int64_t>(v) : -1;
}
double number(const ReportValue& v) {
  EXPECT_TRUE(std::holds_alternative<double>(v));
  return std::holds_alternative<double>(v) ? std::get<double>(v) : NAN;
}
std::string text(const ReportValue& v) {
  EXPECT_TRUE(std::holds_alternative<std::string>(v));
  return std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : "?";
}

// A column of a table as text, for checking sort orders.
std::vector<std::string> column(const ReportTable& t, std::string_view name) {
  std::vector<std::string> out;
  for (std::size_t r = 0; r < t.rows.size(); ++r) out.push_back(text(cell(t, r, name)));
  return out;
}

std::vector<std::string> field_names(const Report& r) {
  std::vector<std::string> out;
  for (const auto& [n, v] : r.fields) out.push_back(n);
  return out;
}

std::int64_t day(const char* ymd) {
  return parse_day(ymd).value();
}

}  // namespace

TEST(NearestRank, IsTheValueAtRankCeilingOfPTimesN) {
  const std::vector<std::int64_t> three = {10, 20, 30};
  EXPECT_EQ(nearest_rank(three, 1, 2), 20);    // ceil(1.5) = 2
  EXPECT_EQ(nearest_rank(three, 9, 10), 30);   // ceil(2.7) = 3
  EXPECT_EQ(nearest_rank(three, 1, 3), 10);    // exactly 1
  EXPECT_EQ(nearest_rank(three, 2, 3), 20);    // exactly 2
  EXPECT_EQ(nearest_rank(three, 1, 100), 10);  // p·n <= 1: rank 1
  EXPECT_EQ(nearest_rank(three, 1, 1), 30);
  EXPECT_EQ(nearest_rank({7}, 9, 10), 7);
  EXPECT_EQ(nearest_rank({}, 1, 2), 0);
}

TEST(NearestRank, UsesTheExactIntegerCeilingForEveryN) {
  // ceil(0.7 * 10) computed as 0.1 * 7 * 10 in floating point is 8; the rank is 7.
  for (std::int64_t n = 1; n <= 2000; ++n) {
    std::vector<std::int64_t> ranks(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) ranks[static_cast<std::size_t>(i)] = i + 1;
    for (const auto& [num, den] :
         std::initializer_list<std::pair<int, int>>{{1, 2}, {9, 10}, {7, 10}, {99, 100}, {1, 3}}) {
      const std::int64_t exact = std::max<std::int64_t>(1, (num * n + den - 1) / den);
      ASSERT_EQ(nearest_rank(ranks, num, den), exact) << num << "/" << den << " of " << n;
    }
  }
}

TEST(Ratio, IsZeroForAZeroDenominator) {
  EXPECT_EQ(ratio(3, 0), 0.0);
  EXPECT_EQ(ratio(0, 0), 0.0);
  EXPECT_EQ(ratio(1, 4), 0.25);
  EXPECT_EQ(ratio(6, 3), 2.0);
}

TEST(OverviewReport, FieldsInOrderAndActiveRate) {
  const Report r = overview_report({3, 12, 40, 7});
  EXPECT_EQ(field_names(r), (std::vector<std::string>{"active_users", "known_users", "active_rate",
                                                      "events", "sessions"}));
  EXPECT_EQ(integer(field(r, "active_users")), 3);
  EXPECT_EQ(integer(field(r, "known_users")), 12);
  EXPECT_EQ(number(field(r, "active_rate")), 0.25);
  EXPECT_EQ(integer(field(r, "events")), 40);
  EXPECT_EQ(integer(field(r, "sessions")), 7);
  EXPECT_EQ(number(field(overview_report({0, 0, 0, 0}), "active_rate")), 0.0);
}

TEST(FeaturesReport, SortsByUsersDescendingThenFeature) {
  const Report r = features_report(
      {{"beta", 5, 9, 1}, {"alpha", 5, 6, 5}, {"gamma", 9, 30, 0}, {"delta", 1, 1, 1}}, 10);
  const ReportTable& t = table(r);
  EXPECT_EQ(column(t, "feature"), (std::vector<std::string>{"gamma", "alpha", "beta", "delta"}));
  EXPECT_EQ(integer(cell(t, 0, "uses")), 30);
  EXPECT_EQ(number(cell(t, 0, "adoption_rate")), 0.9);
  EXPECT_EQ(number(cell(t, 1, "new_user_pct")), 100.0);
  EXPECT_EQ(number(cell(t, 2, "new_user_pct")), 20.0);
  EXPECT_EQ(r.csv_table, "rows");
}

TEST(FeaturesReport, RatiosWithZeroDenominatorsAreZero) {
  const Report r = features_report({{"f", 0, 0, 0}}, 0);
  EXPECT_EQ(number(cell(table(r), 0, "adoption_rate")), 0.0);
  EXPECT_EQ(number(cell(table(r), 0, "new_user_pct")), 0.0);
}

TEST(FirstActionReport, PercentilesAndAMeanRoundedDown) {
  const Report r = first_action_report(
      {{"export", {40, 10, 30, 20}, {500, 100, 300}}, {"share", {1, 2}, {}}, {"import", {}, {}}});
  const ReportTable& t = table(r);
  // Rows in the given order (the key actions' order).
  EXPECT_EQ(column(t, "feature"), (std::vector<std::string>{"export", "share", "import"}));
  EXPECT_EQ(integer(cell(t, 0, "users")), 4);
  EXPECT_EQ(integer(cell(t, 0, "p50_ms")), 20);
  EXPECT_EQ(integer(cell(t, 0, "p90_ms")), 40);
  EXPECT_EQ(integer(cell(t, 0, "mean_ms")), 25);
  EXPECT_EQ(integer(cell(t, 0, "device_p50_ms")), 300);
  EXPECT_EQ(integer(cell(t, 1, "mean_ms")), 1);  // 1.5 rounded down
  EXPECT_EQ(integer(cell(t, 1, "device_p50_ms")), 0);
  EXPECT_EQ(integer(cell(t, 2, "users")), 0);
  EXPECT_EQ(integer(cell(t, 2, "p50_ms")), 0);
  EXPECT_EQ(integer(cell(t, 2, "mean_ms")), 0);
}

TEST(StickinessReport, EveryDayOfTheWindowAndPowerUsersByDays) {
  StickinessFigures f;
  const std::int64_t d0 = day("2026-03-01");
  f.users_by_day = {{d0, 2}, {d0 + 2, 4}};
  f.users_by_day_count = {{2, 1}, {1, 3}};
  const Report r = stickiness_report(f, d0, d0 + 2);
  const ReportTable& dau = table(r, "dau");
  EXPECT_EQ(column(dau, "day"),
            (std::vector<std::string>{"2026-03-01", "2026-03-02", "2026-03-03"}));
  EXPECT_EQ(integer(cell(dau, 1, "users")), 0);  // a day without users is a row too
  EXPECT_EQ(integer(cell(dau, 2, "users")), 4);
  const ReportTable& power = table(r, "power_users");
  ASSERT_EQ(power.rows.size(), 2u);
  EXPECT_EQ(integer(cell(power, 0, "days")), 1);
  EXPECT_EQ(integer(cell(power, 0, "users")), 3);
  EXPECT_EQ(integer(cell(power, 1, "days")), 2);
  EXPECT_EQ(number(field(r, "avg_dau")), 2.0);
  EXPECT_EQ(integer(field(r, "mau")), 4);
  EXPECT_EQ(number(field(r, "stickiness")), 0.5);
  EXPECT_EQ(r.csv_table, "dau");
  EXPECT_EQ(number(field(stickiness_report({}, d0, d0), "stickiness")), 0.0);
}

TEST(FunnelReport, StagesInOrderConvertingFromAware) {
  const Report r = funnel_report({10, 5, 4, 1});
  const ReportTable& t = table(r);
  EXPECT_EQ(column(t, "stage"),
            (std::vector<std::string>{"aware", "interested", "trial", "adopted"}));
  EXPECT_EQ(number(cell(t, 0, "conversion")), 1.0);
  EXPECT_EQ(number(cell(t, 1, "conversion")), 0.5);
  EXPECT_EQ(number(cell(t, 3, "conversion")), 0.1);
  EXPECT_EQ(number(cell(table(funnel_report({})), 2, "conversion")), 0.0);
}

TEST(TipsReport, LiftIsNullWithoutAControlGroup) {
  const Report r = tips_report(
      {{"t-none-held-out", "f", 10, 2, 1, 4, 0, 0}, {"t-none-shown", "f", 0, 0, 0, 0, 5, 1}});
  const ReportTable& t = table(r);
  for (std::size_t row = 0; row < 2; ++row) {
    EXPECT_TRUE(std::holds_alternative<Null>(cell(t, row, "lift"))) << row;
    EXPECT_TRUE(std::holds_alternative<Null>(cell(t, row, "lift_ci95"))) << row;
  }
  EXPECT_EQ(number(cell(t, 0, "conversion_rate")), 0.4);
  EXPECT_EQ(number(cell(t, 0, "held_out_rate")), 0.0);
  EXPECT_EQ(number(cell(t, 1, "held_out_rate")), 0.2);
}

TEST(TipsReport, LiftAndItsNormalApproximationInterval) {
  const Report r = tips_report(
      {{"tip-b", "share", 100, 40, 10, 30, 50, 10}, {"tip-a", "export", 20, 0, 0, 20, 10, 10}});
  const ReportTable& t = table(r);
  EXPECT_EQ(column(t, "tip"), (std::vector<std::string>{"tip-a", "tip-b"}));
  // tip-b: c = 0.3, h = 0.2: lift c − h ± 1.96 √(c(1−c)/shown + h(1−h)/held_out).
  const double c = 30.0 / 100, h = 10.0 / 50;
  const double margin = 1.96 * std::sqrt(c * (1 - c) / 100 + h * (1 - h) / 50);
  EXPECT_NEAR(margin, 0.14269, 1e-5);
  EXPECT_DOUBLE_EQ(number(cell(t, 1, "lift")), 0.1);
  const auto& ci = std::get<NumberList>(cell(t, 1, "lift_ci95"));
  ASSERT_EQ(ci.size(), 2u);
  EXPECT_DOUBLE_EQ(ci[0], c - h - margin);
  EXPECT_DOUBLE_EQ(ci[1], c - h + margin);
  // tip-a: everyone converted on both sides: no lift, no spread.
  EXPECT_EQ(number(cell(t, 0, "lift")), 0.0);
  EXPECT_EQ(std::get<NumberList>(cell(t, 0, "lift_ci95")), (NumberList{0.0, 0.0}));
  EXPECT_EQ(text(cell(t, 0, "feature")), "export");
}

TEST(ProductAdoptionReport, RateIsAPercentageOfSignups) {
  const Report r = product_adoption_report({8, 2}, "2026-02");
  EXPECT_EQ(text(field(r, "month")), "2026-02");
  EXPECT_EQ(integer(field(r, "signups")), 8);
  EXPECT_EQ(integer(field(r, "new_mau")), 2);
  EXPECT_EQ(number(field(r, "product_adoption_rate")), 25.0);
  EXPECT_EQ(number(field(product_adoption_report({}, "2026-02"), "product_adoption_rate")), 0.0);
}

TEST(AccountsReport, HealthIsTheMeanOfActiveRateBreadthAndStickiness) {
  AccountFigures acme{"acme", "Acme Corp", 10, 5, 4, {5, 0}, 10};
  const Report r = accounts_report({acme}, 2, 4);
  const ReportTable& t = table(r);
  EXPECT_EQ(text(cell(t, 0, "name")), "Acme Corp");
  EXPECT_EQ(integer(cell(t, 0, "seats")), 10);
  EXPECT_EQ(number(cell(t, 0, "active_rate")), 0.5);
  EXPECT_EQ(number(cell(t, 0, "breadth")), 0.5);     // (5/5 + 0/5) / 2
  EXPECT_EQ(number(cell(t, 0, "stickiness")), 0.5);  // 10 person-days / 4 days / 5 users
  EXPECT_EQ(integer(cell(t, 0, "previous_active_users")), 4);
  EXPECT_EQ(number(cell(t, 0, "growth")), 0.25);
  EXPECT_DOUBLE_EQ(number(cell(t, 0, "health")), 50.0);
}

TEST(AccountsReport, ZeroDenominatorsGiveZero) {
  AccountFigures empty{"ghost", "", 0, 0, 0, {0}, 0};
  const Report r = accounts_report({empty}, 0, 7);
  const ReportTable& t = table(r);
  for (const char* c : {"active_rate", "breadth", "stickiness", "growth", "health"})
    EXPECT_EQ(number(cell(t, 0, c)), 0.0) << c;
}

TEST(AccountsReport, SortsByHealthAscendingThenAccount) {
  // The accounts that need attention come first.
  const Report r = accounts_report({{"zeta", "", 1, 1, 1, {}, 7},
                                    {"beta", "", 4, 1, 1, {}, 7},
                                    {"alpha", "", 4, 1, 1, {}, 7},
                                    {"omega", "", 10, 1, 1, {}, 7}},
                                   0, 7);
  EXPECT_EQ(column(table(r), "account"),
            (std::vector<std::string>{"omega", "alpha", "beta", "zeta"}));
}

TEST(ChampionsReport, OrdersByFeaturesKeyActionsActiveDaysThenPerson) {
  const Report r = champions_report({{"dora", "", 3, 1, 5, 10},
                                     {"carl", "acme", 3, 2, 1, 10},
                                     {"bob", "", 3, 1, 5, 99},
                                     {"ann", "", 2, 9, 9, 99},
                                     {"eve", "", 3, 1, 6, 1}},
                                    10);
  const ReportTable& t = table(r);
  EXPECT_EQ(column(t, "person"), (std::vector<std::string>{"carl", "eve", "bob", "dora", "ann"}));
  EXPECT_EQ(text(cell(t, 0, "account")), "acme");
  EXPECT_EQ(integer(cell(t, 2, "uses")), 99);
}

TEST(ChampionsReport, KeepsTheFirstLimitRows) {
  std::vector<ChampionFigures> rows;
  for (int i = 0; i < 30; ++i) rows.push_back({"p" + std::to_string(100 + i), "", i % 7, 0, 0, 0});
  const Report r = champions_report(rows, 3);
  EXPECT_EQ(column(table(r), "person"), (std::vector<std::string>{"p106", "p113", "p120"}));
  EXPECT_EQ(table(champions_report(rows, 1000)).rows.size(), 30u);
}

TEST(RetentionReport, RatesPerIntervalSortedByCohort) {
  const std::int64_t w1 = day("2026-03-09"), w0 = day("2026-03-02");
  const Report r = retention_report({{w1, 2, {2, 0}}, {w0, 4, {4, 2, 1}}, {w0 - 7, 0, {0}}});
  const ReportTable& t = table(r);
  EXPECT_EQ(column(t, "cohort"),
            (std::vector<std::string>{"2026-02-23", "2026-03-02", "2026-03-09"}));
  EXPECT_EQ(std::get<IntList>(cell(t, 1, "retained")), (IntList{4, 2, 1}));
  EXPECT_EQ(std::get<NumberList>(cell(t, 1, "rates")), (NumberList{1.0, 0.5, 0.25}));
  EXPECT_EQ(std::get<NumberList>(cell(t, 0, "rates")), (NumberList{0.0}));  // nobody: 0
}

TEST(RetentionReport, CsvHasOneLinePerCohortAndInterval) {
  const std::int64_t w0 = day("2026-03-02");
  const Report r = retention_report({{w0 + 7, 2, {2, 0}}, {w0, 4, {4, 2}}});
  ASSERT_TRUE(r.csv_lines);
  EXPECT_EQ(r.csv_lines->columns,
            (std::vector<std::string>{"cohort", "persons", "k", "retained", "rate"}));
  EXPECT_EQ(render_csv(r),
            "cohort,persons,k,retained,rate\r\n"
            "2026-03-02,4,0,4,1.0\r\n"
            "2026-03-02,4,1,2,0.5\r\n"
            "2026-03-09,2,0,2,1.0\r\n"
            "2026-03-09,2,1,0,0.0\r\n");
}

TEST(TrendsReport, SortsByPeriodThenFeature) {
  const std::int64_t d = day("2026-03-02");
  const Report r = trends_report({{d + 1, "b", 1, 1, 0, 3},
                                  {d, "b", 2, 5, 1, 2},
                                  {d + 1, "a", 0, 0, 0, 1},
                                  {d, "a", 1, 1, 1, 1}});
  const ReportTable& t = table(r);
  EXPECT_EQ(column(t, "period"),
            (std::vector<std::string>{"2026-03-02", "2026-03-02", "2026-03-03", "2026-03-03"}));
  EXPECT_EQ(column(t, "feature"), (std::vector<std::string>{"a", "b", "a", "b"}));
  EXPECT_EQ(integer(cell(t, 1, "uses")), 5);
  EXPECT_EQ(integer(cell(t, 3, "adopters")), 3);
}

TEST(ReleasesReport, NewestFirstSeenFirstThenVersionWithShares) {
  const std::int64_t d = day("2026-03-02");
  const Report r = releases_report(
      {{"2.0.0", d, 3, 30}, {"2.1.0", d + 5, 2, 4}, {"1.9.0", d, 4, 50}, {"2.1.1", d + 5, 1, 1}},
      8);
  const ReportTable& t = table(r);
  EXPECT_EQ(column(t, "app_version"),
            (std::vector<std::string>{"2.1.0", "2.1.1", "1.9.0", "2.0.0"}));
  EXPECT_EQ(text(cell(t, 0, "first_seen")), "2026-03-07");
  EXPECT_EQ(number(cell(t, 2, "share")), 0.5);
  EXPECT_EQ(integer(cell(t, 3, "events")), 30);
  EXPECT_EQ(number(cell(table(releases_report({{"1", d, 3, 3}}, 0)), 0, "share")), 0.0);
}

TEST(SurveysReport, NpsCountsPromotersPassivesAndDetractors) {
  SurveyFigures nps{"nps-q1", "nps", 10, 6, 1, {10, 9, 9, 8, 6, 0}, {}};
  const Report r = surveys_report({nps});
  const ReportTable& t = table(r);
  EXPECT_EQ(integer(cell(t, 0, "promoters")), 3);
  EXPECT_EQ(integer(cell(t, 0, "passives")), 1);
  EXPECT_EQ(integer(cell(t, 0, "detractors")), 2);
  EXPECT_DOUBLE_EQ(number(cell(t, 0, "nps")), 100.0 * (3 - 2) / 6);
  EXPECT_EQ(number(cell(t, 0, "response_rate")), 0.6);
  EXPECT_EQ(number(cell(t, 0, "csat")), 0.0);  // not a csat survey
  EXPECT_EQ(number(cell(t, 0, "mean_score")), 0.0);
  EXPECT_TRUE(std::get<Counts>(cell(t, 0, "choices")).empty());
}

TEST(SurveysReport, CsatHasAMeanScoreAndTheShareSatisfied) {
  SurveyFigures csat{"csat", "csat", 4, 4, 0, {5, 4, 3, 1}, {}};
  const Report r = surveys_report({csat});
  const ReportTable& t = table(r);
  EXPECT_EQ(number(cell(t, 0, "mean_score")), 3.25);
  EXPECT_EQ(integer(cell(t, 0, "satisfied")), 2);
  EXPECT_EQ(number(cell(t, 0, "csat")), 50.0);
  EXPECT_EQ(number(cell(t, 0, "nps")), 0.0);
  EXPECT_EQ(integer(cell(t, 0, "promoters")), 0);
}

TEST(SurveysReport, ChoicesAreCountedByNameAndOnlyInJson) {
  SurveyFigures choice{"pick", "choice", 5, 3, 0, {}, {{"yes", 2}, {"no", 1}}};
  const Report r = surveys_report({choice});
  const ReportTable& t = table(r);
  EXPECT_EQ(std::get<Counts>(cell(t, 0, "choices")), (Counts{{"no", 1}, {"yes", 2}}));
  EXPECT_EQ(number(cell(t, 0, "nps")), 0.0);
  EXPECT_EQ(r.json_only, std::vector<std::string>{"choices"});
}

TEST(SurveysReport, SortedBySurveyWithUnknownKindsAllZero) {
  const Report r = surveys_report({{"zz", "nps", 1, 1, 0, {10}, {}},
                                   {"gone", "", 3, 2, 1, {10, 10}, {{"a", 1}}},
                                   {"aa", "csat", 1, 1, 0, {5}, {}}});
  const ReportTable& t = table(r);
  EXPECT_EQ(column(t, "survey"), (std::vector<std::string>{"aa", "gone", "zz"}));
  EXPECT_EQ(text(cell(t, 1, "kind")), "");
  EXPECT_EQ(integer(cell(t, 1, "promoters")), 0);
  EXPECT_EQ(number(cell(t, 1, "mean_score")), 0.0);
  EXPECT_TRUE(std::get<Counts>(cell(t, 1, "choices")).empty());
  EXPECT_EQ(integer(cell(t, 1, "shown")), 3);
}
