#pragma once
// A second stage for a writer thread: one piece of work at a time runs on a thread of its own
// while the writer prepares the next. So a store's INSERT of one group overlaps the duplicate
// check and encoding of the following group, instead of the two taking turns on one thread.

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace uptake::collector {

class PipelineStage {
 public:
  /// `work` returns whether it succeeded; it must not throw.
  using Work = std::function<bool()>;

  PipelineStage();
  /// Whether work is in flight now (it may end at any moment after).
  [[nodiscard]] bool busy();
  /// Waits for the work in flight, then stops the thread.
  ~PipelineStage();
  PipelineStage(const PipelineStage&) = delete;
  PipelineStage& operator=(const PipelineStage&) = delete;

  /// Blocks until no work is in flight; returns whether the last work succeeded (true when
  /// none ran yet).
  bool wait();
  /// Waits for the work in flight, then starts `work` on the stage's thread and returns.
  void start(Work work);

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable changed_;
  Work next_;
  bool busy_ = false;  // next_ is set or running
  bool last_ok_ = true;
  bool stopping_ = false;
  std::thread thread_;  // last: it uses everything above
};

}  // namespace uptake::collector
