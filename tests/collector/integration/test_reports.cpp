// Every report figure of METRICS.md, from the real collector's API, compared with a
// brute-force computation written independently here from the raw events sent.
#include <gtest/gtest.h>
#include <signal.h>
#include <simdjson.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "clickhouse_server.hpp"
#include "collector_process.hpp"
#include "storage/sqlite/event_log.hpp"
#include "stored_events.hpp"
#include "temp_dir.hpp"

using namespace uptake::test;

namespace {

constexpr std::int64_t kDay = 86'400'000;
const std::int64_t kBase = 1'790'000'000'000 / kDay * kDay;  // a UTC midnight

struct Ev {
  std::string id, type = "track", name, anon, user, session;
  std::int64_t ts = 0;
  std::map<std::string, std::string> sprops;
  std::map<std::string, std::int64_t> iprops;
};

std::string to_line(const Ev& e) {
  std::string s = R"({"id":")" + e.id + R"(","type":")" + e.type + R"(","anon":")" + e.anon +
                  R"(","ts":)" + std::to_string(e.ts);
  if (!e.name.empty()) s += R"(,"name":")" + e.name + "\"";
  if (!e.user.empty()) s += R"(,"user":")" + e.user + "\"";
  if (!e.session.empty()) s += R"(,"session":")" + e.session + "\"";
  if (!e.sprops.empty() || !e.iprops.empty()) {
    s += R"(,"props":{)";
    bool first = true;
    for (auto& [k, v] : e.sprops)
      s += std::string(first ? "" : ",") + "\"" + k + "\":\"" + v + "\"", first = false;
    for (auto& [k, v] : e.iprops)
      s += std::string(first ? "" : ",") + "\"" + k + "\":" + std::to_string(v), first = false;
    s += "}";
  }
  return s + "}";
}

// ---------------- brute force, straight from METRICS.md ----------------
struct Truth {
  std::vector<Ev> events;                  // de-duplicated
  std::map<std::string, std::string> tie;  // anon -> user (earliest identify)

  explicit Truth(const std::vector<Ev>& sent) {
    std::set<std::string> seen;
    for (const Ev& e : sent)
      if (seen.insert(e.id).second) events.push_back(e);
    // The earliest identify of each anon ties it; at equal times the smaller user.
    std::map<std::string, std::pair<std::int64_t, std::string>> best;
    for (const Ev& e : events) {
      if (e.type != "identify") continue;
      auto it = best.find(e.anon);
      if (it == best.end() || std::make_pair(e.ts, e.user) < it->second)
        best[e.anon] = {e.ts, e.user};
    }
    for (auto& [a, p] : best) tie[a] = p.second;
  }
  std::string person(const Ev& e) const {
    if (!e.user.empty()) return e.user;
    auto it = tie.find(e.anon);
    return it != tie.end() ? it->second : e.anon;
  }
  static bool feature(const Ev& e) {
    return e.type == "track" && !e.name.empty() && e.name[0] != '$';
  }
  std::map<std::string, std::int64_t> first_seen() const {
    std::map<std::string, std::int64_t> install, any;
    for (const Ev& e : events) {
      const auto p = person(e);
      if (!any.count(p) || e.ts < any[p]) any[p] = e.ts;
      if (e.type == "track" && e.name == "$install" && (!install.count(p) || e.ts < install[p]))
        install[p] = e.ts;
    }
    for (auto& [p, t] : install) any[p] = t;
    return any;
  }
};

std::int64_t rank(std::vector<std::int64_t> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto r = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size()) - 1e-9));
  return v[std::clamp<std::size_t>(r, 1, v.size()) - 1];
}
double ratio(double a, double b) {
  return b == 0 ? 0 : a / b;
}

