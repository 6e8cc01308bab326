// The activity index of one app (storage/index/app_index.hpp): events folded into per-actor
// records, the same whatever order they arrive in, with METRICS.md's tie-breaks.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "reports/calendar.hpp"
#include "storage/index/app_index.hpp"

using namespace uptake::collector;

namespace {

constexpr std::int64_t kDay0 = 20'454 * kDayMs;  // 2026-01-01T00:00Z

Event track(std::string id, std::string anon, std::string user, std::int64_t ts, std::string name,
            std::string props = "") {
  Event e;
  e.id = std::move(id);
  e.type = EventType::track;
  e.anon = std::move(anon);
  e.user = std::move(user);
  e.ts = ts;
  e.name = std::move(name);
  e.props = std::move(props);
  return e;
}

Event identify(std::string id, std::string anon, std::string user, std::int64_t ts,
               std::string props = "") {
  Event e = track(std::move(id), std::move(anon), std::move(user), ts, "", std::move(props));
  e.type = EventType::identify;
  return e;
}

Event group(std::string id, std::string anon, std::string user, std::int64_t ts,
            std::string account, std::string props = "") {
  Event e = track(std::move(id), std::move(anon), std::move(user), ts, "", std::move(props));
  e.type = EventType::group;
  e.account = std::move(account);
  return e;
}

void fold(AppIndex& index, const std::vector<Event>& events) {
  for (const Event& e : events) index.add(view_of(e));
}

std::string name_of(const Dictionary& d, std::uint32_t id) {
  return id == kNone ? "-" : std::string(d.name(id));
}

// Everything the index holds, written with names instead of ids (ids depend on arrival order)
// and with sets sorted: two indexes of the same events must give the same text.
std::string snapshot(const AppIndex& ix) {
  std::vector<std::string> actors;
  for (const Actor& a : ix.actors()) {
    std::ostringstream o;
    o << (a.is_user ? "user " : "anon ") << a.name << " first=" << a.first_ts
      << " install=" << a.install_ts
      << " tie=" << (a.tie == kNone ? std::string("-") : ix.actors()[a.tie].name) << "@" << a.tie_ts
      << " account=" << name_of(ix.accounts, a.account) << "@" << a.group_ts << "\n days:";
    for (const DayEvents& d : a.days) o << " " << d.day << "x" << d.events;
    std::vector<std::string> lines;
    for (const FeatureDay& f : a.feature_days) {
      lines.push_back(std::to_string(f.day) + "/" + name_of(ix.features, f.feature) +
                      " uses=" + std::to_string(f.uses) + " " + std::to_string(f.first_ms) + ".." +
                      std::to_string(f.last_ms));
    }
    for (const FirstTime& f : a.feature_first)
      lines.push_back("first " + name_of(ix.features, f.what) + "@" + std::to_string(f.ts));
    for (const VersionDay& v : a.version_days) {
      lines.push_back(std::to_string(v.day) + "/v" + name_of(ix.versions, v.version) + " x" +
                      std::to_string(v.events));
    }
    for (const FirstTime& v : a.version_first)
      lines.push_back("first v" + name_of(ix.versions, v.what) + "@" + std::to_string(v.ts));
    for (const SessionDay& s : a.sessions) {
      lines.push_back("session " + std::to_string(s.day) + ":" + std::to_string(s.hi) + ":" +
                      std::to_string(s.lo));
    }
    for (const Marker& m : a.markers) {
      const Dictionary& subjects = m.kind >= MarkerKind::survey_shown ? ix.surveys : ix.tips;
      lines.push_back("marker " + std::to_string(static_cast<int>(m.kind)) + "@" +
                      std::to_string(m.ts) + " " + name_of(subjects, m.subject) + " " +
                      name_of(ix.features, m.feature) + " " + name_of(ix.choices, m.choice) + " " +
                      name_of(ix.event_ids, m.id) + " " +
                      (m.has_value ? std::to_string(m.value) : "-"));
    }
    for (const TraitValue& t : a.traits) {
      lines.push_back("trait " + name_of(ix.trait_keys, t.key) + "=" +
                      name_of(ix.trait_values, t.value) + "@" + std::to_string(t.ts) + " " +
                      name_of(ix.event_ids, t.event_id));
    }
    std::sort(lines.begin(), lines.end());
    for (const std::string& l : lines) o << "\n " << l;
    actors.push_back(o.str());
  }
  std::vector<std::string> account_traits;
  for (const auto& [key, t] : ix.account_traits) {
    account_traits.push_back("account " +
                             name_of(ix.accounts, static_cast<std::uint32_t>(key >> 32)) + " " +
                             name_of(ix.trait_keys, t.key) + "=" +
                             name_of(ix.trait_values, t.value) + "@" + std::to_string(t.ts));
  }
  std::sort(actors.begin(), actors.end());
  std::sort(account_traits.begin(), account_traits.end());
  std::string out;
  for (const auto& s : actors) out += s + "\n";
  for (const auto& s : account_traits) out += s + "\n";
  return out;
}

// A small app's history: installs, features on several days, versions, sessions, identities
// that tie and re-tie, accounts, traits, tips and surveys.
std::vector<Event> history() {
  const std::int64_t h = 3'600'000;
  std::vector<Event> e = {
      track("1", "dev-a", "", kDay0 + 1 * h, "$install"),
      track("2", "dev-a", "", kDay0 + 2 * h, "export"),
      track("3", "dev-a", "", kDay0 + 2 * h + 5, "export"),
      track("4", "dev-a", "", kDay0 + kDayMs + h, "share"),
      identify("5", "dev-a", "alice", kDay0 + 3 * h, R"({"plan":"pro","seats":5})"),
      identify("6", "dev-a", "alice", kDay0 + 30 * h, R"({"plan":"team"})"),
      identify("7", "dev-b", "alice", kDay0 + 4 * h),
      identify("8", "dev-b", "bob", kDay0 + 4 * h),  // equal times: alice (smaller) keeps dev-b
      track("9", "dev-b", "alice", kDay0 + 5 * h, "export"),
      group("10", "dev-a", "alice", kDay0 + 6 * h, "acme", R"({"name":"Acme","wave":"pilot"})"),
      group("11", "dev-c", "carol", kDay0 + 6 * h, "acme", R"({"name":"ACME Inc"})"),
      group("12", "dev-a", "alice", kDay0 + 6 * h, "globex"),  // equal times: globex > acme
      track("13", "dev-c", "carol", kDay0 + 7 * h, "$tip_shown",
            R"({"tip":"tip-export","feature":"export"})"),
      track("14", "dev-c", "carol", kDay0 + 8 * h, "export"),
      track("15", "dev-d", "", kDay0 + 9 * h, "$tip_held_out",
            R"({"tip":"tip-export","feature":"export"})"),
      track("16", "dev-d", "", kDay0 + 10 * h, "$survey_answered",
            R"({"survey":"nps-q1","score":9})"),
      track("17", "dev-d", "", kDay0 + 11 * h, "$survey_answered",
            R"({"survey":"pick","choice":"yes"})"),
      track("18", "dev-d", "", kDay0 + 12 * h, "$first_action",
            R"({"feature":"export","ms_since_install":1234})"),
      track("19", "dev-e", "", kDay0 - kDayMs, "export"),  // the day before
  };
  const char* versions[] = {"1.0", "1.0", "1.1", "1.1", "2.0"};
  const char* sessions[] = {"s1", "s1", "s2", "", "s3"};
  for (std::size_t i = 0; i < e.size(); ++i) {
    e[i].app_version = versions[i % 5];
    e[i].session = sessions[i % 5];
  }
  return e;
}

}  // namespace

