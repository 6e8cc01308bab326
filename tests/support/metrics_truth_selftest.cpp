// Hand-computed cases for the brute-force truth of METRICS.md (metrics_truth.hpp): the truth
// must itself be right before it can judge the collector.

#include "metrics_truth.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace json = boost::json;
using namespace uptake::truth;

namespace {

// 2026-03-02 is a Monday.
const std::int64_t D = day_from_ymd(2026, 3, 2);
std::int64_t at(std::int64_t day, std::int64_t ms_in_day = 0) {
  return day * kDayMs + ms_in_day;
}
constexpr std::int64_t kHour = 3'600'000;

TruthEvent track(std::string id, std::string anon, std::string user, std::string name,
                 std::int64_t ts, std::string props = "", std::string session = "",
                 std::string version = "") {
  TruthEvent e;
  e.id = std::move(id);
  e.type = "track";
  e.anon = std::move(anon);
  e.user = std::move(user);
  e.name = std::move(name);
  e.ts = ts;
  e.props_json = std::move(props);
  e.session = std::move(session);
  e.app_version = std::move(version);
  return e;
}

TruthEvent identify(std::string id, std::string anon, std::string user, std::int64_t ts,
                    std::string props = "") {
  TruthEvent e;
  e.id = std::move(id);
  e.type = "identify";
  e.anon = std::move(anon);
  e.user = std::move(user);
  e.ts = ts;
  e.props_json = std::move(props);
  return e;
}

TruthEvent group(std::string id, std::string anon, std::string user, std::string account,
                 std::int64_t ts, std::string props = "") {
  TruthEvent e;
  e.id = std::move(id);
  e.type = "group";
  e.anon = std::move(anon);
  e.user = std::move(user);
  e.account = std::move(account);
  e.ts = ts;
  e.props_json = std::move(props);
  return e;
}

void expect_json(const json::value& expected, const json::value& actual) {
  auto diffs = compare_json(expected, actual);
  std::string all;
  for (const auto& d : diffs) all += d + "\n";
  EXPECT_TRUE(diffs.empty()) << all << "actual: " << json::serialize(actual);
}

}  // namespace

TEST(MetricsTruth, DaysWeeksAndPercentiles) {
  EXPECT_EQ(format_day(0), "1970-01-01");
  EXPECT_EQ(format_day(D), "2026-03-02");
  EXPECT_EQ(parse_day("2026-03-02"), D);
  EXPECT_EQ(parse_day("2024-02-29"), day_from_ymd(2024, 2, 29));
  EXPECT_THROW(parse_day("2026-02-29"), std::invalid_argument);
  EXPECT_EQ(day_of(-1), -1);
  EXPECT_EQ(day_of(kDayMs - 1), 0);
  EXPECT_EQ(format_day(week_monday(0)), "1969-12-29");  // 1970-01-01 was a Thursday
  EXPECT_EQ(week_monday(D), D);
  EXPECT_EQ(week_monday(D + 6), D);
  EXPECT_EQ(week_monday(D + 7), D + 7);
  EXPECT_EQ(week_monday(D - 1), D - 7);

  EXPECT_EQ(nearest_rank({}, 1, 2), 0);
  EXPECT_EQ(nearest_rank({7}, 9, 10), 7);
  EXPECT_EQ(nearest_rank({5, 1, 3, 2}, 1, 2), 2);  // rank ceil(2) = 2
  EXPECT_EQ(nearest_rank({5, 1, 3}, 1, 2), 3);     // rank ceil(1.5) = 2 -> 3
  std::vector<std::int64_t> twenty;
  for (int i = 1; i <= 20; ++i) twenty.push_back(i);
  EXPECT_EQ(nearest_rank(twenty, 9, 10), 18);    // exactly rank 18, no 18.000000000000004
  EXPECT_EQ(nearest_rank({10, 20}, 1, 10), 10);  // p*n <= 1: rank 1
}

