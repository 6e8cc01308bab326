#pragma once
// Group commit, shared by the storage backends: one writer thread takes every write queued
// while the previous group committed and hands them to the backend together, so acknowledging
// only after a commit costs one commit per group, not one per request. Other work that must
// not overlap a commit (deletions, config writes) runs alone on the same thread, in order.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/store.hpp"

namespace uptake::collector {

/// A write request waiting for its commit.
struct WriteJob {
  std::string app;
  std::vector<Event> events;
  std::string packed;  // the events pre-encoded on the caller's thread (backend-specific)
  WriteCallback done;
};

class GroupCommitter {
 public:
  /// `commit(group)` stores a group and calls every job's `done`. Groups hold at most
  /// `max_events` events (one request may exceed it alone).
  using Commit = std::function<void(std::vector<WriteJob>& group)>;
  GroupCommitter(std::size_t max_events, Commit commit);
  /// Calls close().
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  /// Queues a write. When the committer is closing, answers it at once with ok=false.
  void submit(WriteJob job);
  /// Runs `task` on the writer thread between groups and waits for it; rethrows what it
  /// throws. Throws StoreError when closing.
  void run_task(const std::function<void()>& task);
  /// Write requests waiting.
  [[nodiscard]] std::size_t depth() const;
  /// Commits what is queued, then stops the thread. Idempotent.
  void close();

 private:
  void run();

  const std::size_t max_events_;
  const Commit commit_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  struct Entry {
    WriteJob job;
    std::function<void()> task;  // set for a task, which runs alone
  };
  std::deque<Entry> queue_;
  bool closing_ = false;
  std::thread writer_;
};

}  // namespace uptake::collector
