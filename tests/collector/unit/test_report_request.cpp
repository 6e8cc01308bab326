// What a report is asked for (reports/report_request.hpp): METRICS.md's defaults, each
// report's own parameters, the segment, and a 400 message naming the parameter at fault.

#include <gtest/gtest.h>

#include <string>

#include "reports/calendar.hpp"
#include "reports/report_request.hpp"

using namespace uptake::collector;

namespace {

std::int64_t day(const char* ymd) {
  return parse_day(ymd).value();
}

const std::int64_t kToday = day("2026-03-15");

struct Parsed {
  ReportRequest request;
  std::optional<std::string> error;
};

Parsed parse(std::string name, const ReportParams& params) {
  Parsed p;
  p.request.name = std::move(name);
  p.request.app = "notes";
  p.error = parse_report_request(p.request, params, kToday);
  return p;
}

ReportRequest ok(std::string name, const ReportParams& params) {
  Parsed p = parse(std::move(name), params);
  EXPECT_FALSE(p.error) << *p.error;
  return p.request;
}

// The error for `params`, which must name `parameter` (quoted).
void expect_error_naming(std::string name, const ReportParams& params,
                         const std::string& parameter) {
  const Parsed p = parse(name, params);
  ASSERT_TRUE(p.error) << name << ": no error for " << parameter;
  EXPECT_NE(p.error->find("'" + parameter + "'"), std::string::npos)
      << name << ": " << *p.error << " does not name '" << parameter << "'";
}

}  // namespace

TEST(ReportRequest, DefaultsToTheLastThirtyDays) {
  const ReportRequest r = ok("overview", {});
  EXPECT_EQ(r.to_day, kToday);
  EXPECT_EQ(r.from_day, kToday - 29);
  EXPECT_EQ(r.adopted_days, 3);
  EXPECT_EQ(r.limit, 10);
  EXPECT_EQ(r.interval, Interval::day);
  EXPECT_EQ(r.feature, "");
  EXPECT_TRUE(r.segment.empty());
}

TEST(ReportRequest, FromAndToAreInclusiveDays) {
  const ReportRequest r = ok("overview", {{"from", "2026-01-01"}, {"to", "2026-01-31"}});
  EXPECT_EQ(r.from_day, day("2026-01-01"));
  EXPECT_EQ(r.to_day, day("2026-01-31"));
  const ReportRequest one = ok("overview", {{"from", "2026-02-03"}, {"to", "2026-02-03"}});
  EXPECT_EQ(one.from_day, one.to_day);
}

TEST(ReportRequest, ToAloneEndsAThirtyDayWindow) {
  const ReportRequest r = ok("overview", {{"to", "2026-02-10"}});
  EXPECT_EQ(r.to_day, day("2026-02-10"));
  EXPECT_EQ(r.from_day, day("2026-01-12"));
}

TEST(ReportRequest, FromAloneRunsToToday) {
  const ReportRequest r = ok("overview", {{"from", "2026-03-01"}});
  EXPECT_EQ(r.from_day, day("2026-03-01"));
  EXPECT_EQ(r.to_day, kToday);
}

TEST(ReportRequest, MalformedOrReversedWindowsAreRefused) {
  expect_error_naming("overview", {{"from", "2026-02-30"}}, "from");
  expect_error_naming("overview", {{"from", "yesterday"}}, "from");
  expect_error_naming("overview", {{"to", "2026-13-01"}}, "to");
  expect_error_naming("overview", {{"to", "20260301"}}, "to");
  expect_error_naming("overview", {{"from", "2026-03-02"}, {"to", "2026-03-01"}}, "from");
  expect_error_naming("overview", {{"from", "2026-03-16"}}, "from");  // after today
  EXPECT_FALSE(parse("overview", {{"from", "2000-01-01"}, {"to", "2026-01-01"}}).error);
  EXPECT_TRUE(parse("overview", {{"from", "1970-01-01"}, {"to", "2300-01-01"}}).error);
}

TEST(ReportRequest, ProductAdoptionCoversItsMonth) {
  struct Case {
    const char* month;
    const char* first;
    const char* last;
  };
  for (const Case& c :
       {Case{"2026-02", "2026-02-01", "2026-02-28"},
        Case{"2024-02", "2024-02-01", "2024-02-29"},  // leap year
        Case{"2000-02", "2000-02-01", "2000-02-29"},  // divisible by 400
        Case{"2100-02", "2100-02-01", "2100-02-28"},  // by 100 only
        Case{"2026-04", "2026-04-01", "2026-04-30"}, Case{"2026-12", "2026-12-01", "2026-12-31"},
        Case{"2026-01", "2026-01-01", "2026-01-31"}}) {
    const ReportRequest r = ok("product-adoption", {{"month", c.month}});
    EXPECT_EQ(r.month, c.month);
    EXPECT_EQ(day_string(r.from_day), c.first) << c.month;
    EXPECT_EQ(day_string(r.to_day), c.last) << c.month;
  }
}

