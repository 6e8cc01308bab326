#pragma once
// The report aggregates of committed events, written to disk in batches rather than with every
// commit. Each aggregate upsert dirties a whole page, and rewriting those pages on every group
// commit was most of what the single SQLite writer wrote; batched, a hot row is written once
// per flush. Nothing is lost: the events are committed before any request is acknowledged, and
// `agg_progress` records the newest block the on-disk rows include, so after a crash or a
// failed transaction the blocks after it are replayed (catch_up_aggregates). Reports stay
// exact: the store settles the aggregates before every report it serves.
//
// Used only by the SQLite writer thread, inside its transactions.

#include <chrono>
#include <cstddef>
#include <string>

#include "storage/sqlite/aggregates.hpp"

namespace uptake::collector {

class DeferredAggregates {
 public:
  using Clock = std::chrono::steady_clock;
  /// Writes happen once `max_events` are pending or the oldest is `max_delay` old.
  DeferredAggregates(std::size_t max_events, Clock::duration max_delay);

  /// Counts a stored event of the open transaction.
  void add(const std::string& app, const Event& e);
  /// True when pending rows should be written now.
  [[nodiscard]] bool due(Clock::time_point now) const;
  /// When the pending rows become due (Clock::time_point::max() when none are pending).
  [[nodiscard]] Clock::time_point deadline() const;
  [[nodiscard]] bool empty() const { return pending_events_ == 0 && !lost_; }

  /// At the start of every writer transaction, before any add(): after a rollback, replays the
  /// committed blocks whose counts were lost.
  void begin(sqlite3* db);
  /// In the open transaction: writes everything pending; the on-disk aggregates then include
  /// every stored block.
  void settle(sqlite3* db);
  /// The open transaction committed.
  void committed();
  /// The open transaction rolled back: what was pending is gone; the next settle replays it.
  void rolled_back();

 private:
  std::size_t max_events_;
  Clock::duration max_delay_;
  AggregateBatch batch_;
  std::size_t pending_events_ = 0;
  Clock::time_point oldest_{};
  bool lost_ = false;
  Clock::time_point retry_at_{};           // when lost: when an idle writer replays
  bool caught_up_in_transaction_ = false;  // begin() replayed what a rollback lost
};

}  // namespace uptake::collector
