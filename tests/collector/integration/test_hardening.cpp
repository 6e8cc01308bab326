// What a hostile client holding the public write key can try, against the real collector
// binary on loopback: each test is an attack and the behaviour that defeats it.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/mount.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <random>
#include <thread>

#include "collector_process.hpp"
#include "stored_events.hpp"
#include "temp_dir.hpp"
#include "test_receiver.hpp"

using namespace uptake::test;
using namespace std::chrono_literals;

namespace {

std::string event_line(const std::string& id, std::int64_t ts = 1'790'000'000'000,
                       const std::string& name = "export_pdf", const std::string& extra = "") {
  return R"({"id":")" + id + R"(","type":"track","name":")" + name + R"(","anon":"anon-1","ts":)" +
         std::to_string(ts) + extra + "}";
}

class Hardening : public ::testing::Test {
 protected:
  void start(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        "--db", "sqlite:" + db_path(), "--app", "demo:wk:rk", "--admin-key",
        "adm",  "--log-requests",      "false"};
    args.insert(args.end(), extra.begin(), extra.end());
    collector_ = std::make_unique<CollectorProcess>(args);
  }
  std::string db_path() const { return dir_.str("uptake.db"); }
  HttpResult post(const std::string& body,
                  std::vector<std::pair<std::string, std::string>> h = {}) {
    h.emplace_back("Authorization", "Bearer wk");
    return http_request(collector_->port(), "POST", "/v1/batch", h, body);
  }
  HttpResult get(const std::string& target, const std::string& key = "rk") {
    return http_request(collector_->port(), "GET", target, {{"Authorization", "Bearer " + key}});
  }
  static std::string request_head(const std::string& method, const std::string& target,
                                  const std::string& headers) {
    return method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n";
  }
  static simdjson::dom::element parse(simdjson::dom::parser& p, const std::string& body) {
    return p.parse(body);
  }
  // The JSON error body of a raw answer (after its blank line).
  static std::string raw_body(const std::string& raw) {
    const auto at = raw.find("\r\n\r\n");
    return at == std::string::npos ? "" : raw.substr(at + 4);
  }
  static void expect_json_error(const std::string& raw, int status, const std::string& code) {
    EXPECT_TRUE(raw.starts_with("HTTP/1.1 " + std::to_string(status))) << raw.substr(0, 200);
    EXPECT_NE(raw.find("Content-Type: application/json"), std::string::npos) << raw.substr(0, 300);
    EXPECT_NE(raw_body(raw).find("\"error\":\"" + code + "\""), std::string::npos)
        << raw.substr(0, 300);
  }

  TempDir dir_;
  std::unique_ptr<CollectorProcess> collector_;
};

}  // namespace