TEST(MetricsTruth, DedupKeepsFirstOccurrence) {
  std::vector<TruthEvent> evs = {track("e1", "a1", "", "edit", at(D, 1)),
                                 track("e1", "a1", "", "share", at(D, 2)),
                                 track("e2", "a1", "", "edit", at(D, 3))};
  auto d = dedup(evs);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].name, "edit");
  auto o = truth_overview(evs, {}, D, D, {});
  EXPECT_EQ(o.at("events").as_int64(), 2);
  auto f = truth_features(evs, {}, D, D, {});
  expect_json(json::parse(R"({"rows":[{"feature":"edit","users":1,"uses":2}]})"), f);
}

TEST(MetricsTruth, IdentifyArrivingAfterTheEventsTiesThemToTheUser) {
  std::vector<TruthEvent> evs = {
      track("e1", "a1", "", "edit", at(D, 1)),
      track("e2", "a1", "", "edit", at(D, 2), "", "s1"),
      track("e3", "a1", "u1", "share", at(D + 1, 5)),
      identify("e4", "a1", "u1", at(D + 2, 0)),  // after the anonymous events
      // anon a2: several identify events; the earliest wins, whatever the arrival order.
      identify("e5", "a2", "late", at(D, 500)),
      identify("e6", "a2", "early", at(D, 100)),
      track("e7", "a2", "", "edit", at(D, 50)),
      // anon a3: equal times: the byte-wise smaller user.
      identify("e8", "a3", "zed", at(D, 10)),
      identify("e9", "a3", "Ann", at(D, 10)),
      track("e10", "a3", "", "edit", at(D, 20)),
  };
  EXPECT_EQ(truth_person_of(evs, "e1"), "u1");
  EXPECT_EQ(truth_person_of(evs, "e7"), "early");
  EXPECT_EQ(truth_person_of(evs, "e5"), "late");  // an identify belongs to its own user
  EXPECT_EQ(truth_person_of(evs, "e10"), "Ann");

  auto o = truth_overview(evs, {}, D, D + 2, {});
  // Persons: u1, early, late, Ann, zed (identify events are events).
  expect_json(json::parse(R"({"from":"2026-03-02","to":"2026-03-04","active_users":5,
                              "known_users":5,"active_rate":1.0,"events":10,"sessions":1})"),
              o);

  auto c = truth_champions(evs, {}, D, D + 2, {}, 1);
  expect_json(json::parse(R"({"rows":[{"person":"u1","account":"","features":2,
                              "key_actions":2,"active_days":3,"uses":3}]})"),
              c);
}

TEST(MetricsTruth, PersonMovingBetweenAccountsBelongsToTheLatest) {
  std::vector<TruthEvent> evs = {
      group("g1", "a1", "u1", "acme", at(D, 0), R"({"name":"Acme Inc"})"),
      track("e1", "a1", "u1", "edit", at(D, 10)),
      group("g2", "a1", "u1", "beta", at(D + 1, 0), R"({"name":"Beta","tier":"gold"})"),
      track("e2", "a1", "u1", "edit", at(D + 1, 10)),
      // u2 stays in acme but is only active before the window.
      group("g3", "a2", "u2", "acme", at(D - 1, 0)),
  };
  EXPECT_EQ(truth_account_of(evs, "u1"), "beta");
  TruthConfig cfg{{"edit"}, {}};
  auto a = truth_accounts(evs, cfg, D, D + 1, {});
  // beta: seats 1, active 1, breadth 1, stickiness (1+1)/2/1 = 1, previous window D-2..D-1: 0.
  expect_json(json::parse(R"({"rows":[{"account":"beta","name":"Beta","seats":1,
                              "active_users":1,"active_rate":1.0,"breadth":1.0,
                              "stickiness":1.0,"previous_active_users":0,"growth":0.0,
                              "health":100.0}]})"),
              a);

  Segment acme;
  acme.account = "acme";
  auto o = truth_overview(evs, cfg, D, D + 1, acme);
  EXPECT_EQ(o.at("active_users").as_int64(), 0);  // u2 has no event in the window
  EXPECT_EQ(o.at("known_users").as_int64(), 1);   // u2
  Segment gold;
  gold.account_traits["tier"] = "gold";
  EXPECT_EQ(truth_overview(evs, cfg, D, D + 1, gold).at("active_users").as_int64(), 1);
}

