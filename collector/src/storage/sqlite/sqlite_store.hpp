#pragma once
// SQLite storage: one file, WAL, and group commit: one writer thread takes every write
// request queued while the previous transaction committed and commits them together, so
// acknowledging only after commit costs one disk sync per group, not per request. Report
// aggregates are written in batches (deferred_aggregates.hpp) and settled before each report.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "config/options.hpp"
#include "storage/sqlite/deferred_aggregates.hpp"
#include "storage/store.hpp"

struct sqlite3;

namespace uptake::collector {

struct SqliteOptions {
  Durability durability = Durability::normal;
  std::uint64_t max_db_bytes = 0;  // 0: no quota
  /// How long report aggregates may wait in memory before they are written. Reports the owning
  /// store serves always include everything; other readers of the file may be this far behind.
  std::chrono::milliseconds aggregate_delay{250};
  /// false stores events only (the next open computes the aggregates); it exists to measure
  /// what the aggregates cost at ingest.
  bool maintain_aggregates = true;
  /// How long to wait for another store to let go of the file (a collector restarted while the
  /// previous one still finishes its shutdown) before StoreBusy.
  std::chrono::milliseconds lock_wait{0};
};

/// Another process (a running collector) owns the database.
class StoreBusy : public StoreError {
 public:
  using StoreError::StoreError;
};

class SqliteStore final : public Store {
 public:
  /// Opens (creating if needed) the database at `path` as its one writer: a lock file
  /// (`path` + "-lock", held until close()) keeps a second writer out. Throws StoreBusy when
  /// another store holds it, StoreError for anything else.
  explicit SqliteStore(const std::string& path, const SqliteOptions& options = {});
  struct ReadOnly {};
  /// Opens an existing database for reports and reads only, beside the collector that owns it.
  /// Its reports include what that collector had written out, at most its aggregate_delay
  /// behind its acknowledged events. Writes fail. Throws StoreError.
  SqliteStore(const std::string& path, ReadOnly);
  ~SqliteStore() override;

  void write(std::string app, std::vector<Event> events, WriteCallback done) override;
  StoreHealth health() override;
  std::uint64_t delete_person(const std::string& app, const std::string& person) override;
  std::optional<StoredConfig> get_config(const std::string& app) override;
  void put_config(const std::string& app, const StoredConfig& config) override;
  Report report(const ReportRequest& request) override;
  std::size_t queue_depth() const override;
  void close() override;

  /// Number of stored events of `app` (for tests and the CLI).
  std::uint64_t count_events(const std::string& app);
  /// Calls `fn(app, event)` for every stored event of `app` (every app when empty), on the
  /// reader connection. Throws StoreError.
  void for_each_event(const std::string& app,
                      const std::function<void(const std::string&, const Event&)>& fn) override;

 private:
  struct Job {
    std::string app;
    std::vector<Event> events;
    std::string block;  // the events packed and compressed on the caller's thread
    WriteCallback done;
    std::function<void()> task;  // a non-ingest job run alone on the writer thread
  };

  /// Runs `body` in a write transaction; the deferred aggregates follow its outcome.
  void in_transaction(const std::function<void()>& body);
  /// Writes pending aggregates now (on the writer thread), so a report includes every
  /// acknowledged event.
  void settle_aggregates();
  void run_writer();
  void run_checkpointer();
  void commit_group(std::deque<Job>& group);
  void run_on_writer(std::function<void()> task);
  /// Bytes the database takes against the quota: pages in use plus the WAL file.
  std::uint64_t quota_bytes_used(sqlite3* db);
  /// Before a commit: false (with health set) when the quota is used up, after a checkpoint
  /// that could give WAL space back.
  bool quota_allows_writes();
  void set_write_health(StoreHealth health);

  std::string path_;
  bool maintain_aggregates_ = true;
  bool read_only_ = false;
  int lock_fd_ = -1;
  DeferredAggregates aggregates_;  // the writer thread's
  sqlite3* writer_db_ = nullptr;
  sqlite3* reader_db_ = nullptr;
  std::mutex reader_mutex_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;             // the writer sleeps on it
  std::condition_variable checkpoint_wake_;  // the checkpointer sleeps on it
  std::deque<Job> queue_;
  bool closing_ = false;
  bool checkpoint_now_ = false;  // a delete asks the checkpointer not to wait its interval
  std::thread writer_;
  std::thread checkpointer_;
  sqlite3* checkpoint_db_ = nullptr;
  std::uint64_t max_db_bytes_ = 0;

  // /healthz reads these, never the connections reports use.
  sqlite3* health_db_ = nullptr;
  std::mutex health_mutex_;
  StoreHealth write_health_;  // guarded by health_mutex_: the last commit's outcome
};

}  // namespace uptake::collector
