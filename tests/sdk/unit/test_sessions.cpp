// When an event starts a new session.
#include <gtest/gtest.h>

#include "sessions.hpp"

using namespace uptake::detail;
using namespace std::chrono_literals;

namespace {
constexpr std::int64_t kTimeout = 30 * 60 * 1000;
constexpr std::int64_t kT0 = 1'800'000'000'000;
}  // namespace

TEST(Sessions, TheFirstEventOfAnInstallStartsASession) {
  EXPECT_TRUE(starts_new_session(false, 0, kT0, kTimeout));
  Sessions sessions(30min, 1);
  InstallState state;
  EXPECT_TRUE(sessions.advance(state, kT0));
  EXPECT_EQ(state.session.size(), 36u);
  EXPECT_EQ(state.last_event_ms, kT0);
}

TEST(Sessions, AGapOverTheTimeoutStartsANewSession) {
  EXPECT_TRUE(starts_new_session(true, kT0, kT0 + kTimeout + 1, kTimeout));
  Sessions sessions(30min, 1);
  InstallState state;
  sessions.advance(state, kT0);
  const std::string first = state.session;
  EXPECT_TRUE(sessions.advance(state, kT0 + kTimeout + 1));
  EXPECT_NE(state.session, first);
}

TEST(Sessions, AGapOfExactlyTheTimeoutContinuesTheSession) {
  EXPECT_FALSE(starts_new_session(true, kT0, kT0 + kTimeout, kTimeout));
  Sessions sessions(30min, 1);
  InstallState state;
  sessions.advance(state, kT0);
  const std::string first = state.session;
  EXPECT_FALSE(sessions.advance(state, kT0 + kTimeout));
  EXPECT_EQ(state.session, first);
  EXPECT_EQ(state.last_event_ms, kT0 + kTimeout);
}

TEST(Sessions, ASmallStepBackOfTheClockKeepsTheSessionAndTheLatestTime) {
  Sessions sessions(30min, 1);
  InstallState state;
  sessions.advance(state, kT0);
  const std::string first = state.session;
  EXPECT_FALSE(sessions.advance(state, kT0 - 5000));
  EXPECT_EQ(state.session, first);
  EXPECT_EQ(state.last_event_ms, kT0);
}

TEST(Sessions, TheClockSetBackBeyondTheTimeoutStartsANewSessionFromTheNewTime) {
  EXPECT_TRUE(starts_new_session(true, kT0, kT0 - kTimeout - 1, kTimeout));
  Sessions sessions(30min, 1);
  InstallState state;
  sessions.advance(state, kT0);
  const std::string first = state.session;
  EXPECT_TRUE(sessions.advance(state, kT0 - 24 * 3600 * 1000));
  EXPECT_NE(state.session, first);
  EXPECT_EQ(state.last_event_ms, kT0 - 24 * 3600 * 1000);
}

TEST(Sessions, ASessionRestoredFromTheInstallStateContinues) {
  Sessions sessions(30min, 1);
  InstallState state;
  state.session = "restored";
  state.last_event_ms = kT0;
  EXPECT_FALSE(sessions.advance(state, kT0 + 1000));
  EXPECT_EQ(state.session, "restored");
}

TEST(Sessions, TheSessionStartEventIsReservedAndNeverAllocates) {
  const EventRecord start = session_start_record(kT0);
  EXPECT_EQ(start.heap, nullptr);
  EXPECT_EQ(start.ts_ms, kT0);
  EXPECT_EQ(start.kind, EventKind::track);
  EXPECT_EQ(PackedReader(start.data()).name(), "$session_start");
  EXPECT_EQ(PackedReader(start.data()).prop_count(), 0u);
}