TEST(AppIndex, AnEventsActorIsItsUserElseItsAnon) {
  AppIndex ix;
  fold(ix,
       {track("1", "dev-a", "", kDay0, "export"), track("2", "dev-a", "alice", kDay0, "share")});
  ASSERT_EQ(ix.actors().size(), 2u);
  const std::uint32_t anon = ix.find_anon("dev-a"), user = ix.find_user("alice");
  ASSERT_NE(anon, kNone);
  ASSERT_NE(user, kNone);
  EXPECT_FALSE(ix.actors()[anon].is_user);
  EXPECT_TRUE(ix.actors()[user].is_user);
  EXPECT_EQ(ix.find_user("dev-a"), kNone);
  EXPECT_EQ(ix.find_anon("alice"), kNone);
  EXPECT_EQ(ix.find_user("nobody"), kNone);
}

TEST(AppIndex, FoldingIsTheSameWhateverTheOrder) {
  const std::vector<Event> events = history();
  AppIndex in_order;
  fold(in_order, events);
  const std::string expected = snapshot(in_order);

  std::vector<Event> reversed(events.rbegin(), events.rend());
  AppIndex backwards;
  fold(backwards, reversed);
  EXPECT_EQ(snapshot(backwards), expected);

  std::mt19937 rng(20260101);
  for (int round = 0; round < 20; ++round) {
    std::vector<Event> shuffled = events;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    AppIndex ix;
    fold(ix, shuffled);
    ASSERT_EQ(snapshot(ix), expected) << "round " << round;
  }
}

