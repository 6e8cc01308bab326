// Every report of METRICS.md, with and without segments, from the real collector's API on every
// backend, compared field by field with the independent brute force of metrics_truth.hpp
// (written from METRICS.md alone). The events are made to hit the definitions' corners:
// identifies and group events that arrive late, persons on two devices and moving between
// accounts, equal-time ties, traits that are not strings, resends, versions first seen before
// the window, weeks cut by the window, tips without a control group, answers without a shown.
#include <gtest/gtest.h>

#include <array>
#include <boost/json.hpp>
#include <random>
#include <sstream>

#include "clickhouse_server.hpp"
#include "collector_process.hpp"
#include "metrics_truth.hpp"
#include "temp_dir.hpp"

using namespace uptake::test;
namespace truth = uptake::truth;
namespace json = boost::json;

namespace {

constexpr std::int64_t kDay = 86'400'000;
// A Wednesday 00:00 UTC, so windows starting there cut their first week.
const std::int64_t kBase = truth::day_from_ymd(2026, 9, 2) * kDay;

std::string line_of(const truth::TruthEvent& e) {
  json::object o;
  o["id"] = e.id;
  o["type"] = e.type;
  o["anon"] = e.anon;
  o["ts"] = e.ts;
  for (const auto& [key, value] : {std::pair{"name", &e.name},
                                   {"user", &e.user},
                                   {"account", &e.account},
                                   {"session", &e.session},
                                   {"app_version", &e.app_version}}) {
    if (!value->empty()) o[key] = *value;
  }
  std::string line = json::serialize(o);
  if (!e.props_json.empty()) {
    line.pop_back();
    line += ",\"props\":" + e.props_json + "}";
  }
  return line;
}

// An event at `ms` past kBase.
truth::TruthEvent event_at(std::string id, std::string type, std::string name, std::string anon,
                           std::string user, std::int64_t ms, std::string props = "",
                           std::string account = "") {
  truth::TruthEvent e;
  e.id = std::move(id);
  e.type = std::move(type);
  e.name = std::move(name);
  e.anon = std::move(anon);
  e.user = std::move(user);
  e.ts = kBase + ms;
  e.props_json = std::move(props);
  e.account = std::move(account);
  return e;
}

// A population that exercises every definition, deterministic per seed.
class Population {
 public:
  explicit Population(std::uint64_t seed) : rng_(seed) {}

