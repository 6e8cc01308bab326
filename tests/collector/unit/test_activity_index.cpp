// The SQLite store's report engine (storage/index/activity_index.hpp) through its public API:
// events added, reports asked for, identities that change between reports.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "reports/calendar.hpp"
#include "reports/render.hpp"
#include "storage/index/activity_index.hpp"
#include "storage/store.hpp"

using namespace uptake::collector;

namespace {

const std::int64_t kFrom = parse_day("2026-03-01").value();
const std::int64_t kTo = parse_day("2026-03-31").value();
const std::int64_t kMar1 = kFrom * kDayMs;
constexpr std::int64_t kHour = 3'600'000;

Event event(EventType type, std::string id, std::string anon, std::string user, std::int64_t ts,
            std::string name = "", std::string props = "", std::string account = "") {
  Event e;
  e.type = type;
  e.id = std::move(id);
  e.anon = std::move(anon);
  e.user = std::move(user);
  e.ts = ts;
  e.name = std::move(name);
  e.props = std::move(props);
  e.account = std::move(account);
  return e;
}
Event track(std::string id, std::string anon, std::string user, std::int64_t ts, std::string name,
            std::string props = "") {
  return event(EventType::track, std::move(id), std::move(anon), std::move(user), ts,
               std::move(name), std::move(props));
}
Event identify(std::string id, std::string anon, std::string user, std::int64_t ts,
               std::string props = "") {
  return event(EventType::identify, std::move(id), std::move(anon), std::move(user), ts, "",
               std::move(props));
}
Event group(std::string id, std::string anon, std::string user, std::int64_t ts,
            std::string account, std::string props = "") {
  return event(EventType::group, std::move(id), std::move(anon), std::move(user), ts, "",
               std::move(props), std::move(account));
}

ReportRequest request(std::string name, std::string app = "notes") {
  ReportRequest r;
  r.name = std::move(name);
  r.app = std::move(app);
  r.from_day = kFrom;
  r.to_day = kTo;
  if (r.name == "funnel") r.feature = "export";
  if (r.name == "retention") r.interval = Interval::week;
  return r;
}

std::int64_t int_field(const Report& r, std::string_view name) {
  for (const auto& [n, v] : r.fields) {
    if (n == name) return std::get<std::int64_t>(v);
  }
  ADD_FAILURE() << "no field " << name;
  return -1;
}

std::string csv(ActivityIndex& index, const ReportRequest& r) {
  return render_csv(index.report(r));
}

// A loaded index holding `events` of "notes", added in batches of `batch`.
std::unique_ptr<ActivityIndex> index_of(const std::vector<Event>& events, std::size_t batch = 3) {
  auto index = std::make_unique<ActivityIndex>();
  index->mark_loaded();
  for (std::size_t i = 0; i < events.size(); i += batch) {
    index->add("notes", std::vector<Event>(events.begin() + static_cast<std::ptrdiff_t>(i),
                                           events.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                                events.size(), i + batch))));
  }
  return index;
}

// A month of a small app: two people who come back, a tip and its control group, a survey,
// an account, versions.
std::vector<Event> month() {
  std::vector<Event> e = {
      track("1", "dev-a", "", kMar1 + 1 * kHour, "$install"),
      track("2", "dev-a", "", kMar1 + 2 * kHour, "$tip_shown",
            R"({"tip":"tip-export","feature":"export"})"),
      track("3", "dev-a", "", kMar1 + 3 * kHour, "export"),
      identify("4", "dev-a", "alice", kMar1 + 4 * kHour, R"({"plan":"pro"})"),
      group("5", "dev-a", "alice", kMar1 + 5 * kHour, "acme", R"({"name":"Acme"})"),
      track("6", "dev-a", "alice", kMar1 + 8 * kDayMs, "export"),
      track("7", "dev-a", "alice", kMar1 + 9 * kDayMs, "share"),
      track("8", "dev-b", "", kMar1 + 2 * kDayMs, "$install"),
      track("9", "dev-b", "", kMar1 + 2 * kDayMs + kHour, "$tip_held_out",
            R"({"tip":"tip-export","feature":"export"})"),
      track("10", "dev-b", "", kMar1 + 3 * kDayMs, "share"),
      track("11", "dev-b", "", kMar1 + 4 * kDayMs, "$survey_shown", R"({"survey":"nps-q1"})"),
      track("12", "dev-b", "", kMar1 + 4 * kDayMs + 1, "$survey_answered",
            R"({"survey":"nps-q1","score":10})"),
      track("13", "dev-c", "bob", kMar1 + 15 * kDayMs, "export"),
      track("14", "dev-c", "bob", kMar1 - 3 * kDayMs, "export"),  // before the window
  };
  for (std::size_t i = 0; i < e.size(); ++i) {
    e[i].app_version = i < 7 ? "1.0" : "1.1";
    e[i].session = "s" + std::to_string(i % 4);
  }
  return e;
}

}  // namespace

