// When a batch is sealed, and what sealing leaves in the spool.
#include <gtest/gtest.h>

#include <vector>

#include "batcher.hpp"
#include "temp_dir.hpp"

using namespace uptake;
using namespace uptake::detail;
using namespace std::chrono_literals;

namespace {

const BatchLimits kLimits{3, 1000, 50ms};

EventRecord make_record(std::string_view name, std::vector<Prop> props = {}) {
  EventRecord r;
  r.kind = EventKind::track;
  r.ts_ms = 1'700'000'000'000;
  r.size = static_cast<std::uint32_t>(packed_size(name, props));
  if (r.size > kInlinePayloadBytes) r.heap = new char[r.size];
  pack_payload(r.heap ? r.heap : r.inline_bytes.data(), name, props);
  return r;
}

const EventContext kContext{"anon-1", "", "session-1", "1.0"};

struct BatcherTest : ::testing::Test {
  test::TempDir dir;
  DropCounters drops;
  Spool spool{dir.path(), {}, drops};
  ZstdCompressor compressor{3};
  Batcher batcher{kLimits, 7, compressor, spool};
  void SetUp() override { spool.open(); }
};

}  // namespace

TEST(BatchDecisions, ABatchIsFullAtMaxEvents) {
  EXPECT_FALSE(batch_is_full(kLimits, 2, 10));
  EXPECT_TRUE(batch_is_full(kLimits, 3, 10));
}

TEST(BatchDecisions, ABatchIsFullAtMaxBytes) {
  EXPECT_FALSE(batch_is_full(kLimits, 1, 999));
  EXPECT_TRUE(batch_is_full(kLimits, 1, 1000));
}

TEST(BatchDecisions, ABatchIsDueOnceItsFirstEventWaitedTheInterval) {
  EXPECT_FALSE(batch_is_due(kLimits, 1, 49ms, false));
  EXPECT_TRUE(batch_is_due(kLimits, 1, 50ms, false));
}

TEST(BatchDecisions, AWaitingFlushMakesAnyOpenBatchDue) {
  EXPECT_TRUE(batch_is_due(kLimits, 1, 0ms, true));
}

TEST(BatchDecisions, AnEmptyBatchIsNeverDue) {
  EXPECT_FALSE(batch_is_due(kLimits, 0, 1h, true));
  EXPECT_FALSE(batch_is_due(kLimits, 0, 1h, false));
}

TEST_F(BatcherTest, SealingWritesOneSpoolRecordWithEveryEventAndTheFirstTick) {
  const auto now = std::chrono::steady_clock::now();
  batcher.open_if_empty(7, now);
  for (const char* name : {"a", "b"}) {
    ASSERT_TRUE(batcher.append(make_record(name), kContext));
    batcher.open_if_empty(99, now);  // a batch is open: its first tick stays
  }
  EXPECT_EQ(batcher.events(), 2u);
  EXPECT_EQ(batcher.first_tick(), 7u);
  batcher.seal(1'700'000'000'500);
  EXPECT_TRUE(batcher.empty());
  EXPECT_EQ(spool.events(), 2u);
  EXPECT_EQ(spool.min_pos(), 7u);
  const auto record = spool.front();
  ASSERT_TRUE(record);
  const auto ndjson = zstd_decompress(record->payload, 1 << 20);
  ASSERT_TRUE(ndjson);
  EXPECT_EQ(std::count(ndjson->begin(), ndjson->end(), '\n'), 2);
  EXPECT_NE(ndjson->find(R"("name":"a")"), std::string::npos);
  EXPECT_NE(ndjson->find(R"("name":"b")"), std::string::npos);
}

TEST_F(BatcherTest, TheBatchIsFullAtMaxEvents) {
  batcher.open_if_empty(1, std::chrono::steady_clock::now());
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(batcher.full());
    ASSERT_TRUE(batcher.append(make_record("e"), kContext));
  }
  EXPECT_TRUE(batcher.full());
}

TEST_F(BatcherTest, AnEventRefusedByTheProtocolLimitsLeavesTheBatchUnchanged) {
  batcher.open_if_empty(1, std::chrono::steady_clock::now());
  auto big = make_record("big", {{"blob", std::string(9000, 'x')}});
  EXPECT_FALSE(batcher.append(big, kContext));
  big.release();
  EXPECT_TRUE(batcher.empty());
  batcher.seal(1);
  EXPECT_TRUE(spool.empty()) << "an empty batch writes nothing";
}

TEST_F(BatcherTest, TheDeadlineIsTheFirstEventPlusTheInterval) {
  EXPECT_EQ(batcher.deadline(), std::chrono::steady_clock::time_point::max());
  const auto opened = std::chrono::steady_clock::now();
  batcher.open_if_empty(1, opened);
  ASSERT_TRUE(batcher.append(make_record("e"), kContext));
  EXPECT_EQ(batcher.deadline(), opened + 50ms);
  EXPECT_FALSE(batcher.due(opened + 49ms, false));
  EXPECT_TRUE(batcher.due(opened + 50ms, false));
}

TEST_F(BatcherTest, DiscardForgetsTheOpenBatch) {
  batcher.open_if_empty(1, std::chrono::steady_clock::now());
  ASSERT_TRUE(batcher.append(make_record("private"), kContext));
  batcher.discard();
  EXPECT_TRUE(batcher.empty());
  batcher.seal(1);
  EXPECT_TRUE(spool.empty());
}
