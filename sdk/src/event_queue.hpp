#pragma once
// Bounded multi-producer, single-consumer queue of EventRecords (Vyukov's sequence-number
// ring). Producers never wait: a full ring fails the push. Cells are allocated once.

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

#include "event_record.hpp"

namespace uptake::detail {

class EventQueue {
 public:
  explicit EventQueue(std::size_t capacity)
      : mask_(std::bit_ceil(capacity < 2 ? 2 : capacity) - 1), cells_(new Cell[mask_ + 1]) {
    for (std::size_t i = 0; i <= mask_; ++i) cells_[i].sequence.store(i, std::memory_order_relaxed);
  }
  ~EventQueue() {
    EventRecord r;
    while (try_pop(r)) r.release();
  }
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;

  std::size_t capacity() const { return mask_ + 1; }

  /// Claims a cell and lets `fill(EventRecord&)` write it in place (no copy of the payload).
  /// Returns the event's position (its ticket in push order), or -1 when the ring is full.
  template <typename Fill>
  std::int64_t try_push(Fill&& fill) noexcept {
    std::size_t pos = enqueue_pos_.load(std::memory_order_relaxed);
    Cell* cell;
    for (;;) {
      cell = &cells_[pos & mask_];
      const std::size_t seq = cell->sequence.load(std::memory_order_acquire);
      const auto diff = static_cast<std::intptr_t>(seq) - static_cast<std::intptr_t>(pos);
      if (diff == 0) {
        if (enqueue_pos_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) break;
      } else if (diff < 0) {
        return -1;
      } else {
        pos = enqueue_pos_.load(std::memory_order_relaxed);
      }
    }
    fill(cell->record);
    cell->sequence.store(pos + 1, std::memory_order_release);
    return static_cast<std::int64_t>(pos);
  }

  /// Consumer only: moves the oldest published record into `out`.
  bool try_pop(EventRecord& out) noexcept {
    Cell& cell = cells_[dequeue_pos_ & mask_];
    const std::size_t seq = cell.sequence.load(std::memory_order_acquire);
    if (seq != dequeue_pos_ + 1) return false;
    out.ts_ms = cell.record.ts_ms;
    out.kind = cell.record.kind;
    out.size = cell.record.size;
    out.heap = cell.record.heap;
    if (!out.heap) std::copy_n(cell.record.inline_bytes.data(), out.size, out.inline_bytes.data());
    cell.record.heap = nullptr;
    cell.sequence.store(dequeue_pos_ + mask_ + 1, std::memory_order_release);
    ++dequeue_pos_;
    return true;
  }

  /// Positions handed out so far (every successful push took one).
  std::uint64_t pushed() const { return enqueue_pos_.load(std::memory_order_acquire); }
  /// Consumer only: positions consumed so far.
  std::uint64_t popped() const { return dequeue_pos_; }
  /// Approximate count of events waiting (any thread).
  std::uint64_t approx_size() const {
    const auto in = enqueue_pos_.load(std::memory_order_relaxed);
    const auto out = popped_shadow_.load(std::memory_order_relaxed);
    return in > out ? in - out : 0;
  }
  /// popped() as last published by the consumer (any thread).
  std::uint64_t popped_published() const { return popped_shadow_.load(std::memory_order_relaxed); }
  /// Consumer only: publishes popped() for approx_size() readers on other threads.
  void publish_popped() { popped_shadow_.store(dequeue_pos_, std::memory_order_relaxed); }

 private:
  struct alignas(64) Cell {
    std::atomic<std::size_t> sequence;
    EventRecord record;
  };

  const std::size_t mask_;
  std::unique_ptr<Cell[]> cells_;
  alignas(64) std::atomic<std::size_t> enqueue_pos_{0};
  alignas(64) std::size_t dequeue_pos_ = 0;
  std::atomic<std::size_t> popped_shadow_{0};
};

}  // namespace uptake::detail
