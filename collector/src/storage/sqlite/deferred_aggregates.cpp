#include "storage/sqlite/deferred_aggregates.hpp"

#include "config/limits.hpp"
#include "storage/sqlite/event_log.hpp"

namespace uptake::collector {

DeferredAggregates::DeferredAggregates(std::size_t max_events, Clock::duration max_delay)
    : max_events_(max_events), max_delay_(max_delay) {}

void DeferredAggregates::add(const std::string& app, const Event& e) {
  if (pending_events_++ == 0) oldest_ = Clock::now();
  batch_.add(app, e);
}

bool DeferredAggregates::due(Clock::time_point now) const {
  if (lost_) return now >= retry_at_;
  return pending_events_ >= max_events_ || (pending_events_ > 0 && now - oldest_ >= max_delay_);
}

DeferredAggregates::Clock::time_point DeferredAggregates::deadline() const {
  if (lost_) return retry_at_;
  return pending_events_ == 0 ? Clock::time_point::max() : oldest_ + max_delay_;
}

void DeferredAggregates::begin(sqlite3* db) {
  if (!lost_) return;
  catch_up_aggregates(db);
  caught_up_in_transaction_ = true;
}

void DeferredAggregates::settle(sqlite3* db) {
  batch_.flush(db);
  set_aggregated_through(db, newest_block(db));
  pending_events_ = 0;
}

void DeferredAggregates::committed() {
  if (caught_up_in_transaction_) lost_ = false;
  caught_up_in_transaction_ = false;
}

void DeferredAggregates::rolled_back() {
  batch_ = AggregateBatch{};
  pending_events_ = 0;
  lost_ = true;
  caught_up_in_transaction_ = false;
  // Storage trouble tends to last a moment: an idle writer retries the replay after a pause.
  retry_at_ = Clock::now() + limits::kSqliteReplayRetry;
}

}  // namespace uptake::collector
