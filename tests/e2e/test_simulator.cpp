// The simulator as the demo runs it: its events through the real SDK into a real collector,
// checked for what the reports depend on: each install's clock only moving forward, accounts
// joined with group(), a staged release, first actions that take time.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "collector_process.hpp"
#include "temp_dir.hpp"

using namespace uptake::test;

namespace {

std::string run(const std::string& command) {
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[65536];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    ::pclose(p);
  }
  return out;
}

}  // namespace

TEST(Simulator, EachInstallsClockMovesForwardAndAccountsReportHealth) {
  TempDir dir;
  const std::string db = dir.str("sim.db");
  {
    CollectorProcess collector({"--db", "sqlite:" + db, "--app", "demo:wk:rk", "--admin-key", "adm",
                                "--log-requests", "false", "--rate-limit-rps", "100000",
                                "--rate-limit-burst", "100000"});
    // The notes app's config, as the demo sets it: its key actions are the report's rows.
    std::ifstream tips(UPTAKE_NOTES_TIPS_JSON);
    const std::string config((std::istreambuf_iterator<char>(tips)),
                             std::istreambuf_iterator<char>());
    ASSERT_EQ(http_request(collector.port(), "PUT", "/v1/config?app=demo",
                           {{"Authorization", "Bearer adm"}}, config)
                  .status,
              200);
    const std::string simulate = std::string(UPTAKE_SIMULATE_BINARY) + " --endpoint " +
                                 collector.url() + " --write-key wk --users 80 --days 21" +
                                 " --seed 5 --data " + dir.str("installs") + " > " +
                                 dir.str("sim.log") + " 2>&1";
    ASSERT_EQ(std::system(simulate.c_str()), 0) << "see " << dir.str("sim.log");
    const auto accounts = http_request(collector.port(), "GET", "/v1/reports/accounts",
                                       {{"Authorization", "Bearer rk"}});
    ASSERT_EQ(accounts.status, 200) << accounts.body;
    simdjson::dom::parser parser;
    const simdjson::dom::array rows = parser.parse(accounts.body)["rows"];
    EXPECT_GE(rows.size(), 2u) << accounts.body;
    const auto first_action = http_request(collector.port(), "GET", "/v1/reports/first-action",
                                           {{"Authorization", "Bearer rk"}});
    simdjson::dom::parser p2;
    std::int64_t with_time = 0, rows_seen = 0;
    for (auto row : simdjson::dom::array(p2.parse(first_action.body)["rows"])) {
      ++rows_seen;
      with_time += std::int64_t(row["device_p50_ms"]) > 0;
    }
    EXPECT_EQ(with_time, rows_seen)
        << "on-device first-action times should not be 0: " << first_action.body;
    // Surveys are answered, and satisfaction follows account health: not one score for all.
    const auto surveys = http_request(collector.port(), "GET", "/v1/reports/surveys",
                                      {{"Authorization", "Bearer rk"}});
    ASSERT_EQ(surveys.status, 200) << surveys.body;
    simdjson::dom::parser p3;
    std::map<std::string, std::int64_t> answered;
    for (auto row : simdjson::dom::array(p3.parse(surveys.body)["rows"]))
      answered[std::string(std::string_view(row["survey"]))] = std::int64_t(row["answered"]);
    EXPECT_GT(answered["nps-notes"], 0) << surveys.body;
    std::set<double> account_nps;
    for (auto account : rows) {
      const std::string id{std::string_view(account["account"])};
      const auto of_account =
          http_request(collector.port(), "GET", "/v1/reports/surveys?account=" + id,
                       {{"Authorization", "Bearer rk"}});
      ASSERT_EQ(of_account.status, 200) << of_account.body;
      simdjson::dom::parser p4;
      for (auto row : simdjson::dom::array(p4.parse(of_account.body)["rows"])) {
        if (std::string_view(row["survey"]) == "nps-notes" && std::int64_t(row["answered"]) > 0)
          account_nps.insert(double(row["nps"]));
      }
    }
    EXPECT_GE(account_nps.size(), 2u) << "every account answered alike";
    collector.stop(SIGTERM);
  }
  // Recording order is the id's counter (its last 32 bits) within one run of one install.
  const std::string exported =
      run(std::string(UPTAKE_COLLECTOR_BINARY) + " export --db sqlite:" + db + " --app demo");
  std::map<std::string, std::vector<std::pair<std::uint64_t, std::int64_t>>> runs;
  std::set<std::string> versions, accounts_joined;
  std::size_t events = 0;
  simdjson::dom::parser parser;
  for (auto doc : parser.parse_many(exported)) {
    const std::string_view id = doc["id"];
    const std::string_view anon = doc["anon"];
    const std::string_view type = doc["type"];
    std::string_view version;
    if (!doc["app_version"].get(version)) versions.insert(std::string(version));
    if (type == "group") accounts_joined.insert(std::string(std::string_view(doc["account"])));
    // A UUIDv7 of the SDK: its run's random bits, then the counter in the last 8 hex digits.
    const std::string run_key = std::string(anon) + "/" + std::string(id.substr(15, 3)) +
                                std::string(id.substr(19, 4)) + std::string(id.substr(24, 4));
    runs[run_key].emplace_back(std::stoull(std::string(id.substr(28)), nullptr, 16),
                               std::int64_t(doc["ts"]));
    ++events;
  }
  ASSERT_GT(events, 1000u);
  EXPECT_TRUE(versions.contains("1.4.0") && versions.contains("1.5.0")) << "a staged release";
  EXPECT_GE(accounts_joined.size(), 2u);
  for (auto& [key, list] : runs) {
    std::sort(list.begin(), list.end());
    for (std::size_t i = 1; i < list.size(); ++i)
      ASSERT_LE(list[i - 1].second, list[i].second) << "the clock went back in run " << key;
  }
}