TEST(MetricsTruth, EqualTimeGroupsTieToTheGreatestAccount) {
  for (bool reversed : {false, true}) {
    std::vector<TruthEvent> evs = {group("g1", "a1", "u1", "beta", at(D, 7)),
                                   group("g2", "a1", "u1", "Zeta", at(D, 7)),  // 'Z' < 'b'
                                   group("g3", "a1", "u1", "acme", at(D, 7))};
    if (reversed) std::reverse(evs.begin(), evs.end());
    EXPECT_EQ(truth_account_of(evs, "u1"), "beta");
  }
}

TEST(MetricsTruth, TraitCarriedOnlyByAnOlderIdentify) {
  std::vector<TruthEvent> evs = {
      identify("i1", "a1", "u1", at(D, 0), R"({"plan":"pro","role":"admin"})"),
      identify("i2", "a1", "u1", at(D, 100), R"({"theme":"dark"})"),  // no plan: i1's counts
      track("e1", "a1", "", "edit", at(D, 200)),
      identify("i3", "a2", "u2", at(D, 0), R"({"plan":"pro"})"),
      identify("i4", "a2", "u2", at(D, 100), R"({"plan":5})"),  // latest plan is not a string
      track("e2", "a2", "", "edit", at(D, 200)),
      // u3: equal times: the greatest event id wins.
      identify("i5", "a3", "u3", at(D, 0), R"({"plan":"pro"})"),
      identify("i6", "a3", "u3", at(D, 0), R"({"plan":"free"})"),
  };
  EXPECT_EQ(truth_trait(evs, "u1", "plan")->as_string(), "pro");
  EXPECT_EQ(truth_trait(evs, "u3", "plan")->as_string(), "free");
  Segment pro;
  pro.traits["plan"] = "pro";
  EXPECT_EQ(truth_segment_persons(evs, D, pro), std::vector<std::string>{"u1"});
  auto f = truth_features(evs, {}, D, D, pro);
  expect_json(json::parse(R"({"rows":[{"feature":"edit","users":1,"uses":1,"adoption_rate":1.0,
                              "new_users":1,"new_user_pct":100.0}]})"),
              f);
}

TEST(MetricsTruth, RetentionCohortWhoseMondayFallsBeforeFrom) {
  const std::int64_t from = D + 2, to = D + 15;  // Wednesday .. Tuesday of the third week
  std::vector<TruthEvent> evs = {
      track("i1", "a1", "", "$install", at(D + 3)),  // Thursday of week D
      track("e1", "a1", "", "edit", at(D + 10)),     // week D+7
      track("i2", "a2", "", "$install", at(D + 9)),  // week D+7
      track("e2", "a2", "", "edit", at(D + 16)),     // after `to`: never counts
      track("e3", "a3", "", "edit", at(D - 20)),     // first seen before the window: no cohort
      track("e4", "a3", "", "edit", at(D + 14)),
  };
  auto r = truth_retention(evs, {}, from, to, {}, "week");
  expect_json(json::parse(R"({"from":"2026-03-04","to":"2026-03-17","rows":[
      {"cohort":"2026-03-02","persons":1,"retained":[1,1,0],"rates":[1.0,1.0,0.0]},
      {"cohort":"2026-03-09","persons":1,"retained":[1,0],"rates":[1.0,0.0]}]})"),
              r);
  auto d = truth_retention(evs, {}, D + 9, D + 11, {}, "day");
  expect_json(json::parse(R"({"rows":[{"cohort":"2026-03-11","persons":1,"retained":[1,0,0]}]})"),
              d);
}