// 1. A few KB of zstd expanding to millions of bad lines: a bounded answer, bounded memory.
TEST_F(Hardening, ABombOfBadLinesGetsABoundedAnswerAndBoundedMemory) {
  start();
  std::string lines;
  lines.reserve(48u << 20);
  while (lines.size() + 3 <= (48u << 20)) lines += "{}\n";
  const std::string body = zstd_compress(lines);
  ASSERT_LT(body.size(), 64u * 1024);
  const auto r = post(body, {{"Content-Encoding", "zstd"}});
  // Every line parses, so each is a per-line reject of a 200 (PROTOCOL.md).
  EXPECT_EQ(r.status, 200);
  EXPECT_LE(r.body.size(), 64u * 1024) << "answers are bounded whatever the request";
  simdjson::dom::parser p;
  const auto doc = parse(p, r.body);
  EXPECT_EQ(std::int64_t(doc["accepted"]), 0);
  EXPECT_EQ(simdjson::dom::array(doc["rejected"]).size(), 100u);
  EXPECT_EQ(std::int64_t(doc["rejected_total"]), static_cast<std::int64_t>(lines.size() / 3));
  // The same bomb of lines that do not parse: the 400 is bounded as well.
  std::string broken;
  broken.reserve(48u << 20);
  while (broken.size() + 2 <= (48u << 20)) broken += "x\n";
  const auto refused = post(zstd_compress(broken), {{"Content-Encoding", "zstd"}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_LE(refused.body.size(), 64u * 1024);
  const auto refusal = parse(p, refused.body);
  EXPECT_EQ(std::string_view(refusal["error"]), "no_valid_lines");
  EXPECT_EQ(simdjson::dom::array(refusal["rejected"]).size(), 100u);
  EXPECT_EQ(std::int64_t(refusal["rejected_total"]), static_cast<std::int64_t>(broken.size() / 2));
  // The text itself is 48 MiB; the old collector peaked at 2.99 GB on this request.
  EXPECT_LT(collector_->memory_kib("VmHWM"), 400 * 1024);
  // A valid line among many bad ones is stored, and the 200 counts the rest.
  std::string mixed = event_line("good-1") + "\n";
  for (int i = 0; i < 500; ++i) mixed += "{\"id\":1}\n";
  const auto ok = post(mixed);
  ASSERT_EQ(ok.status, 200) << ok.body;
  const auto answer = parse(p, ok.body);
  EXPECT_EQ(std::int64_t(answer["accepted"]), 1);
  EXPECT_EQ(simdjson::dom::array(answer["rejected"]).size(), 100u);
  EXPECT_EQ(std::int64_t(answer["rejected_total"]), 500);
  EXPECT_EQ(std::int64_t(answer["rejected"].at(0)["line"]), 2);
}

// Many large bodies at once: the collector-wide ingest budget answers 503 instead of growing.
TEST_F(Hardening, ConcurrentLargeBodiesStayWithinTheIngestMemoryBudget) {
  start({"--max-ingest-memory-bytes", "96000000", "--max-decompressed-bytes", "20000000",
         "--max-body-bytes", "20000000"});
  std::string lines;
  for (int i = 0; lines.size() < 19'000'000; ++i)
    lines += event_line("big-" + std::to_string(i)) + "\n";
  const std::string body = zstd_compress(lines);
  std::vector<std::future<int>> answers;
  for (int i = 0; i < 6; ++i) {
    answers.push_back(std::async(std::launch::async, [&] {
      return post(body, {{"Content-Encoding", "zstd"}}).status;
    }));
  }
  int ok = 0, overloaded = 0;
  for (auto& a : answers) {
    const int status = a.get();
    ok += status == 200;
    overloaded += status == 503;
    EXPECT_TRUE(status == 200 || status == 503) << status;
  }
  EXPECT_GE(ok, 1);
  EXPECT_EQ(ok + overloaded, 6);
  EXPECT_LT(collector_->memory_kib("VmHWM"), 700 * 1024);
}

// 2. Trailers and chunk extensions live outside the header and body limits: bounded too.
TEST_F(Hardening, ChunkedTrailersAndChunkExtensionsAreBounded) {
  start();
  {
    RawConnection c(collector_->port());
    const std::string line = event_line("t-1");
    ASSERT_TRUE(c.send(request_head("POST", "/v1/batch",
                                    "Authorization: Bearer wk\r\nTransfer-Encoding: chunked\r\n")));
    std::ostringstream chunk;
    chunk << std::hex << line.size() << "\r\n" << line << "\r\n0\r\n";
    ASSERT_TRUE(c.send(chunk.str()));
    // 64 MiB of trailer lines; the collector must stop reading long before.
    const std::string trailer_line = "X-Pad: " + std::string(1000, 'a') + "\r\n";
    std::string block;
    for (int i = 0; i < 1024; ++i) block += trailer_line;
    for (int i = 0; i < 64 && c.send(block); ++i) {
    }
    const std::string answer = c.read_until_closed(10s);
    expect_json_error(answer, 431, "header_too_large");
  }
  {
    RawConnection c(collector_->port());
    ASSERT_TRUE(c.send(request_head("POST", "/v1/batch",
                                    "Authorization: Bearer wk\r\nTransfer-Encoding: chunked\r\n")));
    const std::string extension = "5;ext=" + std::string(2u << 20, 'e') + "\r\nhello\r\n";
    c.send(extension);
    expect_json_error(c.read_until_closed(10s), 431, "header_too_large");
  }
  EXPECT_LT(collector_->memory_kib("VmHWM"), 150 * 1024);
  EXPECT_EQ(get("/healthz").status, 200);
}

// 3. A Transfer-Encoding that does not end in chunked must not turn the body into a request.
TEST_F(Hardening, ATransferEncodingNotEndingInChunkedIsRefusedAndNothingIsSmuggled) {
  start();
  for (const std::string te : {"gzip", "xchunked", "chunked, identity", "identity"}) {
    SCOPED_TRACE(te);
    RawConnection c(collector_->port());
    const std::string smuggled =
        request_head("DELETE", "/v1/users/anon-1?app=demo", "Authorization: Bearer adm\r\n");
    ASSERT_TRUE(
        c.send(request_head("POST", "/v1/batch",
                            "Authorization: Bearer wk\r\nTransfer-Encoding: " + te + "\r\n") +
               smuggled));
    const std::string answer = c.read_until_closed(5s);
    expect_json_error(answer, 400, "bad_transfer_encoding");
    EXPECT_EQ(count_responses(answer), 1) << "the bytes after the headers were run: " << answer;
    EXPECT_TRUE(c.closed());
  }
}

// 4. Reports run on their own bounded pool: health checks are answered while they run, and
// the pool says "busy" rather than queueing without end.
TEST_F(Hardening, ReportsRunOnABoundedPoolBesideHealthChecks) {
  start({"--report-threads", "1", "--report-queue", "1"});
  std::string body;
  for (int i = 0; i < 3000; ++i)
    body += event_line("r-" + std::to_string(i), 1'790'000'000'000 + i * 60'000,
                       "f" + std::to_string(i % 7)) +
            "\n";
  ASSERT_EQ(post(body).status, 200);
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, busy{0}, other{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back([&] {
      while (!stop) {
        const auto r = get("/v1/reports/features?from=2026-09-01&to=2026-09-30");
        if (r.status == 200) {
          ++ok;
        } else if (r.status == 429 && r.headers.count("retry-after")) {
          ++busy;
        } else {
          ++other;
        }
      }
    });
  }
  int health_ok = 0;
  for (int i = 0; i < 50; ++i) health_ok += get("/healthz").status == 200;
  while (busy == 0 && ok < 5000) std::this_thread::sleep_for(1ms);
  stop = true;
  for (auto& t : clients) t.join();
  EXPECT_EQ(health_ok, 50);
  EXPECT_GT(ok, 0);
  EXPECT_GT(busy, 0) << "eight clients on one report thread with one queue slot must overflow";
  EXPECT_EQ(other, 0);
}

// 5. One flooding client cannot use up the budget every install of the app shares.
TEST_F(Hardening, AFloodingClientIsLimitedByItsAddressAndOthersStillGetThrough) {
  start({"--rate-limit-rps", "0.01", "--rate-limit-burst", "20", "--address-rate-limit-rps", "0.01",
         "--address-rate-limit-burst", "5"});
  int flood_ok = 0, flood_limited = 0;
  for (int i = 0; i < 40; ++i) {
    const auto r = http_request_from("127.0.0.2", collector_->port(), "POST", "/v1/batch",
                                     {{"Authorization", "Bearer wk"}},
                                     event_line("flood-" + std::to_string(i)));
    flood_ok += r.status == 200;
    if (r.status == 429) {
      ++flood_limited;
      EXPECT_TRUE(r.headers.count("retry-after"));
    }
  }
  EXPECT_EQ(flood_ok, 5);
  EXPECT_EQ(flood_limited, 35);
  for (int i = 0; i < 5; ++i) {
    const auto r = http_request_from("127.0.0.3", collector_->port(), "POST", "/v1/batch",
                                     {{"Authorization", "Bearer wk"}},
                                     event_line("polite-" + std::to_string(i)));
    EXPECT_EQ(r.status, 200) << "a well-behaved install was starved: " << r.body;
  }
}

// 6. Connections: a cap per address, and the header timeout on every request of a connection.
TEST_F(Hardening, ConnectionsArCappedPerAddressAndEveryRequestHasAHeaderTimeout) {
  start({"--max-connections-per-address", "4", "--header-timeout-ms", "300", "--idle-timeout-ms",
         "60000"});
  {
    std::vector<std::unique_ptr<RawConnection>> held;
    for (int i = 0; i < 4; ++i)
      held.push_back(std::make_unique<RawConnection>(collector_->port(), "127.0.0.2"));
    // Each held connection is accepted before the next one is counted.
    for (auto& c : held) {
      ASSERT_TRUE(c->send(request_head("GET", "/healthz", "")));
      c->read_until("\r\n\r\n", 5s);
    }
    RawConnection fifth(collector_->port(), "127.0.0.2");
    fifth.send(request_head("GET", "/healthz", ""));
    EXPECT_EQ(count_responses(fifth.read_until_closed(5s)), 0);
    EXPECT_TRUE(fifth.closed());
    EXPECT_EQ(http_request_from("127.0.0.3", collector_->port(), "GET", "/healthz").status, 200);
  }
  // A kept-alive connection whose second request stalls in its headers: 408 after the header
  // timeout, not after the idle timeout.
  RawConnection c(collector_->port());
  ASSERT_TRUE(c.send(request_head("GET", "/healthz", "")));
  ASSERT_EQ(count_responses(c.read_until("ok\"}", 5s)), 1);
  ASSERT_TRUE(c.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  const std::string answer = c.read_until_closed(10s);
  EXPECT_TRUE(c.closed()) << "the stalled request was still open after 10 s";
  EXPECT_NE(answer.find("HTTP/1.1 408"), std::string::npos) << answer;
}

// 7. The quota counts the WAL; /healthz says storage is full; writes resume once space is freed.
TEST_F(Hardening, TheQuotaCountsTheWalAndWritesResumeWhenSpaceIsFreed) {
  constexpr std::uint64_t kQuota = 1'500'000;
  start({"--max-db-bytes", std::to_string(kQuota), "--rate-limit-burst", "100000"});
  int batch = 0;
  HttpResult last;
  for (; batch < 2000; ++batch) {
    std::string body;
    for (int i = 0; i < 200; ++i) {
      body += R"({"id":"q-)" + std::to_string(batch) + "-" + std::to_string(i) +
              R"(","type":"track","name":"n)" + std::to_string(i % 50) +
              R"(","anon":"filler","ts":1790000000000,"props":{"pad":")" +
              std::to_string(batch * 7919 + i * 104729) + std::string(100, 'x') + R"("}})" + "\n";
    }
    last = post(body);
    if (last.status != 200) break;
  }
  ASSERT_EQ(last.status, 503) << "the quota was never reached";
  EXPECT_TRUE(last.headers.count("retry-after"));
  std::uintmax_t on_disk = std::filesystem::file_size(db_path());
  if (std::filesystem::exists(db_path() + "-wal"))
    on_disk += std::filesystem::file_size(db_path() + "-wal");
  // One commit may go past the line; the old collector held a 3 MB quota plus a 4.8 MB WAL.
  EXPECT_LT(on_disk, kQuota + 1'000'000);
  const auto health = get("/healthz");
  EXPECT_EQ(health.status, 503);
  EXPECT_NE(health.body.find("storage_full"), std::string::npos) << health.body;
  // Space returns: the filler's events are deleted.
  const auto deleted = http_request(collector_->port(), "DELETE", "/v1/users/filler?app=demo",
                                    {{"Authorization", "Bearer adm"}});
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  HttpResult after;
  for (int i = 0; i < 50; ++i) {
    after = post(event_line("after-" + std::to_string(i)));
    if (after.status == 200) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(get("/healthz").status, 200);
}

// 7b. A real full disk (a small tmpfs): 503 and /healthz 503, then recovery once space returns,
// without a restart.
TEST_F(Hardening, AFullDiskRecoversWithoutARestartOnceSpaceReturns) {
  const auto mnt = dir_.path() / "small-disk";
  std::filesystem::create_directories(mnt);
  if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=6m") != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs here (needs CAP_SYS_ADMIN): " << std::strerror(errno);
  }
  struct Unmount {
    std::filesystem::path p;
    ~Unmount() { ::umount2(p.c_str(), MNT_DETACH); }
  } unmount{mnt};
  {  // ballast to free later
    std::ofstream ballast(mnt / "ballast", std::ios::binary);
    ballast << std::string(2u << 20, 'b');
  }
  collector_ = std::make_unique<CollectorProcess>(
      std::vector<std::string>{"--db", "sqlite:" + (mnt / "u.db").string(), "--app", "demo:wk:rk",
                               "--log-requests", "false", "--rate-limit-burst", "100000"});
  HttpResult last;
  std::mt19937_64 rng(11);
  for (int batch = 0; batch < 2000; ++batch) {
    std::string body;
    for (int i = 0; i < 200; ++i) {
      // Random padding: storage compresses, and the disk must fill whatever the WAL does.
      std::string pad(300, 'a');
      for (char& c : pad) c = static_cast<char>('a' + rng() % 26);
      body += R"({"id":"d-)" + std::to_string(batch) + "-" + std::to_string(i) +
              R"(","type":"track","name":"n","anon":"a","ts":1790000000000,"props":{"pad":")" +
              pad + R"("}})" + "\n";
    }
    last = post(body);
    if (last.status != 200) break;
  }
  ASSERT_EQ(last.status, 503) << "the disk never filled";
  EXPECT_EQ(get("/healthz").status, 503);
  std::filesystem::remove(mnt / "ballast");
  HttpResult after;
  for (int i = 0; i < 50; ++i) {
    after = post(event_line("after-" + std::to_string(i)));
    if (after.status == 200) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(get("/healthz").status, 200);
  collector_->stop(SIGTERM);
}

