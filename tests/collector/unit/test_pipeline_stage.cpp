// The insert stage of a writer lane (storage/pipeline_stage.hpp): one piece of work at a time,
// the next started only after the previous ended, the last one's outcome reported, and the
// work in flight finished before the stage goes.

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include "storage/pipeline_stage.hpp"

using namespace uptake::collector;

TEST(PipelineStage, ReportsTheOutcomeOfTheLastWork) {
  PipelineStage stage;
  EXPECT_TRUE(stage.wait()) << "nothing ran yet";
  stage.start([] { return false; });
  EXPECT_FALSE(stage.wait());
  EXPECT_FALSE(stage.wait()) << "the outcome stays until the next work";
  stage.start([] { return true; });
  EXPECT_TRUE(stage.wait());
  EXPECT_FALSE(stage.busy());
}

TEST(PipelineStage, RunsOffTheCallersThreadWhileTheCallerGoesOn) {
  PipelineStage stage;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::thread::id ran_on;
  stage.start([&] {
    ran_on = std::this_thread::get_id();
    released.wait();
    return true;
  });
  EXPECT_TRUE(stage.busy()) << "start() returned while the work still runs";
  release.set_value();
  EXPECT_TRUE(stage.wait());
  EXPECT_NE(ran_on, std::this_thread::get_id());
}

TEST(PipelineStage, StartsEachWorkOnlyAfterThePreviousEnded) {
  std::vector<int> order;
  std::atomic<int> running{0};
  std::atomic<bool> overlapped{false};
  {
    PipelineStage stage;
    for (int i = 0; i < 50; ++i) {
      stage.start([&, i] {
        if (running.fetch_add(1) != 0) overlapped = true;
        std::this_thread::yield();
        order.push_back(i);  // safe only if works never overlap
        running.fetch_sub(1);
        return true;
      });
    }
  }  // the destructor finishes the last work
  EXPECT_FALSE(overlapped);
  ASSERT_EQ(order.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(order[static_cast<std::size_t>(i)], i);
}
