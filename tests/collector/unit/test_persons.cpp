// Persons resolved from the activity index's actors (storage/index/persons.hpp), as
// PROTOCOL.md's identity rule and METRICS.md's first seen, account and trait define them.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "reports/calendar.hpp"
#include "storage/index/persons.hpp"

using namespace uptake::collector;

namespace {

constexpr std::int64_t kDay0 = 20'454 * kDayMs;  // 2026-01-01T00:00Z

Event event(EventType type, std::string id, std::string anon, std::string user, std::int64_t ts,
            std::string name = "", std::string account = "", std::string props = "") {
  Event e;
  e.type = type;
  e.id = std::move(id);
  e.anon = std::move(anon);
  e.user = std::move(user);
  e.ts = ts;
  e.name = std::move(name);
  e.account = std::move(account);
  e.props = std::move(props);
  return e;
}

Event track(std::string id, std::string anon, std::string user, std::int64_t ts,
            std::string name = "export") {
  return event(EventType::track, std::move(id), std::move(anon), std::move(user), ts,
               std::move(name));
}
Event identify(std::string id, std::string anon, std::string user, std::int64_t ts,
               std::string props = "") {
  return event(EventType::identify, std::move(id), std::move(anon), std::move(user), ts, "", "",
               std::move(props));
}
Event group(std::string id, std::string anon, std::string user, std::int64_t ts,
            std::string account) {
  return event(EventType::group, std::move(id), std::move(anon), std::move(user), ts, "",
               std::move(account));
}

void fold(AppIndex& index, const std::vector<Event>& events) {
  for (const Event& e : events) index.add(view_of(e));
}

std::vector<std::string> names(const PersonTable& persons) {
  std::vector<std::string> out;
  for (std::uint32_t p = 0; p < persons.size(); ++p) out.emplace_back(persons.name(p));
  std::sort(out.begin(), out.end());
  return out;
}

std::uint32_t person_named(const PersonTable& persons, std::string_view name) {
  for (std::uint32_t p = 0; p < persons.size(); ++p) {
    if (persons.name(p) == name) return p;
  }
  ADD_FAILURE() << "no person " << name;
  return kNone;
}

std::string account_of(const AppIndex& ix, const PersonTable& persons, std::string_view person) {
  const std::uint32_t a = persons.account(person_named(persons, person));
  return a == kNone ? "" : std::string(ix.accounts.name(a));
}

}  // namespace

TEST(PersonTable, AnAnonTiedToAUserIsThatUser) {
  AppIndex ix;
  fold(ix, {track("1", "dev-a", "", kDay0 + 100), identify("2", "dev-a", "alice", kDay0 + 200),
            track("3", "dev-a", "alice", kDay0 + 300)});
  const PersonTable persons(ix);
  ASSERT_EQ(persons.size(), 1u);
  EXPECT_EQ(persons.person_of(ix.find_anon("dev-a")), persons.person_of(ix.find_user("alice")));
  EXPECT_EQ(persons.name(0), "alice");
  EXPECT_EQ(persons.actors_of(0).size(), 2u);
  EXPECT_EQ(persons.first_seen(0), kDay0 + 100);  // the anon's events are the person's
}

TEST(PersonTable, AnIdentifyTiesTheAnonBeforeAndAfterIt) {
  // The anon's events before its identify count for the user too (PROTOCOL.md "at any time").
  AppIndex ix;
  fold(ix, {identify("1", "dev-a", "alice", kDay0 + 500), track("2", "dev-a", "", kDay0 + 900),
            track("3", "dev-a", "", kDay0 + 10)});
  const PersonTable persons(ix);
  EXPECT_EQ(names(persons), std::vector<std::string>{"alice"});
}