TEST(MetricsTruth, TipsWithoutControlGroupHaveNullLift) {
  const std::string shown1 = R"({"tip":"t1","feature":"export"})";
  const std::string shown2 = R"({"tip":"t2","feature":"share"})";
  std::vector<TruthEvent> evs = {
      track("s1", "a1", "u1", "$tip_shown", at(D, 0), shown1),
      track("s1b", "a1", "u1", "$tip_shown", at(D + 1, 0), shown1),  // not the first
      track("c1", "a1", "u1", "$tip_clicked", at(D, 10), shown1),
      track("x1", "a1", "u1", "export", at(D, kHour)),  // converts
      track("s2", "a2", "u2", "$tip_shown", at(D + 1, 0), shown1),
      track("x2", "a2", "u2", "export", at(D + 8, 1)),  // 7 days + 1 ms after: too late
      // t2: shown to u1 and u3 (u3 converts after `to`), held out from u4 (no conversion).
      track("s3", "a1", "u1", "$tip_shown", at(D, 0), shown2),
      track("s4", "a3", "u3", "$tip_shown", at(D + 1, 0), shown2),
      track("x4", "a3", "u3", "share", at(D + 5, 0)),
      track("s5", "a4", "u4", "$tip_held_out", at(D + 1, 0), shown2),
      track("d5", "a4", "u4", "$tip_dismissed", at(D + 1, 0), shown2),
  };
  auto t = truth_tips(evs, {}, D, D + 1, {});
  const double half = 1.96 * std::sqrt(0.5 * 0.5 / 2);
  json::value expected = json::parse(R"({"rows":[
      {"tip":"t1","feature":"export","shown":2,"clicked":1,"dismissed":0,"converted":1,
       "conversion_rate":0.5,"held_out":0,"held_out_converted":0,"held_out_rate":0.0,
       "lift":null,"lift_ci95":null},
      {"tip":"t2","feature":"share","shown":2,"clicked":0,"dismissed":1,"converted":1,
       "conversion_rate":0.5,"held_out":1,"held_out_converted":0,"held_out_rate":0.0,
       "lift":0.5}]})");
  expected.as_object()["rows"].as_array()[1].as_object()["lift_ci95"] =
      json::array{0.5 - half, 0.5 + half};
  expect_json(expected, t);
}

TEST(MetricsTruth, NpsLatestAnswerWinsAndEqualTimesTakeTheGreatestId) {
  auto p = [](int score) {
    return std::string(R"({"survey":"nps-1","score":)") + std::to_string(score) + "}";
  };
  const std::string shown = R"({"survey":"nps-1"})";
  std::vector<TruthEvent> evs = {
      track("sh1", "a1", "u1", "$survey_shown", at(D, 0), shown),
      track("sh2", "a2", "u2", "$survey_shown", at(D, 0), shown),
      track("sh3", "a3", "u3", "$survey_shown", at(D, 0), shown),
      track("sh4", "a4", "u4", "$survey_shown", at(D, 0), shown),
      track("an1", "a1", "u1", "$survey_answered", at(D, 10), p(3)),
      track("an1b", "a1", "u1", "$survey_answered", at(D, 20), p(10)),  // latest: promoter
      track("e-b", "a2", "u2", "$survey_answered", at(D, 30), p(9)),    // greatest id wins
      track("e-a", "a2", "u2", "$survey_answered", at(D, 30), p(0)),
      track("an3", "a3", "u3", "$survey_answered", at(D, 40), p(7)),
      track("an3b", "a3", "u3", "$survey_answered", at(D + 1, 0), p(0)),  // after `to`
      track("dm4", "a4", "u4", "$survey_dismissed", at(D, 50), shown),
      // a csat survey and one that is not in the config any more
      track("cs1", "a1", "u1", "$survey_answered", at(D, 0), R"({"survey":"csat-1","score":5})"),
      track("cs2", "a2", "u2", "$survey_answered", at(D, 0), R"({"survey":"csat-1","score":2})"),
      track("ch1", "a1", "u1", "$survey_answered", at(D, 0), R"({"survey":"pick","choice":"A"})"),
      track("ch2", "a2", "u2", "$survey_answered", at(D, 0), R"({"survey":"pick","choice":"A"})"),
      track("old", "a1", "u1", "$survey_shown", at(D, 0), R"({"survey":"gone"})"),
  };
  TruthConfig cfg{{}, {{"nps-1", "nps"}, {"csat-1", "csat"}, {"pick", "choice"}}};
  auto s = truth_surveys(evs, cfg, D, D, {});
  expect_json(json::parse(R"({"rows":[
      {"survey":"csat-1","kind":"csat","shown":0,"answered":2,"dismissed":0,"response_rate":0.0,
       "promoters":0,"passives":0,"detractors":0,"nps":0.0,"mean_score":3.5,"satisfied":1,
       "csat":50.0,"choices":{}},
      {"survey":"gone","kind":"","shown":1,"answered":0,"dismissed":0,"response_rate":0.0,
       "promoters":0,"passives":0,"detractors":0,"nps":0.0,"mean_score":0.0,"satisfied":0,
       "csat":0.0,"choices":{}},
      {"survey":"nps-1","kind":"nps","shown":4,"answered":3,"dismissed":1,"response_rate":0.75,
       "promoters":2,"passives":1,"detractors":0,"nps":66.66666666666667,"mean_score":0.0,
       "satisfied":0,"csat":0.0,"choices":{}},
      {"survey":"pick","kind":"choice","shown":0,"answered":2,"dismissed":0,"choices":{"A":2}}
      ]})"),
              s);
}

