// A /v1/batch body's way to events (ingest/batch_ingest.hpp): whole-body errors, the memory
// budget, the byte order mark, the clock header, and the 200 answer of PROTOCOL.md.

#include <gtest/gtest.h>
#include <simdjson.h>
#include <zstd.h>

#include <cstdint>
#include <string>

#include "ingest/batch_ingest.hpp"

using namespace uptake::collector;

namespace {

constexpr std::int64_t kReceivedAt = 1'767'225'600'000;  // 2026-01-01

std::string line(int id, std::int64_t ts = kReceivedAt - 1000) {
  return R"({"id":"e)" + std::to_string(id) +
         R"(","type":"track","name":"export","anon":"a1","ts":)" + std::to_string(ts) + "}";
}

BatchInput input(std::string body, std::string_view sent_at = "") {
  BatchInput in;
  in.body = std::move(body);
  in.sent_at = sent_at;
  in.received_at = kReceivedAt;
  in.max_decompressed_bytes = 1 << 20;
  return in;
}

ReadBatch read(std::string body, std::string_view sent_at = "") {
  MemoryBudget budget(std::size_t{64} << 20);
  MemoryBudget::Reservation memory(budget);
  return read_batch(input(std::move(body), sent_at), memory);
}

std::string zstd(const std::string& text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3));
  return out;
}

}  // namespace

TEST(ReadBatch, ValidLinesBecomeEvents) {
  const std::string body = line(1) + "\n" + line(2) + "\n";
  const ReadBatch r = read(body);
  ASSERT_EQ(r.status, 200) << r.message;
  ASSERT_EQ(r.parsed.events.size(), 2u);
  EXPECT_EQ(r.parsed.events[0].id, "e1");
  EXPECT_EQ(r.parsed.events[1].id, "e2");
  EXPECT_EQ(r.parsed.events[0].received_at, kReceivedAt);
  EXPECT_EQ(r.decompressed_bytes, body.size());
  EXPECT_TRUE(r.parsed.rejected.empty());
}

TEST(ReadBatch, ValidLinesAreKeptWhenOthersAreRejected) {
  const ReadBatch r = read(line(1) + "\n{\"id\":\"x\"}\n" + line(3));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.parsed.events.size(), 2u);
  ASSERT_EQ(r.parsed.rejected.size(), 1u);
  EXPECT_EQ(r.parsed.rejected[0].line, 2u);
  EXPECT_EQ(r.parsed.rejected_total, 1u);
}

TEST(ReadBatch, TheMemoryItHoldsIsTakenFromTheBudget) {
  MemoryBudget budget(1 << 20);
  const std::string body = line(1) + "\n" + line(2);
  {
    MemoryBudget::Reservation memory(budget);
    const ReadBatch r = read_batch(input(body), memory);
    ASSERT_EQ(r.status, 200);
    EXPECT_GE(memory.bytes(), body.size());
    EXPECT_EQ(budget.used(), memory.bytes());
  }
  EXPECT_EQ(budget.used(), 0u);
}

TEST(ReadBatch, IsA503WhenTheBudgetCannotHoldTheBody) {
  const std::string body = line(1);
  MemoryBudget tiny(body.size() - 1);
  MemoryBudget::Reservation memory(tiny);
  const ReadBatch r = read_batch(input(body), memory);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.error, "overloaded");
  EXPECT_TRUE(r.parsed.events.empty());
}

TEST(ReadBatch, IsA503WhenTheBudgetHoldsTheBodyButNotItsEvents) {
  // Parsed events take memory beyond their text: a budget the size of the body is not enough.
  const std::string body = line(1);
  MemoryBudget just_the_body(body.size() + 1);
  MemoryBudget::Reservation memory(just_the_body);
  const ReadBatch r = read_batch(input(body), memory);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.error, "overloaded");
}

TEST(ReadBatch, IsA503WhenOtherRequestsHoldTheBudget) {
  const std::string body = line(1);
  MemoryBudget budget(1 << 20);
  MemoryBudget::Reservation others(budget);
  ASSERT_TRUE(others.grow((1 << 20) - 10));
  MemoryBudget::Reservation memory(budget);
  EXPECT_EQ(read_batch(input(body), memory).status, 503);
  others.release();
  MemoryBudget::Reservation again(budget);
  EXPECT_EQ(read_batch(input(body), again).status, 200);
}