// ---------------- API access ----------------
// One suite for every backend: the collector on SQLite, and on a real ClickHouse server.
class Reports : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "clickhouse") {
      ASSERT_TRUE(clickhouse_available())
          << "clickhouse-server is not installed (scripts/test.sh installs it)";
      clickhouse_ = std::make_unique<ClickHouseServer>();
    }
    start_collector();
  }
  void start_collector() {
    const std::string db =
        clickhouse_ ? "clickhouse:" + clickhouse_->url("reports") : "sqlite:" + dir_.str("r.db");
    std::vector<std::string> args{"--db", db, "--app", "demo:wk:rk", "--admin-key", "adm"};
    // Quiet, and no rate limit in the way of the bulk sends.
    args.insert(args.end(), {"--log-requests", "false", "--rate-limit-rps", "100000",
                             "--rate-limit-burst", "100000"});
    collector_ = std::make_unique<CollectorProcess>(args);
  }
  void send(const std::vector<Ev>& events, std::size_t batch = 97) {
    for (std::size_t i = 0; i < events.size(); i += batch) {
      std::string body;
      for (std::size_t j = i; j < std::min(events.size(), i + batch); ++j)
        body += to_line(events[j]) + "\n";
      ASSERT_EQ(http_request(collector_->port(), "POST", "/v1/batch",
                             {{"Authorization", "Bearer wk"}}, body)
                    .status,
                200);
    }
  }
  simdjson::dom::element get(const std::string& target) {
    last_ = http_request(collector_->port(), "GET", target, {{"Authorization", "Bearer rk"}}).body;
    return parser_.parse(last_);
  }
  static std::string day(std::int64_t ms) {
    const std::time_t t = ms / 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char b[16];
    std::strftime(b, sizeof b, "%Y-%m-%d", &tm);
    return b;
  }

  // Compares every report for window [from_ms, to_ms] (day starts) against the truth.
  void check_window(const Truth& t, std::int64_t from_day_ms, std::int64_t to_day_ms,
                    const std::vector<std::string>& funnels) {
    const std::int64_t lo = from_day_ms, hi = to_day_ms + kDay;
    const std::string q = "?from=" + day(lo) + "&to=" + day(to_day_ms);
    SCOPED_TRACE("window " + q);
    auto in = [&](const Ev& e) { return e.ts >= lo && e.ts < hi; };
    const auto first_seen = t.first_seen();

    // overview
    std::set<std::string> active, sessions;
    std::int64_t events = 0;
    for (const Ev& e : t.events)
      if (in(e)) {
        active.insert(t.person(e));
        ++events;
        if (!e.session.empty()) sessions.insert(e.session);
      }
    std::int64_t known = 0;
    for (auto& [p, fs] : first_seen) known += fs < hi;
    auto o = get("/v1/reports/overview" + q);
    EXPECT_EQ(int64_t(o["active_users"]), static_cast<std::int64_t>(active.size())) << last_;
    EXPECT_EQ(int64_t(o["known_users"]), known);
    EXPECT_NEAR(double(o["active_rate"]), ratio(active.size(), known), 1e-9);
    EXPECT_EQ(int64_t(o["events"]), events);
    EXPECT_EQ(int64_t(o["sessions"]), static_cast<std::int64_t>(sessions.size()));

    // features
    std::map<std::string, std::set<std::string>> users;
    std::map<std::string, std::int64_t> uses;
    std::map<std::pair<std::string, std::string>, std::int64_t> first_use;
    for (const Ev& e : t.events) {
      if (!Truth::feature(e)) continue;
      auto key = std::make_pair(e.name, t.person(e));
      if (!first_use.count(key) || e.ts < first_use[key]) first_use[key] = e.ts;
      if (in(e)) users[e.name].insert(t.person(e)), ++uses[e.name];
    }
    std::vector<std::tuple<std::int64_t, std::string>> order;
    for (auto& [f, u] : users) order.emplace_back(-static_cast<std::int64_t>(u.size()), f);
    std::sort(order.begin(), order.end());
    auto fr = get("/v1/reports/features" + q);
    simdjson::dom::array rows = fr["rows"];
    ASSERT_EQ(rows.size(), order.size()) << last_;
    std::size_t i = 0;
    for (auto row : rows) {
      const std::string f = std::get<1>(order[i++]);
      EXPECT_EQ(std::string_view(row["feature"]), f);
      const auto n = static_cast<std::int64_t>(users[f].size());
      std::int64_t fresh = 0;
      for (auto& [k, ts] : first_use)
        if (k.first == f && ts >= lo && ts < hi) ++fresh;
      EXPECT_EQ(int64_t(row["users"]), n);
      EXPECT_EQ(int64_t(row["uses"]), uses[f]);
      EXPECT_NEAR(double(row["adoption_rate"]), ratio(n, active.size()), 1e-9);
      EXPECT_EQ(int64_t(row["new_users"]), fresh);
      EXPECT_NEAR(double(row["new_user_pct"]), 100 * ratio(fresh, n), 1e-9);
    }

    // first-action (no key_actions configured: every feature used in the window, by name)
    auto fa = get("/v1/reports/first-action" + q);
    simdjson::dom::array farows = fa["rows"];
    ASSERT_EQ(farows.size(), users.size()) << last_;
    auto it = users.begin();
    for (auto row : farows) {
      const std::string f = (it++)->first;
      EXPECT_EQ(std::string_view(row["feature"]), f);
      std::vector<std::int64_t> d;
      for (auto& [k, ts] : first_use) {
        if (k.first == f && ts >= lo && ts < hi)
          d.push_back(std::max<std::int64_t>(0, ts - first_seen.at(k.second)));
      }
      long double sum = 0;
      for (auto v : d) sum += v;
      std::map<std::string, std::pair<std::int64_t, std::string>>
          earliest;  // person -> (ts,id) of $first_action
      std::map<std::string, std::int64_t> ms_of;
      for (const Ev& e : t.events) {
        if (!in(e) || e.name != "$first_action" || !e.sprops.count("feature") ||
            e.sprops.at("feature") != f)
          continue;
        const auto p = t.person(e);
        auto key = std::make_pair(e.ts, e.id);
        if (!earliest.count(p) || key < earliest[p])
          earliest[p] = key,
          ms_of[p] = e.iprops.count("ms_since_install") ? e.iprops.at("ms_since_install") : 0;
      }
      std::vector<std::int64_t> dev;
      for (auto& [p, v] : ms_of) dev.push_back(v);
      EXPECT_EQ(int64_t(row["users"]), static_cast<std::int64_t>(d.size())) << f;
      EXPECT_EQ(int64_t(row["p50_ms"]), rank(d, 0.5)) << f;
      EXPECT_EQ(int64_t(row["p90_ms"]), rank(d, 0.9)) << f;
      EXPECT_EQ(int64_t(row["mean_ms"]),
                d.empty() ? 0 : static_cast<std::int64_t>(std::floor(sum / d.size())))
          << f;
      EXPECT_EQ(int64_t(row["device_p50_ms"]), rank(dev, 0.5)) << f;
    }

    // stickiness
    std::map<std::int64_t, std::set<std::string>> dau;
    std::map<std::string, std::set<std::int64_t>> days_of;
    for (const Ev& e : t.events)
      if (in(e)) dau[e.ts / kDay].insert(t.person(e)), days_of[t.person(e)].insert(e.ts / kDay);
    auto st = get("/v1/reports/stickiness" + q);
    simdjson::dom::array drows = st["dau"];
    const std::int64_t ndays = (hi - lo) / kDay;
    ASSERT_EQ(static_cast<std::int64_t>(drows.size()), ndays);
    double total = 0;
    std::int64_t d0 = lo / kDay;
    for (auto row : drows) {
      EXPECT_EQ(std::string_view(row["day"]), day(d0 * kDay));
      EXPECT_EQ(int64_t(row["users"]), static_cast<std::int64_t>(dau[d0].size()));
      total += dau[d0++].size();
    }
    EXPECT_NEAR(double(st["avg_dau"]), total / ndays, 1e-9);
    EXPECT_EQ(int64_t(st["mau"]), static_cast<std::int64_t>(active.size()));
    EXPECT_NEAR(double(st["stickiness"]), ratio(total / ndays, active.size()), 1e-9);
    std::map<std::int64_t, std::int64_t> power;
    for (auto& [p, ds] : days_of) ++power[static_cast<std::int64_t>(ds.size())];
    simdjson::dom::array prows = st["power_users"];
    ASSERT_EQ(prows.size(), power.size());
    auto pit = power.begin();
    for (auto row : prows) {
      EXPECT_EQ(int64_t(row["days"]), pit->first);
      EXPECT_EQ(int64_t(row["users"]), (pit++)->second);
    }

    // funnel
    for (const std::string& f : funnels) {
      std::set<std::string> aware, interested, trial;
      std::map<std::string, std::set<std::int64_t>> use_days;
      for (const Ev& e : t.events) {
        if (!in(e) || e.type != "track") continue;
        const auto p = t.person(e);
        const bool tip_for_f = e.sprops.count("feature") && e.sprops.at("feature") == f;
        if (e.name == f)
          aware.insert(p), interested.insert(p), trial.insert(p), use_days[p].insert(e.ts / kDay);
        if (e.name == "$tip_shown" && tip_for_f) aware.insert(p);
        if (e.name == "$tip_clicked" && tip_for_f) interested.insert(p);
      }
      std::int64_t adopted = 0;
      for (auto& [p, ds] : use_days) adopted += ds.size() >= 2;
      auto fu = get("/v1/reports/funnel" + q + "&feature=" + f + "&adopted_days=2");
      const std::int64_t want[] = {static_cast<std::int64_t>(aware.size()),
                                   static_cast<std::int64_t>(interested.size()),
                                   static_cast<std::int64_t>(trial.size()), adopted};
      int k = 0;
      for (auto row : simdjson::dom::array(fu["rows"])) {
        EXPECT_EQ(int64_t(row["users"]), want[k]) << f << " stage " << k << " " << last_;
        EXPECT_NEAR(double(row["conversion"]), ratio(want[k], want[0]), 1e-9);
        ++k;
      }
      EXPECT_EQ(k, 4);
    }

    // tips
    struct TipTruth {
      std::string feature;
      std::int64_t fts = INT64_MAX;
      std::map<std::string, std::int64_t> shown, held;
      std::set<std::string> clicked, dismissed;
    };
    std::map<std::string, TipTruth> tips;
    std::vector<const Ev*> sorted;
    for (const Ev& e : t.events) sorted.push_back(&e);
    std::sort(sorted.begin(), sorted.end(),
              [](auto* a, auto* b) { return std::tie(a->ts, a->id) < std::tie(b->ts, b->id); });
    for (const Ev* e : sorted) {
      if (!in(*e) || !e->sprops.count("tip")) continue;
      const auto p = t.person(*e);
      const auto tip = e->sprops.at("tip");
      if (e->name == "$tip_shown" || e->name == "$tip_held_out") {
        auto& tt = tips[tip];
        if (e->ts < tt.fts)
          tt.fts = e->ts, tt.feature = e->sprops.count("feature") ? e->sprops.at("feature") : "";
        (e->name == "$tip_shown" ? tt.shown : tt.held).emplace(p, e->ts);
      }
    }
    for (const Ev* e : sorted) {
      if (!in(*e) || !e->sprops.count("tip") || !tips.count(e->sprops.at("tip"))) continue;
      if (e->name == "$tip_clicked") tips[e->sprops.at("tip")].clicked.insert(t.person(*e));
      if (e->name == "$tip_dismissed") tips[e->sprops.at("tip")].dismissed.insert(t.person(*e));
    }
    auto conv = [&](const std::string& f, const std::map<std::string, std::int64_t>& firsts) {
      std::int64_t n = 0;
      for (auto& [p, t0] : firsts) {
        bool hit = false;
        for (const Ev& e : t.events)
          hit = hit || (e.type == "track" && e.name == f && t.person(e) == p && e.ts > t0 &&
                        e.ts <= t0 + 604'800'000);
        n += hit;
      }
      return n;
    };
    auto tr = get("/v1/reports/tips" + q);
    simdjson::dom::array trows = tr["rows"];
    ASSERT_EQ(trows.size(), tips.size()) << last_;
    auto tit = tips.begin();
    for (auto row : trows) {
      const auto& [id, tt] = *tit++;
      EXPECT_EQ(std::string_view(row["tip"]), id);
      EXPECT_EQ(std::string_view(row["feature"]), tt.feature);
      const std::int64_t c = conv(tt.feature, tt.shown), hc = conv(tt.feature, tt.held);
      EXPECT_EQ(int64_t(row["shown"]), static_cast<std::int64_t>(tt.shown.size())) << id;
      EXPECT_EQ(int64_t(row["clicked"]), static_cast<std::int64_t>(tt.clicked.size())) << id;
      EXPECT_EQ(int64_t(row["dismissed"]), static_cast<std::int64_t>(tt.dismissed.size())) << id;
      EXPECT_EQ(int64_t(row["converted"]), c) << id;
      EXPECT_EQ(int64_t(row["held_out"]), static_cast<std::int64_t>(tt.held.size())) << id;
      EXPECT_EQ(int64_t(row["held_out_converted"]), hc) << id;
      // Without a control group (or without anyone shown) there is no lift (METRICS.md).
      if (tt.shown.empty() || tt.held.empty()) {
        EXPECT_TRUE(row["lift"].is_null()) << id << " " << last_;
        EXPECT_TRUE(row["lift_ci95"].is_null()) << id;
      } else {
        const double cr = ratio(c, tt.shown.size()), hr = ratio(hc, tt.held.size());
        const double margin =
            1.96 * std::sqrt(cr * (1 - cr) / tt.shown.size() + hr * (1 - hr) / tt.held.size());
        EXPECT_NEAR(double(row["lift"]), cr - hr, 1e-9) << id;
        EXPECT_NEAR(double(row["lift_ci95"].at(0)), cr - hr - margin, 1e-9) << id;
        EXPECT_NEAR(double(row["lift_ci95"].at(1)), cr - hr + margin, 1e-9) << id;
      }
    }
  }

  void check_month(const Truth& t, const std::string& month, std::int64_t lo, std::int64_t hi) {
    const auto fs = t.first_seen();
    std::map<std::string, std::set<std::int64_t>> days;
    for (const Ev& e : t.events)
      if (e.ts >= lo && e.ts < hi) days[t.person(e)].insert(e.ts / kDay);
    std::int64_t signups = 0, adopted = 0;
    for (auto& [p, f] : fs)
      if (f >= lo && f < hi) ++signups, adopted += days[p].size() >= 2;
    auto r = get("/v1/reports/product-adoption?month=" + month);
    EXPECT_EQ(int64_t(r["signups"]), signups) << last_;
    EXPECT_EQ(int64_t(r["new_mau"]), adopted);
    EXPECT_NEAR(double(r["product_adoption_rate"]), 100 * ratio(adopted, signups), 1e-9);
  }

  TempDir dir_;
  std::unique_ptr<ClickHouseServer> clickhouse_;  // declared first: stopped last
  std::unique_ptr<CollectorProcess> collector_;
  simdjson::dom::parser parser_;
  std::string last_;
};

