// The SQLite store's event blocks: every field survives a round trip, and malformed,
// truncated or oversized blocks are refused with an error instead of being misread.
#include <gtest/gtest.h>
#include <zstd.h>

#include <stdexcept>

#include "storage/sqlite/event_block.hpp"

using uptake::collector::decode_event_block;
using uptake::collector::encode_event_block;
using uptake::collector::Event;
using uptake::collector::EventType;

namespace {

std::vector<Event> sample() {
  Event a;
  a.id = "0193a7e5-1c2d-7abc-8def-000000000001";
  a.name = "export_pdf";
  a.anon = "anon-1";
  a.session = "s-1";
  a.app_version = "2.3.0";
  a.props = R"({"source":"menu","note":"ünïcødé ✓"})";
  a.ts = 1'795'000'000'123;
  a.client_ts = 1'795'000'100'000;
  a.received_at = 1'795'000'000'456;
  Event b;
  b.id = "id-2";
  b.type = EventType::identify;
  b.anon = "anon-1";
  b.user = "user-7";
  b.ts = -86'400'001;  // before 1970: negative times survive
  b.client_ts = INT64_MIN;
  b.received_at = INT64_MAX;
  return {a, b};
}

void expect_same(const Event& a, const Event& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.anon, b.anon);
  EXPECT_EQ(a.user, b.user);
  EXPECT_EQ(a.session, b.session);
  EXPECT_EQ(a.app_version, b.app_version);
  EXPECT_EQ(a.props, b.props);
  EXPECT_EQ(a.ts, b.ts);
  EXPECT_EQ(a.client_ts, b.client_ts);
  EXPECT_EQ(a.received_at, b.received_at);
}

std::string compress(const std::string& raw) {
  std::string out(ZSTD_compressBound(raw.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), 1));
  return out;
}

std::string decompress(const std::string& block) {
  std::string out(ZSTD_getFrameContentSize(block.data(), block.size()), '\0');
  ZSTD_decompress(out.data(), out.size(), block.data(), block.size());
  return out;
}

}  // namespace

TEST(EventBlock, EveryFieldSurvivesARoundTrip) {
  const auto events = sample();
  const auto back = decode_event_block(encode_event_block(events));
  ASSERT_EQ(back.size(), 2u);
  expect_same(back[0], events[0]);
  expect_same(back[1], events[1]);
  EXPECT_TRUE(decode_event_block(encode_event_block(std::vector<Event>{})).empty());
}

TEST(EventBlock, OnlyKeptEventsAreEncoded) {
  const auto events = sample();
  const auto back = decode_event_block(encode_event_block(events, {false, true}));
  ASSERT_EQ(back.size(), 1u);
  expect_same(back[0], events[1]);
}

TEST(EventBlock, ABlockOfManyEventsIsSmall) {
  std::vector<Event> events(500, sample()[0]);
  for (std::size_t i = 0; i < events.size(); ++i) events[i].id += std::to_string(i);
  EXPECT_LT(encode_event_block(events).size(), events.size() * 40);
}

TEST(EventBlock, MalformedBlocksAreRefused) {
  const std::string good = encode_event_block(sample());
  const std::string packed = decompress(good);
  EXPECT_THROW(decode_event_block(""), std::runtime_error);
  EXPECT_THROW(decode_event_block("not zstd at all"), std::runtime_error);
  EXPECT_THROW(decode_event_block(good.substr(0, good.size() - 3)), std::runtime_error);
  // Every truncation of the packed layout is caught by the bounds checks.
  for (std::size_t n = 0; n < packed.size(); ++n) {
    EXPECT_THROW(decode_event_block(compress(packed.substr(0, n))), std::runtime_error) << n;
  }
  std::string trailing = packed + "x";
  EXPECT_THROW(decode_event_block(compress(trailing)), std::runtime_error);
  std::string version = packed;
  version[0] = 9;
  EXPECT_THROW(decode_event_block(compress(version)), std::runtime_error);
  std::string type = packed;
  type[2] = 7;  // the first event's type byte
  EXPECT_THROW(decode_event_block(compress(type)), std::runtime_error);
  // A count far beyond what the bytes can hold is refused before anything is allocated.
  std::string count = std::string(1, '\1') + "\xff\xff\xff\xff\x0f" + packed.substr(2);
  EXPECT_THROW(decode_event_block(compress(count)), std::runtime_error);
}

TEST(EventBlock, ABlockThatWouldDecompressPastTheLimitIsRefused) {
  const std::string bomb = compress(std::string(8 << 20, '\0'));  // 8 MiB in a few hundred bytes
  EXPECT_LT(bomb.size(), 4096u);
  EXPECT_THROW(decode_event_block(bomb, 1 << 20), std::runtime_error);
}
