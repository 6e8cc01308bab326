#include <set>

#include "client_fixture.hpp"

using namespace uptake;
using namespace uptake::test;
using namespace std::chrono_literals;

using ClientDelivery = ClientTest;

TEST_F(ClientDelivery, EveryEventArrivesOnceWithTheProtocolFields) {
  Client client(config());
  for (int i = 0; i < 1000; ++i) client.track("export_pdf", {{"i", i}, {"format", "a4"}});
  ASSERT_TRUE(client.flush(10s));

  const auto lines = tracked("export_pdf");
  ASSERT_EQ(lines.size(), 1000u);
  std::set<std::int64_t> seen;
  for (const auto& l : lines) {
    EXPECT_EQ(json_field(l, "type"), "track");
    EXPECT_EQ(json_field(l, "anon"), client.anonymous_id());
    EXPECT_EQ(json_field(l, "app_version"), "1.2.3");
    EXPECT_FALSE(json_field(l, "session").empty());
    EXPECT_TRUE(json_int_field(l, "ts").has_value());
    EXPECT_EQ(json_field(l, "id").size(), 36u);
  }
  EXPECT_EQ(receiver_->ids().size(), receiver_->unique_ids().size()) << "nothing sent twice";
  for (const auto& r : receiver_->requests()) {
    EXPECT_EQ(r.authorization, "Bearer wk_test");
    EXPECT_EQ(r.content_encoding, "zstd");
    ASSERT_TRUE(r.sent_at_ms.has_value());
  }
  const Stats s = client.stats();
  EXPECT_EQ(s.sent, receiver_->ids().size());
  EXPECT_EQ(s.spooled_events, 0u);
  EXPECT_EQ(s.spool_bytes, 0u);
}

TEST_F(ClientDelivery, BatchesNeverExceedMaxBatchEvents) {
  Config c = config();
  c.max_batch_events = 100;
  c.flush_interval_ms = 10s;
  Client client(c);
  for (int i = 0; i < 950; ++i) client.track("search");
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(tracked("search").size(), 950u);
  for (const auto& r : receiver_->requests()) EXPECT_LE(r.events, 100u);
  EXPECT_GE(receiver_->requests().size(), 10u);
}

TEST_F(ClientDelivery, TheFlushIntervalSendsWithoutAnExplicitFlush) {
  Client client(config());
  client.track("tag_note");
  EXPECT_TRUE(eventually([&] { return tracked("tag_note").size() == 1; }));
}

TEST_F(ClientDelivery, ConcurrentProducersLoseNothingUncounted) {
  Config c = config();
  c.queue_capacity = 1 << 12;
  Client client(c);
  constexpr int kThreads = 4, kEach = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&client, t] {
      for (int i = 0; i < kEach; ++i) client.track("concurrent", {{"t", t}, {"i", i}});
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(client.flush(20s));
  const Stats s = client.stats();
  const auto arrived = tracked("concurrent").size();
  EXPECT_EQ(arrived + s.dropped_queue_full, std::size_t{kThreads * kEach});
  EXPECT_EQ(receiver_->ids().size(), receiver_->unique_ids().size());
}

TEST_F(ClientDelivery, InvalidAndReservedNamesAreDroppedAndCounted) {
  Client client(config());
  client.track("");
  client.track(std::string(129, 'n'));
  client.track("$install");
  client.track("ok", {{"blob", std::string(20000, 'x')}});
  client.identify("");
  client.track("fine");
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(client.stats().dropped_invalid, 5u);
  EXPECT_EQ(tracked("fine").size(), 1u);
  EXPECT_EQ(tracked("ok").size(), 0u);
}

TEST_F(ClientDelivery, LargePropsBeyondTheInlineBudgetStillArrive) {
  Client client(config());
  const std::string big(4000, 'p');
  client.track("big", {{"note", big}, {"n", 1}});
  ASSERT_TRUE(client.flush(10s));
  ASSERT_EQ(tracked("big").size(), 1u);
  EXPECT_NE(tracked("big")[0].find(big), std::string::npos);
}
