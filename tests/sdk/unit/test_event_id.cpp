#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "event_id.hpp"

using uptake::detail::EventIdGenerator;

TEST(EventId, IsAUuidV7CarryingTheEventTime) {
  EventIdGenerator gen(0x123456789ABull);
  const std::int64_t ts = 1'700'000'000'123;
  const std::string id = gen.next(ts);
  ASSERT_TRUE(std::regex_match(
      id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << id;
  const std::string hex = id.substr(0, 8) + id.substr(9, 4);
  EXPECT_EQ(std::stoll(hex, nullptr, 16), ts);
}

TEST(EventId, IdsOfOneRunAreUniqueAndSortByTime) {
  EventIdGenerator gen(42);
  std::set<std::string> seen;
  std::string previous;
  for (int i = 0; i < 100000; ++i) {
    const std::string id = gen.next(1'700'000'000'000 + i / 10);
    EXPECT_TRUE(seen.insert(id).second);
    EXPECT_LT(previous, id);
    previous = id;
  }
}

TEST(EventId, TwoRunsAtTheSameMillisecondDiffer) {
  EventIdGenerator a(1), b(2);
  EXPECT_NE(a.next(1000), b.next(1000));
}
