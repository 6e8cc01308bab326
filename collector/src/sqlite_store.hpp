#pragma once
// SQLite storage: one file, WAL, and group commit: one writer thread takes every write
// request queued while the previous transaction committed and commits them together, so
// acknowledging only after commit costs one disk sync per group, not per request.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "options.hpp"
#include "store.hpp"

struct sqlite3;

namespace uptake::collector {

class SqliteStore final : public Store {
 public:
  /// Opens (creating if needed) the database at `path`. Throws StoreError.
  /// `maintain_aggregates` = false stores events only (reports then need a rebuild); it exists
  /// to measure what the aggregates cost at ingest.
  SqliteStore(const std::string& path, Durability durability, std::uint64_t max_db_bytes,
              bool maintain_aggregates = true);
  ~SqliteStore() override;

  void write(std::string app, std::vector<Event> events, WriteCallback done) override;
  bool healthy() override;
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
                      const std::function<void(const std::string&, const Event&)>& fn);

 private:
  struct Job {
    std::string app;
    std::vector<Event> events;
    std::string block;  // the events packed and compressed on the caller's thread
    WriteCallback done;
    std::function<void()> task;  // a non-ingest job run alone on the writer thread
  };

  void run_writer();
  void run_checkpointer();
  void commit_group(std::deque<Job>& group);
  void run_on_writer(std::function<void()> task);

  std::string path_;
  bool maintain_aggregates_ = true;
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
};

}  // namespace uptake::collector
