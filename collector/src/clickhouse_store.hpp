#pragma once
// ClickHouse storage over its HTTP interface (Debian's clickhouse-server 18.16): events in a
// ReplacingMergeTree ordered by (app, id), so a resend that slips past the collector's
// duplicate check still counts once (queries read FINAL). Writes are group-committed by one
// thread and acknowledged only after ClickHouse answered the INSERT with 200.
//
// Reports are not served by this backend yet (report() throws NotSupported).

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store.hpp"

namespace uptake::detail {
class HttpTransport;
}

namespace uptake::collector {

class ClickHouseStore final : public Store {
 public:
  /// `url`: "http://host:port/database". Creates the database and tables when missing.
  /// Throws StoreError when ClickHouse cannot be reached or refuses.
  ClickHouseStore(const std::string& url, const std::string& user, const std::string& password);
  ~ClickHouseStore() override;

  void write(std::string app, std::vector<Event> events, WriteCallback done) override;
  bool healthy() override;
  std::uint64_t delete_person(const std::string& app, const std::string& person) override;
  std::optional<StoredConfig> get_config(const std::string& app) override;
  void put_config(const std::string& app, const StoredConfig& config) override;
  Report report(const ReportRequest& request) override;
  std::size_t queue_depth() const override;
  void close() override;

  /// Runs a query and returns its TabSeparated answer. Throws StoreError.
  std::string query(const std::string& sql, const std::string& body = "");

 private:
  struct Job {
    std::string app;
    std::vector<Event> events;
    WriteCallback done;
  };
  std::string run(detail::HttpTransport& transport, const std::string& sql,
                  const std::string& body);
  void run_writer();
  void commit_group(std::deque<Job>& group);

  std::string database_;
  std::string auth_query_;
  std::unique_ptr<detail::HttpTransport> writer_transport_;
  std::unique_ptr<detail::HttpTransport> reader_transport_;
  std::mutex reader_mutex_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool closing_ = false;
  std::thread writer_;
};

/// Quotes `s` as a ClickHouse string literal (18.16 has no HTTP query parameters).
std::string clickhouse_quote(std::string_view s);
/// Escapes `s` for a TabSeparated field.
void append_tsv_field(std::string& out, std::string_view s);

}  // namespace uptake::collector