std::vector<Ev> random_events(std::uint64_t seed, int people, int days) {
  std::mt19937_64 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  const std::vector<std::string> features = {"create", "search", "export", "share", "tag"};
  std::vector<Ev> out;
  int next = 0;
  for (int p = 0; p < people; ++p) {
    const std::string anon = "anon-" + std::to_string(p);
    const std::string user = pick(3) == 0 ? "user-" + std::to_string(pick(people)) : "";
    const int start = pick(days);
    auto add = [&](Ev e) {
      e.id = "e" + std::to_string(next++);
      e.anon = anon;
      out.push_back(e);
    };
    if (pick(4) != 0) {
      Ev e;
      e.name = "$install";
      e.ts = kBase + start * kDay + pick(1000);
      add(e);
    }
    const int n = 1 + pick(30);
    for (int k = 0; k < n; ++k) {
      Ev e;
      e.ts = kBase + (start + pick(days - start + 3)) * kDay + pick(static_cast<int>(kDay));
      e.session = pick(5) ? "s-" + std::to_string(p) + "-" + std::to_string(pick(4)) : "";
      const int kind = pick(14);
      if (kind < 8) {
        e.name = features[pick(5)];
        if (pick(5) == 0) e.user = "user-" + std::to_string(pick(people));
      } else if (kind < 12) {
        static const char* names[] = {"$tip_shown", "$tip_clicked", "$tip_dismissed",
                                      "$tip_held_out"};
        e.name = names[kind - 8];
        const int f = pick(5);
        e.sprops = {{"tip", "tip-" + features[f]}, {"feature", features[f]}};
      } else if (kind == 12) {
        e.name = "$first_action";
        e.sprops = {{"feature", features[pick(5)]}};
        e.iprops = {{"ms_since_install", pick(1'000'000)}};
      } else if (!user.empty()) {
        e.type = "identify";
        e.user = user;
      } else {
        e.name = "$session_start";
      }
      add(e);
    }
  }
  // Out of order, and some events resent in later batches.
  std::shuffle(out.begin(), out.end(), rng);
  const std::size_t n = out.size();
  for (std::size_t i = 0; i < n / 10; ++i) out.push_back(out[rng() % n]);
  return out;
}

}  // namespace

