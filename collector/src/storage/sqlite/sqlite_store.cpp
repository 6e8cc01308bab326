#include "storage/sqlite/sqlite_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <future>
#include <map>
#include <set>

#include "config/limits.hpp"
#include "storage/app_config.hpp"
#include "storage/sqlite/aggregates.hpp"
#include "storage/sqlite/event_block.hpp"
#include "storage/sqlite/event_log.hpp"
#include "storage/sqlite/sqlite_db.hpp"
#include "storage/sqlite/sqlite_reports.hpp"
#include "uptake_common/remote_config.hpp"

namespace uptake::collector {
namespace {

// Raw events live in event_ids and event_blocks (event_log.hpp).
constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS identities (
  app TEXT NOT NULL,
  anon TEXT NOT NULL,
  user TEXT NOT NULL,
  ts INTEGER NOT NULL,
  PRIMARY KEY (app, anon)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS identities_user ON identities(app, user);
CREATE TABLE IF NOT EXISTS app_config (
  app TEXT PRIMARY KEY,
  body TEXT NOT NULL,
  etag TEXT NOT NULL
);
)";

sqlite3* open_db(const std::string& path, Durability durability, std::uint64_t max_db_bytes) {
  // Allocation statistics take a global mutex on every malloc; we never read them.
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    throw StoreError("cannot open " + path + ": " + message);
  }
  sqlite3_busy_timeout(db, static_cast<int>(limits::kSqliteBusyTimeout.count()));
  exec_sql(db, "PRAGMA journal_mode=WAL");
  exec_sql(db, durability == Durability::fsync ? "PRAGMA synchronous=FULL"
                                               : "PRAGMA synchronous=NORMAL");
  exec_sql(db, "PRAGMA foreign_keys=OFF");
  // GDPR deletes must not leave the deleted bytes in free space (Debian's default, made explicit).
  exec_sql(db, "PRAGMA secure_delete=ON");
  exec_sql(db, ("PRAGMA cache_size=-" + std::to_string(limits::kSqliteCacheKiB)).c_str());
  exec_sql(db, "PRAGMA temp_store=MEMORY");
  if (max_db_bytes > 0) {
    Statement page(db, "PRAGMA page_size");
    page.step();
    const auto pages =
        std::max<std::int64_t>(1, static_cast<std::int64_t>(max_db_bytes) / page.column_int(0));
    exec_sql(db, ("PRAGMA max_page_count=" + std::to_string(pages)).c_str());
  }
  return db;
}

}  // namespace

SqliteStore::SqliteStore(const std::string& path, const SqliteOptions& options)
    : path_(path),
      maintain_aggregates_(options.maintain_aggregates),
      aggregates_(limits::kSqliteAggregateFlushEvents, options.aggregate_delay),
      max_db_bytes_(options.max_db_bytes) {
  const Durability durability = options.durability;
  // SQLite's own locks let a second process write too; deferred aggregates need one writer.
  const std::string lock_path = path + "-lock";
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0) throw StoreError("cannot open " + lock_path + ": " + std::strerror(errno));
  const auto give_up = std::chrono::steady_clock::now() + options.lock_wait;
  while (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(limits::kSqliteOwnerLockPoll);
  }
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd_);
    throw StoreBusy(path + " is in use by another uptake-collector (it holds " + lock_path + ")");
  }
  try {
    writer_db_ = open_db(path, durability, options.max_db_bytes);
    const bool had_aggregates = [&] {
      Statement t(writer_db_, "SELECT count(*) FROM sqlite_master WHERE name = 'agg_actor_day'");
      t.step();
      return t.column_int(0) > 0;
    }();
    // agg_feature_first was first keyed by feature; that layout is rebuilt once.
    const bool old_feature_first = [&] {
      Statement t(writer_db_,
                  "SELECT count(*) FROM sqlite_master WHERE name = 'agg_feature_first' AND sql "
                  "LIKE '%PRIMARY KEY (app, feature, kind, actor)%'");
      t.step();
      return t.column_int(0) > 0;
    }();
    // One transaction: a collector killed half way through a migration leaves the old layout.
    exec_sql(writer_db_, "BEGIN IMMEDIATE");
    if (old_feature_first) exec_sql(writer_db_, "DROP TABLE agg_feature_first");
    exec_sql(writer_db_, kSchema);
    exec_sql(writer_db_, kEventLogSchema);
    exec_sql(writer_db_, kAggregateSchema);
    // Databases from before event blocks kept one row per event in `events`.
    migrate_event_rows(writer_db_);
    if (!had_aggregates) {
      // A new database, or one from before the aggregates: compute them once from its events.
      rebuild_all_aggregates(writer_db_);
    } else {
      if (old_feature_first) rebuild_feature_first_from_days(writer_db_);
      // Before agg_progress, every commit wrote its aggregates: they include every block.
      if (!aggregated_through(writer_db_))
        set_aggregated_through(writer_db_, newest_block(writer_db_));
      catch_up_aggregates(writer_db_);  // what a crash left pending
    }
    exec_sql(writer_db_, "COMMIT");
    // Checkpoints fsync; run them off the commit path (see run_checkpointer).
    exec_sql(writer_db_, "PRAGMA wal_autocheckpoint=0");
    reader_db_ = open_db(path, durability, 0);
    checkpoint_db_ = open_db(path, durability, 0);
    health_db_ = open_db(path, durability, 0);
  } catch (...) {
    sqlite3_close(health_db_);
    sqlite3_close(checkpoint_db_);
    sqlite3_close(reader_db_);
    sqlite3_close(writer_db_);
    ::close(lock_fd_);
    throw;
  }
  writer_ = std::thread([this] { run_writer(); });
  checkpointer_ = std::thread([this] { run_checkpointer(); });
}

