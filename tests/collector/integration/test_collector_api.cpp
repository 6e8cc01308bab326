// Black-box tests of the collector binary: every status of PROTOCOL.md from the input that
// should produce it, against a real process on loopback and a real SQLite file.
#include <gtest/gtest.h>
#include <signal.h>
#include <simdjson.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "collector_process.hpp"
#include "stored_events.hpp"
#include "temp_dir.hpp"

using namespace uptake::test;

namespace {

std::string event_line(const std::string& id, const std::string& name = "export_pdf",
                       const std::string& anon = "anon-1", std::int64_t ts = 1'700'000'000'000,
                       const std::string& extra = "") {
  return R"({"id":")" + id + R"(","type":"track","name":")" + name + R"(","anon":")" + anon +
         R"(","ts":)" + std::to_string(ts) + extra + "}";
}

class Collector : public ::testing::Test {
 protected:
  void start(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        "--db",  "sqlite:" + db_path(),     "--app",       "demo:wk_demo:rk_demo",
        "--app", "other:wk_other:rk_other", "--admin-key", "adm"};
    args.insert(args.end(), extra.begin(), extra.end());
    collector_ = std::make_unique<CollectorProcess>(args);
  }
  std::string db_path() const { return dir_.str("uptake.db"); }

  HttpResult post_batch(const std::string& body,
                        std::vector<std::pair<std::string, std::string>> headers = {},
                        const std::string& key = "wk_demo") {
    headers.emplace_back("Authorization", "Bearer " + key);
    if (std::none_of(headers.begin(), headers.end(),
                     [](auto& h) { return h.first == "Content-Type"; })) {
      headers.emplace_back("Content-Type", "application/x-ndjson");
    }
    return http_request(collector_->port(), "POST", "/v1/batch", headers, body);
  }

  std::int64_t query_int(const std::string& sql) const { return stored_events_int(db_path(), sql); }

  static void expect_error_shape(const HttpResult& r, int status, const std::string& code = "") {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.headers.count("content-type") ? r.headers.at("content-type") : "",
              "application/json");
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(r.body).get(doc), simdjson::SUCCESS) << r.body;
    std::string_view error, message;
    EXPECT_EQ(doc["error"].get(error), simdjson::SUCCESS);
    EXPECT_EQ(doc["message"].get(message), simdjson::SUCCESS);
    EXPECT_FALSE(message.empty());
    if (!code.empty()) {
      EXPECT_EQ(error, code);
    }
  }

  TempDir dir_;
  std::unique_ptr<CollectorProcess> collector_;
};

}  // namespace

TEST_F(Collector, StoresValidLinesAndRejectsTheRestWithLineNumbers) {
  start();
  const std::string body = event_line("e1") + "\n" +
                           R"({"id":"e2","type":"track","anon":"a","ts":1})" + "\nnot json\n\n" +
                           event_line("e3") + "\n" +
                           R"({"id":"e4","type":"track","name":"x","anon":"a","ts":1.5})" + "\n";
  const HttpResult r = post_batch(body);
  ASSERT_EQ(r.status, 200) << r.body;
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(r.body);
  EXPECT_EQ(std::int64_t(doc["accepted"]), 2);
  EXPECT_EQ(std::int64_t(doc["duplicates"]), 0);
  simdjson::dom::array rejected = doc["rejected"];
  ASSERT_EQ(rejected.size(), 3u);
  std::vector<std::int64_t> lines;
  for (auto x : rejected) lines.push_back(std::int64_t(x["line"]));
  EXPECT_EQ(lines, (std::vector<std::int64_t>{2, 3, 6}));
  EXPECT_EQ(query_int("SELECT count(*) FROM events WHERE app='demo'"), 2);
}

