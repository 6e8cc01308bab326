// Token buckets per key (api/rate_limiter.hpp), driven by explicit time points: no sleeping.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "api/rate_limiter.hpp"

using namespace uptake::collector;
using namespace std::chrono_literals;

namespace {
const auto t0 = std::chrono::steady_clock::time_point{} + 1000h;
}

TEST(RateLimiter, ABurstIsAllowedAtOnceThenRefused) {
  RateLimiter limiter(1, 3);
  EXPECT_EQ(limiter.acquire("k", t0), 0);
  EXPECT_EQ(limiter.acquire("k", t0), 0);
  EXPECT_EQ(limiter.acquire("k", t0), 0);
  EXPECT_GE(limiter.acquire("k", t0), 1);
  EXPECT_GE(limiter.acquire("k", t0), 1);
}

TEST(RateLimiter, TokensRefillAtTheRate) {
  RateLimiter limiter(2, 2);  // a token every 500 ms
  EXPECT_EQ(limiter.acquire("k", t0), 0);
  EXPECT_EQ(limiter.acquire("k", t0), 0);
  EXPECT_GE(limiter.acquire("k", t0 + 250ms), 1);
  EXPECT_EQ(limiter.acquire("k", t0 + 500ms), 0);
  EXPECT_GE(limiter.acquire("k", t0 + 500ms), 1);
  EXPECT_EQ(limiter.acquire("k", t0 + 1000ms), 0);
  EXPECT_GE(limiter.acquire("k", t0 + 1000ms), 1);
}

TEST(RateLimiter, RefillStopsAtTheBurst) {
  RateLimiter limiter(10, 3);
  EXPECT_EQ(limiter.acquire("k", t0), 0);
  const auto later = t0 + 1h;  // 36,000 tokens' worth of time, but a bucket holds 3
  EXPECT_EQ(limiter.acquire("k", later), 0);
  EXPECT_EQ(limiter.acquire("k", later), 0);
  EXPECT_EQ(limiter.acquire("k", later), 0);
  EXPECT_GE(limiter.acquire("k", later), 1);
}

TEST(RateLimiter, RetryAfterIsTheWholeSecondsUntilTheNextToken) {
  RateLimiter limiter(0.25, 1);  // a token every 4 s
  EXPECT_EQ(limiter.acquire("k", t0), 0);
  EXPECT_EQ(limiter.acquire("k", t0), 4);
  EXPECT_EQ(limiter.acquire("k", t0 + 1s), 3);
  EXPECT_EQ(limiter.acquire("k", t0 + 2500ms), 2);  // 1.5 s to go: rounded up
  EXPECT_EQ(limiter.acquire("k", t0 + 3500ms), 1);
  EXPECT_EQ(limiter.acquire("k", t0 + 4s), 0);
}

TEST(RateLimiter, RetryAfterIsAtLeastOneSecond) {
  RateLimiter limiter(100, 1);  // the next token is 10 ms away
  EXPECT_EQ(limiter.acquire("k", t0), 0);
  EXPECT_EQ(limiter.acquire("k", t0), 1);
}

TEST(RateLimiter, EachKeyHasItsOwnBucket) {
  RateLimiter limiter(1, 1);
  EXPECT_EQ(limiter.acquire("app-a", t0), 0);
  EXPECT_GE(limiter.acquire("app-a", t0), 1);
  EXPECT_EQ(limiter.acquire("app-b", t0), 0);
  EXPECT_GE(limiter.acquire("app-b", t0), 1);
  EXPECT_EQ(limiter.acquire("", t0), 0);
  EXPECT_EQ(limiter.buckets(), 3u);
}

TEST(RateLimiter, AFullTableDropsFullBucketsFirst) {
  RateLimiter limiter(1, 2, /*max_buckets=*/2);
  EXPECT_EQ(limiter.acquire("drained", t0), 0);
  EXPECT_EQ(limiter.acquire("drained", t0), 0);
  EXPECT_EQ(limiter.acquire("idle", t0), 0);
  // One second later "idle" is full again (1 + 1 token), "drained" holds only 1 token.
  const auto t1 = t0 + 1s;
  EXPECT_EQ(limiter.acquire("newcomer", t1), 0);
  EXPECT_EQ(limiter.buckets(), 2u);
  // "drained" kept its state: one token, not a fresh bucket of two.
  EXPECT_EQ(limiter.acquire("drained", t1), 0);
  EXPECT_GE(limiter.acquire("drained", t1), 1);
}

TEST(RateLimiter, ATableFullOfDrainingBucketsRefusesNewKeys) {
  RateLimiter limiter(1, 2, /*max_buckets=*/2);
  for (const char* key : {"a", "b"}) {
    EXPECT_EQ(limiter.acquire(key, t0), 0);
    EXPECT_EQ(limiter.acquire(key, t0), 0);
  }
  // Forgetting a limited client would let it start over: the newcomer waits instead.
  EXPECT_GE(limiter.acquire("c", t0), 1);
  EXPECT_GE(limiter.acquire("c", t0 + 1s), 1);
  EXPECT_EQ(limiter.buckets(), 2u);
  EXPECT_GE(limiter.acquire("a", t0), 1);  // still limited
  // Once the others have refilled completely they are forgotten and there is room.
  EXPECT_EQ(limiter.acquire("c", t0 + 2s), 0);
  EXPECT_LE(limiter.buckets(), 2u);
}
