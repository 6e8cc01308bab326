// The pure parts of delivery: reading the collector's 200 answer and halving a batch on 413.
#include <gtest/gtest.h>

#include "sender.hpp"

using namespace uptake::detail;

TEST(BatchAck, ParsesTheBatchAck) {
  auto ack =
      parse_batch_ack(R"({"accepted":3,"duplicates":1,"rejected":[{"line":2,"error":"x"}]})");
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->accepted, 3u);
  EXPECT_EQ(ack->duplicates, 1u);
  EXPECT_EQ(ack->rejected, 1u);
  EXPECT_FALSE(parse_batch_ack("not json"));
}

TEST(BatchAck, RejectedTotalCountsTheLinesBeyondTheListedHundred) {
  std::string rejected;
  for (int line = 1; line <= 100; ++line) {
    if (line > 1) rejected += ',';
    rejected += R"({"line":)" + std::to_string(line) + R"(,"error":"bad ts"})";
  }
  const auto ack = parse_batch_ack(R"({"accepted":10,"duplicates":0,"rejected":[)" + rejected +
                                   R"(],"rejected_total":250})");
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->accepted, 10u);
  EXPECT_EQ(ack->rejected, 250u);
}

TEST(BatchAck, RejectedTotalWinsOverTheListWhereverItStands) {
  const auto ack = parse_batch_ack(
      R"({"rejected_total":0,"accepted":2,"duplicates":0,"rejected":[{"line":1,"error":"x"}]})");
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->rejected, 0u);
}

TEST(BatchAck, WithoutRejectedTotalTheListedLinesAreCounted) {
  const auto ack = parse_batch_ack(
      R"({"accepted":1,"duplicates":0,"rejected":[{"line":1,"error":"x"},{"line":3,"error":"y"}]})");
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->rejected, 2u);
}

TEST(BatchAck, AnAnswerWithNothingRejectedCountsNone) {
  const auto ack =
      parse_batch_ack(R"({"accepted":5,"duplicates":2,"rejected":[],"rejected_total":0})");
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->accepted, 5u);
  EXPECT_EQ(ack->duplicates, 2u);
  EXPECT_EQ(ack->rejected, 0u);
}

TEST(BatchAck, AnAnswerWithoutAcceptedIsNotTheProtocolShape) {
  EXPECT_FALSE(parse_batch_ack(R"({"duplicates":1,"rejected":[]})"));
  EXPECT_FALSE(parse_batch_ack(R"({"accepted":"3"})"));
  EXPECT_FALSE(parse_batch_ack(""));
}

TEST(LineSplit, AnOddBatchKeepsTheSmallerHalfFirstAndCutsAtALineEnd) {
  const std::string ndjson = "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n";
  const auto split = split_lines_in_half(ndjson);
  ASSERT_TRUE(split);
  EXPECT_EQ(ndjson.substr(0, split->cut), "{\"a\":1}\n");
  EXPECT_EQ(ndjson.substr(split->cut), "{\"b\":2}\n{\"c\":3}\n");
  EXPECT_EQ(split->first_lines, 1u);
  EXPECT_EQ(split->second_lines, 2u);
}

TEST(LineSplit, AnEvenBatchSplitsEvenly) {
  const std::string ndjson = "1\n2\n3\n4\n";
  const auto split = split_lines_in_half(ndjson);
  ASSERT_TRUE(split);
  EXPECT_EQ(ndjson.substr(0, split->cut), "1\n2\n");
  EXPECT_EQ(split->first_lines, 2u);
  EXPECT_EQ(split->second_lines, 2u);
}

TEST(LineSplit, ASingleLineCannotBeSplit) {
  EXPECT_FALSE(split_lines_in_half("{\"only\":1}\n"));
  EXPECT_FALSE(split_lines_in_half(""));
  EXPECT_FALSE(split_lines_in_half("no newline at all"));
}