TEST_F(Collector, AResentEventIsADuplicateWithinAndAcrossBatches) {
  start();
  const std::string body =
      event_line("d1") + "\n" + event_line("d2") + "\n" + event_line("d1") + "\n";
  auto r = post_batch(zstd_compress(body), {{"Content-Encoding", "zstd"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"("accepted":2,"duplicates":1)"), std::string::npos) << r.body;
  r = post_batch(body);
  EXPECT_NE(r.body.find(R"("accepted":0,"duplicates":3)"), std::string::npos) << r.body;
  // The same id in another app is another event.
  r = post_batch(event_line("d1"), {}, "wk_other");
  EXPECT_NE(r.body.find(R"("accepted":1,"duplicates":0)"), std::string::npos) << r.body;
  EXPECT_EQ(query_int("SELECT count(*) FROM events"), 3);
}

TEST_F(Collector, KeysAreCheckedPerRoute) {
  start();
  expect_error_shape(http_request(collector_->port(), "POST", "/v1/batch", {}, event_line("k1")),
                     401, "unauthorized");
  expect_error_shape(post_batch(event_line("k1"), {}, "nope"), 401, "unauthorized");
  expect_error_shape(post_batch(event_line("k1"), {}, "rk_demo"), 403, "forbidden");
  expect_error_shape(post_batch(event_line("k1"), {}, "adm"), 403, "forbidden");
  expect_error_shape(http_request(collector_->port(), "DELETE", "/v1/users/u?app=demo",
                                  {{"Authorization", "Bearer wk_demo"}}),
                     403, "forbidden");
  expect_error_shape(http_request(collector_->port(), "PUT", "/v1/config?app=demo",
                                  {{"Authorization", "Bearer wk_demo"}}, "{}"),
                     403, "forbidden");
  expect_error_shape(http_request(collector_->port(), "GET", "/v1/nothing"), 404);
  EXPECT_EQ(query_int("SELECT count(*) FROM events"), 0);
}

TEST_F(Collector, OversizedBodiesAreRefusedBeforeAndWhileDecoding) {
  start({"--max-body-bytes", "1000", "--max-decompressed-bytes", "100000"});
  expect_error_shape(post_batch(std::string(5000, ' ')), 413, "payload_too_large");
  // A zstd bomb: 2 MB of one byte compresses to a few hundred bytes.
  const std::string bomb = zstd_compress(std::string(2'000'000, 'a'));
  ASSERT_LT(bomb.size(), 1000u);
  expect_error_shape(post_batch(bomb, {{"Content-Encoding", "zstd"}}), 413, "payload_too_large");
  // The collector is still fine afterwards.
  EXPECT_EQ(post_batch(event_line("after-bomb")).status, 200);
}

TEST_F(Collector, UnsupportedEncodingsAndTypesGet415) {
  start();
  expect_error_shape(post_batch(event_line("g1"), {{"Content-Encoding", "gzip"}}), 415);
  expect_error_shape(post_batch(event_line("g1"), {{"Content-Type", "text/html"}}), 415);
  EXPECT_EQ(query_int("SELECT count(*) FROM events"), 0);
}

TEST_F(Collector, UndecodableBodiesGet400) {
  start();
  expect_error_shape(post_batch("\x28\xb5\x2f\xfd garbage", {{"Content-Encoding", "zstd"}}), 400,
                     "bad_compression");
  expect_error_shape(post_batch(event_line("u1", "caf\xe9")), 400, "invalid_utf8");
  expect_error_shape(post_batch("nothing\nparses {here\n"), 400, "no_valid_lines");
  expect_error_shape(post_batch(""), 400, "empty_batch");
  EXPECT_EQ(query_int("SELECT count(*) FROM events"), 0);
}

TEST_F(Collector, DeeplyNestedJsonIsRejectedWithoutHarm) {
  start();
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::string body =
      event_line("n1") + "\n" +
      R"({"id":"n2","type":"track","name":"x","anon":"a","ts":1,"props":{"p":)" + deep + "}}\n" +
      event_line("n3") + "\n";
  const HttpResult r = post_batch(body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("accepted":2)"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("line":2)"), std::string::npos) << r.body;
}

TEST_F(Collector, PerKeyRateLimitAnswers429WithRetryAfter) {
  start({"--rate-limit-rps", "0.5", "--rate-limit-burst", "2", "--address-rate-limit-rps", "100",
         "--address-rate-limit-burst", "100"});
  EXPECT_EQ(post_batch(event_line("r1")).status, 200);
  EXPECT_EQ(post_batch(event_line("r2")).status, 200);
  const HttpResult r = post_batch(event_line("r3"));
  expect_error_shape(r, 429, "rate_limited");
  ASSERT_TRUE(r.headers.count("retry-after"));
  EXPECT_GE(std::stoi(r.headers.at("retry-after")), 1);
  // Another key has its own bucket.
  EXPECT_EQ(post_batch(event_line("r4"), {}, "wk_other").status, 200);
  EXPECT_EQ(query_int("SELECT count(*) FROM events WHERE id='r3'"), 0);
}

