// Collector benchmarks, in one run: (a) decode only (zstd + UTF-8 check + parse + validate)
// of 500-event batches; (b) end-to-end ingest over HTTP on loopback into SQLite, acknowledged
// after commit (the activity index fed), from several keep-alive connections, with the
// realistic population of population.hpp; compare (b)/(a); (c) /healthz latency alone and
// while eight clients run reports; (d) the collector's memory after UPTAKE_BENCH_EVENTS
// (default 10,000,000) events over HTTP and while reports run on them.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

#include "collector_process.hpp"
#include "event_mix.hpp"
#include "ingest/batch_parser.hpp"
#include "ingest/body_decoder.hpp"
#include "population.hpp"
#include "temp_dir.hpp"

namespace {

using namespace uptake;
namespace beast = boost::beast;
namespace http = beast::http;

// Batches with distinct ids (each its own install run), compressed as the SDK sends them.
std::vector<std::string> compressed_batches(std::size_t batches) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < batches; ++i)
    out.push_back(test::zstd_compress(bench::typical_batch(500, i + 1)));
  return out;
}

// The realistic population in 500-event batches, compressed.
std::vector<std::string> population_batches(std::size_t events) {
  bench::Population population(bench::PopulationKind::realistic, events);
  std::vector<std::string> out;
  std::vector<collector::Event> batch;
  while (population.next(batch, 500)) out.push_back(test::zstd_compress(bench::ndjson_of(batch)));
  return out;
}

std::size_t event_count() {
  const char* env = std::getenv("UPTAKE_BENCH_EVENTS");
  return env ? std::strtoull(env, nullptr, 10) : 10'000'000;
}

// Sends `batches` over `connections` keep-alive connections; per-request latencies in ms.
std::vector<double> send_all(std::uint16_t port, const std::vector<std::string>& batches,
                             int connections, std::atomic<int>& failures) {
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(connections));
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      boost::asio::io_context ioc;
      beast::tcp_stream stream(ioc);
      stream.connect({boost::asio::ip::make_address("127.0.0.1"), port});
      beast::flat_buffer buffer;
      for (std::size_t b = static_cast<std::size_t>(c); b < batches.size();
           b += static_cast<std::size_t>(connections)) {
        http::request<http::string_body> req{http::verb::post, "/v1/batch", 11};
        req.set(http::field::host, "127.0.0.1");
        req.set(http::field::authorization, "Bearer wk");
        req.set(http::field::content_type, "application/x-ndjson");
        req.set(http::field::content_encoding, "zstd");
        req.body() = batches[b];
        req.prepare_payload();
        const auto s = std::chrono::steady_clock::now();
        http::write(stream, req);
        http::response<http::string_body> res;
        http::read(stream, buffer, res);
        latencies[static_cast<std::size_t>(c)].push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s)
                .count());
        if (res.result_int() != 200) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  return all;
}

test::CollectorProcess start_collector(const test::TempDir& dir) {
  return test::CollectorProcess({"--db", "sqlite:" + dir.str("bench.db"), "--app", "bench:wk:rk",
                                 "--rate-limit-rps", "1000000", "--rate-limit-burst", "1000000",
                                 "--log-requests", "false"});
}

