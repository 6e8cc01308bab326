#pragma once
// The storage interface every backend implements (SQLite now, ClickHouse later). Writes are
// asynchronous and acknowledged only once durable; everything else is synchronous.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "reports/report.hpp"
#include "reports/report_request.hpp"
#include "storage/event.hpp"

namespace uptake::collector {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A backend that cannot do what was asked (the API answers 501).
class NotSupported : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct WriteResult {
  bool ok = false;
  std::string error;  // when !ok: why storage refused (the client will retry)
  std::uint64_t inserted = 0;
  std::uint64_t duplicates = 0;  // ids this app had already stored (or repeated in the batch)
};
using WriteCallback = std::function<void(WriteResult)>;

struct StoredConfig {
  std::string body;  // the app's /v1/config JSON
  std::string etag;  // strong ETag, quotes included
};

/// Whether storage can take writes now, and if not, why (for /healthz).
struct StoreHealth {
  bool ok = true;
  std::string code;     // short code when !ok: storage_unavailable, storage_full, ...
  std::string problem;  // one sentence when !ok
};

class Store {
 public:
  virtual ~Store() = default;
  /// Stores `events` of `app`, once per (app, id). `done` runs (on a storage thread) after
  /// the events are committed, or with ok=false when nothing of them was stored.
  virtual void write(std::string app, std::vector<Event> events, WriteCallback done) = 0;
  /// Whether storage answers and accepts writes. Never waits behind a report.
  virtual StoreHealth health() = 0;
  /// Deletes every event of `person` in `app` (their user id and every anon tied to it).
  /// Returns how many events were deleted. Throws StoreError.
  virtual std::uint64_t delete_person(const std::string& app, const std::string& person) = 0;
  virtual std::optional<StoredConfig> get_config(const std::string& app) = 0;
  /// Throws StoreError.
  virtual void put_config(const std::string& app, const StoredConfig& config) = 0;
  /// Computes a METRICS.md report, with the key actions and survey kinds of the app's config.
  /// Throws StoreError.
  Report report(ReportRequest request);
  /// Write requests waiting for their commit.
  [[nodiscard]] virtual std::size_t queue_depth() const = 0;
  /// Calls `fn(app, event)` for every stored event of `app` (every app when empty). Throws
  /// StoreError; NotSupported where the backend has its own export tools.
  virtual void for_each_event(const std::string& app,
                              const std::function<void(const std::string&, const Event&)>& fn);
  /// Commits what is queued and stops accepting writes.
  virtual void close() = 0;

 protected:
  /// The report itself, once report() filled in what comes from the app's config.
  virtual Report compute_report(const ReportRequest& request) = 0;
};

inline void Store::for_each_event(const std::string&,
                                  const std::function<void(const std::string&, const Event&)>&) {
  throw NotSupported("this backend has no event export; use its own tools");
}

}  // namespace uptake::collector
