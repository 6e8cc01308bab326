// The request target (api/target.hpp): strict percent-decoding, '+' in queries only, the path
// split from the query before anything is decoded.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "api/target.hpp"

using namespace uptake::collector;

namespace {
using Query = std::vector<std::pair<std::string, std::string>>;
}

TEST(PercentDecode, DecodesTwoHexDigitsOfEitherCase) {
  EXPECT_EQ(percent_decode("%41%6a%6A", false), "Ajj");
  EXPECT_EQ(percent_decode("a%20b%2Fc", false), "a b/c");
  EXPECT_EQ(percent_decode("%e2%82%AC", false), "\xE2\x82\xAC");
  EXPECT_EQ(percent_decode("%ff", false), "\xFF");
  EXPECT_EQ(percent_decode("", false), "");
  EXPECT_EQ(percent_decode("plain", true), "plain");
}

TEST(PercentDecode, AnEscapeIsPercentAndExactlyTwoHexDigits) {
  for (std::string_view bad : {"%", "%4", "abc%", "abc%4", "%-0", "%+1", "%zz", "%4g", "%g4",
                               "% 41", "%%41", "ok%2", "%0x1"}) {
    EXPECT_EQ(percent_decode(bad, false), std::nullopt) << bad;
    EXPECT_EQ(percent_decode(bad, true), std::nullopt) << bad;
  }
}

TEST(PercentDecode, NulIsRefusedEscapedOrNot) {
  EXPECT_EQ(percent_decode("%00", false), std::nullopt);
  EXPECT_EQ(percent_decode("a%00b", true), std::nullopt);
  EXPECT_EQ(percent_decode(std::string_view("a\0b", 3), false), std::nullopt);
  EXPECT_EQ(percent_decode("%01", false), "\x01");
}

TEST(PercentDecode, PlusIsASpaceOnlyWhenAsked) {
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_EQ(percent_decode("%2B", true), "+");
  EXPECT_EQ(percent_decode("%2B", false), "+");
}

TEST(PercentDecode, DecodesOnce) {
  EXPECT_EQ(percent_decode("%2541", false), "%41");
}

TEST(ParseTarget, SplitsThePathFromTheQuery) {
  const auto t = parse_target("/v1/reports/overview?from=2026-01-01&to=2026-01-31");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/v1/reports/overview");
  EXPECT_EQ(t->query, (Query{{"from", "2026-01-01"}, {"to", "2026-01-31"}}));
  EXPECT_EQ(t->param("to"), "2026-01-31");
  EXPECT_EQ(t->param("format"), std::nullopt);
}

TEST(ParseTarget, APathWithoutQueryHasNoParameters) {
  const auto t = parse_target("/healthz");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/healthz");
  EXPECT_TRUE(t->query.empty());
  const auto empty = parse_target("/healthz?");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->path, "/healthz");
  EXPECT_TRUE(empty->query.empty());
}

TEST(ParseTarget, PlusIsASpaceInTheQueryOnly) {
  const auto t = parse_target("/v1/users/a+b?trait.plan=pro+plus&x%2By=1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/v1/users/a+b");
  EXPECT_EQ(t->query, (Query{{"trait.plan", "pro plus"}, {"x+y", "1"}}));
}

TEST(ParseTarget, RepeatedParametersAreKeptInOrder) {
  const auto t = parse_target("/r?a=1&b=2&a=3");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->query, (Query{{"a", "1"}, {"b", "2"}, {"a", "3"}}));
  EXPECT_EQ(t->param("a"), "1");  // the first one
}

TEST(ParseTarget, AParameterWithoutEqualsHasAnEmptyValueAndEmptyPairsAreSkipped) {
  const auto t = parse_target("/r?flag&&x=&y=a=b&");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->query, (Query{{"flag", ""}, {"x", ""}, {"y", "a=b"}}));
}

TEST(ParseTarget, SplitsBeforeDecoding) {
  // An escaped '?', '&' or '=' is data, not structure.
  const auto t = parse_target("/v1/users/who%3Fme?name=a%26b%3Dc&k%3D=v");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/v1/users/who?me");
  EXPECT_EQ(t->query, (Query{{"name", "a&b=c"}, {"k=", "v"}}));
}

TEST(ParseTarget, AMalformedEscapeAnywhereMakesTheTargetInvalid) {
  for (std::string_view bad :
       {"/a%zz", "/a%4", "/a%", "/a?x=%4", "/a?x=%", "/a?%zz=1", "/a?ok=1&bad=%g0", "/a?x=%-1"}) {
    EXPECT_EQ(parse_target(bad), std::nullopt) << bad;
  }
}

TEST(ParseTarget, NulIsRefusedInThePathAndTheQuery) {
  for (std::string_view bad : {"/a%00b", "/a?x=%00", "/a?%00=1"}) {
    EXPECT_EQ(parse_target(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(parse_target(std::string_view("/a?x=\0", 6)), std::nullopt);
}

TEST(ParseTarget, ThePathMustStartWithASlash) {
  for (std::string_view bad : {"", "?a=1", "v1/batch", "*", "http://host/v1/batch", " /x"}) {
    EXPECT_EQ(parse_target(bad), std::nullopt) << bad;
  }
}