TEST_F(Collector, StorageTroubleAnswers503AndAcknowledgesNothing) {
  start({"--max-db-bytes", "200000"});
  ASSERT_EQ(post_batch(event_line("before")).status, 200);
  // Random padding: storage compresses, and this batch must not fit even then.
  std::mt19937_64 rng(3);
  std::string big;
  for (int i = 0; i < 3000; ++i) {
    std::string pad;
    for (int c = 0; c < 200; ++c) pad += static_cast<char>('a' + rng() % 26);
    big += event_line("big-" + std::to_string(i), "feature", "anon", 1,
                      R"(,"props":{"pad":")" + pad + R"("})") +
           "\n";
  }
  const HttpResult r = post_batch(big);
  expect_error_shape(r, 503, "storage_unavailable");
  ASSERT_TRUE(r.headers.count("retry-after"));
  EXPECT_EQ(query_int("SELECT count(*) FROM events WHERE id LIKE 'big-%'"), 0);
  EXPECT_EQ(query_int("SELECT count(*) FROM events"), 1);
  // Smaller batches still fit: earlier acknowledged data stays intact.
  EXPECT_EQ(post_batch(event_line("small")).status, 200);
  EXPECT_EQ(query_int("SELECT count(*) FROM events"), 2);
  // The failed transaction also dropped the report counts waiting in memory (the delay is
  // long, so "before" was still pending); they are recovered from the stored events.
  const auto overview =
      http_request(collector_->port(), "GET", "/v1/reports/overview?from=2023-11-14&to=2023-11-14",
                   {{"Authorization", "Bearer rk_demo"}});
  EXPECT_NE(overview.body.find(R"("events":2)"), std::string::npos) << overview.body;
}