TEST_P(Reports, AdversarialCasesMatchTheDefinitions) {
  std::vector<Ev> ev;
  auto add = [&](std::string id, std::string name, std::string anon, std::int64_t ts,
                 std::string user = "") {
    Ev e;
    e.id = std::move(id), e.name = std::move(name), e.anon = std::move(anon), e.ts = ts,
    e.user = std::move(user);
    ev.push_back(e);
    return &ev.back();
  };
  const std::int64_t d10 = kBase + 10 * kDay;
  add("a1", "$install", "dev-a", kBase);           // seen long before the window
  add("a2", "search", "dev-a", d10);               // exactly on a day boundary
  add("a3", "search", "dev-a", d10 + kDay - 1);    // last ms of that day
  add("b1", "search", "dev-b", d10 + 5);           // anon later tied to alice
  add("b2", "export", "dev-c", d10 + 6, "alice");  // alice on a second device
  Ev id;
  id.id = "b3", id.type = "identify", id.anon = "dev-b", id.user = "alice",
  id.ts = d10 + 3 * kDay;  // identify after the fact
  ev.push_back(id);
  add("c1", "export", "dev-d", d10 + 2 * kDay);
  add("c0", "$install", "dev-d", d10 + 4 * kDay);  // an $install later than other events
  auto* shown = add("t1", "$tip_shown", "dev-e", d10);
  shown->sprops = {{"tip", "tip-x"}, {"feature", "export"}};
  add("t2", "export", "dev-e", d10 + 604'800'000);  // exactly 7 days later: converts
  auto* shown2 = add("t3", "$tip_shown", "dev-f", d10);
  shown2->sprops = {{"tip", "tip-x"}, {"feature", "export"}};
  add("t4", "export", "dev-f", d10);                // same ms: not strictly after
  add("t5", "export", "dev-f", d10 + 604'800'001);  // one ms too late
  send(ev);
  send({ev[1], ev[4]});  // duplicates across batches
  const Truth truth(ev);
  check_window(truth, d10, d10 + 2 * kDay, {"search", "export"});
  check_window(truth, d10 + kDay, d10 + 20 * kDay, {"export"});
  // The brute force and the API agree; spot-check that the cases did what they meant to.
  auto o = get("/v1/reports/overview?from=" + day(d10) + "&to=" + day(d10));
  EXPECT_EQ(int64_t(o["active_users"]), 4) << last_;  // dev-a, alice (dev-b + dev-c), dev-e, dev-f
}

