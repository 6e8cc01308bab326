// The real SDK sending over TLS to the real collector binary, into a real SQLite file.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <thread>

#include "collector_process.hpp"
#include "stored_events.hpp"
#include "temp_dir.hpp"
#include "test_receiver.hpp"
#include "uptake/uptake.hpp"

using namespace uptake;
using namespace uptake::test;
using namespace std::chrono_literals;

namespace {

class EndToEnd : public ::testing::Test {
 protected:
  void SetUp() override { cert_ = make_test_certificate(dir_.path() / "tls"); }

  std::vector<std::string> collector_args() const {
    return {"--db",
            "sqlite:" + dir_.str("e2e.db"),
            "--app",
            "demo:wk_demo:rk_demo",
            "--tls-cert",
            cert_.cert_file.string(),
            "--tls-key",
            cert_.key_file.string(),
            "--rate-limit-rps",
            "10000",
            "--rate-limit-burst",
            "10000",
            "--log-requests",
            "false"};
  }

  Config sdk_config(std::uint16_t port) const {
    Config c;
    c.endpoint = "https://127.0.0.1:" + std::to_string(port);
    c.write_key = "wk_demo";
    c.data_dir = dir_.str("sdk");
    c.tls_ca_file = cert_.cert_file.string();
    c.queue_capacity = 1 << 17;
    c.flush_interval_ms = 100ms;
    c.retry_base_ms = 50ms;
    c.retry_cap_ms = 500ms;
    c.connect_timeout_ms = 2s;
    c.request_timeout_ms = 10s;
    return c;
  }

  std::int64_t query_int(const std::string& sql) const {
    return stored_events_int(dir_.str("e2e.db"), sql);
  }

  TempDir dir_;
  TestCertificate cert_;
};

constexpr int kEvents = 100'000;

}  // namespace

TEST_F(EndToEnd, AHundredThousandEventsArriveExactlyOnceOverTls) {
  CollectorProcess collector(collector_args());
  Client client(sdk_config(collector.port()));
  for (int i = 0; i < kEvents; ++i) client.track("e2e", {{"i", i}, {"feature_group", "export"}});
  ASSERT_TRUE(client.flush(120s));
  EXPECT_EQ(client.stats().dropped_queue_full, 0u);
  EXPECT_EQ(query_int("SELECT count(*) FROM events WHERE name='e2e'"), kEvents);
  EXPECT_EQ(
      query_int("SELECT count(DISTINCT json_extract(props, '$.i')) FROM events WHERE name='e2e'"),
      kEvents);
  EXPECT_EQ(static_cast<std::int64_t>(client.stats().sent),
            query_int("SELECT count(*) FROM events"));
}

TEST_F(EndToEnd, EveryEventExactlyOnceWhileTheCollectorIsKilledTwice) {
  auto collector = std::make_unique<CollectorProcess>(collector_args());
  const std::uint16_t port = collector->port();
  Client client(sdk_config(port));
  constexpr int kChunks = 30;
  for (int chunk = 0; chunk < kChunks; ++chunk) {
    for (int i = chunk * (kEvents / kChunks); i < (chunk + 1) * (kEvents / kChunks); ++i) {
      client.track("survivor", {{"i", i}});
    }
    if (chunk == kChunks / 3 || chunk == 2 * kChunks / 3) {
      collector->stop(SIGKILL);
      std::this_thread::sleep_for(300ms);  // an outage: the SDK spools and backs off
      collector = std::make_unique<CollectorProcess>(collector_args(), port);
    }
    std::this_thread::sleep_for(20ms);
  }
  for (int i = (kEvents / kChunks) * kChunks; i < kEvents; ++i)
    client.track("survivor", {{"i", i}});
  ASSERT_TRUE(client.flush(120s));
  EXPECT_EQ(client.stats().dropped_queue_full, 0u);
  EXPECT_EQ(query_int("SELECT count(*) FROM events WHERE name='survivor'"), kEvents);
  EXPECT_EQ(
      query_int(
          "SELECT count(DISTINCT json_extract(props, '$.i')) FROM events WHERE name='survivor'"),
      kEvents);
}