  std::vector<truth::TruthEvent> make(int persons, int days) {
    const std::vector<std::string> accounts = {"acme", "globex", "initech", "umbrella", "hooli"};
    for (int p = 0; p < persons; ++p) {
      const std::string anon = "anon-" + std::to_string(p);
      const std::string second = pick(6) == 0 ? "anon-" + std::to_string(p) + "-b" : "";
      const std::string user = pick(3) != 0 ? "user-" + std::to_string(p % (persons - 3)) : "";
      const int start = pick(days);
      const std::string version = pick(2) ? "1.4.0" : "1.5.0";
      if (pick(5) != 0) add("track", "$install", anon, "", start, version);
      // Identify, sometimes days after the first events, carrying traits (some not strings).
      if (!user.empty()) {
        std::string traits = R"({"plan":")" + std::string(pick(2) ? "pro" : "free") +
                             R"(","role":)" + (pick(4) ? R"("admin")" : "7") + "}";
        add("identify", "", anon, user, start + pick(4), version, traits);
        if (!second.empty()) add("identify", "", second, user, start + pick(9), version);
        if (pick(4) == 0)  // a later identify changes the plan
          add("identify", "", anon, user, start + 5 + pick(5), "", R"({"plan":"enterprise"})");
      }
      // Group events: before the identify (on the anon), moving account later, equal times.
      if (pick(4) != 0) {
        const std::string& a = accounts[static_cast<std::size_t>(pick(5))];
        const std::string wave = a == "acme" || a == "globex" ? "pilot" : "later";
        add("group", "", anon, pick(2) ? "" : user, start, "",
            R"({"name":")" + a + R"( Inc","wave":")" + wave + R"("})", a);
        if (pick(5) == 0) {
          const std::string& moved = accounts[static_cast<std::size_t>(pick(5))];
          add("group", "", anon, user, start + 3 + pick(10), "", "", moved);
        }
        if (pick(8) == 0) {  // two group events at the same ms: the greater account wins
          auto& last = events_.back();
          truth::TruthEvent tie = last;
          tie.id = "e" + std::to_string(next_id_++);
          tie.account = last.account == "acme" ? "zeta" : "acme";
          events_.push_back(tie);
        }
      }
      const int n = 3 + pick(40);
      for (int k = 0; k < n; ++k) {
        const std::string& device = !second.empty() && pick(3) == 0 ? second : anon;
        const int day = start + pick(days - start + 6);
        const std::string v = day > days / 2 && pick(2) ? "1.5.0" : version;
        const int kind = pick(20);
        const std::string who = !user.empty() && pick(3) == 0 ? user : "";
        if (kind < 11) {
          add("track", features_[static_cast<std::size_t>(pick(6))], device, who, day, v);
        } else if (kind < 15) {
          static const char* tips[] = {"$tip_shown", "$tip_clicked", "$tip_dismissed",
                                       "$tip_held_out"};
          const int f = pick(3);
          // tip-2 never has a control group; tip-1 sometimes names another feature.
          const int t = f == 2 && kind == 14 ? 0 : kind - 11;
          add("track", tips[t], device, who, day, v,
              R"({"tip":"tip-)" + std::to_string(f) + R"(","feature":")" +
                  features_[static_cast<std::size_t>(f == 1 && pick(6) == 0 ? 3 : f)] + "\"}");
        } else if (kind == 15) {
          add("track", "$first_action", device, who, day, v,
              R"({"feature":")" + features_[static_cast<std::size_t>(pick(6))] +
                  R"(","ms_since_install":)" + std::to_string(pick(5'000'000)) + "}");
        } else if (kind < 19) {
          add_survey(device, who, day, v);
        } else {
          add("track", "$session_start", device, who, day, v);
        }
      }
    }
    // Out of order, with resends.
    std::shuffle(events_.begin(), events_.end(), rng_);
    const std::size_t n = events_.size();
    for (std::size_t i = 0; i < n / 12; ++i) events_.push_back(events_[rng_() % n]);
    return events_;
  }

 private:
  int pick(int n) { return static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }

  truth::TruthEvent& add(const std::string& type, const std::string& name, const std::string& anon,
                         const std::string& user, int day, const std::string& version,
                         const std::string& props = "", const std::string& account = "") {
    truth::TruthEvent e;
    e.id = "e" + std::to_string(next_id_++);
    e.type = type;
    e.name = name;
    e.anon = anon;
    e.user = user;
    e.account = account;
    e.app_version = version;
    e.props_json = props;
    e.ts = kBase + day * kDay + pick(static_cast<int>(kDay));
    if (pick(4))
      e.session = "s-" + anon + "-" + std::to_string(day) + "-" + std::to_string(pick(2));
    events_.push_back(e);
    return events_.back();
  }

  void add_survey(const std::string& device, const std::string& who, int day,
                  const std::string& v) {
    static const char* surveys[] = {"nps-q4", "csat-onboarding", "pick-color", "retired"};
    const std::string survey = surveys[pick(4)];
    const int what = pick(5);
    if (what == 0) {
      add("track", "$survey_shown", device, who, day, v, R"({"survey":")" + survey + "\"}");
    } else if (what == 1) {
      add("track", "$survey_dismissed", device, who, day, v, R"({"survey":")" + survey + "\"}");
    } else {
      std::string answer = R"({"survey":")" + survey + "\"";
      if (survey == "pick-color")
        answer += std::string(R"(,"choice":")") + (pick(2) ? "red" : "blue") + "\"";
      else
        answer += ",\"score\":" + std::to_string(survey == "nps-q4" ? pick(11) : 1 + pick(5));
      auto& e = add("track", "$survey_answered", device, who, day, v, answer + "}");
      if (pick(6) == 0) {  // a re-answer at the same ms: the greater event id wins
        truth::TruthEvent again = e;
        again.id = e.id + "x";
        again.props_json = R"({"survey":")" + survey + R"(","score":)" +
                           std::to_string(survey == "nps-q4" ? 10 : 5) + "}";
        events_.push_back(again);
      }
    }
  }

  std::mt19937_64 rng_;
  std::vector<truth::TruthEvent> events_;
  int next_id_ = 0;
  const std::vector<std::string> features_ = {"search", "export", "share",
                                              "tag",    "create", "archive"};
};