TEST(ReadBatch, ABodyWithoutEventLinesIsA400) {
  for (const char* body : {"", "\n", "\n  \n\t\r\n"}) {
    const ReadBatch r = read(body);
    EXPECT_EQ(r.status, 400) << "'" << body << "'";
    EXPECT_EQ(r.error, "empty_batch");
  }
}

TEST(ReadBatch, ABodyWhereNoLineParsesIsA400NamingTheFirstProblem) {
  const ReadBatch r = read("\nnot json\n[1, 2]\n");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error, "no_valid_lines");
  EXPECT_NE(r.message.find("line 2"), std::string::npos) << r.message;
  ASSERT_EQ(r.parsed.rejected.size(), 2u);  // for the 400's "rejected" list
  EXPECT_EQ(r.parsed.rejected[1].line, 3u);
  std::string json = "{";
  append_rejections(json, r.parsed);
  json += "}";
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_FALSE(parser.parse(json).get(doc)) << json;
  simdjson::dom::array rejected = doc["rejected"];
  EXPECT_EQ(rejected.size(), 2u);
  EXPECT_EQ(std::int64_t(doc["rejected_total"]), 2);
}

// PROTOCOL.md's 400 is for a body undecodable as a whole; a line that parses but breaks a
// field rule is a per-line reject, even when it is the only line.
TEST(ReadBatch, LinesThatParseButBreakFieldRulesAreRejectsOfA200) {
  const ReadBatch r = read("\n{\"id\":\"x\"}\nnot json\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.parsed.events.empty());
  ASSERT_EQ(r.parsed.rejected.size(), 2u);
  EXPECT_EQ(r.parsed.rejected[0].line, 2u);
  EXPECT_EQ(r.parsed.rejected[1].line, 3u);
  EXPECT_EQ(r.parsed.rejected_total, 2u);
  EXPECT_EQ(read("{}").status, 200);
}

TEST(ReadBatch, InvalidUtf8IsA400) {
  const std::string body = line(1) + "\n\xFF\xFE";
  const ReadBatch r = read(body);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error, "invalid_utf8");
}

TEST(ReadBatch, DecodesZstdBodies) {
  const std::string text = line(1) + "\n" + line(2) + "\n";
  BatchInput in = input(zstd(text));
  in.content_encoding = "zstd";
  MemoryBudget budget(1 << 20);
  MemoryBudget::Reservation memory(budget);
  const ReadBatch r = read_batch(std::move(in), memory);
  ASSERT_EQ(r.status, 200) << r.message;
  EXPECT_EQ(r.parsed.events.size(), 2u);
  EXPECT_EQ(r.decompressed_bytes, text.size());
}

TEST(ReadBatch, ABrokenZstdFrameIsA400AndAnInflatedOneA413) {
  BatchInput garbage = input("definitely not zstd");
  garbage.content_encoding = "zstd";
  MemoryBudget budget(std::size_t{64} << 20);
  MemoryBudget::Reservation m1(budget);
  const ReadBatch broken = read_batch(std::move(garbage), m1);
  EXPECT_EQ(broken.status, 400);
  EXPECT_EQ(broken.error, "bad_compression");

  std::string big;
  while (big.size() < (2u << 20)) big += line(7) + "\n";
  BatchInput bomb = input(zstd(big));
  bomb.content_encoding = "zstd";
  bomb.max_decompressed_bytes = 1 << 20;
  MemoryBudget::Reservation m2(budget);
  EXPECT_EQ(read_batch(std::move(bomb), m2).status, 413);

  BatchInput plain = input(big);
  plain.max_decompressed_bytes = 1 << 20;
  MemoryBudget::Reservation m3(budget);
  EXPECT_EQ(read_batch(std::move(plain), m3).status, 413);
}

TEST(ReadBatch, AByteOrderMarkBeforeTheFirstLineIsSkipped) {
  const ReadBatch r = read("\xEF\xBB\xBF" + line(1) + "\n" + line(2));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.parsed.events.size(), 2u);
  EXPECT_TRUE(r.parsed.rejected.empty());
  EXPECT_EQ(read("\xEF\xBB\xBF").error, "empty_batch");  // a mark and nothing else
}

