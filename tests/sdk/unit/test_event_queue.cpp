#include <gtest/gtest.h>

#include <cstring>
#include <thread>
#include <vector>

#include "event_queue.hpp"

using namespace uptake::detail;

TEST(EventQueue, FullRingRefusesInsteadOfWaiting) {
  EventQueue q(4);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(q.try_push([](EventRecord&) {}), i);
  EXPECT_EQ(q.try_push([](EventRecord&) {}), -1);
  EventRecord r;
  EXPECT_TRUE(q.try_pop(r));
  EXPECT_EQ(q.try_push([](EventRecord&) {}), 4);
}

TEST(EventQueue, ManyProducersOneConsumerLoseNothing) {
  EventQueue q(1024);
  constexpr int kThreads = 4, kPerThread = 50000;
  std::vector<std::thread> producers;
  for (int t = 0; t < kThreads; ++t) {
    producers.emplace_back([&q, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::int64_t value = t * kPerThread + i;
        while (q.try_push([&](EventRecord& r) { r.ts_ms = value; }) < 0) std::this_thread::yield();
      }
    });
  }
  std::vector<int> last(kThreads, -1);
  int received = 0;
  EventRecord r;
  while (received < kThreads * kPerThread) {
    if (!q.try_pop(r)) continue;
    const int t = static_cast<int>(r.ts_ms / kPerThread),
              i = static_cast<int>(r.ts_ms % kPerThread);
    EXPECT_EQ(i, last[t] + 1) << "per-producer order";
    last[t] = i;
    ++received;
  }
  for (auto& p : producers) p.join();
  EXPECT_FALSE(q.try_pop(r));
}
