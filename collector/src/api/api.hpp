#pragma once
// The HTTP API of PROTOCOL.md, independent of the server underneath. The server calls
// admit() once the headers are in (so keys and limits apply before any body is read), then
// handle() with the whole request; every answer goes through record() for metrics and the log.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/api_context.hpp"
#include "api/routes.hpp"
#include "api/task_pool.hpp"

namespace uptake::collector {

/// The outcome of admit(): an answer to send at once, or the call to run once the body is in.
struct Admission {
  std::optional<ApiResponse> early;
  const Route* route = nullptr;
  std::string_view family = "other";  // metrics label, also for early answers
  Call call;
};

class Api {
 public:
  Api(const Options& options, Store& store);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  /// Decides from the headers alone (404, 405, 401, 403, 413, 415, 429, 400 for a bad target).
  Admission admit(ApiRequest headers);
  /// Runs the admitted call with its body; answers through `respond`, perhaps later and from
  /// another thread.
  void handle(Admission admission, std::string body, Respond respond);
  /// Counts the answer in /metrics and writes the structured request log line.
  void record(std::string_view family, const ApiRequest& request, const ApiResponse& response);

  /// Finishes the slow requests queued and running, then refuses new ones. Idempotent.
  void stop();

  /// The server's part of /metrics (connections, connection errors).
  void set_metrics_source(std::function<std::string()> server_metrics);

 private:
  void run(const Route& route, Call& call, const Respond& respond);

  const Options& options_;
  Keyring keys_;
  ApiCounters counters_;
  RateLimiter key_limiter_, address_limiter_;
  MemoryBudget ingest_memory_;
  std::function<std::string()> server_metrics_;
  ApiContext context_;
  std::unique_ptr<TaskPool> report_pool_, admin_pool_;
};

}  // namespace uptake::collector