TEST_F(Collector, SkewCorrectionAppliesOnlyBeyondTwoMinutes) {
  start();
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  // Client clock one hour behind: its events are moved forward by about an hour.
  ASSERT_EQ(post_batch(event_line("s1", "f", "a", 1'000'000),
                       {{"Uptake-Sent-At", std::to_string(now - 3'600'000)}})
                .status,
            200);
  // Sixty seconds off is within the threshold: unchanged.
  ASSERT_EQ(post_batch(event_line("s2", "f", "a", 1'000'000),
                       {{"Uptake-Sent-At", std::to_string(now - 60'000)}})
                .status,
            200);
  const auto s1 = query_int("SELECT ts FROM events WHERE id='s1'");
  EXPECT_NEAR(static_cast<double>(s1), 1'000'000 + 3'600'000, 10'000);
  EXPECT_EQ(query_int("SELECT client_ts FROM events WHERE id='s1'"), 1'000'000);
  EXPECT_EQ(query_int("SELECT ts FROM events WHERE id='s2'"), 1'000'000);
}

// `uptake-collector export ARGS`: exit status and stdout.
std::pair<int, std::string> export_cli(const std::string& args) {
  const std::string command = std::string(UPTAKE_COLLECTOR_BINARY) + " export " + args;
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST_F(Collector, ExportWritesEveryStoredEventAsNdjson) {
  start();
  const std::string props = R"(,"props":{"q":"line\nbreak \"quoted\" ünï","n":-3,"ok":true})";
  ASSERT_EQ(post_batch(event_line("x1", "export_pdf", "anon-1", 1'700'000'000'000, props) + "\n" +
                       R"({"id":"x2","type":"identify","anon":"anon-1","user":"u-7",)"
                       R"("ts":1700000000500,"session":"s-1","app_version":"2.0"})")
                .status,
            200);
  ASSERT_EQ(post_batch(event_line("y1"), {}, "wk_other").status, 200);
  auto check = [&](const std::string& out) {
    std::vector<std::string> lines;
    for (std::size_t at = 0; at < out.size();) {
      const std::size_t end = out.find('\n', at);
      lines.push_back(out.substr(at, end - at));
      at = end + 1;
    }
    ASSERT_EQ(lines.size(), 2u) << out;
    simdjson::dom::parser parser;
    simdjson::dom::element first = parser.parse(lines[0]);
    EXPECT_EQ(std::string_view(first["app"]), "demo");
    EXPECT_EQ(std::string_view(first["id"]), "x1");
    EXPECT_EQ(std::string_view(first["type"]), "track");
    EXPECT_EQ(std::string_view(first["name"]), "export_pdf");
    EXPECT_EQ(std::string_view(first["props"]["q"]), "line\nbreak \"quoted\" ünï");
    EXPECT_EQ(std::int64_t(first["props"]["n"]), -3);
    EXPECT_EQ(std::int64_t(first["ts"]), 1'700'000'000'000);
    EXPECT_EQ(std::int64_t(first["client_ts"]), 1'700'000'000'000);
    EXPECT_GT(std::int64_t(first["received_at"]), 1'700'000'000'000);
    simdjson::dom::element second = parser.parse(lines[1]);
    EXPECT_EQ(std::string_view(second["type"]), "identify");
    EXPECT_EQ(std::string_view(second["user"]), "u-7");
    EXPECT_EQ(std::string_view(second["session"]), "s-1");
    EXPECT_EQ(std::string_view(second["app_version"]), "2.0");
    EXPECT_TRUE(second["name"].error());  // absent, not empty
  };
  // Beside the running collector (read-only), and on its own after it stopped.
  auto [code, out] = export_cli("--db sqlite:" + db_path() + " --app demo");
  EXPECT_EQ(code, 0);
  check(out);
  collector_->stop(SIGTERM);
  std::tie(code, out) = export_cli("--db sqlite:" + db_path() + " --app demo");
  EXPECT_EQ(code, 0);
  check(out);
  std::tie(code, out) = export_cli("--db sqlite:" + db_path());
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 3);  // every app
  EXPECT_EQ(export_cli("--db clickhouse:http://127.0.0.1:1/x").first, 2);
}

TEST_F(Collector, ConfigHasAStrongEtagAndAdminReplacesIt) {
  start();
  const std::vector<std::pair<std::string, std::string>> wk = {{"Authorization", "Bearer wk_demo"}};
  HttpResult r = http_request(collector_->port(), "GET", "/v1/config", wk);
  ASSERT_EQ(r.status, 200);
  const std::string etag = r.headers["etag"];
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(etag.front(), '"');
  auto with_inm = wk;
  with_inm.emplace_back("If-None-Match", etag);
  EXPECT_EQ(http_request(collector_->port(), "GET", "/v1/config", with_inm).status, 304);

  const std::vector<std::pair<std::string, std::string>> adm = {{"Authorization", "Bearer adm"}};
  const std::string bad = R"({"tips":[{"id":"t","feature":"f","holdout_pct":150}]})";
  r = http_request(collector_->port(), "PUT", "/v1/config?app=demo", adm, bad);
  expect_error_shape(r, 400, "invalid_config");
  EXPECT_NE(r.body.find("holdout_pct"), std::string::npos);
  const std::string good =
      R"({"key_actions":["export_pdf"],"tips":[{"id":"tip-1","feature":"export_pdf","title":"Export","body":"Ctrl+E","when":{"min_sessions":3},"holdout_pct":10}],"limits":{"max_tips_per_session":1}})";
  r = http_request(collector_->port(), "PUT", "/v1/config?app=demo", adm, good);
  ASSERT_EQ(r.status, 200) << r.body;
  r = http_request(collector_->port(), "GET", "/v1/config", with_inm);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, good);
  EXPECT_NE(r.headers["etag"], etag);
  // Another app's config is untouched.
  r = http_request(collector_->port(), "GET", "/v1/config", {{"Authorization", "Bearer wk_other"}});
  EXPECT_EQ(r.headers["etag"], etag);
}

TEST_F(Collector, DeletingAPersonRemovesTheirUserAndTiedAnonEvents) {
  start();
  const std::string body = event_line("p1", "f", "dev-1") + "\n" +  // anon later tied to alice
                           R"({"id":"p2","type":"identify","anon":"dev-1","user":"alice","ts":5})" +
                           "\n" + event_line("p3", "f", "dev-2", 6, R"(,"user":"alice")") +
                           "\n" +                                   // alice on another device
                           event_line("p4", "f", "dev-3") + "\n" +  // someone else
                           event_line("p5", "f", "dev-4", 7, R"(,"user":"bob")") + "\n";
  ASSERT_EQ(post_batch(body).status, 200);
  const HttpResult r = http_request(collector_->port(), "DELETE", "/v1/users/alice?app=demo",
                                    {{"Authorization", "Bearer adm"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"deleted":3})");
  EXPECT_EQ(query_int("SELECT count(*) FROM events WHERE app='demo'"), 2);
  EXPECT_EQ(query_int("SELECT count(*) FROM events WHERE anon='dev-1' OR user='alice'"), 0);
  expect_error_shape(http_request(collector_->port(), "DELETE", "/v1/users/alice?app=nosuch",
                                  {{"Authorization", "Bearer adm"}}),
                     404);
}

TEST_F(Collector, HealthAndMetricsAnswerWithoutAKey) {
  start();
  ASSERT_EQ(post_batch(event_line("m1") + "\nbad\n").status, 200);
  EXPECT_EQ(http_request(collector_->port(), "GET", "/healthz").status, 200);
  const HttpResult m = http_request(collector_->port(), "GET", "/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.body.find(R"(uptake_requests_total{route="/v1/batch",status="200"} 1)"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find(R"(uptake_events_total{outcome="accepted"} 1)"), std::string::npos);
  EXPECT_NE(m.body.find(R"(uptake_events_total{outcome="rejected"} 1)"), std::string::npos);
  EXPECT_NE(m.body.find("uptake_ingest_latency_seconds_bucket"), std::string::npos);
  EXPECT_NE(m.body.find("uptake_storage_queue_depth"), std::string::npos);
}

TEST_F(Collector, AnAcknowledgedBatchSurvivesSigkill) {
  start();
  std::string body;
  for (int i = 0; i < 1000; ++i) body += event_line("k-" + std::to_string(i)) + "\n";
  ASSERT_EQ(post_batch(body).status, 200);
  collector_->stop(SIGKILL);
  EXPECT_EQ(query_int("SELECT count(*) FROM events"), 1000);
}

TEST_F(Collector, SigtermDrainsAndExitsZero) {
  start();
  ASSERT_EQ(post_batch(event_line("t1")).status, 200);
  const int status = collector_->stop(SIGTERM);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(query_int("SELECT count(*) FROM events"), 1);
}

TEST_F(Collector, ASecondCollectorOnTheSameDatabaseIsRefused) {
  start();
  auto [code, out] = run_collector_to_exit(
      {"--listen", "127.0.0.1:0", "--db", "sqlite:" + db_path(), "--app", "demo:wk_demo:rk_demo"});
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("in use by another uptake-collector"), std::string::npos) << out;
  // The first one is unharmed, and the file is free again once it stops.
  EXPECT_EQ(post_batch(event_line("still-1")).status, 200);
  collector_->stop(SIGTERM);
  start();
  EXPECT_EQ(post_batch(event_line("still-2")).status, 200);
}

TEST(CollectorFlags, BadOptionsExitNonZeroWithAReason) {
  auto [code, out] = run_collector_to_exit({"--listen", "127.0.0.1:0", "--db", "sqlite:/tmp/x.db"});
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("--app"), std::string::npos) << out;
  std::tie(code, out) = run_collector_to_exit({"--bogus", "1"});
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("unknown option --bogus"), std::string::npos) << out;
  std::tie(code, out) = run_collector_to_exit({"--app", "a:b:c", "--db", "postgres://x"});
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("--db"), std::string::npos) << out;
  std::tie(code, out) = run_collector_to_exit({"--help"});
  EXPECT_EQ(code, 0);
}