const char* kConfig = R"({"key_actions":["export","share","archive"],"tips":[],
  "surveys":[{"id":"nps-q4","kind":"nps","question":"Recommend us?"},
             {"id":"csat-onboarding","kind":"csat","question":"Happy?"},
             {"id":"pick-color","kind":"choice","question":"Colour?","choices":["red","blue"]}]})";

class ReportTruth : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "clickhouse") {
      ASSERT_TRUE(clickhouse_available()) << "clickhouse-server is not installed";
      clickhouse_ = std::make_unique<ClickHouseServer>();
    }
    const std::string db =
        clickhouse_ ? "clickhouse:" + clickhouse_->url("truth") : "sqlite:" + dir_.str("t.db");
    collector_ = std::make_unique<CollectorProcess>(std::vector<std::string>{
        "--db", db, "--app", "demo:wk:rk", "--admin-key", "adm", "--log-requests", "false",
        "--rate-limit-rps", "100000", "--rate-limit-burst", "100000"});
    const auto put = http_request(collector_->port(), "PUT", "/v1/config?app=demo",
                                  {{"Authorization", "Bearer adm"}}, kConfig);
    ASSERT_EQ(put.status, 200) << put.body;
    config_.key_actions = {"export", "share", "archive"};
    config_.survey_kinds = {
        {"nps-q4", "nps"}, {"csat-onboarding", "csat"}, {"pick-color", "choice"}};
  }

  void send(const std::vector<truth::TruthEvent>& events) {
    for (std::size_t i = 0; i < events.size(); i += 150) {
      std::string body;
      for (std::size_t j = i; j < std::min(events.size(), i + 150); ++j)
        body += line_of(events[j]) + "\n";
      const auto r = http_request(collector_->port(), "POST", "/v1/batch",
                                  {{"Authorization", "Bearer wk"}}, body);
      ASSERT_EQ(r.status, 200) << r.body;
    }
    events_ = truth::dedup(events);
  }

  static std::string query_of(const truth::Segment& s) {
    std::string q;
    auto add = [&](const std::string& k, const std::string& v) { q += "&" + k + "=" + v; };
    if (s.account) add("account", *s.account);
    if (s.version) add("version", *s.version);
    for (const auto& [k, v] : s.traits) add("trait." + k, v);
    for (const auto& [k, v] : s.account_traits) add("account_trait." + k, v);
    return q;
  }

  void expect_report(const std::string& name, const std::string& params, const json::object& want) {
    const std::string target = "/v1/reports/" + name + "?" + params;
    SCOPED_TRACE(target);
    const auto r =
        http_request(collector_->port(), "GET", target, {{"Authorization", "Bearer rk"}});
    ASSERT_EQ(r.status, 200) << r.body;
    const json::value got = json::parse(r.body);
    const auto differences = truth::compare_json(want, got);
    for (std::size_t i = 0; i < std::min<std::size_t>(differences.size(), 8); ++i)
      ADD_FAILURE() << differences[i];
    if (!differences.empty())
      ADD_FAILURE() << differences.size() << " differences in " << r.body.substr(0, 2000);
  }

  // Every report of METRICS.md over [from, to] for the segment.
  void check_all(std::int64_t from, std::int64_t to, const truth::Segment& seg) {
    const std::string window =
        "from=" + truth::format_day(from) + "&to=" + truth::format_day(to) + query_of(seg);
    const auto& e = events_;
    expect_report("overview", window, truth::truth_overview(e, config_, from, to, seg));
    expect_report("features", window, truth::truth_features(e, config_, from, to, seg));
    expect_report("first-action", window, truth::truth_first_action(e, config_, from, to, seg));
    expect_report("stickiness", window, truth::truth_stickiness(e, config_, from, to, seg));
    expect_report("funnel", window + "&feature=export&adopted_days=2",
                  truth::truth_funnel(e, config_, from, to, seg, "export", 2));
    expect_report("tips", window, truth::truth_tips(e, config_, from, to, seg));
    expect_report("accounts", window, truth::truth_accounts(e, config_, from, to, seg));
    expect_report("champions", window + "&limit=7",
                  truth::truth_champions(e, config_, from, to, seg, 7));
    expect_report("retention", window, truth::truth_retention(e, config_, from, to, seg, "week"));
    expect_report("retention", window + "&interval=day",
                  truth::truth_retention(e, config_, from, to, seg, "day"));
    expect_report("trends", window, truth::truth_trends(e, config_, from, to, seg, "day"));
    expect_report("trends", window + "&interval=week&feature=share",
                  truth::truth_trends(e, config_, from, to, seg, "week", "share"));
    expect_report("releases", window, truth::truth_releases(e, config_, from, to, seg));
    expect_report("surveys", window, truth::truth_surveys(e, config_, from, to, seg));
    const std::string month = truth::format_day(from).substr(0, 7);
    expect_report("product-adoption", "month=" + month + query_of(seg),
                  truth::truth_product_adoption(e, config_, month, seg));
  }

  std::vector<truth::Segment> segments() const {
    std::vector<truth::Segment> out(6);
    out[1].account = "acme";
    out[2].traits = {{"plan", "pro"}};
    out[3].account_traits = {{"wave", "pilot"}};
    out[4].version = "1.5.0";
    out[5].traits = {{"role", "admin"}};
    out[5].account_traits = {{"wave", "later"}};
    return out;
  }

  TempDir dir_;
  std::unique_ptr<ClickHouseServer> clickhouse_;  // declared first: stopped last
  std::unique_ptr<CollectorProcess> collector_;
  truth::TruthConfig config_;
  std::vector<truth::TruthEvent> events_;
};

}  // namespace

