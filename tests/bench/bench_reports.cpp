// Reports at scale, in one run: N events (default 10,000,000; UPTAKE_BENCH_EVENTS overrides)
// of the realistic population, N/10 of it (the growth per 10x events), and N of the first
// benchmark's bursty population, each loaded into a SQLite store (ingest rate, bytes per
// event, the activity index's load time and the process's memory), then every report of
// METRICS.md timed over a 30-day and a 90-day window, warm (the benchmark's time) and cold
// (the first run, a counter), with and without a segment. ClickHouse (a real
// clickhouse-server on loopback) is timed next to it on the same events unless
// UPTAKE_BENCH_CLICKHOUSE=0 (UPTAKE_BENCH_CLICKHOUSE_URL=http://host:port: on that server,
// in database bench_N), and on a two-shard cluster of two local servers
// (clickhouse-2-shards/...); UPTAKE_BENCH_CLICKHOUSE_WRITERS sets the store's writer lanes.
// Filter with --benchmark_filter as usual.
#include <benchmark/benchmark.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "clickhouse_server.hpp"
#include "population.hpp"
#include "reports/calendar.hpp"
#include "storage/clickhouse/clickhouse_store.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "temp_dir.hpp"

namespace {

using namespace uptake::collector;
using uptake::bench::Population;
using uptake::bench::PopulationKind;

std::size_t event_count() {
  const char* env = std::getenv("UPTAKE_BENCH_EVENTS");
  return env ? std::strtoull(env, nullptr, 10) : 10'000'000;
}

bool with_clickhouse() {
  const char* env = std::getenv("UPTAKE_BENCH_CLICKHOUSE");
  return (!env || std::string(env) != "0") && uptake::test::clickhouse_available();
}

// UPTAKE_BENCH_MIN_TIME (seconds per benchmark) for profiling runs.
double min_time(double fallback) {
  const char* env = std::getenv("UPTAKE_BENCH_MIN_TIME");
  return env ? std::strtod(env, nullptr) : fallback;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::int64_t rss_kib(const char* field = "VmRSS") {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with(field)) return std::stoll(line.substr(std::string(field).size() + 1));
  }
  return -1;
}

// Writes a population through the store's real group-commit path, 40 batches (200k events) in
// flight: a collector taking 300k events/s whose writes wait ~0.5 s for their commit has about
// 150k events waiting (Little's law). Fewer in flight cap the groups, not the store: 8 batches
// make 20k-event INSERTs, and the server then spends its time creating the parts' files.
double load(Store& store, PopulationKind kind, std::size_t total) {
  Population population(kind, total);
  std::mutex m;
  std::condition_variable cv;
  int in_flight = 0;
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<Event> batch;
  while (population.next(batch, 5000)) {
    {
      std::unique_lock lock(m);
      cv.wait(lock, [&] { return in_flight < 40; });
      ++in_flight;
    }
    store.write("bench", std::move(batch), [&](WriteResult r) {
      if (!r.ok) std::abort();
      std::lock_guard lock(m);
      --in_flight;
      cv.notify_all();
    });
    batch = {};
  }
  std::unique_lock lock(m);
  cv.wait(lock, [&] { return in_flight == 0; });
  return static_cast<double>(total) / seconds_since(t0);
}

// One population at one size, in SQLite (and ClickHouse), loaded on first use.
struct Dataset {
  Dataset(PopulationKind k, std::size_t n) : kind(k), events(n) {}
  PopulationKind kind;
  std::size_t events;
  uptake::test::TempDir dir;
  std::unique_ptr<SqliteStore> sqlite;
  std::unique_ptr<uptake::test::ClickHouseServer> clickhouse_server;
  std::unique_ptr<uptake::test::ClickHouseCluster> clickhouse_cluster;
  std::unique_ptr<ClickHouseStore> clickhouse;
  bool on_cluster = false;
  double ingest_per_s = 0, bytes_per_event = 0, index_load_s = 0, rss_mib = 0;
  double clickhouse_ingest_per_s = 0, clickhouse_compact_s = 0;

