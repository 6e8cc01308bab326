#pragma once
// A collector-wide budget for the memory that request bodies take while they are decoded,
// parsed and waiting for their commit. A request that would go over it is answered 503 with
// Retry-After, so a burst of large (or deliberately inflating) bodies slows clients down
// instead of exhausting the machine.

#include <atomic>
#include <cstddef>

namespace uptake::collector {

class MemoryBudget {
 public:
  explicit MemoryBudget(std::size_t limit_bytes) : limit_(limit_bytes) {}

  /// Bytes held for one request; released when destroyed.
  class Reservation {
   public:
    Reservation() = default;
    explicit Reservation(MemoryBudget& budget) : budget_(&budget) {}
    Reservation(Reservation&& other) noexcept : budget_(other.budget_), bytes_(other.bytes_) {
      other.bytes_ = 0;
    }
    Reservation& operator=(Reservation&& other) noexcept;
    Reservation(const Reservation&) = delete;
    Reservation& operator=(const Reservation&) = delete;
    ~Reservation() { release(); }

    /// Holds `more` bytes in addition; false (nothing taken) when the budget has no room.
    bool grow(std::size_t more);
    void release();
    [[nodiscard]] std::size_t bytes() const { return bytes_; }

   private:
    MemoryBudget* budget_ = nullptr;
    std::size_t bytes_ = 0;
  };

  [[nodiscard]] std::size_t used() const { return used_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::size_t limit() const { return limit_; }

 private:
  std::size_t limit_;
  std::atomic<std::size_t> used_{0};
};

}  // namespace uptake::collector
