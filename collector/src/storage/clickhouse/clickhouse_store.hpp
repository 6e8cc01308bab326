#pragma once
// ClickHouse storage over its HTTP interface (Debian's clickhouse-server 18.16): events in a
// ReplacingMergeTree ordered by (app, id), so a resend that slips past the collector's
// duplicate check is merged away in the background (reports count events by distinct id, so
// they are exact before that). Writes are group-committed by a few writer lanes, each with its
// own INSERTs, and acknowledged only after ClickHouse answered every INSERT holding the write's
// events with 200. A lane checks and encodes its next group while its last INSERT is in flight
// (two threads, two connections), with the ids in flight counted as stored. An event's lane follows
// from its (app, id), so the copies of a resend always meet in one lane's duplicate check.
//
// Reports read the rollups of clickhouse_rollups.hpp, which materialized views keep beside the
// events; a store opened on tables made before them creates and backfills them.
//
// On a cluster, every node holds an `events_local` table and an `events` Distributed table over
// them, sharded by (app, anon): an install's events, identify included, live on one shard.
// Inserts are synchronous (insert_distributed_sync), so a 200 means every shard stored its rows.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/group_commit.hpp"
#include "storage/pipeline_stage.hpp"
#include "storage/store.hpp"

namespace uptake::detail {
class HttpTransport;
struct HttpResponse;
}  // namespace uptake::detail

namespace uptake::collector {

struct ClickHouseOptions {
  std::string url;  // "http://host:port/database"
  std::string user, password;
  std::string cluster;             // empty: one node
  std::vector<std::string> nodes;  // cluster nodes "http://host:port"; empty: the url's node
  // How often the store compacts the rollups (compact_rollups()); zero: never, as for
  // a reader that only runs reports.
  std::chrono::seconds compact_every{0};
  // Writer lanes: INSERT streams. One INSERT, its views pushed in parallel, keeps about two
  // of the server's cores busy; more lanes help a server with cores to spare (on a 2-core
  // machine shared with the collector, two lanes ingest ~10% less than one: smaller parts).
  std::size_t writers = 1;
};

class ClickHouseStore final : public Store {
 public:
  /// Creates the database and tables when missing (on every node of a cluster).
  /// Throws StoreError when ClickHouse cannot be reached or refuses.
  explicit ClickHouseStore(ClickHouseOptions options);
  ~ClickHouseStore() override;

  void write(std::string app, std::vector<Event> events, WriteCallback done) override;
  StoreHealth health() override;
  std::uint64_t delete_person(const std::string& app, const std::string& person) override;
  std::optional<StoredConfig> get_config(const std::string& app) override;
  void put_config(const std::string& app, const StoredConfig& config) override;

  [[nodiscard]] std::size_t queue_depth() const override;
  void close() override;

  /// Runs a query on the --db node and returns its TabSeparated answer. Throws StoreError.
  std::string query(const std::string& sql, const std::string& body = "");

  /// Merges each partition held in more than one part into one, on every node: of the
  /// all-time rollups (ties, actors, actor_features), so reports read an actor's row once
  /// rather than once per part (10M realistic events: 2.84M actor_features rows become 1.84M),
  /// and the weeks of the day-keyed ones, so a day's event counts add up its rows' id sets
  /// instead of merging them. Blocks until ClickHouse finished; throws StoreError. Runs every
  /// ClickHouseOptions::compact_every on a thread of its own, which close() waits for (at most one
  /// request's timeout).
  void compact_rollups();

 protected:
  Report compute_report(const ReportRequest& request) override;

 private:
  std::string run(detail::HttpTransport& transport, const std::string& sql, const std::string& body,
                  const std::string& settings = "");
  // Runs `sql` with `tsv` as the temporary table `table` (ClickHouse's external data).
  std::string run_with_table(detail::HttpTransport& transport, const std::string& sql,
                             const std::string& table, const std::string& structure,
                             const std::string& tsv);
  // The body of a 200, else a StoreError saying what went wrong.
  static std::string checked(const detail::HttpResponse& response);
  void create_schema(detail::HttpTransport& node);
  // Creates the rollups over `events` (database.table) with their views, and backfills each
  // new one from what `events` holds.
  void create_rollups(detail::HttpTransport& node, const std::string& events);
  // Adds the columns of kAddedColumns that `table` (database.table) lacks.
  void add_missing_columns(detail::HttpTransport& node, const std::string& table);
  struct WriterLane;
  struct PreparedInsert;
  using EventKeys = std::set<std::pair<std::string, std::string>>;  // (app, id)
  // Stores a group of one lane's writes: checks it for duplicates and encodes it while the
  // lane's previous INSERT is in flight, then starts its own INSERT, after which each job's
  // `done` is called (from the lane's insert stage).
  void commit_group(WriterLane& lane, std::vector<WriteJob>& group);
  // The group's new events as rows, less the ids `app` has stored and those of `in_flight`.
  PreparedInsert prepare_insert(detail::HttpTransport& transport, std::vector<WriteJob> jobs,
                                const EventKeys& in_flight);
  // INSERTs the prepared rows, then answers each job; returns whether ClickHouse took them.
  bool insert(detail::HttpTransport& transport, PreparedInsert& prepared);
  // Runs `sql` on every node (a cluster's local tables), or on the --db node.
  void on_every_node(const std::function<void(detail::HttpTransport&)>& task);
  // Runs `task` on an idle reader connection of the --db node (a new one when none is idle).
  std::string with_reader(const std::function<std::string(detail::HttpTransport&)>& task);

  ClickHouseOptions options_;
  std::string database_;
  std::string authorization_;  // the Authorization header value, or empty
  // Idle keep-alive connections for reads: each concurrent report takes its own.
  std::vector<std::unique_ptr<detail::HttpTransport>> idle_readers_;
  std::mutex readers_mutex_;
  std::unique_ptr<detail::HttpTransport> health_transport_;
  std::mutex health_mutex_;

  std::string session_prefix_;  // random: report sessions of different collectors never meet
  std::atomic<std::uint64_t> next_session_{0};

  // Compaction every options_.compact_every, until close().
  void compact_periodically();
  std::mutex compact_mutex_;
  std::condition_variable compact_wake_;
  bool closing_ = false;
  std::thread compactor_;

  // One writer lane: the committer whose thread checks and encodes each group through
  // `transport`, and the stage whose thread INSERTs the group before through its own.
  struct WriterLane {
    std::unique_ptr<detail::HttpTransport> transport, insert_transport;
    EventKeys in_flight;  // the events of the INSERT in flight (the committer's thread's)
    std::optional<PipelineStage> inserting;
    std::optional<GroupCommitter> committer;  // last: its thread uses everything above
  };
  std::vector<std::unique_ptr<WriterLane>> lanes_;  // last: their threads use everything above
};

}  // namespace uptake::collector