  void load_sqlite() {
    const std::string path = dir.str("bench.db");
    sqlite = std::make_unique<SqliteStore>(path);
    ingest_per_s = load(*sqlite, kind, events);
    sqlite->close();  // checkpointed, as a running collector's file is between bursts
    bytes_per_event =
        static_cast<double>(std::filesystem::file_size(path)) / static_cast<double>(events);
    sqlite.reset();
    // Opened again, as after a restart: the index is rebuilt from the stored blocks.
    const auto t0 = std::chrono::steady_clock::now();
    sqlite = std::make_unique<SqliteStore>(path);
    ReportRequest probe;
    probe.app = "bench";
    probe.name = "overview";
    probe.from_day = probe.to_day = utc_day(uptake::bench::kEndMs) - 1;
    sqlite->report(probe);
    index_load_s = seconds_since(t0);
    rss_mib = static_cast<double>(rss_kib()) / 1024;
  }

  // One node, or a two-shard cluster of two local servers (`cluster`).
  void load_clickhouse(bool cluster) {
    clickhouse.reset();
    clickhouse_server.reset();
    clickhouse_cluster.reset();
    on_cluster = cluster;
    const std::string database = "bench_" + std::to_string(events);
    ClickHouseOptions options;
    if (cluster) {
      clickhouse_cluster = std::make_unique<uptake::test::ClickHouseCluster>("bench", 2);
      options.url = clickhouse_cluster->node(0).url(database);
      options.cluster = "bench";
      options.nodes = {clickhouse_cluster->node(0).node_url(),
                       clickhouse_cluster->node(1).node_url()};
    } else if (const char* url = std::getenv("UPTAKE_BENCH_CLICKHOUSE_URL")) {
      // A server of your own: its data stays, to study the queries.
      options.url = std::string(url) + "/" + database;
    } else {
      clickhouse_server = std::make_unique<uptake::test::ClickHouseServer>();
      options.url = clickhouse_server->url(database);
    }
    if (const char* writers = std::getenv("UPTAKE_BENCH_CLICKHOUSE_WRITERS"))
      options.writers = std::strtoull(writers, nullptr, 10);
    clickhouse = std::make_unique<ClickHouseStore>(options);
    clickhouse_ingest_per_s = load(*clickhouse, kind, events);
    // Timed once its background merges have settled, as a store at rest would be.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
    while (clickhouse->query("SELECT count() FROM system.merges") != "0\n" &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    // As a running collector has within --clickhouse-compact-seconds of the load.
    const auto compact_start = std::chrono::steady_clock::now();
    clickhouse->compact_rollups();
    clickhouse_compact_s = seconds_since(compact_start);
  }
};

// Datasets are big: only the one being measured is kept.
enum class Backend { sqlite, clickhouse, cluster };

Dataset& dataset(PopulationKind kind, std::size_t events, Backend backend) {
  static std::unique_ptr<Dataset> current;
  if (!current || current->kind != kind || current->events != events) {
    current.reset();
    current = std::make_unique<Dataset>(kind, events);
    current->load_sqlite();
  }
  const bool cluster = backend == Backend::cluster;
  if (backend != Backend::sqlite && (!current->clickhouse || current->on_cluster != cluster)) {
    current->sqlite.reset();  // ClickHouse's merges and queries get the machine to themselves
    current->load_clickhouse(cluster);
  }
  return *current;
}

struct Case {
  std::string report;
  ReportParams params;
};

std::vector<Case> cases() {
  return {{"overview", {}},
          {"features", {}},
          {"first-action", {}},
          {"stickiness", {}},
          {"funnel", {{"feature", "feature-03"}}},
          {"tips", {}},
          {"accounts", {}},
          {"champions", {{"limit", "20"}}},
          {"retention", {}},
          {"trends", {}},
          {"trends", {{"interval", "week"}, {"feature", "feature-02"}}},
          {"releases", {}},
          {"surveys", {}}};
}

ReportRequest request_for(const Case& c, int window_days, const ReportParams& segment) {
  ReportRequest q;
  q.app = "bench";
  q.name = c.report;
  const std::int64_t last_day = utc_day(uptake::bench::kEndMs) - 1;
  ReportParams params = c.params;
  params.emplace_back("from", day_string(last_day - window_days + 1));
  params.emplace_back("to", day_string(last_day));
  params.insert(params.end(), segment.begin(), segment.end());
  if (auto problem = parse_report_request(q, params, last_day)) {
    std::fprintf(stderr, "bad benchmark request: %s\n", problem->c_str());
    std::abort();
  }
  return q;
}

void run_report(benchmark::State& state, PopulationKind kind, std::size_t events, Backend backend,
                const Case& c, int window_days, const ReportParams& segment) {
  Dataset& d = dataset(kind, events, backend);
  const bool clickhouse = backend != Backend::sqlite;
  Store& store = clickhouse ? static_cast<Store&>(*d.clickhouse) : *d.sqlite;
  const ReportRequest q = request_for(c, window_days, segment);
  auto t0 = std::chrono::steady_clock::now();
  benchmark::DoNotOptimize(store.report(q));
  state.counters["cold_ms"] = seconds_since(t0) * 1000;
  for (auto _ : state) benchmark::DoNotOptimize(store.report(q));
  state.counters["events"] = static_cast<double>(events);
  if (clickhouse) {
    state.counters["ingest_per_s"] = d.clickhouse_ingest_per_s;
    state.counters["compact_s"] = d.clickhouse_compact_s;
  } else {
    state.counters["ingest_per_s"] = d.ingest_per_s;
    state.counters["bytes_per_event"] = d.bytes_per_event;
    state.counters["index_load_s"] = d.index_load_s;
    state.counters["rss_mib"] = d.rss_mib;
  }
}

void register_all() {
  const std::size_t n = event_count();
  const std::vector<std::pair<std::string, ReportParams>> segments = {
      {"", {}},
      {"/account", {{"account", Population::sample_account()}}},
      {"/trait", {{"trait.plan", Population::sample_plan()}}},
      {"/version", {{"version", Population::sample_version()}}}};
  struct Run {
    std::string name;
    PopulationKind kind;
    std::size_t events;
    bool segments;
    Backend backend;
  };
  std::vector<Run> runs = {{"realistic", PopulationKind::realistic, n / 10, false, Backend::sqlite},
                           {"realistic", PopulationKind::realistic, n, true, Backend::sqlite},
                           {"bursty", PopulationKind::bursty, n, false, Backend::sqlite}};
  if (with_clickhouse()) {
    // The cluster (both servers on this machine's cores) with segments at the smaller size
    // only, to keep the run short; at the larger one without, so its growth is visible.
    runs.push_back({"realistic", PopulationKind::realistic, n / 10, true, Backend::clickhouse});
    runs.push_back({"realistic", PopulationKind::realistic, n / 10, true, Backend::cluster});
    runs.push_back({"realistic", PopulationKind::realistic, n, true, Backend::clickhouse});
    runs.push_back({"realistic", PopulationKind::realistic, n, false, Backend::cluster});
  }
  static constexpr const char* kBackendNames[] = {"sqlite", "clickhouse", "clickhouse-2-shards"};
  for (const Run& run : runs) {
    for (const Case& c : cases()) {
      for (int window : {30, 90}) {
        for (const auto& [segment_name, segment] : segments) {
          if (!segment.empty() && (!run.segments || window != 30)) continue;
          std::string name = std::string(kBackendNames[static_cast<int>(run.backend)]) + "/" +
                             run.name + "/" + std::to_string(run.events) + "/" + c.report;
          for (const auto& [k, v] : c.params) name += k == "interval" ? "/" + v : "";
          name += "/" + std::to_string(window) + "d" + segment_name;
          benchmark::RegisterBenchmark(name.c_str(),
                                       [run, c, window, segment = segment](benchmark::State& s) {
                                         run_report(s, run.kind, run.events, run.backend, c, window,
                                                    segment);
                                       })
              ->Unit(benchmark::kMillisecond)
              ->MinTime(min_time(run.backend == Backend::sqlite ? 0.3 : 0.5));
        }
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