// 8. Times at the edges of int64 are refused, never wrapped.
TEST_F(Hardening, TimesAndClockHeadersOutOfRangeAreRefusedNotWrapped) {
  start();
  auto r = post(event_line("s-1"), {{"Uptake-Sent-At", "-9223372036854775808"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("bad_sent_at"), std::string::npos) << r.body;
  EXPECT_EQ(post(event_line("s-2"), {{"Uptake-Sent-At", "12abc"}}).status, 400);
  r = post(event_line("big", 9'223'372'036'854'775'807) + "\n" + event_line("neg", -5) + "\n" +
           event_line("fine"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("accepted":1)"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("rejected_total":2)"), std::string::npos) << r.body;
  // In range, but a skew correction would push it out of range.
  r = post(event_line("late", 253'402'300'799'000),
           {{"Uptake-Sent-At", "1000"}});  // the client's clock is 56 years behind
  ASSERT_EQ(r.status, 200) << r.body;      // the line parses: a per-line reject
  EXPECT_NE(r.body.find(R"("accepted":0)"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("ts is out of range once corrected"), std::string::npos) << r.body;
  EXPECT_EQ(stored_events_int(db_path(),
                              "SELECT count(*) FROM events WHERE ts < 0 OR ts > "
                              "253402300799999"),
            0);
}

// 9. A percent escape is '%' and exactly two hex digits; anything else is a 400.
TEST_F(Hardening, MalformedPercentEscapesAre400) {
  start();
  for (const std::string bad :
       {"/v1/reports/overview?from=%-0", "/v1/reports/overview?from=%4", "/v1/reports/over%zzview",
        "/v1/reports/overview?to=%00", "/v1/reports/overview?x=%"}) {
    SCOPED_TRACE(bad);
    const auto r = get(bad);
    EXPECT_EQ(r.status, 400) << r.body;
  }
  EXPECT_EQ(http_request(collector_->port(), "DELETE", "/v1/users/%-1?app=demo",
                         {{"Authorization", "Bearer adm"}})
                .status,
            400);
  EXPECT_EQ(get("/v1/reports/%6fverview").status, 200);  // a good escape still works
}

// 10. CSV cells that a spreadsheet would run are neutralised; NUL never comes out.
TEST_F(Hardening, CsvCellsCannotInjectFormulas) {
  start();
  std::string body;
  int n = 0;
  for (const std::string name : {R"(=HYPERLINK(\"http://evil\",\"x\"))", "+cmd", "-2+3", "@SUM(A1)",
                                 "\\tlead", "nul\\u0000x"}) {
    body += event_line("c-" + std::to_string(n++), 1'790'000'000'000, name) + "\n";
  }
  ASSERT_EQ(post(body).status, 200);
  const auto csv = get("/v1/reports/features?from=2026-09-01&to=2026-09-30&format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.find('\0'), std::string::npos);
  std::istringstream lines(csv.body);
  std::string line;
  std::getline(lines, line);  // header
  int rows = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line == "\r") continue;
    ++rows;
    const char first = line[0] == '"' ? line[1] : line[0];
    EXPECT_EQ(std::string("=+-@\t\r").find(first), std::string::npos) << line;
  }
  EXPECT_EQ(rows, 6);
}

// 11. TLS 1.2 offers only forward-secret AEAD suites.
TEST_F(Hardening, TlsOffersOnlyEcdheWithAeadCiphers) {
  const auto cert = make_test_certificate(dir_.path() / "tls");
  start({"--tls-cert", cert.cert_file.string(), "--tls-key", cert.key_file.string()});
  // Whether a handshake with these client settings completes (s_client -brief says so once
  // it has; what happens after, when the collector drops the non-HTTP input, does not matter).
  auto handshake = [&](const std::string& args) {
    const std::string cmd = "echo | timeout 10 openssl s_client -brief -connect 127.0.0.1:" +
                            std::to_string(collector_->port()) + " " + args + " 2>&1";
    std::string out;
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
      char buf[4096];
      while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
      ::pclose(p);
    }
    return out.find("CONNECTION ESTABLISHED") != std::string::npos;
  };
  // The test certificate has a P-256 key, so the ECDSA suites are the ones that can work.
  for (const std::string weak :
       {"AES128-SHA", "AES256-SHA256", "ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA384",
        "ECDHE-ECDSA-AES128-SHA256", "AES128-GCM-SHA256"}) {
    EXPECT_FALSE(handshake("-tls1_2 -cipher " + weak)) << weak << " was accepted";
  }
  EXPECT_TRUE(handshake("-tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256"));
  EXPECT_TRUE(handshake("-tls1_2 -cipher ECDHE-ECDSA-CHACHA20-POLY1305"));
  EXPECT_TRUE(handshake("-tls1_3"));
  EXPECT_FALSE(handshake("-tls1_1"));
}

// 12. HTTP hygiene: every refusal is answered in PROTOCOL.md's shape before the close.
TEST_F(Hardening, MalformedOversizedAndSlowRequestsAreAnsweredBeforeTheClose) {
  start({"--body-timeout-ms", "400"});
  {
    RawConnection c(collector_->port());
    c.send("GET /healthz HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n");
    expect_json_error(c.read_until_closed(5s), 400, "bad_request");
  }
  {
    RawConnection c(collector_->port());
    c.send("GET /healthz HTTP/1.1\r\nX-Big: " + std::string(20'000, 'h') + "\r\n\r\n");
    expect_json_error(c.read_until_closed(5s), 431, "header_too_large");
  }
  {
    RawConnection c(collector_->port());
    c.send(
        request_head("POST", "/v1/batch", "Authorization: Bearer wk\r\nContent-Length: 1000\r\n") +
        "{\"id\":");
    expect_json_error(c.read_until_closed(5s), 408, "request_timeout");
  }
  {  // Expect: 100-continue is answered before the body is sent.
    RawConnection c(collector_->port());
    const std::string line = event_line("cont-1");
    c.send(request_head("POST", "/v1/batch",
                        "Authorization: Bearer wk\r\nExpect: 100-continue\r\nContent-Length: " +
                            std::to_string(line.size()) + "\r\n"));
    const std::string interim = c.read_until("\r\n\r\n", 5s);
    EXPECT_TRUE(interim.starts_with("HTTP/1.1 100 Continue")) << interim;
    c.send(line);
    const std::string answer = c.read_until("\"rejected_total\":0}", 5s);
    EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos) << answer;
  }
  {  // ... and a refusal is answered without waiting for a body that will not come.
    RawConnection c(collector_->port());
    c.send(request_head("POST", "/v1/batch",
                        "Authorization: Bearer nope\r\nExpect: 100-continue\r\nContent-Length: "
                        "100\r\n"));
    expect_json_error(c.read_until("}", 5s), 401, "unauthorized");
  }
}

TEST_F(Hardening, BigNumbersInPropsAndABomOnLineOneAreAccepted) {
  start();
  const std::string big = R"(,"props":{"order":123456789012345678901234567890,"f":1e400,"n":-0.5})";
  const auto r = post("\xEF\xBB\xBF" + event_line("bom-1", 1'790'000'000'000, "export_pdf", big) +
                      "\n" + event_line("bom-2"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("accepted":2)"), std::string::npos) << r.body;
  const auto props = stored_events_text(db_path(), "SELECT props FROM events WHERE id = 'bom-1'");
  EXPECT_EQ(props, R"({"order":123456789012345678901234567890,"f":1e400,"n":-0.5})");
}