TEST(ReportRequest, ProductAdoptionsMonthWinsOverFromAndTo) {
  const ReportRequest r =
      ok("product-adoption", {{"from", "2026-01-05"}, {"to", "2026-01-09"}, {"month", "2026-02"}});
  EXPECT_EQ(day_string(r.from_day), "2026-02-01");
  EXPECT_EQ(day_string(r.to_day), "2026-02-28");
}

TEST(ReportRequest, ProductAdoptionNeedsAWellFormedMonth) {
  EXPECT_NE(parse("product-adoption", {}).error.value_or("").find("month"), std::string::npos);
  for (const char* month : {"2026-13", "2026-00", "2026-2", "2026-02-01", "202602", "Feb 2026"}) {
    expect_error_naming("product-adoption", {{"month", month}}, "month");
  }
}

TEST(ReportRequest, FunnelNeedsAFeatureAndAPositiveAdoptedDays) {
  EXPECT_NE(parse("funnel", {}).error.value_or("").find("feature"), std::string::npos);
  const ReportRequest r = ok("funnel", {{"feature", "export"}, {"adopted_days", "5"}});
  EXPECT_EQ(r.feature, "export");
  EXPECT_EQ(r.adopted_days, 5);
  EXPECT_EQ(ok("funnel", {{"feature", "export"}}).adopted_days, 3);
  for (const char* days : {"0", "-1", "abc", "2.5", "3 "}) {
    expect_error_naming("funnel", {{"feature", "export"}, {"adopted_days", days}}, "adopted_days");
  }
  expect_error_naming("funnel", {{"feature", ""}}, "feature");
}

TEST(ReportRequest, TrendsTakesAnOptionalFeature) {
  EXPECT_EQ(ok("trends", {}).feature, "");
  EXPECT_EQ(ok("trends", {{"feature", "share"}}).feature, "share");
}

TEST(ReportRequest, ChampionsLimitIsFromOneToAThousand) {
  EXPECT_EQ(ok("champions", {}).limit, 10);
  EXPECT_EQ(ok("champions", {{"limit", "1"}}).limit, 1);
  EXPECT_EQ(ok("champions", {{"limit", "1000"}}).limit, 1000);
  for (const char* limit : {"0", "1001", "-5", "10x", "ten", "99999999999999999999"}) {
    expect_error_naming("champions", {{"limit", limit}}, "limit");
  }
}

TEST(ReportRequest, RetentionDefaultsToWeeksAndTrendsToDays) {
  EXPECT_EQ(ok("retention", {}).interval, Interval::week);
  EXPECT_EQ(ok("retention", {{"interval", "day"}}).interval, Interval::day);
  EXPECT_EQ(ok("trends", {}).interval, Interval::day);
  EXPECT_EQ(ok("trends", {{"interval", "week"}}).interval, Interval::week);
  expect_error_naming("retention", {{"interval", "month"}}, "interval");
  expect_error_naming("trends", {{"interval", "Week"}}, "interval");
}

TEST(ReportRequest, AnotherReportsParameterIsUnknown) {
  expect_error_naming("overview", {{"feature", "x"}}, "feature");
  expect_error_naming("overview", {{"limit", "5"}}, "limit");
  expect_error_naming("features", {{"interval", "day"}}, "interval");
  expect_error_naming("funnel", {{"feature", "x"}, {"month", "2026-01"}}, "month");
  expect_error_naming("retention", {{"feature", "x"}}, "feature");
  expect_error_naming("champions", {{"adopted_days", "3"}}, "adopted_days");
  expect_error_naming("tips", {{"bogus", "1"}}, "bogus");
  expect_error_naming("overview", {{"From", "2026-01-01"}}, "From");
  expect_error_naming("overview", {{"traits.plan", "pro"}}, "traits.plan");
}

TEST(ReportRequest, FormatAndAppAreTheCallersAndSkipped) {
  const ReportRequest r =
      ok("overview", {{"format", "csv"}, {"app", "other"}, {"format", "json"}, {"app", ""}});
  EXPECT_EQ(r.app, "notes");
  EXPECT_TRUE(r.segment.empty());
}

TEST(ReportRequest, SegmentParametersSelectPersons) {
  const ReportRequest r = ok("features", {{"account", "acme"},
                                          {"version", "2.0.1"},
                                          {"trait.plan", "pro plus"},
                                          {"trait.role", "admin"},
                                          {"account_trait.wave", "pilot"},
                                          {"trait.a.b", "dotted"}});
  EXPECT_EQ(r.segment.account, "acme");
  EXPECT_EQ(r.segment.version, "2.0.1");
  EXPECT_EQ(r.segment.traits, (std::map<std::string, std::string>{
                                  {"plan", "pro plus"}, {"role", "admin"}, {"a.b", "dotted"}}));
  EXPECT_EQ(r.segment.account_traits, (std::map<std::string, std::string>{{"wave", "pilot"}}));
  EXPECT_FALSE(r.segment.empty());
}

