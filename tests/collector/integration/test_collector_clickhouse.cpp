// The collector binary on the ClickHouse backend (a real clickhouse-server on loopback).
#include <gtest/gtest.h>

#include <memory>

#include "clickhouse_server.hpp"
#include "collector_process.hpp"

using namespace uptake::test;

TEST(CollectorOnClickHouse, IngestsDeduplicatesAndAnswers503WhileClickHouseIsDown) {
  ASSERT_TRUE(clickhouse_available())
      << "clickhouse-server is not installed (scripts/test.sh installs it)";
  ClickHouseServer clickhouse;
  CollectorProcess collector({"--db", "clickhouse:" + clickhouse.url("uptake_e2e"), "--app",
                              "demo:wk:rk", "--admin-key", "adm", "--log-requests", "false"});
  const auto line = [](const std::string& id) {
    return R"({"id":")" + id +
           R"(","type":"track","name":"search","anon":"a1","ts":1700000000000})";
  };
  auto post = [&](const std::string& body, const std::string& encoding = "") {
    std::vector<std::pair<std::string, std::string>> headers = {{"Authorization", "Bearer wk"}};
    if (!encoding.empty()) headers.emplace_back("Content-Encoding", encoding);
    return http_request(collector.port(), "POST", "/v1/batch", headers, body);
  };
  auto r = post(zstd_compress(line("c1") + "\n" + line("c2") + "\n" + line("c1") + "\n"), "zstd");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("accepted":2,"duplicates":1)"), std::string::npos) << r.body;
  r = post(line("c1") + "\n" + line("c2") + "\n" + line("c3") + "\n");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("accepted":1,"duplicates":2)"), std::string::npos) << r.body;
  EXPECT_EQ(http_request(collector.port(), "GET", "/healthz").status, 200);

  const std::string config = R"({"key_actions":["search"],"tips":[]})";
  ASSERT_EQ(http_request(collector.port(), "PUT", "/v1/config?app=demo",
                         {{"Authorization", "Bearer adm"}}, config)
                .status,
            200);
  EXPECT_EQ(
      http_request(collector.port(), "GET", "/v1/config", {{"Authorization", "Bearer wk"}}).body,
      config);

  const auto del = http_request(collector.port(), "DELETE", "/v1/users/a1?app=demo",
                                {{"Authorization", "Bearer adm"}});
  EXPECT_EQ(del.body, R"({"deleted":3})");

  // Reports are served from ClickHouse (their figures are checked in test_reports.cpp).
  const auto overview = http_request(collector.port(), "GET", "/v1/reports/overview",
                                     {{"Authorization", "Bearer rk"}});
  EXPECT_EQ(overview.status, 200) << overview.body;

  clickhouse.stop();
  r = post(line("down") + "\n");
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_TRUE(r.headers.count("retry-after"));
  EXPECT_EQ(http_request(collector.port(), "GET", "/healthz").status, 503);
  clickhouse.start();
  r = post(line("down") + "\n");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("accepted":1,"duplicates":0)"), std::string::npos)
      << "nothing of the 503 was kept";
}

TEST(CollectorOnClickHouse, SignsInWithTheGivenCredentialsAndRefusesWrongOnes) {
  ASSERT_TRUE(clickhouse_available())
      << "clickhouse-server is not installed (scripts/test.sh installs it)";
  ClickHouseServer clickhouse;
  const std::string db = "clickhouse:" + clickhouse.url("uptake_auth");
  const auto [code, log] =
      run_collector_to_exit({"--db", db, "--app", "demo:wk:rk", "--clickhouse-user", "uptake",
                             "--clickhouse-password", "wrong", "--listen", "127.0.0.1:0"});
  EXPECT_NE(code, 0);
  EXPECT_NE(log.find("clickhouse answered"), std::string::npos) << log;

  CollectorProcess collector({"--db", db, "--app", "demo:wk:rk", "--log-requests", "false",
                              "--clickhouse-user", "uptake", "--clickhouse-password", "s3cret:pw"});
  const auto r =
      http_request(collector.port(), "POST", "/v1/batch",
                   {{"Authorization", "Bearer wk"}, {"Content-Type", "application/x-ndjson"}},
                   R"({"id":"a","type":"track","name":"search","anon":"x","ts":1700000000000})"
                   "\n");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto overview =
      http_request(collector.port(), "GET", "/v1/reports/overview?from=2023-11-14&to=2023-11-14",
                   {{"Authorization", "Bearer rk"}});
  EXPECT_NE(overview.body.find(R"("events":1,)"), std::string::npos) << overview.body;
}