TEST_P(ReportTruth, EveryReportAndSegmentMatchesTheDefinitions) {
  send(Population(11).make(90, 40));
  const std::int64_t base_day = kBase / kDay;
  for (const auto& seg : segments()) {
    check_all(base_day, base_day + 45, seg);
    check_all(base_day + 6, base_day + 19, seg);  // starts on a Tuesday, ends mid-week
  }
  check_all(base_day + 13, base_day + 13, {});
  // 141 days (282 with the accounts' previous period): ClickHouse's per-person day words span
  // several 64-day words.
  check_all(base_day - 50, base_day + 90, {});
}

TEST_P(ReportTruth, LateIdentitiesAndAccountsReKeyWhatWasCounted) {
  // Three parts with reports between: later parts tie earlier anons and move accounts.
  const auto all = Population(23).make(60, 30);
  std::vector<truth::TruthEvent> sent;
  const std::int64_t base_day = kBase / kDay;
  for (std::size_t part = 0; part < 3; ++part) {
    const auto begin = all.begin() + static_cast<std::ptrdiff_t>(part * all.size() / 3);
    const auto end = all.begin() + static_cast<std::ptrdiff_t>((part + 1) * all.size() / 3);
    sent.insert(sent.end(), begin, end);
    send(sent);
    truth::Segment pilot;
    pilot.account_traits = {{"wave", "pilot"}};
    check_all(base_day, base_day + 35, {});
    check_all(base_day, base_day + 35, pilot);
  }
}

