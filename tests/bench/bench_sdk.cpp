// SDK benchmarks: track() and group() latency (median/p99) and allocations on the caller's thread,
// background encode+compress throughput, and bytes on the wire per event.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <new>
#include <vector>

#include "event_mix.hpp"
#include "temp_dir.hpp"
#include "test_receiver.hpp"
#include "uptake/uptake.hpp"
#include "zstd_codec.hpp"

namespace {

thread_local std::uint64_t g_allocations = 0;

}  // namespace

void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace {

using namespace uptake;

struct SharedClient {
  test::TempDir dir;
  test::TestReceiver receiver{std::nullopt};
  std::unique_ptr<Client> client;
  SharedClient() {
    Config c;
    c.endpoint = receiver.endpoint();
    c.write_key = "wk";
    c.data_dir = dir.str("bench");
    c.queue_capacity = 1 << 20;
    client = std::make_unique<Client>(c);
  }
};

std::unique_ptr<SharedClient> g_shared;

SharedClient& shared() {
  if (!g_shared) g_shared = std::make_unique<SharedClient>();
  return *g_shared;
}

// Per-call latency from timing groups of 32 calls (a single call is below clock resolution).
template <typename Call>
void measure_calls(benchmark::State& state, Client& client, Call call) {
  constexpr int kGroup = 32;
  std::vector<double> samples;
  samples.reserve(1 << 16);
  std::uint64_t allocations = 0, calls = 0;
  std::int64_t i = 0;
  for (auto _ : state) {
    const std::uint64_t before = g_allocations;
    const auto t0 = std::chrono::steady_clock::now();
    for (int k = 0; k < kGroup; ++k) call(++i);
    const auto t1 = std::chrono::steady_clock::now();
    allocations += g_allocations - before;
    calls += kGroup;
    if (samples.size() < samples.capacity()) {
      samples.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / kGroup);
    }
  }
  std::sort(samples.begin(), samples.end());
  if (!samples.empty()) {
    state.counters["p50_ns"] =
        benchmark::Counter(samples[samples.size() / 2], benchmark::Counter::kAvgThreads);
    state.counters["p99_ns"] =
        benchmark::Counter(samples[samples.size() * 99 / 100], benchmark::Counter::kAvgThreads);
  }
  state.counters["allocs_per_call"] =
      benchmark::Counter(static_cast<double>(allocations) / static_cast<double>(calls),
                         benchmark::Counter::kAvgThreads);
  state.SetItemsProcessed(static_cast<std::int64_t>(calls));
  if (state.thread_index() == 0) {
    state.counters["dropped_queue_full"] = static_cast<double>(client.stats().dropped_queue_full);
  }
}

void BM_Track(benchmark::State& state) {
  Client& client = *shared().client;
  measure_calls(state, client, [&](std::int64_t i) {
    client.track("export_pdf", {{"source", "menu"}, {"items", i}});
  });
}
BENCHMARK(BM_Track)->Threads(1)->Threads(4)->Iterations(20000)->UseRealTime();

// group() takes the same path as track(); B2B apps call it rarely, but it must cost the same.
void BM_Group(benchmark::State& state) {
  Client& client = *shared().client;
  client.wait_processed(std::chrono::seconds(60));  // start from an empty queue, not a full one
  measure_calls(state, client, [&](std::int64_t i) {
    client.group("acme-corp", {{"plan", "enterprise"}, {"seats", i}});
  });
}
BENCHMARK(BM_Group)->Threads(1)->Iterations(20000)->UseRealTime();

// What the background thread does per batch: NDJSON encoding, then zstd.
void BM_EncodeCompress(benchmark::State& state) {
  const auto events = static_cast<std::size_t>(state.range(0));
  detail::ZstdCompressor compressor(3);
  std::size_t wire = 0, raw = 0;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    const std::string ndjson = bench::typical_batch(events, seed++);
    const std::string z = compressor.compress(ndjson);
    benchmark::DoNotOptimize(z.data());
    wire += z.size();
    raw += ndjson.size();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(events));
  const double n = static_cast<double>(state.iterations()) * static_cast<double>(events);
  state.counters["wire_bytes_per_event"] = static_cast<double>(wire) / n;
  state.counters["ndjson_bytes_per_event"] = static_cast<double>(raw) / n;
  state.counters["compression_ratio"] = static_cast<double>(raw) / static_cast<double>(wire);
}
BENCHMARK(BM_EncodeCompress)->Arg(500);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  g_shared.reset();  // before static destruction: the client's thread must not outlive main
  return 0;
}
