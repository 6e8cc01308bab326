#include "storage/group_commit.hpp"

#include <future>

namespace uptake::collector {

GroupCommitter::GroupCommitter(std::size_t max_events, Commit commit)
    : max_events_(max_events), commit_(std::move(commit)), writer_([this] { run(); }) {}

GroupCommitter::~GroupCommitter() {
  close();
}

void GroupCommitter::submit(WriteJob job) {
  {
    std::lock_guard lock(mutex_);
    if (!closing_) {
      queue_.push_back(Entry{std::move(job), {}});
      wake_.notify_one();
      return;
    }
  }
  job.done(WriteResult{false, "storage is shutting down", 0, 0});
}

void GroupCommitter::run_task(const std::function<void()>& task) {
  std::packaged_task<void()> packaged(task);
  auto result = packaged.get_future();
  {
    std::lock_guard lock(mutex_);
    if (closing_) throw StoreError("storage is shutting down");
    queue_.push_back(Entry{{}, [&packaged] { packaged(); }});
    wake_.notify_one();
  }
  result.get();  // rethrows the task's exception
}

std::size_t GroupCommitter::depth() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void GroupCommitter::close() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    wake_.notify_one();
  }
  if (writer_.joinable() && writer_.get_id() != std::this_thread::get_id()) writer_.join();
}

void GroupCommitter::run() {
  for (;;) {
    std::vector<WriteJob> group;
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, and everything queued is done
      if (queue_.front().task) {
        task = std::move(queue_.front().task);
        queue_.pop_front();
      } else {
        // Every write queued so far, up to the group's size.
        std::size_t events = 0;
        while (!queue_.empty() && !queue_.front().task && events < max_events_) {
          events += queue_.front().job.events.size();
          group.push_back(std::move(queue_.front().job));
          queue_.pop_front();
        }
      }
    }
    if (task) {
      task();
    } else {
      commit_(group);
    }
  }
}

}  // namespace uptake::collector
