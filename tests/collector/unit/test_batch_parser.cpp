#include <gtest/gtest.h>

#include "ingest/batch_parser.hpp"
#include "ingest/body_decoder.hpp"

using namespace uptake::collector;

namespace {
ParsedBatch parse(std::string text, std::optional<std::int64_t> sent_at = std::nullopt) {
  DecodedBody d = decode_body(std::move(text), "", 1 << 20);
  return parse_batch(d.text, 10'000'000, sent_at);
}
}  // namespace

TEST(BatchParser, AcceptsEveryProtocolField) {
  auto b = parse(
      R"({"id":"1","type":"track","name":"f","anon":"a","user":"u","ts":5,"session":"s","app_version":"1.0","props":{"k":[1,{"x":true}]},"future_field":{"a":1}})");
  ASSERT_EQ(b.events.size(), 1u) << (b.rejected.empty() ? "" : b.rejected[0].error);
  const Event& e = b.events[0];
  EXPECT_EQ(e.user, "u");
  EXPECT_EQ(e.session, "s");
  EXPECT_EQ(e.app_version, "1.0");
  EXPECT_EQ(e.props, R"({"k":[1,{"x":true}]})");
  EXPECT_EQ(e.ts, 5);
}

TEST(BatchParser, EnforcesLimitsAndTypes) {
  const std::string long_id(65, 'i'), long_name(129, 'n'), long_user(257, 'u');
  const std::vector<std::string> bad = {
      R"({"type":"track","name":"f","anon":"a","ts":1})",          // no id
      R"({"id":"","type":"track","name":"f","anon":"a","ts":1})",  // empty id
      R"({"id":")" + long_id + R"(","type":"track","name":"f","anon":"a","ts":1})",
      R"({"id":"1","type":"track","name":")" + long_name + R"(","anon":"a","ts":1})",
      R"({"id":"1","type":"track","name":"f","anon":"a","user":")" + long_user + R"(","ts":1})",
      R"({"id":"1","type":"page","name":"f","anon":"a","ts":1})",               // bad type
      R"({"id":"1","type":"identify","anon":"a","ts":1})",                      // identify w/o user
      R"({"id":"1","type":"track","name":"f","anon":"a","ts":"1"})",            // ts string
      R"({"id":"1","type":"track","name":"f","anon":"a","ts":1,"props":[1]})",  // props array
      R"({"id":"1","type":"track","name":"f","anon":"a","ts":1,"props":{"p":")" +
          std::string(9000, 'x') + R"("}})",
      R"([1,2])",
      R"({"id":"1","type":"track","name":"f","anon":"a","ts":1} trailing)",
  };
  for (const auto& line : bad) {
    auto b = parse(line);
    EXPECT_TRUE(b.events.empty()) << line.substr(0, 120);
    EXPECT_EQ(b.rejected.size(), 1u);
  }
}

TEST(BatchParser, SkewIsCorrectedOnlyBeyondTwoMinutes) {
  EXPECT_EQ(corrected_ts(1000, 500'000, 500'000 - 119'999), 1000);
  EXPECT_EQ(corrected_ts(1000, 500'000, 500'000 - 120'001), 1000 + 120'001);
  EXPECT_EQ(corrected_ts(300'000, 500'000, 500'000 + 200'000), 300'000 - 200'000);
  EXPECT_EQ(corrected_ts(1000, 500'000, std::nullopt), 1000);
  auto b =
      parse(R"({"id":"1","type":"track","name":"f","anon":"a","ts":100})", 10'000'000 - 3'600'000);
  ASSERT_EQ(b.events.size(), 1u);
  EXPECT_EQ(b.events[0].ts, 100 + 3'600'000);
  EXPECT_EQ(b.events[0].client_ts, 100);
}

TEST(BatchParser, LineNumbersCountBlankLinesAndCrLf) {
  auto b = parse(
      "\r\n{\"id\":\"1\",\"type\":\"track\",\"name\":\"f\",\"anon\":\"a\",\"ts\":1}"
      "\r\n\nbroken\r\n");
  EXPECT_EQ(b.events.size(), 1u);
  ASSERT_EQ(b.rejected.size(), 1u);
  EXPECT_EQ(b.rejected[0].line, 4u);
}