TEST(AppIndex, DaysFeaturesAndVersionsAreSortedSums) {
  AppIndex ix;
  Event late = track("3", "dev-a", "", kDay0 + 2 * kDayMs + 500, "export");
  late.app_version = "2.0";
  Event early = track("1", "dev-a", "", kDay0 + 100, "export");
  early.app_version = "2.0";
  fold(ix, {late, early, track("2", "dev-a", "", kDay0 + 900, "export")});
  const Actor& a = ix.actors()[ix.find_anon("dev-a")];
  ASSERT_EQ(a.days.size(), 2u);
  EXPECT_EQ(a.days[0].day, 20'454);
  EXPECT_EQ(a.days[0].events, 2u);
  EXPECT_EQ(a.days[1].day, 20'456);
  EXPECT_EQ(a.first_ts, kDay0 + 100);
  ASSERT_EQ(a.feature_days.size(), 2u);
  EXPECT_EQ(a.feature_days[0].uses, 2u);
  EXPECT_EQ(a.feature_days[0].first_ms, 100u);  // since that day's midnight
  EXPECT_EQ(a.feature_days[0].last_ms, 900u);
  ASSERT_EQ(a.feature_first.size(), 1u);
  EXPECT_EQ(a.feature_first[0].ts, kDay0 + 100);
  ASSERT_EQ(a.version_first.size(), 1u);
  EXPECT_EQ(a.version_first[0].ts, kDay0 + 100);
  EXPECT_EQ(a.version_days.size(), 2u);
}

TEST(AppIndex, NamesStartingWithADollarAreNeverFeatures) {
  AppIndex ix;
  fold(ix, {track("1", "dev-a", "", kDay0 + 50, "$install"),
            track("2", "dev-a", "", kDay0 + 10, "$session_start"),
            track("3", "dev-a", "", kDay0 + 20, "$install")});
  EXPECT_EQ(ix.features.find("$install"), kNone);
  EXPECT_EQ(ix.features.find("$session_start"), kNone);
  const Actor& a = ix.actors()[ix.find_anon("dev-a")];
  EXPECT_TRUE(a.feature_days.empty());
  EXPECT_EQ(a.install_ts, kDay0 + 20);  // the earliest $install
  EXPECT_EQ(a.first_ts, kDay0 + 10);
}

TEST(AppIndex, TheEarliestIdentifyTiesAnAnon) {
  const std::vector<Event> events = {identify("1", "dev-a", "later", kDay0 + 200),
                                     identify("2", "dev-a", "earlier", kDay0 + 100)};
  for (bool reverse : {false, true}) {
    AppIndex ix;
    fold(ix, reverse ? std::vector<Event>(events.rbegin(), events.rend()) : events);
    const Actor& anon = ix.actors()[ix.find_anon("dev-a")];
    ASSERT_NE(anon.tie, kNone);
    EXPECT_EQ(ix.actors()[anon.tie].name, "earlier") << reverse;
    EXPECT_EQ(anon.tie_ts, kDay0 + 100);
  }
}

TEST(AppIndex, AtEqualTimesTheSmallerUserTiesTheAnon) {
  const std::vector<Event> events = {identify("1", "dev-a", "zoe", kDay0),
                                     identify("2", "dev-a", "adam", kDay0)};
  for (bool reverse : {false, true}) {
    AppIndex ix;
    fold(ix, reverse ? std::vector<Event>(events.rbegin(), events.rend()) : events);
    const Actor& anon = ix.actors()[ix.find_anon("dev-a")];
    EXPECT_EQ(ix.actors()[anon.tie].name, "adam") << reverse;
  }
}

TEST(AppIndex, TheLatestGroupIsTheActorsAccount) {
  const std::vector<Event> events = {group("1", "dev-a", "", kDay0 + 200, "newer"),
                                     group("2", "dev-a", "", kDay0 + 100, "older")};
  for (bool reverse : {false, true}) {
    AppIndex ix;
    fold(ix, reverse ? std::vector<Event>(events.rbegin(), events.rend()) : events);
    const Actor& a = ix.actors()[ix.find_anon("dev-a")];
    EXPECT_EQ(name_of(ix.accounts, a.account), "newer") << reverse;
    EXPECT_EQ(a.group_ts, kDay0 + 200);
  }
}

TEST(AppIndex, AtEqualTimesTheGreaterAccountWins) {
  const std::vector<Event> events = {group("1", "dev-a", "u", kDay0, "beta"),
                                     group("2", "dev-a", "u", kDay0, "alpha"),
                                     group("3", "dev-a", "u", kDay0, "Zeta")};  // 'Z' < 'b'
  for (bool reverse : {false, true}) {
    AppIndex ix;
    fold(ix, reverse ? std::vector<Event>(events.rbegin(), events.rend()) : events);
    EXPECT_EQ(name_of(ix.accounts, ix.actors()[ix.find_user("u")].account), "beta") << reverse;
  }
}

TEST(AppIndex, ATraitIsTheLatestIdentifyCarryingItsKey) {
  const std::vector<Event> events = {
      identify("1", "dev-a", "alice", kDay0 + 100, R"({"plan":"pro","seats":5})"),
      identify("2", "dev-a", "alice", kDay0 + 200, R"({"plan":"free"})"),
      identify("3", "dev-a", "alice", kDay0 + 300, R"({"role":"admin"})"),
      identify("4", "dev-a", "alice", kDay0 + 50, R"({"role":"viewer","plan":"trial"})")};
  for (bool reverse : {false, true}) {
    AppIndex ix;
    fold(ix, reverse ? std::vector<Event>(events.rbegin(), events.rend()) : events);
    std::map<std::string, std::string> traits;
    for (const TraitValue& t : ix.actors()[ix.find_user("alice")].traits)
      traits[name_of(ix.trait_keys, t.key)] = name_of(ix.trait_values, t.value);
    EXPECT_EQ(traits, (std::map<std::string, std::string>{
                          {"plan", "free"}, {"role", "admin"}, {"seats", "-"}}))
        << reverse;
  }
}

TEST(AppIndex, AtEqualTimesTheGreaterEventIdWinsATrait) {
  const std::vector<Event> events = {identify("e-2", "dev-a", "alice", kDay0, R"({"plan":"b"})"),
                                     identify("e-1", "dev-a", "alice", kDay0, R"({"plan":"a"})"),
                                     identify("e-10", "dev-a", "alice", kDay0, R"({"plan":"c"})")};
  for (bool reverse : {false, true}) {
    AppIndex ix;
    fold(ix, reverse ? std::vector<Event>(events.rbegin(), events.rend()) : events);
    const auto& traits = ix.actors()[ix.find_user("alice")].traits;
    ASSERT_EQ(traits.size(), 1u);
    EXPECT_EQ(name_of(ix.trait_values, traits[0].value), "b") << reverse;  // "e-2" > "e-10"
  }
}

TEST(AppIndex, AKeyGivenTwiceInOneEventKeepsItsLastValue) {
  // As a JSON parser reads {"plan":"free","plan":"pro"}: the trait is pro, for persons and
  // accounts alike.
  AppIndex ix;
  fold(ix,
       {identify("1", "dev-a", "alice", kDay0, R"({"plan":"free","role":"x","plan":"pro"})"),
        group("2", "dev-a", "alice", kDay0 + 1, "acme", R"({"name":"First","name":"Second"})")});
  std::map<std::string, std::string> traits;
  for (const TraitValue& t : ix.actors()[ix.find_user("alice")].traits)
    traits[name_of(ix.trait_keys, t.key)] = name_of(ix.trait_values, t.value);
  EXPECT_EQ(traits, (std::map<std::string, std::string>{{"plan", "pro"}, {"role", "x"}}));
  ASSERT_EQ(ix.account_traits.size(), 1u);
  EXPECT_EQ(name_of(ix.trait_values, ix.account_traits.begin()->second.value), "Second");
}

TEST(AppIndex, ATraitThatIsNotAStringCarriesItsKeyButNoValue) {
  // The latest identify carrying the key decides, even when its value can never match.
  const std::vector<Event> events = {
      identify("1", "dev-a", "alice", kDay0 + 100, R"({"plan":"pro"})"),
      identify("2", "dev-a", "alice", kDay0 + 200,
               R"({"plan":3,"vip":true,"tags":["a"],"nothing":null,"nested":{"x":"y"}})")};
  for (bool reverse : {false, true}) {
    AppIndex ix;
    fold(ix, reverse ? std::vector<Event>(events.rbegin(), events.rend()) : events);
    const auto& traits = ix.actors()[ix.find_user("alice")].traits;
    ASSERT_EQ(traits.size(), 5u);
    for (const TraitValue& t : traits) {
      EXPECT_EQ(t.value, kNone) << name_of(ix.trait_keys, t.key);
      EXPECT_EQ(t.ts, kDay0 + 200);
    }
  }
}

TEST(AppIndex, AnAccountTraitIsTheLatestGroupForThatAccount) {
  // Whoever sent it: a later group by another person of the account renames it.
  const std::vector<Event> events = {
      group("1", "dev-a", "alice", kDay0 + 100, "acme", R"({"name":"Acme","tier":"gold"})"),
      group("2", "dev-b", "bob", kDay0 + 200, "acme", R"({"name":"ACME Inc"})"),
      group("3", "dev-c", "carol", kDay0 + 300, "globex", R"({"name":"Globex"})")};
  for (bool reverse : {false, true}) {
    AppIndex ix;
    fold(ix, reverse ? std::vector<Event>(events.rbegin(), events.rend()) : events);
    auto value = [&](const char* account, const char* key) {
      const auto it = ix.account_traits.find(
          AppIndex::account_trait_key(ix.accounts.find(account), ix.trait_keys.find(key)));
      return it == ix.account_traits.end() ? std::string("absent")
                                           : name_of(ix.trait_values, it->second.value);
    };
    EXPECT_EQ(value("acme", "name"), "ACME Inc") << reverse;
    EXPECT_EQ(value("acme", "tier"), "gold") << reverse;
    EXPECT_EQ(value("globex", "name"), "Globex") << reverse;
    EXPECT_EQ(value("globex", "tier"), "absent") << reverse;
  }
}

TEST(AppIndex, TraitsOfTrackEventsAreNotTraits) {
  AppIndex ix;
  fold(ix, {track("1", "dev-a", "alice", kDay0, "export", R"({"plan":"pro"})")});
  EXPECT_TRUE(ix.actors()[ix.find_user("alice")].traits.empty());
  EXPECT_EQ(ix.trait_keys.find("plan"), kNone);
}

TEST(AppIndex, MarkersKeepWhatReportsRead) {
  AppIndex ix;
  fold(ix,
       {track("m1", "dev-a", "", kDay0, "$tip_shown", R"({"tip":"t1","feature":"export"})"),
        track("m2", "dev-a", "", kDay0 + 1, "$survey_answered", R"({"survey":"nps","score":9.0})"),
        track("m3", "dev-a", "", kDay0 + 2, "$first_action",
              R"({"feature":"share","ms_since_install":4321})")});
  const auto& markers = ix.actors()[ix.find_anon("dev-a")].markers;
  ASSERT_EQ(markers.size(), 3u);
  EXPECT_EQ(markers[0].kind, MarkerKind::tip_shown);
  EXPECT_EQ(name_of(ix.tips, markers[0].subject), "t1");
  EXPECT_EQ(name_of(ix.features, markers[0].feature), "export");
  EXPECT_EQ(markers[1].kind, MarkerKind::survey_answered);
  EXPECT_EQ(name_of(ix.surveys, markers[1].subject), "nps");
  EXPECT_TRUE(markers[1].has_value);
  EXPECT_EQ(markers[1].value, 9);
  EXPECT_EQ(markers[2].kind, MarkerKind::first_action);
  EXPECT_EQ(markers[2].value, 4321);
  EXPECT_EQ(name_of(ix.event_ids, markers[2].id), "m3");
  EXPECT_TRUE(ix.actors()[ix.find_anon("dev-a")].feature_days.empty());  // markers are no uses
}

TEST(AppIndex, IdentityGenerationGrowsWhenWhoIsWhomMayChange) {
  AppIndex ix;
  fold(ix, {track("1", "dev-a", "", kDay0, "export")});
  const std::uint64_t before = ix.identity_generation(), events = ix.generation();
  fold(ix, {track("2", "dev-a", "", kDay0 + 1, "export")});
  EXPECT_EQ(ix.identity_generation(), before);  // one more use changes nobody
  EXPECT_GT(ix.generation(), events);
  fold(ix, {identify("3", "dev-a", "alice", kDay0 + 2)});
  const std::uint64_t tied = ix.identity_generation();
  EXPECT_GT(tied, before);
  fold(ix, {group("4", "dev-a", "alice", kDay0 + 3, "acme")});
  EXPECT_GT(ix.identity_generation(), tied);
}

TEST(AppIndex, ANewInstallIsANewPersonSoTheIdentityGenerationGrows) {
  // Person tables are rebuilt only when this grows: a new anon must make it grow, or the
  // install stays out of every report until someone identifies.
  AppIndex ix;
  fold(ix, {track("1", "dev-a", "", kDay0, "export")});
  const std::uint64_t before = ix.identity_generation();
  fold(ix, {track("2", "dev-b", "", kDay0 + 1, "export")});
  EXPECT_GT(ix.identity_generation(), before);
}