TEST_P(Reports, IdentifiesArrivingBetweenReportsReKeyWhatIsAlreadyCounted) {
  // Events in three parts with a report after each: identifies in later parts re-tie anons
  // whose counts were already written (SQLite) while other counts still wait in memory.
  const auto ev = random_events(77, 60, 30);
  std::vector<Ev> sent;
  for (std::size_t part = 0; part < 3; ++part) {
    const std::vector<Ev> slice(
        ev.begin() + static_cast<std::ptrdiff_t>(part * ev.size() / 3),
        ev.begin() + static_cast<std::ptrdiff_t>((part + 1) * ev.size() / 3));
    send(slice);
    sent.insert(sent.end(), slice.begin(), slice.end());
    check_window(Truth(sent), kBase, kBase + 33 * kDay, {"search"});
  }
}

TEST_P(Reports, RandomEventSetsMatchTheBruteForce) {
  const auto ev = random_events(42, 80, 40);
  send(ev);
  const Truth truth(ev);
  check_window(truth, kBase, kBase + 44 * kDay, {"search", "export"});
  check_window(truth, kBase + 7 * kDay, kBase + 20 * kDay, {"create", "tag"});
  check_window(truth, kBase + 13 * kDay, kBase + 13 * kDay, {"share"});
  const std::string month = day(kBase + 15 * kDay).substr(0, 7);
  const std::int64_t month_start = *[&] {
    static std::int64_t v;
    std::tm tm{};
    strptime((month + "-01").c_str(), "%Y-%m-%d", &tm);
    v = static_cast<std::int64_t>(timegm(&tm)) * 1000;
    return &v;
  }();
  std::tm tm{};
  const std::time_t t = month_start / 1000;
  gmtime_r(&t, &tm);
  tm.tm_mon += 1;
  const std::int64_t next_month = static_cast<std::int64_t>(timegm(&tm)) * 1000;
  check_month(truth, month, month_start, next_month);
}

