#include "ingest/memory_budget.hpp"

namespace uptake::collector {

MemoryBudget::Reservation& MemoryBudget::Reservation::operator=(Reservation&& other) noexcept {
  if (this != &other) {
    release();
    budget_ = other.budget_;
    bytes_ = other.bytes_;
    other.bytes_ = 0;
  }
  return *this;
}

bool MemoryBudget::Reservation::grow(std::size_t more) {
  if (!budget_) return true;
  std::size_t used = budget_->used_.load(std::memory_order_relaxed);
  do {
    if (more > budget_->limit_ || used > budget_->limit_ - more) return false;
  } while (!budget_->used_.compare_exchange_weak(used, used + more, std::memory_order_relaxed));
  bytes_ += more;
  return true;
}

void MemoryBudget::Reservation::release() {
  if (budget_ && bytes_ > 0) budget_->used_.fetch_sub(bytes_, std::memory_order_relaxed);
  bytes_ = 0;
}

}  // namespace uptake::collector