SqliteStore::SqliteStore(const std::string& path, ReadOnly)
    : path_(path), read_only_(true), aggregates_(limits::kSqliteAggregateFlushEvents, {}) {
  sqlite3* db = nullptr;
  // Read-write so the WAL index can be used; nothing is written through this connection.
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw StoreError("cannot open " + path + ": " + message);
  }
  reader_db_ = db;
  sqlite3_busy_timeout(reader_db_, static_cast<int>(limits::kSqliteBusyTimeout.count()));
  const bool current_layout = [&] {
    Statement t(reader_db_, "SELECT count(*) FROM sqlite_master WHERE name = 'agg_progress'");
    t.step();
    return t.column_int(0) > 0;
  }();  // the statement is finalized here, before a close below
  if (!current_layout) {
    sqlite3_close(reader_db_);
    throw StoreError(path + " is not a database of this uptake-collector version");
  }
}

SqliteStore::~SqliteStore() {
  close();
  sqlite3_close(health_db_);
  sqlite3_close(checkpoint_db_);
  sqlite3_close(reader_db_);
  sqlite3_close(writer_db_);
}

void SqliteStore::write(std::string app, std::vector<Event> events, WriteCallback done) {
  if (read_only_) {
    done(WriteResult{false, "the database is open read-only", 0, 0});
    return;
  }
  std::string block;
  try {
    block = encode_event_block(events);  // on the caller's thread: the one writer is the bound
  } catch (const std::exception& e) {
    done(WriteResult{false, std::string("cannot pack events: ") + e.what(), 0, 0});
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (!closing_) {
      queue_.push_back(
          Job{std::move(app), std::move(events), std::move(block), std::move(done), {}});
      wake_.notify_one();
      return;
    }
  }
  done(WriteResult{false, "storage is shutting down", 0, 0});
}

