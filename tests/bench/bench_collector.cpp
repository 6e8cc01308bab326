// Collector benchmarks, in one run: (a) decode only (zstd + UTF-8 check + parse + validate)
// of realistic 500-event batches; (b) end-to-end ingest over HTTP on loopback into SQLite,
// acknowledged after commit, from several keep-alive connections. Compare (b)/(a).
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
  const int kBatchesPerConnection = 2000 / connections * 2;
  const auto batches =
      compressed_batches(static_cast<std::size_t>(connections * kBatchesPerConnection));
  for (auto _ : state) {
    test::TempDir dir;
    test::CollectorProcess collector({"--db", "sqlite:" + dir.str("bench.db"), "--app",
                                      "bench:wk:rk", "--rate-limit-rps", "1000000",
                                      "--rate-limit-burst", "1000000", "--log-requests", "false"});
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(connections));
    std::atomic<int> failures{0};
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < connections; ++c) {
      threads.emplace_back([&, c] {
        boost::asio::io_context ioc;
        beast::tcp_stream stream(ioc);
        stream.connect({boost::asio::ip::make_address("127.0.0.1"), collector.port()});
        beast::flat_buffer buffer;
        for (int b = 0; b < kBatchesPerConnection; ++b) {
          http::request<http::string_body> req{http::verb::post, "/v1/batch", 11};
          req.set(http::field::host, "127.0.0.1");
          req.set(http::field::authorization, "Bearer wk");
          req.set(http::field::content_type, "application/x-ndjson");
          req.set(http::field::content_encoding, "zstd");
          req.body() = batches[static_cast<std::size_t>(c * kBatchesPerConnection + b)];
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
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    state.SetIterationTime(seconds);
    std::vector<double> all;
    for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    state.counters["events_per_s"] =
        static_cast<double>(connections * kBatchesPerConnection * 500) / seconds;
    state.counters["p50_ms"] = all[all.size() / 2];
    state.counters["p99_ms"] = all[all.size() * 99 / 100];
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

}  // namespace

BENCHMARK_MAIN();
