#include <gtest/gtest.h>

#include "retry_policy.hpp"

using namespace uptake::detail;
using namespace std::chrono_literals;

TEST(RetryPolicy, ClassifiesAnswersAsTheProtocolSays) {
  auto verdict = [](int status) {
    HttpResponse r;
    r.status = status;
    return classify_response(r);
  };
  EXPECT_EQ(verdict(200), Verdict::delivered);
  EXPECT_EQ(verdict(0), Verdict::retry);
  EXPECT_EQ(verdict(429), Verdict::retry);
  EXPECT_EQ(verdict(500), Verdict::retry);
  EXPECT_EQ(verdict(503), Verdict::retry);
  EXPECT_EQ(verdict(413), Verdict::split);
  EXPECT_EQ(verdict(400), Verdict::drop);
  EXPECT_EQ(verdict(401), Verdict::drop);
  EXPECT_EQ(verdict(403), Verdict::drop);
}

TEST(RetryPolicy, FullJitterStaysUnderTheDoublingCeiling) {
  Backoff b(100ms, 1000ms, 1);
  for (int attempt = 0; attempt < 10; ++attempt) {
    const auto ceiling = std::min<std::int64_t>(1000, 100 << attempt);
    EXPECT_LE(b.next(std::nullopt).count(), ceiling);
  }
}

TEST(RetryPolicy, RetryAfterIsAFloor) {
  Backoff b(10ms, 20ms, 1);
  EXPECT_GE(b.next(5000ms), 5000ms);
}

TEST(RetryPolicy, ParsesRetryAfterSecondsAndDates) {
  EXPECT_EQ(parse_retry_after("7"), std::chrono::milliseconds(7000));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), std::chrono::milliseconds(0));
  EXPECT_FALSE(parse_retry_after("soon"));
}
