// uptake-collector: parses flags, opens storage, serves the API until SIGTERM/SIGINT, then
// drains: stop accepting, finish in-flight requests, commit, exit 0.

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include "api/api.hpp"
#include "cli/export_cli.hpp"
#include "cli/report_cli.hpp"
#include "config/limits.hpp"
#include "config/options.hpp"
#include "server/http_server.hpp"
#include "storage/open_store.hpp"

using namespace uptake::collector;

namespace {

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
    std::unique_ptr<Store> store = open_store(options, StoreAccess::owner);
    Api api(options, *store);
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
      std::this_thread::sleep_for(limits::kDrainPoll);
    }
    store->close();
    api.stop();  // slow requests still queued finish (answering nobody) before the server goes
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
