// The pool the slow routes run on (api/task_pool.hpp): runs what it accepts, accepts no more
// than its queue holds, and finishes what is queued when destroyed.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <latch>
#include <thread>

#include "api/task_pool.hpp"

using namespace uptake::collector;
using namespace std::chrono_literals;

namespace {

// A task that holds its worker until released, and says when it has started.
struct Blocker {
  std::latch started{1};
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();

  std::function<void()> task() {
    return [this] {
      started.count_down();
      released.wait();
    };
  }
};

}  // namespace

TEST(TaskPool, RunsEveryTaskItAccepts) {
  std::atomic<int> ran{0};
  std::latch done(20);
  TaskPool pool(2, 32);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(pool.try_submit([&] {
      ++ran;
      done.count_down();
    }));
  }
  done.wait();
  EXPECT_EQ(ran.load(), 20);
}

TEST(TaskPool, RunsTasksOnItsOwnThreads) {
  std::promise<std::thread::id> where;
  TaskPool pool(1, 1);
  ASSERT_TRUE(pool.try_submit([&] { where.set_value(std::this_thread::get_id()); }));
  EXPECT_NE(where.get_future().get(), std::this_thread::get_id());
}

TEST(TaskPool, RefusesTasksBeyondTheQueueBound) {
  std::atomic<int> ran{0};
  Blocker blocker;
  {
    TaskPool pool(1, 2);
    ASSERT_TRUE(pool.try_submit(blocker.task()));
    blocker.started.wait();  // the only worker is busy, the queue is empty
    EXPECT_EQ(pool.load(), 1u);
    EXPECT_TRUE(pool.try_submit([&] { ++ran; }));
    EXPECT_TRUE(pool.try_submit([&] { ++ran; }));
    EXPECT_EQ(pool.load(), 3u);
    EXPECT_FALSE(pool.try_submit([&] { ran += 100; }));  // the queue holds two
    EXPECT_EQ(pool.load(), 3u);
    blocker.release.set_value();
  }
  EXPECT_EQ(ran.load(), 2);  // the refused task never ran
}

TEST(TaskPool, ThreadsRunTasksSideBySide) {
  // Two workers: two tasks that each wait for the other can only finish together.
  std::latch both(2);
  std::atomic<int> finished{0};
  {
    TaskPool pool(2, 4);
    for (int i = 0; i < 2; ++i) {
      ASSERT_TRUE(pool.try_submit([&] {
        both.arrive_and_wait();
        ++finished;
      }));
    }
  }
  EXPECT_EQ(finished.load(), 2);
}

TEST(TaskPool, FinishesQueuedTasksWhenDestroyed) {
  std::atomic<int> ran{0};
  Blocker blocker;
  std::thread releaser;
  {
    TaskPool pool(1, 8);
    ASSERT_TRUE(pool.try_submit(blocker.task()));
    blocker.started.wait();
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(pool.try_submit([&] {
        std::this_thread::sleep_for(5ms);
        ++ran;
      }));
    }
    EXPECT_EQ(ran.load(), 0);
    // Released while the pool is being destroyed: its destructor must still run all five.
    releaser = std::thread([&] {
      std::this_thread::sleep_for(20ms);
      blocker.release.set_value();
    });
  }
  releaser.join();
  EXPECT_EQ(ran.load(), 5);
}

TEST(TaskPool, LoadFallsBackToZeroOnceTasksHaveRun) {
  TaskPool pool(2, 4);
  std::latch done(3);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(pool.try_submit([&] { done.count_down(); }));
  done.wait();
  // A task counts until it has returned: wait for the workers to account for it.
  for (int i = 0; i < 1000 && pool.load() != 0; ++i) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(pool.load(), 0u);
}
