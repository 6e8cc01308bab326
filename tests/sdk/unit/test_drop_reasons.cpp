#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "drop_reasons.hpp"

using namespace uptake;
using namespace uptake::detail;

TEST(DropReasons, EveryReasonHasAUniqueNameAndAUnit) {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < kDropReasonCount; ++i) {
    const auto reason = static_cast<DropReason>(i);
    EXPECT_FALSE(drop_reason_name(reason).empty());
    EXPECT_TRUE(drop_reason_unit(reason) == "events" || drop_reason_unit(reason) == "batches");
    names.insert(drop_reason_name(reason));
  }
  EXPECT_EQ(names.size(), kDropReasonCount);
  EXPECT_EQ(drop_reason_name(DropReason::queue_full), "queue_full");
  EXPECT_EQ(drop_reason_unit(DropReason::spool_corrupt), "batches");
}

TEST(DropReasons, EachReasonFillsExactlyItsOwnStatsField) {
  DropCounters drops;
  for (std::size_t i = 0; i < kDropReasonCount; ++i) drops.add(static_cast<DropReason>(i), i + 1);
  Stats s;
  drops.fill(s);
  EXPECT_EQ(s.dropped_queue_full, 1u);
  EXPECT_EQ(s.dropped_invalid, 2u);
  EXPECT_EQ(s.dropped_client_error, 3u);
  EXPECT_EQ(s.dropped_too_large, 4u);
  EXPECT_EQ(s.dropped_spool_full, 5u);
  EXPECT_EQ(s.dropped_spool_age, 6u);
  EXPECT_EQ(s.dropped_spool_corrupt, 7u);
  EXPECT_EQ(s.dropped_shutdown, 8u);
  EXPECT_EQ(kDropReasonCount, 8u) << "a new reason needs its line above";
  // Counters that are not drops are left alone.
  EXPECT_EQ(s.sent, 0u);
  EXPECT_EQ(s.rejected_by_collector, 0u);
}

TEST(DropReasons, AddDefaultsToOneAndAccumulates) {
  DropCounters drops;
  drops.add(DropReason::invalid);
  drops.add(DropReason::invalid);
  drops.add(DropReason::spool_full, 40);
  EXPECT_EQ(drops.get(DropReason::invalid), 2u);
  EXPECT_EQ(drops.get(DropReason::spool_full), 40u);
  EXPECT_EQ(drops.get(DropReason::queue_full), 0u);
}

TEST(DropReasons, CountsFromManyThreadsAllAddUp) {
  DropCounters drops;
  constexpr int kThreads = 4, kEach = 10'000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&drops] {
      for (int i = 0; i < kEach; ++i) drops.add(DropReason::queue_full);
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(drops.get(DropReason::queue_full), std::uint64_t{kThreads * kEach});
}
