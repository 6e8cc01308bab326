// Reports at scale: loads N events (default 10,000,000; UPTAKE_BENCH_EVENTS overrides) of a
// simulated population into a SQLite store (timing ingest with and without the report
// aggregates) and into a real clickhouse-server on loopback, then times every report over a
// 30-day window on both, in one run.
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>

#include "clickhouse_server.hpp"
#include "storage/clickhouse/clickhouse_store.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "temp_dir.hpp"

namespace {

using namespace uptake::collector;
constexpr std::int64_t kDay = 86'400'000;
const std::int64_t kEnd = 1'795'000'000'000 / kDay * kDay;  // window end (exclusive), a midnight
constexpr int kDays = 90;

std::size_t event_count() {
  const char* env = std::getenv("UPTAKE_BENCH_EVENTS");
  return env ? std::strtoull(env, nullptr, 10) : 10'000'000;
}

// Events of a population over 90 days, in time order as they would arrive: in bursts of one
// install's events (an SDK batch: 20-300 events over a few minutes), ~1 person per 100 events,
// features with unequal popularity, tips, first actions, identifies.
class Generator {
 public:
  explicit Generator(std::size_t total)
      : total_(total), people_(std::max<std::size_t>(1000, total / 100)) {}
  bool next_batch(std::vector<Event>& out, std::size_t n) {
    out.clear();
    static const char* features[] = {"create_note", "list_notes", "open_note", "edit_note",
                                     "search",      "tag_note",   "pin_note",  "archive_note",
                                     "export_note", "share_link"};
    static const double weights[] = {30, 20, 18, 12, 8, 5, 3, 2, 1.5, 0.5};
    std::discrete_distribution<int> pick_feature(std::begin(weights), std::end(weights));
    while (out.size() < n && made_ < total_) {
      Event e;
      e.id = "ev-" + std::to_string(made_);
      e.ts = kEnd - kDays * kDay + static_cast<std::int64_t>(made_ * (kDays * kDay / total_));
      if (burst_left_ == 0) {
        burst_person_ = rng_() % people_;
        burst_left_ = 20 + rng_() % 280;
      }
      --burst_left_;
      const std::size_t p = burst_person_;
      e.anon = "anon-" + std::to_string(p);
      if (p % 7 == 0) e.user = "user-" + std::to_string(p / 7);
      e.session = "s-" + std::to_string(p) + "-" + std::to_string(e.ts / (3 * 3600 * 1000));
      e.received_at = e.client_ts = e.ts;
      const int kind = static_cast<int>(rng_() % 100);
      if (kind < 2) {
        e.name = kind == 0 ? "$tip_shown" : "$tip_clicked";
        e.props = R"({"tip":"tip-search","feature":"search"})";
      } else if (kind == 2) {
        e.name = "$first_action";
        e.props = R"({"feature":"search","ms_since_install":)" +
                  std::to_string(rng_() % 10'000'000) + "}";
      } else if (kind == 3 && p % 5 == 1) {
        e.type = EventType::identify;
        e.user = "user-" + std::to_string(p / 5);
      } else if (kind == 4) {
        e.name = "$session_start";
      } else {
        e.name = features[pick_feature(rng_)];
        e.props = R"({"source":"menu"})";
      }
      out.push_back(std::move(e));
      ++made_;
    }
    return !out.empty();
  }