TEST(ActivityIndex, AReportCountsEventsQueuedJustBefore) {
  ActivityIndex index;
  index.mark_loaded();
  index.add("notes",
            {track("1", "dev-a", "", kMar1, "export"), track("2", "dev-a", "", kMar1 + 1, "export"),
             track("3", "dev-b", "", kMar1 + 2, "share")});
  // No waiting for the background fold: the report folds what is queued first.
  const Report first = index.report(request("overview"));
  EXPECT_EQ(int_field(first, "active_users"), 2);
  EXPECT_EQ(int_field(first, "events"), 3);
  index.add("notes", {track("4", "dev-c", "", kMar1 + 3, "export")});
  const Report second = index.report(request("overview"));
  EXPECT_EQ(int_field(second, "active_users"), 3);
  EXPECT_EQ(int_field(second, "events"), 4);
}

TEST(ActivityIndex, ANewInstallIsCountedByTheNextReport) {
  // An app whose people never identify: the person table built for the first report must not
  // hide the installs that arrive after it.
  ActivityIndex index;
  index.mark_loaded();
  index.add("notes", {track("1", "dev-a", "", kMar1, "export")});
  EXPECT_EQ(int_field(index.report(request("overview")), "active_users"), 1);
  index.add("notes", {track("2", "dev-b", "", kMar1 + kDayMs, "$install"),
                      track("3", "dev-b", "", kMar1 + kDayMs + 1, "export")});
  const Report r = index.report(request("overview"));
  EXPECT_EQ(int_field(r, "active_users"), 2);
  EXPECT_EQ(int_field(r, "known_users"), 2);
  EXPECT_EQ(int_field(r, "events"), 3);
  EXPECT_EQ(csv(index, request("features")),
            "feature,users,uses,adoption_rate,new_users,new_user_pct\r\n"
            "export,2,2,1.0,2,100.0\r\n");
}

// PersonTable caches each person's first seen: an earlier event or a late $install of an actor
// the index already knows must rebuild it (known users, signups, cohorts, first-action
// durations read it).
TEST(ActivityIndex, AnOlderEventArrivingLateMovesFirstSeenInTheNextReport) {
  // Batches arrive out of order (a resend after a 503 overtaken by a later batch): the index
  // folds whatever order they come in, and the next report sees the earlier first seen.
  ActivityIndex index;
  index.mark_loaded();
  ReportRequest early_march = request("overview");
  early_march.to_day = kFrom + 4;
  index.add("notes", {track("2", "dev-a", "", kMar1 + 9 * kDayMs, "export")});
  EXPECT_EQ(int_field(index.report(early_march), "known_users"), 0);
  index.add("notes", {track("1", "dev-a", "", kMar1 + kDayMs, "export")});
  const Report r = index.report(early_march);
  EXPECT_EQ(int_field(r, "active_users"), 1);
  EXPECT_EQ(int_field(r, "known_users"), 1);
}

TEST(ActivityIndex, AnInstallArrivingLateMovesFirstSeenInTheNextReport) {
  ActivityIndex index;
  index.mark_loaded();
  index.add("notes", {track("2", "dev-a", "", kMar1 + 2 * kDayMs, "export")});
  ReportRequest product = request("product-adoption");
  product.month = "2026-03";
  EXPECT_EQ(int_field(index.report(product), "signups"), 1);
  // Its $install says it was first seen in February: no signup of March after all.
  index.add("notes", {track("1", "dev-a", "", kMar1 - 3 * kDayMs, "$install")});
  EXPECT_EQ(int_field(index.report(product), "signups"), 0);
}

TEST(ActivityIndex, CountsOnlyTheWindowsEvents) {
  ActivityIndex index;
  index.mark_loaded();
  index.add("notes",
            {track("1", "dev-a", "", kMar1 - 1, "export"), track("2", "dev-b", "", kMar1, "export"),
             track("3", "dev-c", "", (kTo + 1) * kDayMs - 1, "export"),
             track("4", "dev-d", "", (kTo + 1) * kDayMs, "export")});
  const Report r = index.report(request("overview"));
  EXPECT_EQ(int_field(r, "active_users"), 2);
  EXPECT_EQ(int_field(r, "events"), 2);
  EXPECT_EQ(int_field(r, "known_users"), 3);  // dev-a was first seen before the window
}