TEST(MetricsTruth, FirstActionAndFunnel) {
  std::vector<TruthEvent> evs = {
      track("e0", "a1", "", "open", at(D - 3)),        // before the install: ignored
      track("i1", "a1", "", "$install", at(D, 1000)),  // first seen of a1
      track("x1", "a1", "", "export", at(D, 5000)),    // 4000 ms
      track("x1b", "a1", "", "export", at(D + 1, 0)),  // second day
      track("fa1", "a1", "", "$first_action", at(D, 5000),
            R"({"feature":"export","ms_since_install":3900})"),
      track("e2", "a2", "", "open", at(D, 0)),         // first seen of a2 (no install)
      track("x2", "a2", "", "export", at(D, 10'000)),  // 10000 ms
      track("t3", "a3", "", "$tip_shown", at(D, 0), R"({"tip":"t","feature":"export"})"),
      track("x4", "a4", "", "export", at(D - 1)),  // first use before the window
      track("x4b", "a4", "", "export", at(D)),
  };
  TruthConfig cfg{{"export", "never_used"}, {}};
  auto fa = truth_first_action(evs, cfg, D, D + 1, {});
  expect_json(json::parse(R"({"rows":[
      {"feature":"export","users":2,"p50_ms":4000,"p90_ms":10000,"mean_ms":7000,
       "device_p50_ms":3900},
      {"feature":"never_used","users":0,"p50_ms":0,"p90_ms":0,"mean_ms":0,"device_p50_ms":0}
      ]})"),
              fa);
  auto fu = truth_funnel(evs, cfg, D, D + 1, {}, "export", 2);
  expect_json(json::parse(R"({"rows":[
      {"stage":"aware","users":4,"conversion":1.0},
      {"stage":"interested","users":3,"conversion":0.75},
      {"stage":"trial","users":3,"conversion":0.75},
      {"stage":"adopted","users":1,"conversion":0.25}]})"),
              fu);
}

