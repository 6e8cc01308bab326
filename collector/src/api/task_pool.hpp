#pragma once
// A fixed set of threads with a bounded queue, for the slow routes (reports, deletions,
// config replacement), so that no such request ever runs on an I/O thread: ingest and health
// checks never wait behind a report.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace uptake::collector {

class TaskPool {
 public:
  /// `threads` workers; at most `max_queued` tasks wait beyond the ones running.
  TaskPool(std::size_t threads, std::size_t max_queued);
  /// Runs what is queued, then joins the workers.
  ~TaskPool();
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  /// Queues `task`; false (and `task` not run) when the queue is full or the pool stopping.
  bool try_submit(std::function<void()> task);
  /// Tasks running or waiting.
  [[nodiscard]] std::size_t load() const;

 private:
  void run();

  const std::size_t max_queued_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace uptake::collector
