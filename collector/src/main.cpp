// uptake-collector: parses flags, opens storage, serves the API until SIGTERM/SIGINT, then
// drains: stop accepting, finish in-flight requests, commit, exit 0.

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include "api.hpp"
#include "clickhouse_store.hpp"
#include "export_cli.hpp"
#include "http_server.hpp"
#include "metrics.hpp"
#include "options.hpp"
#include "report_cli.hpp"
#include "sqlite_store.hpp"

using namespace uptake::collector;

namespace {

std::unique_ptr<Store> open_store(const Options& o) {
  if (o.db.starts_with("sqlite:")) {
    return std::make_unique<SqliteStore>(o.db.substr(7),
                                         SqliteOptions{.durability = o.durability,
                                                       .max_db_bytes = o.max_db_bytes,
                                                       .aggregate_delay = o.aggregate_delay_ms,
                                                       .lock_wait = std::chrono::seconds(5)});
  }
  return std::make_unique<ClickHouseStore>(
      ClickHouseOptions{o.db.substr(11), o.clickhouse_user, o.clickhouse_password,
                        o.clickhouse_cluster, o.clickhouse_nodes});
}

void log_line(const std::string& json) {
  std::fprintf(stderr, "%s\n", json.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "report") {
    return run_report_command(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  if (!args.empty() && args[0] == "export") {
    return run_export_command(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      std::cout << usage_text();
      return 0;
    }
  }
  // Block the stop signals in every thread; one thread waits for them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  Options options;
  try {
    options = parse_options(args);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "uptake-collector: %s\n", e.what());
    return 2;
  }
  try {
    std::unique_ptr<Store> store = open_store(options);
    Metrics metrics;
    Api api(options, *store, metrics);
    HttpServer server(options, api);
    server.start();
    log_line(std::string("{\"msg\":\"listening\",\"address\":\"") + server.address() +
             "\",\"tls\":" + (options.tls_cert_file.empty() ? "false" : "true") + ",\"db\":\"" +
             options.db.substr(0, options.db.find(':')) + "\"}");

    int sig = 0;
    sigwait(&stop_signals, &sig);
    log_line("{\"msg\":\"draining\",\"signal\":" + std::to_string(sig) + "}");
    server.stop_accepting();
    const auto deadline = std::chrono::steady_clock::now() + options.shutdown_grace_ms;
    while (server.in_flight() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    store->close();
    server.stop();
    log_line("{\"msg\":\"stopped\"}");
    return 0;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "uptake-collector: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "uptake-collector: %s\n", e.what());
    return 1;
  }
}