std::size_t SqliteStore::queue_depth() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void SqliteStore::close() {
  if (read_only_) return;
  {
    std::lock_guard lock(mutex_);
    if (closing_) {
      if (!writer_.joinable()) return;
    }
    closing_ = true;
    wake_.notify_one();
    checkpoint_wake_.notify_one();
  }
  if (writer_.joinable()) writer_.join();
  if (checkpointer_.joinable()) checkpointer_.join();
  // Nothing more is written: another store may own the file from here on.
  std::lock_guard lock(mutex_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
  lock_fd_ = -1;
}

// WAL checkpoints copy committed pages into the database file and fsync it. Done here, on
// their own connection, commits never wait for them; done regularly, long report reads
// cannot keep the WAL growing for good.
void SqliteStore::run_checkpointer() {
  std::unique_lock lock(mutex_);
  while (!closing_) {
    checkpoint_wake_.wait_for(lock, limits::kSqliteCheckpointInterval,
                              [&] { return closing_ || checkpoint_now_; });
    checkpoint_now_ = false;
    lock.unlock();
    int wal_pages = 0, done_pages = 0;
    sqlite3_wal_checkpoint_v2(checkpoint_db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_pages,
                              &done_pages);
    lock.lock();
  }
  lock.unlock();
  sqlite3_wal_checkpoint_v2(checkpoint_db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  sqlite3_exec(checkpoint_db_, "PRAGMA optimize", nullptr, nullptr,
               nullptr);  // statistics for the planner
}

void SqliteStore::in_transaction(const std::function<void()>& body) {
  exec_sql(writer_db_, "BEGIN IMMEDIATE");
  try {
    if (maintain_aggregates_) aggregates_.begin(writer_db_);
    body();
    exec_sql(writer_db_, "COMMIT");
  } catch (...) {
    sqlite3_exec(writer_db_, "ROLLBACK", nullptr, nullptr, nullptr);
    if (maintain_aggregates_) aggregates_.rolled_back();
    throw;
  }
  if (maintain_aggregates_) aggregates_.committed();
}

void SqliteStore::settle_aggregates() {
  if (!maintain_aggregates_ || aggregates_.empty()) return;
  in_transaction([this] { aggregates_.settle(writer_db_); });
}

void SqliteStore::run_writer() {
  for (;;) {
    std::deque<Job> group;
    bool closing = false;
    {
      std::unique_lock lock(mutex_);
      const auto ready = [&] { return closing_ || !queue_.empty(); };
      if (maintain_aggregates_ && !aggregates_.empty()) {
        wake_.wait_until(lock, aggregates_.deadline(), ready);
      } else {
        wake_.wait(lock, ready);
      }
      closing = closing_;
      if (!queue_.empty() && queue_.front().task) {
        // A task runs on its own.
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      } else {
        // Every ingest job queued so far (bounded).
        std::size_t events = 0;
        while (!queue_.empty() && !queue_.front().task &&
               events < limits::kSqliteMaxEventsPerCommit) {
          events += queue_.front().events.size();
          group.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
    }
    if (group.empty()) {
      // Idle: the aggregates are due, or the store is closing (everything is written first).
      try {
        if (closing || aggregates_.due(DeferredAggregates::Clock::now())) settle_aggregates();
      } catch (const std::exception&) {
        // Replayed from the blocks by the next transaction, or on the next open.
      }
      if (closing) return;
      continue;
    }
    if (group.front().task) {
      group.front().task();
      continue;
    }
    commit_group(group);
  }
}

void SqliteStore::commit_group(std::deque<Job>& group) {
  std::vector<WriteResult> results(group.size());
  if (!quota_allows_writes()) {
    const std::string why = "the storage quota (--max-db-bytes " + std::to_string(max_db_bytes_) +
                            ", WAL included) is used up";
    for (std::size_t j = 0; j < group.size(); ++j) group[j].done(WriteResult{false, why, 0, 0});
    return;
  }
  try {
    in_transaction([&] {
      EventLogWriter log(writer_db_);
      Statement tie(writer_db_,
                    "INSERT INTO identities (app, anon, user, ts) VALUES (?1, ?2, ?3, ?4) "
                    "ON CONFLICT(app, anon) DO UPDATE SET user = excluded.user, ts = excluded.ts "
                    "WHERE excluded.ts < identities.ts OR (excluded.ts = identities.ts AND "
                    "excluded.user < identities.user)");
      NewTies retied;  // anons whose tie changed in this group
      for (std::size_t j = 0; j < group.size(); ++j) {
        const Job& job = group[j];
        std::vector<bool> fresh;  // which events were new; filled only once a duplicate shows up
        std::int64_t min_ts = INT64_MAX, max_ts = INT64_MIN;
        for (std::size_t i = 0; i < job.events.size(); ++i) {
          const Event& e = job.events[i];
          if (!log.add_id(job.app, e.id)) {
            if (fresh.empty()) fresh.assign(job.events.size(), true);
            fresh[i] = false;
            ++results[j].duplicates;
            continue;
          }
          ++results[j].inserted;
          min_ts = std::min(min_ts, e.ts);
          max_ts = std::max(max_ts, e.ts);
          if (maintain_aggregates_) aggregates_.add(job.app, e);
          if (e.type == EventType::identify) {
            tie.bind(1, job.app).bind(2, e.anon).bind(3, e.user).bind(4, e.ts);
            tie.step();
            tie.reset();
            if (sqlite3_changes(writer_db_) > 0) retied[{job.app, e.anon}] = e.user;
          }
        }
        if (results[j].inserted > 0) {
          // Resends are rare: only then is the block packed again, without the duplicates.
          log.add_block(job.app, static_cast<std::int64_t>(results[j].inserted), min_ts, max_ts,
                        fresh.empty() ? job.block : encode_event_block(job.events, fresh));
        }
        results[j].ok = true;
      }
      if (maintain_aggregates_) {
        // Rows on disk get the new person now; pending rows get it when they are written.
        rekey_anons(writer_db_, retied);
        if (aggregates_.due(DeferredAggregates::Clock::now())) aggregates_.settle(writer_db_);
      }
    });
    set_write_health({});
  } catch (const std::exception& e) {
    for (auto& r : results) r = WriteResult{false, e.what(), 0, 0};
    const auto* sqlite_error = dynamic_cast<const SqliteError*>(&e);
    const bool full = sqlite_error && sqlite_error->code() == SQLITE_FULL;
    set_write_health({false, full ? "storage_full" : "storage_unavailable",
                      std::string("The last write failed: ") + e.what() + "."});
    // A full disk often holds a large WAL: give its space back so writes can resume as soon
    // as anything is freed.
    if (full) {
      sqlite3_wal_checkpoint_v2(writer_db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    }
  }
  for (std::size_t j = 0; j < group.size(); ++j) group[j].done(std::move(results[j]));
}

std::uint64_t SqliteStore::quota_bytes_used(sqlite3* db) {
  Statement pages(db,
                  "SELECT page_count - freelist_count, page_size FROM pragma_page_count, "
                  "pragma_freelist_count, pragma_page_size");
  pages.step();
  struct stat wal {};
  const std::uint64_t wal_bytes =
      ::stat((path_ + "-wal").c_str(), &wal) == 0 ? static_cast<std::uint64_t>(wal.st_size) : 0;
  return static_cast<std::uint64_t>(pages.column_int(0) * pages.column_int(1)) + wal_bytes;
}

bool SqliteStore::quota_allows_writes() {
  if (max_db_bytes_ == 0) return true;
  if (quota_bytes_used(writer_db_) < max_db_bytes_) return true;
  // The WAL may hold most of it: once its pages are in the database, it can be cut to nothing.
  sqlite3_wal_checkpoint_v2(writer_db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  if (quota_bytes_used(writer_db_) < max_db_bytes_) return true;
  set_write_health({false, "storage_full",
                    "The storage quota (--max-db-bytes, WAL included) is used up; writes resume "
                    "once space is freed."});
  return false;
}

void SqliteStore::set_write_health(StoreHealth health) {
  std::lock_guard lock(health_mutex_);
  write_health_ = std::move(health);
}

void SqliteStore::run_on_writer(std::function<void()> task) {
  std::packaged_task<void()> packaged(std::move(task));
  auto result = packaged.get_future();
  {
    std::lock_guard lock(mutex_);
    if (closing_) throw StoreError("storage is shutting down");
    Job job;
    job.task = [&packaged] { packaged(); };
    queue_.push_back(std::move(job));
    wake_.notify_one();
  }
  result.get();  // rethrows the task's exception
}

StoreHealth SqliteStore::health() {
  // Its own connection and mutex: a report holding the reader never delays a health check.
  std::lock_guard lock(health_mutex_);
  sqlite3* db = read_only_ ? nullptr : health_db_;
  if (!db) return {false, "storage_unavailable", "The database is open read-only."};
  try {
    Statement s(db, "SELECT 1 FROM event_ids LIMIT 1");
    s.step();
    if (write_health_.ok) return {};
    // The last write failed. Say so until there is room again: within the quota, and at
    // least a little free disk, so the next write has a chance.
    // Room means more than a sliver: a commit needs pages, and the page cap may be what
    // stopped the last one.
    if (max_db_bytes_ > 0 && quota_bytes_used(db) + max_db_bytes_ / 16 >= max_db_bytes_)
      return write_health_;
    struct statvfs fs {};
    if (::statvfs(path_.c_str(), &fs) == 0 &&
        static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize < limits::kMinFreeDiskBytes) {
      return write_health_;
    }
    write_health_ = {};
    return {};
  } catch (const StoreError& e) {
    return {false, "storage_unavailable", std::string("Storage does not answer: ") + e.what()};
  }
}

std::uint64_t SqliteStore::delete_person(const std::string& app, const std::string& person) {
  std::uint64_t deleted = 0;
  if (read_only_) throw StoreError("the database is open read-only");
  run_on_writer([&] {
    in_transaction([&] {
      // Re-aggregation below recomputes rows from the stored events: nothing may be pending.
      if (maintain_aggregates_) aggregates_.settle(writer_db_);
      // The person's events: their user id, every anon an identify tied to them, and their
      // own anon when they never identified.
      std::set<std::string> tied;
      {
        Statement s(writer_db_, "SELECT anon FROM identities WHERE app = ?1 AND user = ?2");
        s.bind(1, app).bind(2, person);
        while (s.step()) tied.insert(s.column_text(0));
      }
      // The identities go first: the remaining events are re-aggregated with the ties as they
      // are after the delete.
      Statement forget(writer_db_,
                       "DELETE FROM identities WHERE app = ?1 AND (user = ?2 OR anon = ?2)");
      forget.bind(1, app).bind(2, person);
      forget.step();
      deleted = static_cast<std::uint64_t>(
          delete_events_and_reaggregate(writer_db_, app, [&](const Event& e) {
            return e.user == person || tied.contains(e.anon) ||
                   (e.anon == person && e.user.empty());
          }));
    });
  });
  // Deleted bytes are zeroed in the pages (secure_delete), but older page images stay in the
  // WAL until a checkpoint has copied the pages back and the WAL is reused: start one now.
  {
    std::lock_guard lock(mutex_);
    checkpoint_now_ = true;
  }
  checkpoint_wake_.notify_one();
  return deleted;
}

std::optional<StoredConfig> SqliteStore::get_config(const std::string& app) {
  std::lock_guard lock(reader_mutex_);
  Statement s(reader_db_, "SELECT body, etag FROM app_config WHERE app = ?1");
  s.bind(1, app);
  if (!s.step()) return std::nullopt;
  return StoredConfig{s.column_text(0), s.column_text(1)};
}

void SqliteStore::put_config(const std::string& app, const StoredConfig& config) {
  if (read_only_) throw StoreError("the database is open read-only");
  run_on_writer([&] {
    Statement s(writer_db_,
                "INSERT INTO app_config (app, body, etag) VALUES (?1, ?2, ?3) "
                "ON CONFLICT(app) DO UPDATE SET body = excluded.body, etag = excluded.etag");
    s.bind(1, app).bind(2, config.body).bind(3, config.etag);
    s.step();
  });
}

Report SqliteStore::report(const ReportRequest& request) {
  std::vector<std::string> key_actions;
  if (request.name == "first-action") {
    if (auto config = get_config(request.app))
      key_actions = detail::parse_remote_config(config->body).key_actions;
  }
  if (!read_only_) {
    try {
      run_on_writer([this] { settle_aggregates(); });
    } catch (const StoreError&) {
      // Shutting down: close() writes what is pending; report what is on disk.
    }
  }
  std::lock_guard lock(reader_mutex_);
  return run_sqlite_report(reader_db_, request, key_actions);
}

std::uint64_t SqliteStore::count_events(const std::string& app) {
  std::lock_guard lock(reader_mutex_);
  return static_cast<std::uint64_t>(count_stored_events(reader_db_, app));
}

void SqliteStore::for_each_event(const std::string& app,
                                 const std::function<void(const std::string&, const Event&)>& fn) {
  std::lock_guard lock(reader_mutex_);
  exec_sql(reader_db_, "BEGIN");  // one snapshot for every block
  try {
    for_each_stored_event(reader_db_, app, fn);
  } catch (...) {
    sqlite3_exec(reader_db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  exec_sql(reader_db_, "COMMIT");
}

}  // namespace uptake::collector