 private:
  std::size_t total_, people_, made_ = 0, burst_left_ = 0, burst_person_ = 0;
  std::mt19937_64 rng_{7};
};

// Writes everything through the store's real group-commit path, keeping a few batches in flight.
double load(Store& store, std::size_t total) {
  Generator gen(total);
  std::mutex m;
  std::condition_variable cv;
  int in_flight = 0;
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<Event> batch;
  while (gen.next_batch(batch, 5000)) {
    {
      std::unique_lock lock(m);
      cv.wait(lock, [&] { return in_flight < 8; });
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
  return static_cast<double>(total) /
         std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct Loaded {
  uptake::test::TempDir dir;
  std::unique_ptr<SqliteStore> store;
  std::unique_ptr<uptake::test::ClickHouseServer> clickhouse_server;
  std::unique_ptr<ClickHouseStore> clickhouse;
  double sqlite_ingest = 0, clickhouse_ingest = 0;
  double sqlite_bytes = 0;  // the database file after the load, checkpointed
};

std::unique_ptr<Loaded> g_loaded;

Loaded& loaded() {
  static Loaded* l = [] {
    g_loaded = std::make_unique<Loaded>();
    Loaded* x = g_loaded.get();
    const std::size_t n = event_count();
    const auto t0 = std::chrono::steady_clock::now();
    x->store = std::make_unique<SqliteStore>(x->dir.str("bench.db"));
    load(*x->store, n);
    // Reports are timed as a running collector sees them: with the bulk load checkpointed out
    // of the WAL (its checkpointer does that in the background), not in the middle of it.
    // Ingest is timed to here: close() writes the aggregates still in memory.
    x->store->close();
    x->sqlite_ingest = static_cast<double>(n) /
                       std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    x->sqlite_bytes = static_cast<double>(std::filesystem::file_size(x->dir.str("bench.db")));
    x->store = std::make_unique<SqliteStore>(x->dir.str("bench.db"));
    return x;
  }();
  return *l;
}

// ClickHouse is loaded after the SQLite reports ran (its background merges would take CPU
// from them), and timed once its merges have settled.
Loaded& loaded_with_clickhouse() {
  Loaded& x = loaded();
  if (!x.clickhouse && uptake::test::clickhouse_available()) {
    x.clickhouse_server = std::make_unique<uptake::test::ClickHouseServer>();
    x.clickhouse = std::make_unique<ClickHouseStore>(
        ClickHouseOptions{x.clickhouse_server->url("bench"), "", "", "", {}});
    x.clickhouse_ingest = load(*x.clickhouse, event_count());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
    while (x.clickhouse->query("SELECT count() FROM system.merges") != "0\n" &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
  return x;
}

void BM_Ingest(benchmark::State& state) {
  Loaded& l = loaded();
  for (auto _ : state) benchmark::DoNotOptimize(l.sqlite_ingest);
  state.counters["events"] = static_cast<double>(event_count());
  state.counters["sqlite_ingest_per_s"] = l.sqlite_ingest;
  state.counters["sqlite_bytes_per_event"] = l.sqlite_bytes / static_cast<double>(event_count());
}
BENCHMARK(BM_Ingest)->Iterations(1);

void BM_ClickHouseIngest(benchmark::State& state) {
  Loaded& l = loaded_with_clickhouse();
  for (auto _ : state) benchmark::DoNotOptimize(l.clickhouse_ingest);
  state.counters["events"] = static_cast<double>(event_count());
  state.counters["clickhouse_ingest_per_s"] = l.clickhouse_ingest;
}

void BM_Report(benchmark::State& state, const std::string& backend, const std::string& name) {
  Loaded& l = backend == "sqlite" ? loaded() : loaded_with_clickhouse();
  Store* store = backend == "sqlite" ? static_cast<Store*>(l.store.get()) : l.clickhouse.get();
  if (!store) {
    state.SkipWithError("clickhouse-server is not installed");
    return;
  }
  ReportRequest q;
  q.app = "bench";
  q.name = name;
  q.to_day = kEnd / kDay - 1;
  q.from_day = q.to_day - 29;
  q.feature = "search";
  if (name == "product-adoption") {
    q.month = "2026-11";
    q.from_day = (kEnd / kDay) - 30;
  }
  // The first run reads through a cold page cache (a collector just started); the timed runs
  // are warm, as in a collector that has been serving reports.
  const auto t0 = std::chrono::steady_clock::now();
  benchmark::DoNotOptimize(store->report(q));
  state.counters["first_run_ms"] =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  for (auto _ : state) benchmark::DoNotOptimize(store->report(q));
}

// A GDPR delete on SQLite: the app's event blocks are read, the person's events cut out, and
// the aggregates of every actor they counted in recomputed. Runs after the SQLite reports.
void BM_SqliteDeletePerson(benchmark::State& state) {
  Loaded& l = loaded();
  std::uint64_t deleted = 0;
  for (auto _ : state) deleted = l.store->delete_person("bench", "user-3");
  state.counters["events_deleted"] = static_cast<double>(deleted);
}

void register_reports() {
  for (const char* backend : {"sqlite", "clickhouse"}) {
    if (std::string(backend) == "clickhouse") {
      benchmark::RegisterBenchmark("BM_SqliteDeletePerson", BM_SqliteDeletePerson)
          ->Unit(benchmark::kMillisecond)
          ->Iterations(1);
      benchmark::RegisterBenchmark("BM_ClickHouseIngest", BM_ClickHouseIngest)->Iterations(1);
    }
    for (const char* name : {"overview", "features", "first-action", "stickiness", "funnel", "tips",
                             "product-adoption"}) {
      benchmark::RegisterBenchmark((std::string("BM_Report/") + backend + "/" + name).c_str(),
                                   BM_Report, std::string(backend), std::string(name))
          ->Unit(benchmark::kMillisecond)
          ->Iterations(3);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_reports();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (g_loaded) {
    g_loaded->store->close();
    if (g_loaded->clickhouse) g_loaded->clickhouse->close();
  }
  g_loaded.reset();  // removes the databases
  return 0;
}
