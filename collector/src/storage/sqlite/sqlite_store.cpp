#include "storage/sqlite/sqlite_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "config/limits.hpp"
#include "storage/sqlite/event_block.hpp"
#include "storage/sqlite/event_log.hpp"
#include "storage/sqlite/schema.hpp"
#include "storage/sqlite/sqlite_db.hpp"

namespace uptake::collector {
namespace {

sqlite3* open_db(const std::string& path, Durability durability, std::uint64_t max_db_bytes,
                 int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) {
  // Allocation statistics take a global mutex on every malloc; we never read them.
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    throw StoreError("cannot open " + path + ": " + message);
  }
  sqlite3_busy_timeout(db, static_cast<int>(limits::kSqliteBusyTimeout.count()));
  exec_sql(db, "PRAGMA journal_mode=WAL");
  exec_sql(db, durability == Durability::fsync ? "PRAGMA synchronous=FULL"
                                               : "PRAGMA synchronous=NORMAL");
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

// Everything decoded is folded; the blocks are read in one snapshot.
void fold_blocks(sqlite3* db, const std::string& app, std::int64_t last_block,
                 const ActivityIndex::Fold& fold) {
  exec_sql(db, "BEGIN");
  try {
    for_each_stored_event_view(db, app, last_block, fold);
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  exec_sql(db, "COMMIT");
}

}  // namespace

SqliteStore::SqliteStore(const std::string& path, const SqliteOptions& options)
    : path_(path), max_db_bytes_(options.max_db_bytes) {
  // SQLite's own locks would let a second process write too; the index needs one writer.
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
  sqlite3* loader_db = nullptr;
  std::int64_t last_block = 0;
  try {
    writer_db_ = open_db(path, options.durability, options.max_db_bytes);
    migrate_schema(writer_db_);
    // Checkpoints fsync; run them off the commit path (see run_checkpointer).
    exec_sql(writer_db_, "PRAGMA wal_autocheckpoint=0");
    reader_db_ = open_db(path, options.durability, 0);
    checkpoint_db_ = open_db(path, options.durability, 0);
    health_db_ = open_db(path, options.durability, 0);
    loader_db = open_db(path, options.durability, 0);
    // The loader folds the blocks stored before now; every later commit adds its own events.
    last_block = newest_block(writer_db_);
  } catch (...) {
    for (sqlite3* db : {loader_db, health_db_, checkpoint_db_, reader_db_, writer_db_})
      sqlite3_close(db);
    ::close(lock_fd_);
    throw;
  }
  loader_ = std::thread([this, loader_db, last_block] {
    load_index(loader_db, last_block);
    sqlite3_close(loader_db);
  });
  checkpointer_ = std::thread([this] { run_checkpointer(); });
  committer_.emplace(limits::kSqliteMaxEventsPerCommit,
                     [this](std::vector<WriteJob>& group) { commit_group(group); });
}

SqliteStore::SqliteStore(const std::string& path, ReadOnly) : path_(path), read_only_(true) {
  // Read-write so the WAL index can be used; nothing is written through this connection.
  reader_db_ = open_db(path, Durability::normal, 0, SQLITE_OPEN_READWRITE);
  try {
    if (schema_version(reader_db_) != kSchemaVersion) {
      throw StoreError(path + " has schema version " + std::to_string(schema_version(reader_db_)) +
                       "; this uptake-collector reads version " + std::to_string(kSchemaVersion));
    }
  } catch (...) {
    sqlite3_close(reader_db_);
    throw;
  }
  std::lock_guard lock(reader_mutex_);
  load_index(reader_db_, INT64_MAX);
}

SqliteStore::~SqliteStore() {
  close();
  if (loader_.joinable()) loader_.join();
  for (sqlite3* db : {health_db_, checkpoint_db_, reader_db_, writer_db_}) sqlite3_close(db);
}

void SqliteStore::load_index(sqlite3* db, std::int64_t last_block) {
  try {
    index_.load([&](const ActivityIndex::Fold& fold) { fold_blocks(db, "", last_block, fold); });
  } catch (const std::exception& e) {
    std::lock_guard lock(load_mutex_);
    load_error_ = std::string("cannot load the stored events: ") + e.what();
  }
  {
    std::lock_guard lock(load_mutex_);
    index_loaded_ = true;
  }
  loaded_.notify_all();
  index_.mark_loaded();
}

void SqliteStore::wait_loaded() {
  std::unique_lock lock(load_mutex_);
  loaded_.wait(lock, [&] { return index_loaded_; });
  if (load_error_) throw StoreError(*load_error_);
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
  committer_->submit(
      WriteJob{std::move(app), std::move(events), std::move(block), std::move(done)});
}

std::size_t SqliteStore::queue_depth() const {
  return committer_ ? committer_->depth() : 0;
}

void SqliteStore::close() {
  if (read_only_) return;
  if (committer_) committer_->close();
  {
    std::lock_guard lock(checkpoint_mutex_);
    stopping_ = true;
  }
  checkpoint_wake_.notify_one();
  if (checkpointer_.joinable()) checkpointer_.join();
  // Nothing more is written: another store may own the file from here on.
  std::lock_guard lock(checkpoint_mutex_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
  lock_fd_ = -1;
}

// WAL checkpoints copy committed pages into the database file and fsync it. Done here, on
// their own connection, commits never wait for them; done regularly, long reads cannot keep
// the WAL growing for good.
void SqliteStore::run_checkpointer() {
  std::unique_lock lock(checkpoint_mutex_);
  while (!stopping_) {
    checkpoint_wake_.wait_for(lock, limits::kSqliteCheckpointInterval,
                              [&] { return stopping_ || checkpoint_now_; });
    checkpoint_now_ = false;
    lock.unlock();
    sqlite3_wal_checkpoint_v2(checkpoint_db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
  }
  lock.unlock();
  sqlite3_wal_checkpoint_v2(checkpoint_db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  sqlite3_exec(checkpoint_db_, "PRAGMA optimize", nullptr, nullptr, nullptr);
}

void SqliteStore::commit_group(std::vector<WriteJob>& group) {
  std::vector<WriteResult> results(group.size());
  if (!quota_allows_writes()) {
    const std::string why = "the storage quota (--max-db-bytes " + std::to_string(max_db_bytes_) +
                            ", WAL included) is used up";
    for (WriteJob& job : group) job.done(WriteResult{false, why, 0, 0});
    return;
  }
  std::vector<std::vector<bool>> fresh(group.size());  // per job, which events were new
  try {
    exec_sql(writer_db_, "BEGIN IMMEDIATE");
    try {
      EventLogWriter log(writer_db_);
      for (std::size_t j = 0; j < group.size(); ++j) {
        const WriteJob& job = group[j];
        fresh[j].assign(job.events.size(), true);
        std::int64_t min_ts = INT64_MAX, max_ts = INT64_MIN;
        for (std::size_t i = 0; i < job.events.size(); ++i) {
          const Event& e = job.events[i];
          if (!log.add_id(job.app, e.id)) {
            fresh[j][i] = false;
            ++results[j].duplicates;
            continue;
          }
          ++results[j].inserted;
          min_ts = std::min(min_ts, e.ts);
          max_ts = std::max(max_ts, e.ts);
        }
        if (results[j].inserted > 0) {
          // Resends are rare: only then is the block packed again, without the duplicates.
          log.add_block(
              job.app, static_cast<std::int64_t>(results[j].inserted), min_ts, max_ts,
              results[j].duplicates == 0 ? job.packed : encode_event_block(job.events, fresh[j]));
        }
        results[j].ok = true;
      }
      exec_sql(writer_db_, "COMMIT");
    } catch (...) {
      sqlite3_exec(writer_db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
    set_write_health({});
  } catch (const std::exception& e) {
    const auto* sqlite_error = dynamic_cast<const SqliteError*>(&e);
    const bool full = sqlite_error && sqlite_error->code() == SQLITE_FULL;
    set_write_health({false, full ? "storage_full" : "storage_unavailable",
                      std::string("The last write failed: ") + e.what() + "."});
    // A full disk often holds a large WAL: give its space back so writes can resume as soon
    // as anything is freed.
    if (full) {
      sqlite3_wal_checkpoint_v2(writer_db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    }
    for (std::size_t j = 0; j < group.size(); ++j)
      group[j].done(WriteResult{false, e.what(), 0, 0});
    return;
  }
  // Into the index before the answers, so a report after a 200 counts those events.
  for (std::size_t j = 0; j < group.size(); ++j) {
    WriteJob& job = group[j];
    if (results[j].duplicates > 0) {
      std::vector<Event> kept;
      for (std::size_t i = 0; i < job.events.size(); ++i) {
        if (fresh[j][i]) kept.push_back(std::move(job.events[i]));
      }
      job.events = std::move(kept);
    }
    index_.add(job.app, std::move(job.events));
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

StoreHealth SqliteStore::health() {
  if (read_only_) return {false, "storage_unavailable", "The database is open read-only."};
  // Its own connection and mutex: nothing else ever holds them long.
  std::lock_guard lock(health_mutex_);
  try {
    Statement s(health_db_, "SELECT 1 FROM event_ids LIMIT 1");
    s.step();
    if (write_health_.ok) return {};
    // The last write failed. Say so until there is room again: within the quota, and at
    // least a little free disk, so the next write has a chance. Room means more than a
    // sliver: a commit needs pages, and the page cap may be what stopped the last one.
    if (max_db_bytes_ > 0 && quota_bytes_used(health_db_) + max_db_bytes_ / 16 >= max_db_bytes_)
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
  if (read_only_) throw StoreError("the database is open read-only");
  wait_loaded();
  std::uint64_t deleted = 0;
  committer_->run_task([&] {
    // The person's events: their user id, every event of an anon an identify ties to them,
    // and their own anon's events when they never identified.
    const std::set<std::string> tied = index_.tied_anons(app, person);
    exec_sql(writer_db_, "BEGIN IMMEDIATE");
    try {
      deleted = static_cast<std::uint64_t>(delete_stored_events(
          writer_db_, app,
          [&](const Event& e) {
            return e.user == person || tied.contains(e.anon) ||
                   (e.anon == person && e.user.empty());
          },
          [](const Event&) {}));
      exec_sql(writer_db_, "COMMIT");
    } catch (...) {
      sqlite3_exec(writer_db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
    if (deleted > 0) {
      index_.rebuild(app, [&](const ActivityIndex::Fold& fold) {
        fold_blocks(writer_db_, app, INT64_MAX, fold);
      });
    }
  });
  // Deleted bytes are zeroed in the pages (secure_delete), but older page images stay in the
  // WAL until a checkpoint has copied the pages back and the WAL is reused: start one now.
  {
    std::lock_guard lock(checkpoint_mutex_);
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
  committer_->run_task([&] {
    Statement s(writer_db_,
                "INSERT INTO app_config (app, body, etag) VALUES (?1, ?2, ?3) "
                "ON CONFLICT(app) DO UPDATE SET body = excluded.body, etag = excluded.etag");
    s.bind(1, app).bind(2, config.body).bind(3, config.etag);
    s.step();
  });
}

Report SqliteStore::compute_report(const ReportRequest& request) {
  wait_loaded();
  return index_.report(request);
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