TEST(PersonTable, TwoDevicesOfOneUserAreOnePerson) {
  AppIndex ix;
  fold(ix,
       {track("1", "laptop", "", kDay0), track("2", "phone", "", kDay0 + 1),
        identify("3", "laptop", "alice", kDay0 + 2), identify("4", "phone", "alice", kDay0 + 3)});
  const PersonTable persons(ix);
  ASSERT_EQ(persons.size(), 1u);
  EXPECT_EQ(persons.name(0), "alice");
  EXPECT_EQ(persons.actors_of(0).size(), 3u);  // laptop, phone, alice
  EXPECT_EQ(persons.person_of(ix.find_anon("laptop")), persons.person_of(ix.find_anon("phone")));
}

TEST(PersonTable, AnUntiedAnonNamedLikeAUserIsThatUser) {
  // Persons are ids: the same string is the same person.
  AppIndex ix;
  fold(ix, {track("1", "bob", "", kDay0), track("2", "other-device", "bob", kDay0 + 1)});
  const PersonTable persons(ix);
  ASSERT_EQ(persons.size(), 1u);
  EXPECT_EQ(persons.person_of(ix.find_anon("bob")), persons.person_of(ix.find_user("bob")));
  EXPECT_EQ(persons.name(0), "bob");
}

TEST(PersonTable, AnAnonTiedToAnotherUserIsNotTheUserOfItsName) {
  AppIndex ix;
  fold(ix, {track("1", "bob", "", kDay0), identify("2", "bob", "alice", kDay0 + 1),
            track("3", "x", "bob", kDay0 + 2)});
  const PersonTable persons(ix);
  EXPECT_EQ(names(persons), (std::vector<std::string>{"alice", "bob"}));
  EXPECT_EQ(persons.person_of(ix.find_anon("bob")), persons.person_of(ix.find_user("alice")));
  EXPECT_NE(persons.person_of(ix.find_anon("bob")), persons.person_of(ix.find_user("bob")));
}

TEST(PersonTable, UntiedAnonsArePersonsOfTheirOwn) {
  AppIndex ix;
  fold(ix, {track("1", "dev-a", "", kDay0), track("2", "dev-b", "", kDay0),
            track("3", "dev-a", "", kDay0 + 5)});
  const PersonTable persons(ix);
  EXPECT_EQ(names(persons), (std::vector<std::string>{"dev-a", "dev-b"}));
  for (std::uint32_t p = 0; p < persons.size(); ++p) EXPECT_EQ(persons.actors_of(p).size(), 1u);
}

TEST(PersonTable, EveryActorBelongsToExactlyOnePerson) {
  AppIndex ix;
  fold(ix, {track("1", "a1", "", kDay0), identify("2", "a1", "u1", kDay0),
            track("3", "a2", "", kDay0), track("4", "a3", "u2", kDay0), track("5", "u2", "", kDay0),
            identify("6", "a4", "u1", kDay0)});
  const PersonTable persons(ix);
  std::vector<int> seen(ix.actors().size(), 0);
  for (std::uint32_t p = 0; p < persons.size(); ++p) {
    for (std::uint32_t a : persons.actors_of(p)) {
      ++seen[a];
      EXPECT_EQ(persons.person_of(a), p);
    }
  }
  for (std::size_t a = 0; a < seen.size(); ++a) EXPECT_EQ(seen[a], 1) << ix.actors()[a].name;
  EXPECT_EQ(names(persons), (std::vector<std::string>{"a2", "u1", "u2"}));
}

TEST(PersonTable, FirstSeenIsTheEarliestInstallElseTheEarliestEvent) {
  AppIndex ix;
  fold(ix, {track("1", "dev-a", "", kDay0 + 50), track("2", "dev-a", "", kDay0 + 80, "$install"),
            track("3", "dev-b", "", kDay0 + 70), track("4", "dev-b", "", kDay0 + 60)});
  const PersonTable persons(ix);
  // An install that comes after an event still marks the start (METRICS.md "first seen").
  EXPECT_EQ(persons.first_seen(person_named(persons, "dev-a")), kDay0 + 80);
  EXPECT_EQ(persons.first_seen(person_named(persons, "dev-b")), kDay0 + 60);
}