// A table of the first layout (no marker, account, survey or trait columns) gets the columns
// added since when a collector opens it; its old rows read them from their props.
TEST(CollectorOnClickHouse, ATableOfTheFirstLayoutGetsTheNewColumnsAndKeepsItsRows) {
  ASSERT_TRUE(clickhouse_available())
      << "clickhouse-server is not installed (scripts/test.sh installs it)";
  ClickHouseServer clickhouse;
  auto sql = [&](const std::string& statement) {
    const auto r = http_request(clickhouse.http_port(), "POST", "/", {}, statement);
    EXPECT_EQ(r.status, 200) << statement << ": " << r.body;
    return r.body;
  };
  sql("CREATE DATABASE old_layout");
  sql("CREATE TABLE old_layout.events (app String, id String, type UInt8, name String, anon "
      "String, user String, ts Int64, client_ts Int64, received_at Int64, session String, "
      "app_version String, props String) ENGINE = ReplacingMergeTree() ORDER BY (app, id)");
  // Version 1 of the day-keyed rollups, as an older collector left them (its columns do not
  // matter): dropped, view first, once their successors are filled.
  for (const std::string old : {"actor_days", "feature_days"}) {
    sql("CREATE TABLE old_layout." + old + " (app String) ENGINE = MergeTree() ORDER BY app");
    sql("CREATE MATERIALIZED VIEW old_layout." + old + "_mv TO old_layout." + old +
        " AS SELECT app FROM old_layout.events");
  }
  const std::string ts = "1790000000000";  // 2026-09-21
  sql("INSERT INTO old_layout.events VALUES ('demo', 'old-1', 0, '$tip_shown', 'a1', '', " + ts +
      ", " + ts + ", " + ts + ", '', '', '{\"tip\":\"t1\",\"feature\":\"export\"}')");
  sql("INSERT INTO old_layout.events VALUES ('demo', 'old-2', 0, 'export', 'a3', 'u3', " + ts +
      ", " + ts + ", " + ts + ", 's1', '1.0', '{}')");
  const std::vector<std::string> args = {
      "--db",           "clickhouse:" + clickhouse.url("old_layout"),
      "--app",          "demo:wk:rk",
      "--admin-key",    "adm",
      "--log-requests", "false"};
  auto collector = std::make_unique<CollectorProcess>(args);
  const std::string later = "1790000100000";
  const auto r = http_request(
      collector->port(), "POST", "/v1/batch", {{"Authorization", "Bearer wk"}},
      R"({"id":"new-1","type":"track","name":"$tip_shown","anon":"a2","ts":)" + later +
          R"(,"props":{"tip":"","feature":"export"}})" + "\n" +
          R"({"id":"new-2","type":"track","name":"export","anon":"a1","ts":)" + later + "}\n");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("accepted":2)"), std::string::npos) << r.body;
  const auto tips = http_request(collector->port(), "GET",
                                 "/v1/reports/tips?from=2026-09-01&to=2026-09-30&format=csv",
                                 {{"Authorization", "Bearer rk"}});
  ASSERT_EQ(tips.status, 200) << tips.body;
  // The old row's tip and feature come from its props; the new row's tip is "".
  EXPECT_NE(tips.body.find("\nt1,export,1,"), std::string::npos) << tips.body;
  EXPECT_NE(tips.body.find("\n,export,1,"), std::string::npos) << tips.body;
  // The rollups were backfilled from the rows stored before them: u3's old use counts beside
  // a1's new one, and the old version and session too.
  auto report = [&](const std::string& name) {
    const auto res =
        http_request(collector->port(), "GET",
                     "/v1/reports/" + name + "?from=2026-09-01&to=2026-09-30&format=csv",
                     {{"Authorization", "Bearer rk"}});
    EXPECT_EQ(res.status, 200) << res.body;
    return res.body;
  };
  EXPECT_NE(report("features").find("\nexport,2,2,"), std::string::npos) << report("features");
  EXPECT_NE(report("releases").find("\n1.0,2026-09-21,1,"), std::string::npos)
      << report("releases");
  EXPECT_EQ(sql("SELECT name FROM system.tables WHERE database = 'old_layout' AND name LIKE "
                "'%days%' ORDER BY name"),
            "actor_days_v2\nactor_days_v2_mv\nfeature_days_v2\nfeature_days_v2_mv\n");
  const std::string overview = report("overview");
  // A backfill cut short (its done-marks lost) runs again at the next start; what it adds a
  // second time changes nothing.
  collector.reset();
  sql("DROP TABLE old_layout.rollups_ready");
  collector = std::make_unique<CollectorProcess>(args);
  EXPECT_NE(report("features").find("\nexport,2,2,"), std::string::npos) << report("features");
  EXPECT_EQ(report("overview"), overview);
  EXPECT_EQ(sql("SELECT count() FROM old_layout.rollups_ready"), "6\n");
}