TEST(ActivityIndex, AppsAreKeptApart) {
  ActivityIndex index;
  index.mark_loaded();
  index.add("notes", {track("1", "dev-a", "", kMar1, "export")});
  index.add("maps",
            {track("1", "dev-a", "", kMar1, "export"), track("2", "dev-b", "", kMar1, "route")});
  EXPECT_EQ(int_field(index.report(request("overview", "notes")), "active_users"), 1);
  EXPECT_EQ(int_field(index.report(request("overview", "maps")), "active_users"), 2);
  EXPECT_EQ(int_field(index.report(request("overview", "unknown")), "active_users"), 0);
}

TEST(ActivityIndex, AnAppWithoutEventsGivesAnEmptyReport) {
  ActivityIndex index;
  index.mark_loaded();
  const Report r = index.report(request("overview", "nothing-yet"));
  EXPECT_EQ(int_field(r, "active_users"), 0);
  EXPECT_EQ(int_field(r, "events"), 0);
  EXPECT_EQ(render_csv(index.report(request("features", "nothing-yet"))),
            "feature,users,uses,adoption_rate,new_users,new_user_pct\r\n");
}

TEST(ActivityIndex, ALateIdentifyMergesPersonsInTheNextReport) {
  ActivityIndex index;
  index.mark_loaded();
  index.add("notes", {track("1", "dev-a", "", kMar1, "export"),
                      track("2", "dev-b", "alice", kMar1 + 1, "export")});
  EXPECT_EQ(int_field(index.report(request("overview")), "active_users"), 2);
  index.add("notes", {identify("3", "dev-a", "alice", kMar1 + 2)});
  EXPECT_EQ(int_field(index.report(request("overview")), "active_users"), 1);
}

TEST(ActivityIndex, FeaturesOfAFewEvents) {
  ActivityIndex index;
  index.mark_loaded();
  index.add(
      "notes",
      {track("1", "dev-a", "", kMar1 - kDayMs, "export"),  // first use, earlier
       track("2", "dev-a", "", kMar1, "export"), track("3", "dev-b", "", kMar1, "export"),
       track("4", "dev-b", "", kMar1 + 1, "export"), track("5", "dev-b", "", kMar1 + 2, "share"),
       track("6", "dev-c", "", kMar1 + 3, "$session_start")});
  EXPECT_EQ(csv(index, request("features")),
            "feature,users,uses,adoption_rate,new_users,new_user_pct\r\n"
            "export,2,3,0.6666666666666666,1,50.0\r\n"
            "share,1,1,0.3333333333333333,1,100.0\r\n");
}

TEST(ActivityIndex, SegmentsRestrictThePersons) {
  auto index = index_of(month());
  ReportRequest by_account = request("overview");
  by_account.segment.account = "acme";
  EXPECT_EQ(int_field(index->report(by_account), "active_users"), 1);
  ReportRequest by_trait = request("overview");
  by_trait.segment.traits = {{"plan", "pro"}};
  EXPECT_EQ(int_field(index->report(by_trait), "active_users"), 1);
  ReportRequest by_version = request("overview");
  by_version.segment.version = "1.1";
  EXPECT_EQ(int_field(index->report(by_version), "active_users"), 2);  // dev-b and bob
  ReportRequest nobody = request("overview");
  nobody.segment.account = "no-such-account";
  EXPECT_EQ(int_field(index->report(nobody), "active_users"), 0);
}

TEST(ActivityIndex, EveryReportIsTheSameWhateverTheOrderEventsArrived) {
  const std::vector<Event> events = month();
  const std::vector<std::string> names = {"overview",  "features", "first-action", "stickiness",
                                          "funnel",    "tips",     "accounts",     "champions",
                                          "retention", "trends",   "releases",     "surveys"};
  auto baseline = index_of(events);
  std::vector<std::string> expected;
  for (const std::string& name : names)
    expected.push_back(render_json(baseline->report(request(name)), request(name)));
  EXPECT_NE(expected[0].find(R"("active_users":3)"), std::string::npos) << expected[0];

  std::mt19937 rng(7);
  for (int round = 0; round < 8; ++round) {
    std::vector<Event> shuffled = events;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    auto index = index_of(shuffled, 1 + static_cast<std::size_t>(round) % 4);
    for (std::size_t i = 0; i < names.size(); ++i) {
      ASSERT_EQ(render_json(index->report(request(names[i])), request(names[i])), expected[i])
          << names[i] << ", round " << round;
    }
  }
}

