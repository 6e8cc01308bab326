// No exception crosses the C API: every allocation an entry point makes on the caller's
// thread is made to fail in turn (the Nth and every later one), and each call must come back
// with an error code and a message (or, for the void calls, just come back) instead of
// unwinding into C or ending the program. Its own program: it replaces operator new.

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <type_traits>
#include <vector>

#include "temp_dir.hpp"
#include "uptake/feature_tips.h"
#include "uptake/first_action.h"
#include "uptake/surveys.h"
#include "uptake/uptake.h"

// The replacements below pair operator new with free() on purpose; GCC cannot tell.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {

// Allocations on this thread left before every further one fails; -1: none fails.
thread_local long g_allocations_left = -1;

}  // namespace

void* operator new(std::size_t size) {
  if (g_allocations_left == 0) throw std::bad_alloc();
  if (g_allocations_left > 0) --g_allocations_left;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  return ::operator new(size);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
// The nothrow forms too (simdjson allocates with them): every form must pair with free(),
// or AddressSanitizer sees its own new[] freed here.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return ::operator new(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return ::operator new(size, tag);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}

namespace {

using uptake::test::TempDir;

bool known_error(uptake_status s) {
  return s == UPTAKE_ERR_INVALID_ARGUMENT || s == UPTAKE_ERR_INVALID_CONFIG || s == UPTAKE_ERR_IO ||
         s == UPTAKE_ERR_TIMEOUT || s == UPTAKE_ERR_INTERNAL;
}

// Runs `call` (C calls only: the test's own allocations must not fail) with the 0th, 1st,
// 2nd, ... allocation failing, until it succeeds with every allocation it needs. `call`
// returns a status, or a pointer that is NULL on failure. Every failure must be a documented
// code with a message. Returns how many failure points were tried.
template <typename Call>
long for_each_failure_point(Call call) {
  for (long n = 0; n < 100'000; ++n) {
    g_allocations_left = n;
    const auto result = call();
    g_allocations_left = -1;
    if constexpr (std::is_pointer_v<decltype(result)>) {
      if (result) return n;
    } else {
      if (result == UPTAKE_OK) return n;
      EXPECT_TRUE(known_error(result)) << result;
    }
    EXPECT_NE(uptake_last_error(), nullptr);
  }
  ADD_FAILURE() << "never succeeded";
  return -1;
}

const std::string kLong(300, 'x');  // beyond any small-string buffer: assigning it allocates

uptake_config* client_config(const TempDir& dir) {
  uptake_config* c = uptake_config_new();
  uptake_config_set_string(c, "endpoint", "http://127.0.0.1:9");  // nothing listens: no I/O
  uptake_config_set_string(c, "write_key", "wk");
  uptake_config_set_string(c, "data_dir", dir.str("data").c_str());
  uptake_config_set_number(c, "fetch_remote_config", 0);
  uptake_config_set_number(c, "shutdown_timeout_ms", 100);
  return c;
}

TEST(CBoundary, ConfigCallsReportAllocationFailures) {
  EXPECT_GE(for_each_failure_point([] {
              uptake_config* c = uptake_config_new();
              uptake_config_free(c);
              return c;
            }),
            0);
  uptake_config* c = uptake_config_new();
  ASSERT_NE(c, nullptr);
  EXPECT_GT(for_each_failure_point(
                [&] { return uptake_config_set_string(c, "data_dir", kLong.c_str()); }),
            0);
  // The error path builds its message: out of memory, a fixed one stands in.
  for (long n = 0; n < 4; ++n) {
    g_allocations_left = n;
    const uptake_status s = uptake_config_set_number(c, kLong.c_str(), 1);
    g_allocations_left = -1;
    EXPECT_TRUE(s == UPTAKE_ERR_INVALID_ARGUMENT || s == UPTAKE_ERR_INTERNAL) << s;
    EXPECT_GT(std::strlen(uptake_last_error()), 0u);
  }
  EXPECT_EQ(uptake_config_set_number(c, kLong.c_str(), 1), UPTAKE_ERR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(uptake_last_error()).find("unknown numeric option"), std::string::npos);

  const char* actions[] = {kLong.c_str(), kLong.c_str()};
  EXPECT_GT(for_each_failure_point([&] { return uptake_config_add_first_action(c, actions, 2); }),
            0);
  uptake_feature_tips* tips = nullptr;
  EXPECT_GT(
      for_each_failure_point([&] { return tips = uptake_feature_tips_new(nullptr, nullptr); }), 0);
  EXPECT_GE(for_each_failure_point([&] { return uptake_config_add_feature_tips(c, tips); }), 0);
  uptake_surveys* surveys = nullptr;
  EXPECT_GT(for_each_failure_point([&] { return surveys = uptake_surveys_new(nullptr, nullptr); }),
            0);
  EXPECT_GE(for_each_failure_point([&] { return uptake_config_add_surveys(c, surveys); }), 0);
  uptake_config_free(c);
  uptake_feature_tips_free(tips);
  uptake_surveys_free(surveys);
}

// The survey calls answer with an uptake_survey_status: out of memory is
// UPTAKE_SURVEY_ERR_INTERNAL with a message, never an exception.
template <typename Call>
void expect_survey_failures_reported(Call call) {
  for (long n = 0; n < 100'000; ++n) {
    g_allocations_left = n;
    const uptake_survey_status result = call();
    g_allocations_left = -1;
    if (result != UPTAKE_SURVEY_ERR_INTERNAL) return;  // enough allocations: its real answer
    EXPECT_GT(std::strlen(uptake_last_error()), 0u);
  }
  ADD_FAILURE() << "never got past its allocations";
}

TEST(CBoundary, CreatingAClientReportsAllocationFailures) {
  TempDir dir;
  uptake_config* c = client_config(dir);
  const char* actions[] = {"a"};
  ASSERT_EQ(uptake_config_add_first_action(c, actions, 1), UPTAKE_OK);
  uptake_feature_tips* tips = uptake_feature_tips_new(nullptr, nullptr);
  ASSERT_EQ(uptake_config_add_feature_tips(c, tips), UPTAKE_OK);
  uptake_surveys* surveys = uptake_surveys_new(nullptr, nullptr);
  ASSERT_EQ(uptake_config_add_surveys(c, surveys), UPTAKE_OK);
  uptake_client* client = nullptr;
  const long points = for_each_failure_point([&] { return uptake_client_new(c, &client); });
  EXPECT_GT(points, 10);
  ASSERT_NE(client, nullptr);

  // With a running client: the calls that allocate on the caller's thread.
  char id[64];
  for_each_failure_point([&] { return uptake_anonymous_id(client, id, sizeof id); });
  for_each_failure_point([&] { return uptake_tip_clicked(tips, "tip-1"); });
  for_each_failure_point(
      [&] { return uptake_tip_dismissed(tips, "tip-1", UPTAKE_DISMISS_SNOOZE, 2); });
  char reason[128];
  for_each_failure_point(
      [&] { return uptake_tip_explain(tips, "tip-1", reason, sizeof reason, nullptr); });
  // No such survey in the config: every call ends with that answer once it can allocate.
  const std::string survey(kLong);
  expect_survey_failures_reported(
      [&] { return uptake_survey_answer_score(surveys, survey.c_str(), 3); });
  expect_survey_failures_reported(
      [&] { return uptake_survey_answer_choice(surveys, survey.c_str(), kLong.c_str()); });
  expect_survey_failures_reported([&] { return uptake_survey_dismissed(surveys, survey.c_str()); });
  EXPECT_EQ(uptake_survey_dismissed(surveys, survey.c_str()), UPTAKE_SURVEY_ERR_UNKNOWN_SURVEY);
  for_each_failure_point([&] {
    return uptake_survey_explain(surveys, survey.c_str(), reason, sizeof reason, nullptr);
  });
  // More props than the C API copies on the stack: the heap copy fails, the event is dropped.
  std::vector<uptake_prop> props(40, uptake_prop{"k", UPTAKE_PROP_INT, nullptr, 1, 0, 0});
  for (long n = 0; n < 4; ++n) {
    g_allocations_left = n;
    uptake_track(client, "many_props", props.data(), props.size());
    uptake_identify(client, "user", props.data(), props.size());
    uptake_group(client, "acme", props.data(), props.size());
    g_allocations_left = -1;
  }
  uptake_stats stats;
  EXPECT_EQ(uptake_get_stats(client, &stats), UPTAKE_OK);
  uptake_client_free(client);
  uptake_feature_tips_free(tips);
  uptake_surveys_free(surveys);
  uptake_config_free(c);
}

}  // namespace