TEST(CollectorFlags, AConfigFileWorksAndFlagsWinOverIt) {
  TempDir dir;
  const std::string config = dir.str("uptake.json");
  {
    std::ofstream out(config);
    out << R"({"db": "sqlite:)" << dir.str("from-file.db") << R"(", "admin-key": "file-admin",
              "apps": [{"name": "filed", "write_key": "wk_file", "read_key": "rk_file"}],
              "max-body-bytes": 100})";
  }
  // The file's app and admin key, with the body limit overridden on the command line.
  CollectorProcess collector({"--config", config, "--max-body-bytes", "100000"});
  const std::string line = R"({"id":"f1","type":"track","name":"x","anon":"a","ts":1})";
  const auto r = http_request(collector.port(), "POST", "/v1/batch",
                              {{"Authorization", "Bearer wk_file"}}, line + std::string(500, ' '));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(http_request(collector.port(), "GET", "/v1/config?app=filed",
                         {{"Authorization", "Bearer file-admin"}})
                .status,
            200);
  EXPECT_TRUE(std::filesystem::exists(dir.str("from-file.db")));
  // A broken file is a one-line error and a non-zero exit.
  { std::ofstream(config) << "{not json"; }
  auto [code, out] = run_collector_to_exit({"--config", config});
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("--config"), std::string::npos) << out;
}