TEST_P(ReportTruth, EmptyIdsAndRepeatedPropKeysAreReadAsJsonReadsThem) {
  // "" is a tip id, a survey id and a choice like any other (absent is not); a key given twice
  // in one props object keeps its last value. Both backends must read them alike.
  std::vector<truth::TruthEvent> events;
  auto add = [&](std::string type, std::string name, std::string anon, std::string user,
                 std::int64_t ms, std::string props = "", std::string account = "") {
    events.push_back(event_at("x" + std::to_string(events.size()), std::move(type), std::move(name),
                              std::move(anon), std::move(user), ms, std::move(props),
                              std::move(account)));
  };
  add("identify", "", "a1", "u1", 1, R"({"plan":"free","plan":"pro"})");
  add("group", "", "a1", "u1", 2, R"({"wave":"later","wave":"pilot"})", "acme");
  add("track", "$tip_shown", "a1", "", 10, R"({"tip":"","feature":"export"})");
  add("track", "$tip_shown", "a2", "", 11, R"({"feature":"export"})");  // no tip id
  add("track", "$tip_held_out", "a3", "", 12, R"({"tip":"","feature":"export"})");
  add("track", "export", "a1", "", kDay);
  add("track", "$survey_shown", "a1", "", 20, R"({"survey":""})");
  add("track", "$survey_answered", "a1", "", 21, R"({"survey":"","choice":""})");
  add("track", "$survey_answered", "a2", "", 22, R"({"choice":"red"})");  // no survey id
  add("track", "$survey_answered", "a3", "", 23, R"({"survey":"pick-color","choice":""})");
  add("track", "$first_action", "a2", "", 30, R"({"ms_since_install":5})");  // no feature
  send(events);
  const std::int64_t day = kBase / kDay;
  for (const auto& seg : segments()) check_all(day, day + 3, seg);
  truth::Segment pro;
  pro.traits = {{"plan", "pro"}};
  pro.account_traits = {{"wave", "pilot"}};
  check_all(day, day + 3, pro);
}

TEST_P(ReportTruth, ResendsStoredTwiceBeforeAMergeCountOnce) {
  if (!clickhouse_) GTEST_SKIP() << "SQLite stores each (app, id) once: its key refuses a copy";
  send(Population(31).make(60, 30));
  const auto sql = [&](const std::string& statement) {
    const auto r = http_request(clickhouse_->http_port(), "POST", "/", {}, statement);
    EXPECT_EQ(r.status, 200) << statement << ": " << r.body;
    return r.body;
  };
  // The table's parts, or its partitions.
  const auto parts = [&](const std::string& table, bool partitions = false) {
    return sql(std::string("SELECT ") + (partitions ? "uniqExact(partition_id)" : "count()") +
               " FROM system.parts WHERE active AND database = 'truth' AND table = '" + table +
               "'");
  };
  // A second copy of a fifth of the events, inserted behind the collector's duplicate check as
  // two collectors racing on one resend would store it: every rollup's view sees them again.
  // With merges stopped the copies stay in parts of their own, as they are until a merge.
  sql("SYSTEM STOP MERGES");
  sql("INSERT INTO truth.events SELECT * FROM truth.events WHERE cityHash64(id) % 5 = 0");
  ASSERT_NE(parts("feature_days_v2"), parts("feature_days_v2", true));
  ASSERT_NE(parts("actor_days_v2"), parts("actor_days_v2", true));
  const std::int64_t base_day = kBase / kDay;
  truth::Segment pilot;
  pilot.account_traits = {{"wave", "pilot"}};
  check_all(base_day, base_day + 35, {});
  check_all(base_day + 6, base_day + 19, pilot);
  // Merged into one part per week, where each key has one row: the event counts add up the
  // rows' id sets without merging them.
  sql("SYSTEM START MERGES");
  for (const char* table : {"actor_days_v2", "feature_days_v2"}) {
    std::istringstream ids(sql(std::string("SELECT DISTINCT partition_id FROM system.parts WHERE "
                                           "active AND database = 'truth' AND table = '") +
                               table + "'"));
    for (std::string id; std::getline(ids, id);)
      sql(std::string("OPTIMIZE TABLE truth.") + table + " PARTITION ID '" + id + "' FINAL");
    ASSERT_EQ(parts(table), parts(table, true));
  }
  check_all(base_day, base_day + 35, {});
  check_all(base_day + 6, base_day + 19, pilot);
}

