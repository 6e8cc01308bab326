// Scale-out for real on one machine: two clickhouse-server processes as a two-shard cluster
// (remote_servers, per-node events_local tables, a Distributed table sharded by install) and
// two collectors writing to it. The simulator's events, sent through both collectors, give
// every report exactly as on a single ClickHouse node and on SQLite.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "clickhouse_server.hpp"
#include "collector_process.hpp"
#include "storage/clickhouse/clickhouse_sql.hpp"
#include "temp_dir.hpp"
#include "uptake_common/json_writer.hpp"

using namespace uptake::test;
using uptake::collector::tsv_rows;

namespace {

std::string json_string(std::string_view s) {
  std::string out;
  uptake::detail::append_json_string(out, s);
  return out;
}

std::string clickhouse(std::uint16_t port, const std::string& sql) {
  const auto r = http_request(port, "POST", "/", {}, sql);
  if (r.status != 200) throw std::runtime_error("clickhouse: " + r.body);
  return r.body;
}

// The stored events of `app` as NDJSON lines (stored times, so no skew is applied again).
std::vector<std::string> export_events(std::uint16_t port, const std::string& database) {
  std::vector<std::string> lines;
  for (auto f : tsv_rows(clickhouse(
           port,
           "SELECT id, type, name, anon, user, ts, session, app_version, props, account FROM " +
               database + ".events WHERE app = 'demo' ORDER BY ts, id FORMAT TabSeparated"))) {
    const char* type = f[1] == "1" ? "identify" : f[1] == "2" ? "group" : "track";
    std::string line = "{\"id\":" + json_string(f[0]) + ",\"type\":\"" + type +
                       "\",\"anon\":" + json_string(f[3]) + ",\"ts\":" + f[5];
    if (!f[9].empty()) line += ",\"account\":" + json_string(f[9]);
    if (!f[2].empty()) line += ",\"name\":" + json_string(f[2]);
    if (!f[4].empty()) line += ",\"user\":" + json_string(f[4]);
    if (!f[6].empty()) line += ",\"session\":" + json_string(f[6]);
    if (!f[7].empty()) line += ",\"app_version\":" + json_string(f[7]);
    if (!f[8].empty()) line += ",\"props\":" + f[8];
    lines.push_back(line + "}");
  }
  return lines;
}

void post_batch(const CollectorProcess& c, const std::vector<std::string>& lines, std::size_t from,
                std::size_t to) {
  std::string body;
  for (std::size_t i = from; i < to; ++i) body += lines[i] + "\n";
  const auto r = http_request(
      c.port(), "POST", "/v1/batch",
      {{"Authorization", "Bearer wk"}, {"Content-Type", "application/x-ndjson"}}, body);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_NE(r.body.find("\"rejected\":[]"), std::string::npos) << r.body;
}

std::string report(const CollectorProcess& c, const std::string& target) {
  const auto r = http_request(c.port(), "GET", target, {{"Authorization", "Bearer rk"}});
  EXPECT_EQ(r.status, 200) << target << ": " << r.body;
  return r.body;
}

// `uptake-collector report ...` (the CLI on the storage itself, no server); its stdout.
std::string report_cli(const std::string& args) {
  const std::string command = std::string(UPTAKE_COLLECTOR_BINARY) + " report " + args;
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  EXPECT_EQ(pclose(pipe), 0) << command;
  return out;
}

std::vector<std::string> collector_args(const std::string& db) {
  return {"--db",
          db,
          "--app",
          "demo:wk:rk",
          "--admin-key",
          "adm",
          "--log-requests",
          "false",
          "--rate-limit-rps",
          "100000",
          "--rate-limit-burst",
          "100000"};
}

}  // namespace

