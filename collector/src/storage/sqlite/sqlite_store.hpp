#pragma once
// SQLite storage: one file, WAL, group commit (group_commit.hpp). Raw events are kept as
// compressed per-request blocks with one dedup-index row per event (event_log.hpp); reports
// read the in-memory activity index (storage/index), which the store fills from the blocks
// when it opens and with every commit after that.
//
// Files: PATH (the database), PATH-wal, PATH-shm (SQLite's), PATH-lock (held by the one
// collector that owns the file).

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "config/options.hpp"
#include "storage/group_commit.hpp"
#include "storage/index/activity_index.hpp"
#include "storage/store.hpp"

struct sqlite3;

namespace uptake::collector {

struct SqliteOptions {
  Durability durability = Durability::normal;
  std::uint64_t max_db_bytes = 0;  // 0: no quota; the WAL counts against it
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
  /// Opens (creating or migrating if needed) the database at `path` as its one writer: a lock
  /// file (`path` + "-lock", held until close()) keeps a second writer out. The activity index
  /// loads in the background; reports wait for it. Throws StoreBusy when another store holds
  /// the file, StoreError for anything else.
  explicit SqliteStore(const std::string& path, const SqliteOptions& options = {});
  struct ReadOnly {};
  /// Opens an existing database for reports and reads only, beside the collector that owns it:
  /// it sees every event that collector has committed. Writes fail. Throws StoreError.
  SqliteStore(const std::string& path, ReadOnly);
  ~SqliteStore() override;

  void write(std::string app, std::vector<Event> events, WriteCallback done) override;
  StoreHealth health() override;
  std::uint64_t delete_person(const std::string& app, const std::string& person) override;
  std::optional<StoredConfig> get_config(const std::string& app) override;
  void put_config(const std::string& app, const StoredConfig& config) override;
  [[nodiscard]] std::size_t queue_depth() const override;
  void for_each_event(const std::string& app,
                      const std::function<void(const std::string&, const Event&)>& fn) override;
  void close() override;

  /// Number of stored events of `app` (for tests and the CLI).
  std::uint64_t count_events(const std::string& app);

 protected:
  Report compute_report(const ReportRequest& request) override;

 private:
  void commit_group(std::vector<WriteJob>& group);
  /// Folds every block up to `last_block` into the index (on `db`, in one read snapshot).
  void load_index(sqlite3* db, std::int64_t last_block);
  void wait_loaded();
  void run_checkpointer();
  /// Bytes the database takes against the quota: pages in use plus the WAL file.
  std::uint64_t quota_bytes_used(sqlite3* db);
  /// Before a commit: false (with health set) when the quota is used up, after a checkpoint
  /// that could give WAL space back.
  bool quota_allows_writes();
  void set_write_health(StoreHealth health);

  std::string path_;
  bool read_only_ = false;
  int lock_fd_ = -1;
  std::uint64_t max_db_bytes_ = 0;
  sqlite3* writer_db_ = nullptr;      // the writer thread's
  sqlite3* reader_db_ = nullptr;      // configs, counts, exports
  sqlite3* checkpoint_db_ = nullptr;  // the checkpointer's
  sqlite3* health_db_ = nullptr;      // /healthz's: never waits behind anything else
  std::mutex reader_mutex_;

  ActivityIndex index_;
  std::mutex load_mutex_;
  std::condition_variable loaded_;
  bool index_loaded_ = false;
  std::optional<std::string> load_error_;
  std::thread loader_;

  std::mutex health_mutex_;
  StoreHealth write_health_;  // guarded by health_mutex_: the last commit's outcome

  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_wake_;
  bool checkpoint_now_ = false;  // a delete asks the checkpointer not to wait its interval
  bool stopping_ = false;
  std::thread checkpointer_;

  std::optional<GroupCommitter> committer_;  // last: its thread uses everything above
};

}  // namespace uptake::collector