TEST_P(Reports, ReportsStayExactAfterADeletionAndEarlierLayoutsMigrate) {
  auto ev = random_events(99, 60, 30);
  send(ev);
  // Delete a person who identified (their user id and their tied anons' events).
  Truth before(ev);
  std::string victim;
  for (auto& [anon, user] : before.tie) victim = user;
  ASSERT_FALSE(victim.empty());
  const auto r = http_request(collector_->port(), "DELETE", "/v1/users/" + victim + "?app=demo",
                              {{"Authorization", "Bearer adm"}});
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<Ev> kept;
  for (const Ev& e : ev) {
    const bool tied = before.tie.count(e.anon) && before.tie.at(e.anon) == victim;
    if (e.user == victim || tied || (e.anon == victim && e.user.empty())) continue;
    kept.push_back(e);
  }
  const Truth after(kept);
  check_window(after, kBase, kBase + 33 * kDay, {"search"});

  if (GetParam() != "sqlite") return;  // the rest is about SQLite's earlier layouts
  // The previous layout: event blocks, report aggregate tables, the identity table, no schema
  // version. Opened, the tables the activity index replaces are dropped.
  collector_->stop(SIGTERM);
  {
    sqlite3* db = nullptr;
    sqlite3_open(dir_.str("r.db").c_str(), &db);
    uptake::collector::exec_sql(db, R"(
      PRAGMA user_version = 0;
      CREATE TABLE agg_actor_day (app TEXT, day INTEGER, kind INTEGER, actor TEXT, events INTEGER,
        person TEXT, PRIMARY KEY (app, day, kind, actor)) WITHOUT ROWID;
      CREATE TABLE agg_progress (one INTEGER PRIMARY KEY, last_block INTEGER NOT NULL);
      CREATE TABLE identities (app TEXT NOT NULL, anon TEXT NOT NULL, user TEXT NOT NULL,
        ts INTEGER NOT NULL, PRIMARY KEY (app, anon)) WITHOUT ROWID;
      INSERT INTO identities VALUES ('demo', 'anon-0', 'somebody-else', 0);)");
    sqlite3_close(db);
  }
  start_collector();
  check_window(after, kBase + 5 * kDay, kBase + 25 * kDay, {"export"});
  EXPECT_EQ(stored_events_int(dir_.str("r.db"),
                              "SELECT count(*) FROM events"),  // the events are all there
            stored_events_int(dir_.str("r.db"), "SELECT count(DISTINCT id) FROM events"));
  {
    sqlite3* db = nullptr;
    sqlite3_open(dir_.str("r.db").c_str(), &db);
    std::int64_t leftovers = -1, version = -1;
    {
      uptake::collector::Statement t(
          db,
          "SELECT count(*) FROM sqlite_master WHERE name IN ('agg_actor_day', 'agg_progress', "
          "'identities')");
      t.step();
      leftovers = t.column_int(0);
      uptake::collector::Statement v(db, "PRAGMA user_version");
      v.step();
      version = v.column_int(0);
    }
    sqlite3_close(db);
    EXPECT_EQ(leftovers, 0);
    EXPECT_GT(version, 0);
  }

  // A database from before event blocks: one row per event in `events`, the events_app_id
  // index and the `resolved` view, no aggregates. Opened, its rows move into blocks.
  collector_->stop(SIGTERM);
  const std::string path = dir_.str("r.db");
  const std::int64_t stored = stored_events_int(path, "SELECT count(*) FROM events");
  std::set<std::string> kept_ids;
  for (const Ev& e : kept) kept_ids.insert(e.id);
  ASSERT_EQ(stored, static_cast<std::int64_t>(kept_ids.size()));  // resends stored once
  // Every field of every event, folded into one number, is the same after the move.
  const std::string kFingerprint =
      "SELECT sum((ts + 3 * client_ts + 7 * received_at + 11 * type) % 1000003 + "
      "unicode(substr(id || '|' || coalesce(name, '') || '|' || anon || '|' || "
      "coalesce(user, '') || '|' || coalesce(session, '') || '|' || coalesce(app_version, '') || "
      "'|' || coalesce(props, ''), 1 + (ts % 17))) + 31 * length(id || coalesce(name, '') || "
      "anon || coalesce(user, '') || coalesce(session, '') || coalesce(props, ''))) FROM events";
  const std::int64_t fingerprint = stored_events_int(path, kFingerprint);
  ASSERT_GT(fingerprint, 0);
  {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    uptake::collector::exec_sql(db, R"(
      CREATE TABLE events (app TEXT NOT NULL, id TEXT NOT NULL, type INTEGER NOT NULL, name TEXT,
        anon TEXT NOT NULL, user TEXT, ts INTEGER NOT NULL, client_ts INTEGER NOT NULL,
        received_at INTEGER NOT NULL, session TEXT, app_version TEXT, props TEXT,
        PRIMARY KEY (app, ts, id)) WITHOUT ROWID;
      CREATE UNIQUE INDEX events_app_id ON events(app, id);
      CREATE VIEW resolved AS SELECT e.*, i.user AS tie FROM events e
        LEFT JOIN identities i ON i.app = e.app AND i.anon = e.anon;)");
    {  // the statement is finalized before the close
      uptake::collector::Statement insert(
          db, "INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
      uptake::collector::for_each_stored_event(
          db, "", [&](const std::string& app, const uptake::collector::Event& e) {
            insert.bind(1, app).bind(2, e.id).bind(3, static_cast<std::int64_t>(e.type));
            insert.bind_or_null(4, e.name).bind(5, e.anon).bind_or_null(6, e.user);
            insert.bind(7, e.ts).bind(8, e.client_ts).bind(9, e.received_at);
            insert.bind_or_null(10, e.session).bind_or_null(11, e.app_version);
            insert.bind_or_null(12, e.props);
            insert.step();
            insert.reset();
          });
    }
    for (const char* t : {"event_blocks", "event_ids"}) {
      uptake::collector::exec_sql(db, (std::string("DROP TABLE ") + t).c_str());
    }
    uptake::collector::exec_sql(db, "PRAGMA user_version = 0");
    sqlite3_close(db);
  }
  start_collector();
  check_window(after, kBase + 2 * kDay, kBase + 30 * kDay, {"search", "export"});
  EXPECT_EQ(stored_events_int(path, "SELECT count(DISTINCT id) FROM events"), stored);
  // The ids moved too: a resend is all duplicates.
  std::string body;
  for (std::size_t i = 0; i < 50; ++i) body += to_line(kept[i]) + "\n";
  const auto resent =
      http_request(collector_->port(), "POST", "/v1/batch", {{"Authorization", "Bearer wk"}}, body);
  EXPECT_NE(resent.body.find(R"("accepted":0,"duplicates":50)"), std::string::npos) << resent.body;
  EXPECT_EQ(stored_events_int(path, kFingerprint), fingerprint);
}

TEST_P(Reports, ReportsAfterACrashCountEveryAcknowledgedEvent) {
  auto ev = random_events(5, 40, 20);
  send(ev);
  for (int i = 0; i < 30; ++i) {
    Ev e;
    e.id = "late-" + std::to_string(i);
    e.name = i % 2 ? "search" : "create";
    e.anon = "anon-late";
    e.ts = kBase + 3 * kDay + i * 60'000;
    ev.push_back(e);
  }
  send(std::vector<Ev>(ev.end() - 30, ev.end()));
  // Killed with no chance to write anything more: reports are rebuilt from what was committed.
  collector_->stop(SIGKILL);
  start_collector();
  check_window(Truth(ev), kBase, kBase + 25 * kDay, {"search", "create"});
}

TEST_P(Reports, CsvAuthAndBadParameters) {
  send(random_events(7, 10, 5));
  const auto from = "?from=" + day(kBase) + "&to=" + day(kBase + 9 * kDay);
  auto csv = http_request(collector_->port(), "GET", "/v1/reports/features" + from + "&format=csv",
                          {{"Authorization", "Bearer rk"}});
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.headers["content-type"], "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.substr(0, csv.body.find('\r')),
            "feature,users,uses,adoption_rate,new_users,new_user_pct");
  auto ov = http_request(collector_->port(), "GET", "/v1/reports/overview" + from + "&format=csv",
                         {{"Authorization", "Bearer rk"}});
  EXPECT_EQ(ov.body.substr(0, ov.body.find('\r')),
            "active_users,known_users,active_rate,events,sessions");
  EXPECT_EQ(http_request(collector_->port(), "GET", "/v1/reports/overview",
                         {{"Authorization", "Bearer wk"}})
                .status,
            403);
  EXPECT_EQ(http_request(collector_->port(), "GET", "/v1/reports/overview?app=demo",
                         {{"Authorization", "Bearer adm"}})
                .status,
            200);
  EXPECT_EQ(http_request(collector_->port(), "GET", "/v1/reports/overview",
                         {{"Authorization", "Bearer adm"}})
                .status,
            400);
  EXPECT_EQ(
      http_request(collector_->port(), "GET", "/v1/reports/nope", {{"Authorization", "Bearer rk"}})
          .status,
      404);
  EXPECT_EQ(http_request(collector_->port(), "GET", "/v1/reports/funnel",
                         {{"Authorization", "Bearer rk"}})
                .status,
            400);
  EXPECT_EQ(http_request(collector_->port(), "GET", "/v1/reports/overview?from=2026-02-30",
                         {{"Authorization", "Bearer rk"}})
                .status,
            400);
  EXPECT_EQ(
      http_request(collector_->port(), "GET", "/v1/reports/overview?from=2026-03-02&to=2026-03-01",
                   {{"Authorization", "Bearer rk"}})
          .status,
      400);
  EXPECT_EQ(http_request(collector_->port(), "GET", "/v1/reports/product-adoption?month=2026-13",
                         {{"Authorization", "Bearer rk"}})
                .status,
            400);
  auto dflt = get("/v1/reports/overview");
  EXPECT_EQ(std::string_view(dflt["to"]).size(), 10u);
}

INSTANTIATE_TEST_SUITE_P(Backends, Reports, ::testing::Values("sqlite", "clickhouse"),
                         [](const auto& info) { return info.param; });
