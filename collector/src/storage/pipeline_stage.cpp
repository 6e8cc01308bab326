#include "storage/pipeline_stage.hpp"

namespace uptake::collector {

PipelineStage::PipelineStage() : thread_([this] { run(); }) {}

PipelineStage::~PipelineStage() {
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !busy_; });
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

bool PipelineStage::busy() {
  std::lock_guard lock(mutex_);
  return busy_;
}

bool PipelineStage::wait() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !busy_; });
  return last_ok_;
}

void PipelineStage::start(Work work) {
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !busy_; });
    next_ = std::move(work);
    busy_ = true;
  }
  changed_.notify_all();
}

void PipelineStage::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return stopping_ || busy_; });
    if (!busy_) return;  // stopping, nothing in flight
    Work work = std::move(next_);
    lock.unlock();
    const bool ok = work();
    work = nullptr;  // what it holds goes before the writer may reuse it
    lock.lock();
    last_ok_ = ok;
    busy_ = false;
    changed_.notify_all();
  }
}

}  // namespace uptake::collector