TEST(ClickHouseCluster, TwoShardsAndTwoCollectorsGiveTheSingleNodeReports) {
  ASSERT_TRUE(clickhouse_available())
      << "clickhouse-server is not installed (scripts/test.sh installs it)";
  TempDir dir;
  const std::string config_body = [] {
    std::ifstream in(UPTAKE_NOTES_TIPS_JSON);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }();
  auto put_config = [&](const CollectorProcess& c) {
    const auto r = http_request(c.port(), "PUT", "/v1/config?app=demo",
                                {{"Authorization", "Bearer adm"}}, config_body);
    ASSERT_EQ(r.status, 200) << r.body;
  };

  // 1. The simulator against one ClickHouse node.
  ClickHouseServer single;
  CollectorProcess on_single(collector_args("clickhouse:" + single.url("uptake")));
  put_config(on_single);
  const std::string simulate = std::string(UPTAKE_SIMULATE_BINARY) + " --endpoint " +
                               on_single.url() + " --write-key wk --users 60 --days 21 --seed 5" +
                               " --end-date 2026-10-22 --data " + dir.str("sim") + " > " +
                               dir.str("sim.log") + " 2>&1";
  ASSERT_EQ(std::system(simulate.c_str()), 0) << "see " << dir.str("sim.log");
  std::vector<std::string> lines = export_events(single.http_port(), "uptake");
  ASSERT_GT(lines.size(), 1000u);
  // One person on two devices whose anons sit on different shards, tied after the fact.
  std::vector<std::string> extra;
  for (int d = 0; d < 8; ++d) {
    const std::string anon = "\"dev-" + std::to_string(d) + "\"";
    extra.push_back("{\"id\":\"x-use-" + std::to_string(d) +
                    "\",\"type\":\"track\",\"name\":\"search\",\"anon\":" + anon +
                    ",\"ts\":1792000000000}");
    extra.push_back("{\"id\":\"x-id-" + std::to_string(d) + "\",\"type\":\"identify\",\"anon\":" +
                    anon + ",\"user\":\"alice\",\"ts\":" + std::to_string(1792100000000 + d) + "}");
  }
  post_batch(on_single, extra, 0, extra.size());
  lines.insert(lines.end(), extra.begin(), extra.end());

  // 2. The same events through two collectors into a two-shard cluster, and into SQLite.
  ClickHouseCluster cluster("uptake_cluster", 2);
  auto cluster_args = [&](int node) {
    auto args = collector_args("clickhouse:" + cluster.node(node).url("uptake"));
    args.insert(args.end(), {"--clickhouse-cluster", "uptake_cluster", "--clickhouse-nodes",
                             cluster.node_list()});
    return args;
  };
  CollectorProcess first(cluster_args(0)), second(cluster_args(1));
  CollectorProcess on_sqlite(collector_args("sqlite:" + dir.str("s.db")));
  put_config(first);
  put_config(on_sqlite);
  EXPECT_EQ(http_request(second.port(), "GET", "/v1/config", {{"Authorization", "Bearer wk"}}).body,
            config_body)
      << "a config stored through one collector is served by the other";
  constexpr std::size_t kBatch = 250;
  for (std::size_t i = 0, n = 0; i < lines.size(); i += kBatch, ++n) {
    const std::size_t end = std::min(lines.size(), i + kBatch);
    post_batch(n % 2 ? second : first, lines, i, end);
    post_batch(on_sqlite, lines, i, end);
  }
  // A resend through the other collector is a duplicate, not a second event.
  const auto resend =
      http_request(second.port(), "POST", "/v1/batch",
                   {{"Authorization", "Bearer wk"}, {"Content-Type", "application/x-ndjson"}},
                   lines[0] + "\n" + lines[1] + "\n");
  EXPECT_NE(resend.body.find("\"accepted\":0,\"duplicates\":2"), std::string::npos) << resend.body;

  // Both shards hold part of the data, and together all of it.
  std::int64_t total = 0;
  for (int node = 0; node < 2; ++node) {
    const auto n = std::stoll(
        clickhouse(cluster.node(node).http_port(), "SELECT count() FROM uptake.events_local"));
    EXPECT_GT(n, 0) << "shard " << node << " holds nothing";
    total += n;
    const auto alice =
        std::stoll(clickhouse(cluster.node(node).http_port(),
                              "SELECT count() FROM uptake.events_local WHERE anon LIKE 'dev-%'"));
    EXPECT_GT(alice, 0) << "alice's devices are not spread over both shards";
  }
  EXPECT_EQ(total, static_cast<std::int64_t>(lines.size()));

  auto compare_everything = [&] {
    const std::vector<std::string> windows = {"from=2026-10-01&to=2026-10-21",
                                              "from=2026-10-08&to=2026-10-14",
                                              "from=2026-10-21&to=2026-10-21"};
    // Every report, and every kind of segment (the simulator's accounts, plans, waves and
    // staged release), on the first window.
    const std::vector<std::string> segments = {"", "&account=acct-100", "&trait.plan=pro",
                                               "&account_trait.wave=pilot",
                                               "&version=1.5.0&trait.role=member"};
    for (const std::string& w : windows) {
      for (const std::string name :
           {"overview", "features", "first-action", "stickiness", "tips",
            "funnel?feature=search&adopted_days=2&", "funnel?feature=export_note&", "accounts",
            "champions?limit=10&", "retention", "retention?interval=day&", "trends",
            "trends?interval=week&feature=search&", "releases", "surveys"}) {
        for (const std::string& seg : segments) {
          if (!seg.empty() && w != windows.front()) continue;
          const std::string target =
              "/v1/reports/" + name + (name.find('?') == std::string::npos ? "?" : "") + w + seg;
          const std::string want = report(on_single, target);
          EXPECT_EQ(report(first, target), want) << target;
          EXPECT_EQ(report(second, target), want) << target;
          EXPECT_EQ(report(on_sqlite, target), want) << target;
        }
      }
    }
    const std::string month = "/v1/reports/product-adoption?month=2026-10";
    EXPECT_EQ(report(first, month), report(on_single, month));
    EXPECT_EQ(report(on_sqlite, month), report(on_single, month));
  };
  compare_everything();
  // The CLI reads the same numbers straight from each storage.
  const std::string window = " --app demo --from 2026-10-01 --to 2026-10-21 --format json";
  const std::string features =
      report(on_single, "/v1/reports/features?from=2026-10-01&to=2026-10-21");
  EXPECT_EQ(report_cli("features --db clickhouse:" + single.url("uptake") + window),
            features + "\n");
  EXPECT_EQ(report_cli("features --db clickhouse:" + cluster.node(1).url("uptake") +
                       " --clickhouse-cluster uptake_cluster" + window),
            features + "\n");
  EXPECT_EQ(report_cli("features --db sqlite:" + dir.str("s.db") + window), features + "\n");
  const std::string overview = report(first, "/v1/reports/overview?from=2026-10-01&to=2026-10-21");
  EXPECT_EQ(overview.find("\"active_users\":0,"), std::string::npos) << overview;

  // GDPR delete through one collector reaches every shard.
  for (const CollectorProcess* c : {&on_single, &first, &on_sqlite}) {
    const auto r = http_request(c->port(), "DELETE", "/v1/users/alice?app=demo",
                                {{"Authorization", "Bearer adm"}});
    EXPECT_EQ(r.body, "{\"deleted\":16}") << r.body;
  }
  for (int node = 0; node < 2; ++node) {
    EXPECT_EQ(clickhouse(cluster.node(node).http_port(),
                         "SELECT count() FROM uptake.events_local WHERE anon LIKE 'dev-%'"),
              "0\n");
  }
  compare_everything();
}