TEST(MetricsTruth, TrendsWeeksAreCutToTheWindow) {
  std::vector<TruthEvent> evs = {
      track("e1", "a1", "", "edit", at(D - 10)),  // adopter from before the window
      track("e2", "a1", "", "edit", at(D + 1)),   // Tuesday: before `from`, same week
      track("e3", "a2", "", "edit", at(D + 3)),
      track("e4", "a2", "", "edit", at(D + 8)),
  };
  auto t = truth_trends(evs, {}, D + 2, D + 8, {}, "week");
  expect_json(json::parse(R"({"rows":[
      {"period":"2026-03-02","feature":"edit","users":1,"uses":1,"new_users":1,"adopters":2},
      {"period":"2026-03-09","feature":"edit","users":1,"uses":1,"new_users":0,"adopters":2}
      ]})"),
              t);
  auto one = truth_trends(evs, {}, D + 2, D + 3, {}, "day", std::string("nothing"));
  expect_json(json::parse(R"({"rows":[
      {"period":"2026-03-04","feature":"nothing","users":0,"uses":0,"new_users":0,"adopters":0},
      {"period":"2026-03-05","feature":"nothing","users":0,"uses":0,"new_users":0,"adopters":0}
      ]})"),
              one);
}

TEST(MetricsTruth, StickinessReleasesAndVersionSegment) {
  std::vector<TruthEvent> evs = {
      track("e1", "a1", "", "edit", at(D), "", "", "1.0"),
      track("e2", "a1", "", "edit", at(D + 1), "", "", "2.0"),
      track("e3", "a2", "", "edit", at(D + 1), "", "", "2.0"),
      track("e4", "a3", "", "edit", at(D + 1)),
      track("e5", "a3", "", "edit", at(D + 5), "", "", "1.0"),  // 1.0 only after `to`
  };
  auto st = truth_stickiness(evs, {}, D, D + 2, {});
  expect_json(json::parse(R"({"avg_dau":1.3333333333333333,"mau":3,"stickiness":0.4444444444444444,
      "dau":[{"day":"2026-03-02","users":1},{"day":"2026-03-03","users":3},
             {"day":"2026-03-04","users":0}],
      "power_users":[{"days":1,"users":2},{"days":2,"users":1}]})"),
              st);
  auto rel = truth_releases(evs, {}, D, D + 2, {});
  expect_json(json::parse(R"({"rows":[
      {"app_version":"2.0","first_seen":"2026-03-03","users":2,"share":0.6666666666666666,"events":2},
      {"app_version":"1.0","first_seen":"2026-03-02","users":1,"share":0.3333333333333333,"events":1}
      ]})"),
              rel);
  Segment v1;
  v1.version = "1.0";
  EXPECT_EQ(truth_segment_persons(evs, D + 2, v1), std::vector<std::string>{"a1"});
  EXPECT_EQ(truth_segment_persons(evs, D + 5, v1), (std::vector<std::string>{"a1", "a3"}));
  auto pa = truth_product_adoption(evs, {}, "2026-03", {});
  expect_json(json::parse(R"({"from":"2026-03-01","to":"2026-03-31","month":"2026-03",
      "signups":3,"new_mau":2,"product_adoption_rate":66.66666666666667})"),
              pa);
}

TEST(MetricsTruth, CompareJson) {
  auto e = json::parse(R"({"a":1,"b":[1,2],"c":{"d":"x"},"n":null})");
  EXPECT_TRUE(compare_json(e, json::parse(R"({"a":1.0,"b":[1,2.0000000000001],"c":{"d":"x","z":1},
                                            "n":null,"extra":true})"))
                  .empty());
  auto diffs = compare_json(e, json::parse(R"({"a":2,"b":[1],"c":{},"n":0})"));
  ASSERT_EQ(diffs.size(), 4u);
  EXPECT_NE(diffs[0].find("$.a"), std::string::npos);
  EXPECT_NE(diffs[1].find("$.b"), std::string::npos);
  EXPECT_NE(diffs[2].find("$.c.d: missing"), std::string::npos);
  EXPECT_NE(diffs[3].find("$.n"), std::string::npos);
  // Big integers compare exactly, not within a relative eps.
  EXPECT_FALSE(
      compare_json(json::value(1'700'000'000'000), json::value(1'700'000'000'001)).empty());
}