TEST_P(ReportTruth, AccountsAndChampionsCountFeaturesBeyondSixtyFour) {
  // 150 features: ClickHouse keeps each person's features as 64-bit words, so the key actions
  // and the features a champion used must be counted across three words, and at their edges.
  std::mt19937_64 rng(47);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  auto feature = [](int k) {
    std::string n = std::to_string(k);
    return "f-" + std::string(3 - n.size(), '0') + n;
  };
  std::vector<truth::TruthEvent> events;
  auto add = [&](std::string type, std::string name, std::string anon, std::string user,
                 std::int64_t ms, std::string account = "") {
    events.push_back(event_at("m" + std::to_string(events.size()), std::move(type), std::move(name),
                              std::move(anon), std::move(user), ms, "", std::move(account)));
  };
  for (int p = 0; p < 30; ++p) {
    const std::string anon = "a" + std::to_string(p), user = pick(2) ? "u" + std::to_string(p) : "";
    if (!user.empty()) add("identify", "", anon, user, kDay * pick(5));
    add("group", "", anon, "", pick(1000), pick(2) ? "acme" : "globex");
    // Uses before the identify are the anon's; a person's features span the words' edges.
    const int uses = 5 + pick(120);
    for (int k = 0; k < uses; ++k) {
      const int f = pick(4) == 0 ? std::array{0, 63, 64, 127, 128, 149}[pick(6)] : pick(150);
      add("track", feature(f), anon, pick(2) ? user : "", kDay * pick(10) + pick(1000));
    }
  }
  send(events);
  const std::int64_t day = kBase / kDay;
  const auto check = [&] {
    const std::string window =
        "from=" + truth::format_day(day) + "&to=" + truth::format_day(day + 9);
    expect_report("accounts", window, truth::truth_accounts(events_, config_, day, day + 9, {}));
    expect_report("champions", window + "&limit=12",
                  truth::truth_champions(events_, config_, day, day + 9, {}, 12));
  };
  const std::string keys = R"({"key_actions":["f-149","f-000","f-064","f-063","f-128","f-070"]})";
  ASSERT_EQ(http_request(collector_->port(), "PUT", "/v1/config?app=demo",
                         {{"Authorization", "Bearer adm"}}, keys)
                .status,
            200);
  config_.key_actions = {"f-149", "f-000", "f-064", "f-063", "f-128", "f-070"};
  check();
  // No key actions configured: every feature used in the window is one.
  ASSERT_EQ(http_request(collector_->port(), "PUT", "/v1/config?app=demo",
                         {{"Authorization", "Bearer adm"}}, R"({"key_actions":[]})")
                .status,
            200);
  config_.key_actions = {};
  check();
}

TEST_P(ReportTruth, ThousandsOfLongFeatureNamesFitInEveryReport) {
  // 2,500 names of up to 128 bytes: ClickHouse's reports name the features they show in their
  // queries, which must stay within the server's query size.
  std::vector<truth::TruthEvent> events;
  for (int k = 0; k < 2'500; ++k) {
    const std::string n = std::to_string(k);
    for (int u = 0; u < 1 + k % 3; ++u) {
      events.push_back(event_at(
          "n" + n + "-" + std::to_string(u), "track", std::string(120 - n.size(), 'f') + "-" + n,
          "anon-" + std::to_string((k + u * 7) % 40), "", (k % 9) * kDay + k));
    }
  }
  send(events);
  ASSERT_EQ(http_request(collector_->port(), "PUT", "/v1/config?app=demo",
                         {{"Authorization", "Bearer adm"}}, R"({"key_actions":[]})")
                .status,
            200);
  config_.key_actions = {};
  const std::int64_t day = kBase / kDay;
  const std::string window = "from=" + truth::format_day(day) + "&to=" + truth::format_day(day + 6);
  const auto& e = events_;
  expect_report("features", window, truth::truth_features(e, config_, day, day + 6, {}));
  expect_report("first-action", window, truth::truth_first_action(e, config_, day, day + 6, {}));
  expect_report("accounts", window, truth::truth_accounts(e, config_, day, day + 6, {}));
  expect_report("champions", window + "&limit=5",
                truth::truth_champions(e, config_, day, day + 6, {}, 5));
  expect_report("trends", window, truth::truth_trends(e, config_, day, day + 6, {}, "day"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportTruth, ::testing::Values("sqlite", "clickhouse"),
                         [](const auto& info) { return info.param; });