void BM_DecodeBatch(benchmark::State& state) {
  const auto batches = compressed_batches(64);
  std::size_t i = 0, events = 0;
  for (auto _ : state) {
    std::string body = batches[i++ % batches.size()];
    auto decoded = collector::decode_body(std::move(body), "zstd", 50 << 20);
    if (!simdjson::validate_utf8(decoded.text.data(), decoded.text.size()))
      state.SkipWithError("utf8");
    auto parsed = collector::parse_batch(decoded.text, 1'795'000'000'000, std::nullopt);
    events += parsed.events.size();
    benchmark::DoNotOptimize(parsed.events.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
}
BENCHMARK(BM_DecodeBatch);

void BM_IngestHttp(benchmark::State& state) {
  const int connections = static_cast<int>(state.range(0));
  static const auto batches = population_batches(2'000'000);
  for (auto _ : state) {
    test::TempDir dir;
    auto collector = start_collector(dir);
    std::atomic<int> failures{0};
    const auto t0 = std::chrono::steady_clock::now();
    const auto latencies = send_all(collector.port(), batches, connections, failures);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    state.SetIterationTime(seconds);
    state.counters["events_per_s"] = 2'000'000 / seconds;
    state.counters["p50_ms"] = latencies[latencies.size() / 2];
    state.counters["p99_ms"] = latencies[latencies.size() * 99 / 100];
    state.counters["failures"] = failures.load();
  }
}
BENCHMARK(BM_IngestHttp)
    ->Arg(4)
    ->Arg(8)
    ->Arg(16)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// /healthz latency with nothing else running, then while eight clients run reports: reports
// run on their own threads, so health checks (and ingest) never wait behind them.
void BM_HealthzWhileReportsRun(benchmark::State& state) {
  const bool reports = state.range(0) != 0;
  test::TempDir dir;
  auto collector = start_collector(dir);
  std::atomic<int> failures{0};
  send_all(collector.port(), population_batches(500'000), 4, failures);
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int i = 0; reports && i < 8; ++i) {
    clients.emplace_back([&] {
      while (!stop) {
        test::http_request(collector.port(), "GET",
                           "/v1/reports/features?from=2026-08-01&to=2026-11-19",
                           {{"Authorization", "Bearer rk"}});
      }
    });
  }
  std::vector<double> latencies;
  for (auto _ : state) {
    const auto s = std::chrono::steady_clock::now();
    const auto r = test::http_request(collector.port(), "GET", "/healthz");
    latencies.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s).count());
    if (r.status != 200) ++failures;
  }
  stop = true;
  for (auto& t : clients) t.join();
  std::sort(latencies.begin(), latencies.end());
  state.counters["p50_ms"] = latencies[latencies.size() / 2];
  state.counters["p99_ms"] = latencies[latencies.size() * 99 / 100];
  state.counters["failures"] = failures.load();
}
BENCHMARK(BM_HealthzWhileReportsRun)
    ->Arg(0)
    ->Arg(1)
    ->Iterations(400)
    ->Unit(benchmark::kMillisecond);

// The collector's memory holding UPTAKE_BENCH_EVENTS events of the realistic population (its
// activity index and SQLite's caches), after the load and while reports run.
void BM_CollectorMemory(benchmark::State& state) {
  for (auto _ : state) {
    test::TempDir dir;
    auto collector = start_collector(dir);
    const std::size_t n = event_count();
    std::atomic<int> failures{0};
    // In slices, so the load generator's own memory stays small.
    bench::Population population(bench::PopulationKind::realistic, n);
    std::vector<collector::Event> batch;
    std::vector<std::string> slice;
    const auto t0 = std::chrono::steady_clock::now();
    while (population.next(batch, 500)) {
      slice.push_back(test::zstd_compress(bench::ndjson_of(batch)));
      if (slice.size() == 2000) {
        send_all(collector.port(), slice, 4, failures);
        slice.clear();
      }
    }
    send_all(collector.port(), slice, 4, failures);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    state.counters["events"] = static_cast<double>(n);
    state.counters["load_events_per_s"] = static_cast<double>(n) / seconds;
    state.counters["rss_after_load_mib"] =
        static_cast<double>(collector.memory_kib("VmRSS")) / 1024;
    for (const char* report :
         {"overview", "features", "first-action", "accounts", "retention", "trends", "champions"}) {
      test::http_request(collector.port(), "GET",
                         std::string("/v1/reports/") + report + "?from=2026-08-22&to=2026-11-19",
                         {{"Authorization", "Bearer rk"}});
    }
    state.counters["peak_rss_mib"] = static_cast<double>(collector.memory_kib("VmHWM")) / 1024;
    state.counters["failures"] = failures.load();
  }
}
BENCHMARK(BM_CollectorMemory)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
