#pragma once
// A small real HTTPS (or HTTP) server on loopback that plays the collector's /v1/batch for
// SDK tests: it decodes zstd, records every event line, and can be scripted to answer
// 500, 429 + Retry-After, 413, close mid-response, or stall.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace uptake::test {

struct ScriptedReply {
  int status = 200;
  std::optional<int> retry_after_s;
  bool close_mid_response = false;     // store the events, then drop the connection half-way
  std::chrono::milliseconds stall{0};  // wait this long before answering
  std::optional<std::string> body;     // a 200's body instead of counting every line accepted
};

struct ReceivedRequest {
  std::chrono::steady_clock::time_point at;
  std::optional<std::int64_t> sent_at_ms;
  std::string authorization;
  std::string content_encoding;
  std::size_t body_bytes = 0;
  std::size_t events = 0;
  int status = 0;
};

/// A self-signed certificate for 127.0.0.1 (and optionally other names) made with openssl(1).
struct TestCertificate {
  std::filesystem::path cert_file;
  std::filesystem::path key_file;
};
TestCertificate make_test_certificate(const std::filesystem::path& dir,
                                      const std::string& subject_alt_names = "IP:127.0.0.1");

class TestReceiver {
 public:
  /// Starts listening on 127.0.0.1 at a free port (or `port` when non-zero, to restart).
  explicit TestReceiver(std::optional<TestCertificate> tls, std::uint16_t port = 0);
  ~TestReceiver();
  TestReceiver(const TestReceiver&) = delete;
  TestReceiver& operator=(const TestReceiver&) = delete;

  std::uint16_t port() const { return port_; }
  std::string endpoint() const;

  /// The next request gets `reply` (replies queue up in order); then back to 200.
  void push_reply(ScriptedReply reply);
  /// Bodies larger than this (compressed) get 413.
  void set_max_body_bytes(std::size_t bytes);
  /// What GET /v1/config answers (with a strong ETag; 304 when If-None-Match matches).
  /// `status` other than 200 makes it fail that way instead.
  void set_remote_config(std::string json, int status = 200);
  /// GET /v1/config requests seen, and how many got 304.
  std::size_t config_requests() const;
  std::size_t config_not_modified() const;

  /// Every event line stored so far (duplicates included), in arrival order.
  std::vector<std::string> lines() const;
  /// Ids of the stored events, duplicates included.
  std::vector<std::string> ids() const;
  std::set<std::string> unique_ids() const;
  std::vector<ReceivedRequest> requests() const;
  /// Waits until at least `n` distinct event ids arrived.
  bool wait_for_unique(std::size_t n, std::chrono::milliseconds timeout) const;
  bool wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const;

  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::uint16_t port_ = 0;
  bool tls_ = false;
};

/// Reads one string field of an event line ("" when absent), via simdjson.
std::string json_field(const std::string& line, const std::string& field);
/// Reads one integer field of an event line.
std::optional<std::int64_t> json_int_field(const std::string& line, const std::string& field);

}  // namespace uptake::test
