// The collector-wide budget for request bodies in flight (ingest/memory_budget.hpp).

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <limits>
#include <thread>
#include <utility>
#include <vector>

#include "ingest/memory_budget.hpp"

using namespace uptake::collector;
using Reservation = MemoryBudget::Reservation;

TEST(MemoryBudget, AReservationGrowsAndReleasesWhenDestroyed) {
  MemoryBudget budget(100);
  {
    Reservation r(budget);
    EXPECT_TRUE(r.grow(30));
    EXPECT_TRUE(r.grow(20));
    EXPECT_EQ(r.bytes(), 50u);
    EXPECT_EQ(budget.used(), 50u);
  }
  EXPECT_EQ(budget.used(), 0u);
  EXPECT_EQ(budget.limit(), 100u);
}

TEST(MemoryBudget, AGrowPastTheLimitTakesNothing) {
  MemoryBudget budget(100);
  Reservation first(budget), second(budget);
  EXPECT_TRUE(first.grow(60));
  EXPECT_FALSE(second.grow(41));
  EXPECT_EQ(second.bytes(), 0u);
  EXPECT_EQ(budget.used(), 60u);
  EXPECT_TRUE(second.grow(40));  // exactly to the limit
  EXPECT_FALSE(second.grow(1));
  EXPECT_FALSE(first.grow(std::numeric_limits<std::size_t>::max()));  // no wrap-around
  EXPECT_EQ(budget.used(), 100u);
  EXPECT_EQ(first.bytes(), 60u);
  EXPECT_EQ(second.bytes(), 40u);
}

TEST(MemoryBudget, ABudgetSmallerThanOneRequestRefusesIt) {
  MemoryBudget budget(10);
  Reservation r(budget);
  EXPECT_FALSE(r.grow(11));
  EXPECT_EQ(budget.used(), 0u);
}

TEST(MemoryBudget, ReleaseGivesTheBytesBackEarlyAndOnce) {
  MemoryBudget budget(100);
  Reservation r(budget);
  ASSERT_TRUE(r.grow(70));
  r.release();
  EXPECT_EQ(r.bytes(), 0u);
  EXPECT_EQ(budget.used(), 0u);
  r.release();
  EXPECT_EQ(budget.used(), 0u);
  EXPECT_TRUE(r.grow(100));  // still usable after a release
  EXPECT_EQ(budget.used(), 100u);
}

TEST(MemoryBudget, MovingAReservationMovesItsBytes) {
  MemoryBudget budget(100);
  Reservation a(budget);
  ASSERT_TRUE(a.grow(10));
  Reservation b(std::move(a));
  EXPECT_EQ(b.bytes(), 10u);
  EXPECT_EQ(budget.used(), 10u);
  {
    Reservation c(budget);
    ASSERT_TRUE(c.grow(5));
    EXPECT_EQ(budget.used(), 15u);
    c = std::move(b);  // c's own 5 bytes are given back, b's 10 are c's now
    EXPECT_EQ(c.bytes(), 10u);
    EXPECT_EQ(budget.used(), 10u);
  }
  EXPECT_EQ(budget.used(), 0u);  // released once, by the last owner
}

TEST(MemoryBudget, AReservationWithoutABudgetIsUnlimited) {
  Reservation unlimited;
  EXPECT_TRUE(unlimited.grow(std::numeric_limits<std::size_t>::max()));
  EXPECT_TRUE(unlimited.grow(1));
}

TEST(MemoryBudget, ConcurrentGrowsNeverExceedTheLimit) {
  constexpr std::size_t kLimit = 5000;
  MemoryBudget budget(kLimit);
  std::atomic<std::size_t> granted{0};
  std::vector<Reservation> held(4);
  for (auto& r : held) r = Reservation(budget);
  std::vector<std::thread> threads;
  for (auto& r : held) {
    threads.emplace_back([&] {
      for (int i = 0; i < 4000; ++i) {
        if (r.grow(1)) ++granted;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(granted.load(), kLimit);
  EXPECT_EQ(budget.used(), kLimit);
  held.clear();
  EXPECT_EQ(budget.used(), 0u);
}