TEST(ReadBatch, SentAtCorrectsClocksThatAreMoreThanTwoMinutesOff) {
  const std::int64_t ts = kReceivedAt - 5000;
  const std::string body = line(1, ts);
  // The client's clock is an hour behind.
  const std::string behind = std::to_string(kReceivedAt - 3'600'000);
  const ReadBatch corrected = read(body, behind);
  ASSERT_EQ(corrected.status, 200);
  EXPECT_EQ(corrected.parsed.events[0].ts, ts + 3'600'000);
  EXPECT_EQ(corrected.parsed.events[0].client_ts, ts);
  // A minute of transit is not skew.
  const ReadBatch kept = read(body, std::to_string(kReceivedAt - 60'000));
  ASSERT_EQ(kept.status, 200);
  EXPECT_EQ(kept.parsed.events[0].ts, ts);
}

TEST(ReadBatch, AMalformedSentAtIsA400) {
  const ReadBatch r = read(line(1), "yesterday");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error, "bad_sent_at");
}

TEST(ParseSentAt, EmptyMeansAbsent) {
  for (std::string_view header : {"", " ", "   "}) {
    const SentAt s = parse_sent_at(header);
    EXPECT_TRUE(s.valid);
    EXPECT_FALSE(s.ms);
  }
}

TEST(ParseSentAt, ReadsEpochMilliseconds) {
  EXPECT_EQ(parse_sent_at("1767225600000").ms, 1'767'225'600'000);
  EXPECT_EQ(parse_sent_at(" 1767225600000 ").ms, 1'767'225'600'000);
  EXPECT_EQ(parse_sent_at("0").ms, 0);
  EXPECT_EQ(parse_sent_at("253402300799999").ms, 253'402'300'799'999);  // the end of 9999
  EXPECT_TRUE(parse_sent_at("253402300799999").valid);
}

TEST(ParseSentAt, RefusesGarbageAndTimesOutOfRange) {
  for (std::string_view header : {"abc", "12x", "1.5", "1e12", "0x10", "1767225600000 ms", "-1",
                                  "253402300800000", "99999999999999999999999", "1 2"}) {
    const SentAt s = parse_sent_at(header);
    EXPECT_FALSE(s.valid) << header;
    EXPECT_FALSE(s.ms) << header;
  }
}

TEST(BatchAnswer, CarriesAcceptedDuplicatesRejectedAndTheirTotal) {
  ParsedBatch parsed;
  parsed.rejected = {{2, "id is required"}, {5, "a \"quoted\" problem"}};
  parsed.rejected_total = 2;
  const std::string answer = batch_answer(3, 1, parsed);
  EXPECT_EQ(answer,
            R"({"accepted":3,"duplicates":1,"rejected":[{"line":2,"error":"id is required"},)"
            R"({"line":5,"error":"a \"quoted\" problem"}],"rejected_total":2})");
  EXPECT_EQ(batch_answer(0, 0, ParsedBatch{}),
            R"({"accepted":0,"duplicates":0,"rejected":[],"rejected_total":0})");
}

TEST(BatchAnswer, ListsAtMostTheFirstHundredRejectedLinesButCountsThemAll) {
  std::string body;
  for (int i = 0; i < 150; ++i) body += "{\"bad\":" + std::to_string(i) + "}\n";
  body += line(1) + "\n";
  const ReadBatch r = read(body);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.parsed.rejected.size(), 100u);
  EXPECT_EQ(r.parsed.rejected_total, 150u);

  const std::string answer = batch_answer(1, 0, r.parsed);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_FALSE(parser.parse(answer).get(doc)) << answer;
  EXPECT_EQ(std::int64_t(doc["accepted"]), 1);
  EXPECT_EQ(std::int64_t(doc["duplicates"]), 0);
  EXPECT_EQ(std::int64_t(doc["rejected_total"]), 150);
  simdjson::dom::array rejected = doc["rejected"];
  ASSERT_EQ(rejected.size(), 100u);
  EXPECT_EQ(std::int64_t(rejected.at(0)["line"]), 1);
  EXPECT_EQ(std::int64_t(rejected.at(99)["line"]), 100);
  EXPECT_TRUE(rejected.at(0)["error"].is_string());
}

TEST(BatchAnswer, StaysUnder64KibWhateverTheBody) {
  std::string body;
  for (int i = 0; i < 10'000; ++i) body += "{\"id\":\"" + std::string(64, 'x') + "x\"}\n";
  body += line(1);
  const ReadBatch r = read(body);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.parsed.rejected_total, 10'000u);
  EXPECT_LE(batch_answer(1, 0, r.parsed).size(), 64u * 1024);
}