TEST(PersonTable, FirstSeenTakesTheInstallOfAnyOfThePersonsDevices) {
  AppIndex ix;
  fold(ix,
       {track("1", "laptop", "alice", kDay0 + 10), track("2", "phone", "", kDay0 + 90, "$install"),
        identify("3", "phone", "alice", kDay0 + 95)});
  const PersonTable persons(ix);
  ASSERT_EQ(persons.size(), 1u);
  EXPECT_EQ(persons.first_seen(0), kDay0 + 90);
}

TEST(PersonTable, TheAccountIsTheLatestGroupOverAllThePersonsActors) {
  AppIndex ix;
  // A group sent by the device before the identify counts for the person it is tied to.
  fold(ix,
       {group("1", "dev-a", "", kDay0 + 300, "acme"), identify("2", "dev-a", "alice", kDay0 + 400),
        group("3", "dev-b", "alice", kDay0 + 200, "globex"), track("4", "dev-c", "", kDay0)});
  const PersonTable persons(ix);
  EXPECT_EQ(account_of(ix, persons, "alice"), "acme");
  EXPECT_EQ(account_of(ix, persons, "dev-c"), "");  // no group: no account
}

TEST(PersonTable, AtEqualTimesAcrossActorsTheGreaterAccountWins) {
  for (const auto& [first, second] : {std::pair{"alpha", "beta"}, std::pair{"beta", "alpha"}}) {
    AppIndex ix;
    fold(ix, {group("1", "dev-a", "", kDay0 + 300, first), identify("2", "dev-a", "alice", kDay0),
              group("3", "dev-b", "alice", kDay0 + 300, second)});
    const PersonTable persons(ix);
    EXPECT_EQ(account_of(ix, persons, "alice"), "beta") << first;
  }
}

TEST(PersonTable, ATraitIsThePersonsLatestIdentifyCarryingIt) {
  AppIndex ix;
  fold(ix, {identify("1", "dev-a", "alice", kDay0 + 100, R"({"plan":"pro","role":"admin"})"),
            identify("2", "dev-b", "alice", kDay0 + 200, R"({"plan":"team"})"),
            identify("3", "dev-c", "bob", kDay0 + 300, R"({"plan":"free"})")});
  const PersonTable persons(ix);
  const std::uint32_t alice = person_named(persons, "alice");
  const TraitValue* plan = persons.trait(alice, ix.trait_keys.find("plan"));
  ASSERT_NE(plan, nullptr);
  EXPECT_EQ(ix.trait_values.name(plan->value), "team");
  const TraitValue* role = persons.trait(alice, ix.trait_keys.find("role"));
  ASSERT_NE(role, nullptr);
  EXPECT_EQ(ix.trait_values.name(role->value), "admin");
  const std::uint32_t bob = person_named(persons, "bob");
  EXPECT_EQ(persons.trait(bob, ix.trait_keys.find("role")), nullptr);
  EXPECT_EQ(ix.trait_values.name(persons.trait(bob, ix.trait_keys.find("plan"))->value), "free");
}

TEST(PersonTable, ALateIdentifyNeedsANewTable) {
  AppIndex ix;
  fold(ix, {track("1", "dev-a", "", kDay0), track("2", "dev-b", "alice", kDay0)});
  const PersonTable before(ix);
  EXPECT_EQ(before.size(), 2u);
  EXPECT_EQ(before.identity_generation(), ix.identity_generation());
  fold(ix, {identify("3", "dev-a", "alice", kDay0 + 1)});
  EXPECT_NE(before.identity_generation(), ix.identity_generation());  // stale now
  const PersonTable after(ix);
  EXPECT_EQ(after.size(), 1u);
  EXPECT_EQ(after.name(0), "alice");
}