TEST(ReportRequest, EveryReportTakesASegment) {
  for (const char* name : {"overview", "features", "first-action", "stickiness", "tips", "accounts",
                           "champions", "retention", "trends", "releases", "surveys"}) {
    const ReportRequest r = ok(name, {{"account", "acme"}, {"trait.plan", "pro"}});
    EXPECT_EQ(r.segment.account, "acme") << name;
  }
  EXPECT_EQ(ok("funnel", {{"feature", "f"}, {"version", "1"}}).segment.version, "1");
  EXPECT_EQ(ok("product-adoption", {{"month", "2026-01"}, {"account_trait.wave", "w"}})
                .segment.account_traits.at("wave"),
            "w");
}

TEST(ReportRequest, AnEmptySegmentValueIsAnErrorNamingIt) {
  expect_error_naming("overview", {{"account", ""}}, "account");
  expect_error_naming("overview", {{"version", ""}}, "version");
  expect_error_naming("overview", {{"trait.plan", ""}}, "trait.plan");
  expect_error_naming("overview", {{"account_trait.wave", ""}}, "account_trait.wave");
  expect_error_naming("overview", {{"from", ""}}, "from");
}

TEST(ReportRequest, ATraitParameterMustNameATrait) {
  expect_error_naming("overview", {{"trait.", "pro"}}, "trait.");
  expect_error_naming("overview", {{"account_trait.", "pilot"}}, "account_trait.");
}

TEST(ReportRequest, ARepeatedParameterIsAnErrorNamingIt) {
  expect_error_naming("overview", {{"account", "a"}, {"account", "b"}}, "account");
  expect_error_naming("overview", {{"version", "1"}, {"version", "1"}}, "version");
  expect_error_naming("overview", {{"trait.plan", "a"}, {"trait.plan", "b"}}, "trait.plan");
  expect_error_naming("overview", {{"account_trait.w", "a"}, {"account_trait.w", "b"}},
                      "account_trait.w");
  expect_error_naming("overview", {{"from", "2026-01-01"}, {"from", "2026-01-02"}}, "from");
  expect_error_naming("champions", {{"limit", "1"}, {"limit", "2"}}, "limit");
  // The same key as a person trait and as an account trait is two conditions, not a repeat.
  EXPECT_FALSE(parse("overview", {{"trait.plan", "a"}, {"account_trait.plan", "b"}}).error);
}

TEST(SegmentParams, EchoesTheSegmentAsGiven) {
  Segment s;
  EXPECT_TRUE(segment_params(s).empty());
  s.account = "acme";
  s.version = "2.0";
  s.traits = {{"role", "admin"}, {"plan", "pro"}};
  s.account_traits = {{"wave", "pilot"}};
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(segment_params(s), (std::vector<P>{{"account", "acme"},
                                               {"version", "2.0"},
                                               {"trait.plan", "pro"},
                                               {"trait.role", "admin"},
                                               {"account_trait.wave", "pilot"}}));
}

TEST(SegmentParams, RoundTripsThroughParseReportRequest) {
  const ReportParams given = {{"account", "acme"}, {"trait.plan", "pro"}, {"account_trait.w", "1"}};
  const ReportRequest r = ok("overview", given);
  EXPECT_EQ(segment_params(r.segment), given);
}

TEST(ReportNames, AreTheThirteenOfTheProtocol) {
  for (const char* name :
       {"overview", "features", "first-action", "stickiness", "funnel", "tips", "product-adoption",
        "accounts", "champions", "retention", "trends", "releases", "surveys"}) {
    EXPECT_TRUE(is_report_name(name)) << name;
    EXPECT_NE(report_names().find(name), std::string_view::npos) << name;
  }
  for (const char* name : {"", "Overview", "overview ", "first_action", "report", "users"}) {
    EXPECT_FALSE(is_report_name(name)) << name;
  }
}

TEST(ReportRequest, AnAllTimeWindowIsAQuestionLikeAnyOther) {
  const ReportRequest r = ok("overview", {{"from", "1970-01-01"}, {"to", "2099-12-31"}});
  EXPECT_EQ(r.from_day, 0);
  EXPECT_EQ(r.to_day, day("2099-12-31"));
  ok("retention", {{"from", "2000-01-01"}, {"to", "2030-12-31"}});  // weekly by default
  ok("trends", {{"from", "2000-01-01"}, {"to", "2030-12-31"}, {"interval", "week"}});
  ok("trends", {{"from", "2016-01-01"}, {"to", "2025-12-31"}});  // ten years by day
  // A row per day stays within ten years; a window beyond what one answer holds names 'to'.
  expect_error_naming("trends", {{"from", "2000-01-01"}, {"to", "2030-12-31"}}, "interval");
  expect_error_naming(
      "retention", {{"from", "2000-01-01"}, {"to", "2030-12-31"}, {"interval", "day"}}, "interval");
  expect_error_naming("overview", {{"from", "1970-01-01"}, {"to", "2200-01-01"}}, "to");
}