TEST(ActivityIndex, ReportsInBetweenDoNotChangeWhatTheNextReportSees) {
  // The same events in any order, with every report asked for after every batch: the last
  // reports must equal those of an index that saw everything before its first report.
  const std::vector<Event> events = month();
  const std::vector<std::string> names = {
      "overview", "features", "first-action",    "stickiness", "funnel",
      "tips",     "accounts", "champions",       "retention",  "trends",
      "releases", "surveys",  "product-adoption"};
  auto with_month = [](ReportRequest r) {
    if (r.name == "product-adoption") r.month = "2026-03";
    return r;
  };
  auto baseline = index_of(events);
  std::vector<std::string> expected;
  for (const std::string& name : names) {
    const ReportRequest r = with_month(request(name));
    expected.push_back(render_json(baseline->report(r), r));
  }
  std::mt19937 rng(11);
  for (int round = 0; round < 8; ++round) {
    std::vector<Event> shuffled = events;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    ActivityIndex index;
    index.mark_loaded();
    for (const Event& e : shuffled) {
      index.add("notes", {e});
      for (const std::string& name : names) index.report(with_month(request(name)));
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
      const ReportRequest r = with_month(request(names[i]));
      ASSERT_EQ(render_json(index.report(r), r), expected[i]) << names[i] << ", round " << round;
    }
  }
}

TEST(ActivityIndex, AnUnknownReportIsAStoreError) {
  ActivityIndex index;
  index.mark_loaded();
  index.add("notes", {track("1", "dev-a", "", kMar1, "export")});
  EXPECT_THROW(index.report(request("no-such-report")), StoreError);
}

TEST(ActivityIndex, LoadFoldsAtOnceAndRebuildReplacesOneApp) {
  ActivityIndex index;
  index.load([](const ActivityIndex::Fold& fold) {
    const Event a = track("1", "dev-a", "", kMar1, "export");
    const Event b = track("2", "dev-b", "", kMar1, "export");
    fold("notes", view_of(a));
    fold("notes", view_of(b));
    fold("maps", view_of(a));
  });
  index.mark_loaded();
  EXPECT_EQ(int_field(index.report(request("overview")), "active_users"), 2);
  // A GDPR deletion: the app is replayed from what is still stored.
  index.rebuild("notes", [](const ActivityIndex::Fold& fold) {
    const Event b = track("2", "dev-b", "", kMar1, "export");
    fold("notes", view_of(b));
    fold("maps", view_of(b));  // another app's event in the replay is not this app's
  });
  EXPECT_EQ(int_field(index.report(request("overview")), "active_users"), 1);
  EXPECT_EQ(int_field(index.report(request("overview", "maps")), "active_users"), 1);
}

TEST(ActivityIndex, RebuildFoldsWhatWasQueuedFirst) {
  // Queued events are stored already: the replay holds them, so they must not count twice.
  ActivityIndex index;
  index.mark_loaded();
  const Event a = track("1", "dev-a", "", kMar1, "export");
  index.add("notes", {a});
  index.rebuild("notes", [&](const ActivityIndex::Fold& fold) { fold("notes", view_of(a)); });
  EXPECT_EQ(int_field(index.report(request("overview")), "events"), 1);
}

TEST(ActivityIndex, TiedAnonsAreThoseWhoseEarliestIdentifyNamesTheUser) {
  ActivityIndex index;
  index.mark_loaded();
  index.add("notes", {identify("1", "laptop", "alice", kMar1),
                      identify("2", "phone", "alice", kMar1), identify("3", "tablet", "bob", kMar1),
                      identify("4", "tablet", "alice", kMar1 + 1),  // later: bob keeps it
                      track("5", "desktop", "", kMar1, "export")});
  EXPECT_EQ(index.tied_anons("notes", "alice"), (std::set<std::string>{"laptop", "phone"}));
  EXPECT_EQ(index.tied_anons("notes", "bob"), std::set<std::string>{"tablet"});
  EXPECT_TRUE(index.tied_anons("notes", "carol").empty());
  EXPECT_TRUE(index.tied_anons("maps", "alice").empty());
}
