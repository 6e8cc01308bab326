// One storage contract, run against every backend: SQLite and a real ClickHouse server.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "clickhouse_server.hpp"
#include "reports/render.hpp"
#include "storage/clickhouse/clickhouse_store.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "temp_dir.hpp"

using namespace uptake::collector;
using namespace uptake::test;

namespace {

Event make(std::string id, std::string name, std::string anon, std::string user = "",
           std::int64_t ts = 1'000) {
  Event e;
  e.id = std::move(id);
  e.name = std::move(name);
  e.anon = std::move(anon);
  e.user = std::move(user);
  e.ts = e.client_ts = e.received_at = ts;
  if (e.name.empty()) e.type = EventType::identify;
  return e;
}

WriteResult write_sync(Store& store, const std::string& app, std::vector<Event> events) {
  std::promise<WriteResult> p;
  store.write(app, std::move(events), [&p](WriteResult r) { p.set_value(std::move(r)); });
  return p.get_future().get();
}

class StoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      store_ = std::make_unique<SqliteStore>(dir_.str("s.db"));
    } else {
      if (!clickhouse_available())
        GTEST_FAIL() << "clickhouse-server is not installed (scripts/test.sh installs it)";
      server_ = std::make_unique<ClickHouseServer>();
      store_ = std::make_unique<ClickHouseStore>(ClickHouseOptions{server_->url(), "", "", "", {}});
    }
  }
  void TearDown() override {
    if (store_) store_->close();
    store_.reset();
    server_.reset();
  }
  TempDir dir_;
  std::unique_ptr<ClickHouseServer> server_;
  std::unique_ptr<Store> store_;
};

}  // namespace

TEST_P(StoreContract, EachIdIsStoredOncePerAppAndResendsAreCountedAsDuplicates) {
  auto r =
      write_sync(*store_, "a", {make("1", "f", "x"), make("2", "f", "x"), make("1", "f", "x")});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.inserted, 2u);
  EXPECT_EQ(r.duplicates, 1u);
  r = write_sync(*store_, "a", {make("1", "f", "x"), make("2", "f", "x"), make("3", "f", "x")});
  EXPECT_EQ(r.inserted, 1u);
  EXPECT_EQ(r.duplicates, 2u);
  r = write_sync(*store_, "b", {make("1", "f", "x")});  // another app: another event
  EXPECT_EQ(r.inserted, 1u);
}

TEST_P(StoreContract, HostileStringsRoundTripThroughStorage) {
  Event e = make("tab\tnew\nline'quote\\slash", "f\t\n", "a'\\");
  e.props = R"({"k":"v\t\n'\\"})";
  auto r = write_sync(*store_, "a", {e});
  ASSERT_TRUE(r.ok) << r.error;
  r = write_sync(*store_, "a", {e});
  EXPECT_EQ(r.duplicates, 1u) << "the id came back byte for byte";
}

TEST_P(StoreContract, DeletingAPersonRemovesTheirUserAndTiedAnonEvents) {
  ASSERT_TRUE(write_sync(*store_, "a",
                         {make("p1", "f", "dev-1"), make("p2", "", "dev-1", "alice", 5),
                          make("p3", "f", "dev-2", "alice"), make("p4", "f", "dev-3")})
                  .ok);
  EXPECT_EQ(store_->delete_person("a", "alice"), 3u);
  // The deleted ids are gone (writing them again stores them); the others are still there.
  auto r = write_sync(
      *store_, "a", {make("p1", "f", "dev-1"), make("p3", "f", "dev-2"), make("p4", "f", "dev-3")});
  EXPECT_EQ(r.inserted, 2u);
  EXPECT_EQ(r.duplicates, 1u);
  EXPECT_EQ(store_->delete_person("a", "nobody"), 0u);
}

TEST_P(StoreContract, ConfigIsReplacedAndReadBack) {
  EXPECT_FALSE(store_->get_config("a").has_value());
  store_->put_config("a", {R"({"tips":[]})", "\"e1\""});
  store_->put_config("a", {R"({"tips":[{"id":"t"}]})", "\"e2\""});
  const auto c = store_->get_config("a");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->body, R"({"tips":[{"id":"t"}]})");
  EXPECT_EQ(c->etag, "\"e2\"");
  EXPECT_TRUE(store_->health().ok);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract, ::testing::Values("sqlite", "clickhouse"),
                         [](const auto& info) { return info.param; });

// Only ClickHouse can be taken away from a running store here; SQLite storage trouble is
// covered by the collector's black-box tests (a quota that makes writes fail).
TEST(ClickHouseStoreOutage, AWriteDuringAnOutageFailsAndStoresNothing) {
  ASSERT_TRUE(clickhouse_available())
      << "clickhouse-server is not installed (scripts/test.sh installs it)";
  ClickHouseServer server;
  ClickHouseStore store(ClickHouseOptions{server.url(), "", "", "", {}});
  server.stop();
  std::vector<Event> events;  // enough to reach every writer lane of a store with several
  for (int i = 0; i < 50; ++i) events.push_back(make("down-" + std::to_string(i), "f", "x"));
  const auto r = write_sync(store, "a", events);
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.error.empty());
  EXPECT_FALSE(store.health().ok);
  server.start();
  EXPECT_TRUE(store.health().ok);
  const auto again = write_sync(store, "a", events);
  ASSERT_TRUE(again.ok) << again.error;
  EXPECT_EQ(again.inserted, 50u) << "nothing of the failed write was stored";
  store.close();
}

// A write's events go to the writer lanes by id and the write is answered once, with every
// lane's counts; the copies of an id always meet in one lane, so writes racing with the same
// ids store each id once (a lane picked per write or at random would store some twice).
TEST(ClickHouseWriterLanes, RacingWritesOfTheSameIdsStoreEachOnceWithExactCounts) {
  ASSERT_TRUE(clickhouse_available())
      << "clickhouse-server is not installed (scripts/test.sh installs it)";
  ClickHouseServer server;
  ClickHouseOptions options{server.url(), "", "", "", {}};
  options.writers = 3;
  ClickHouseStore store(options);
  constexpr int kIds = 2'000, kWriters = 6, kBatch = 250;
  std::vector<std::thread> threads;
  std::vector<WriteResult> results(kWriters * (kIds / kBatch));
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int b = 0; b < kIds / kBatch; ++b) {
        // Every writer sends the same batch at about the same time, each in its own order and
        // with its first id twice.
        const int batch = b;
        std::vector<Event> events;
        for (int i = 0; i < kBatch; ++i) {
          const int id = batch * kBatch + (i * 7 + w) % kBatch;
          events.push_back(make("race-" + std::to_string(id), "f", "x" + std::to_string(id % 13)));
        }
        events.push_back(events.front());
        results[static_cast<std::size_t>(w * (kIds / kBatch) + b)] =
            write_sync(store, "a", std::move(events));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::uint64_t inserted = 0, duplicates = 0;
  for (const WriteResult& r : results) {
    ASSERT_TRUE(r.ok) << r.error;
    inserted += r.inserted;
    duplicates += r.duplicates;
  }
  EXPECT_EQ(inserted, std::uint64_t{kIds});
  EXPECT_EQ(duplicates, std::uint64_t{kWriters} * (kIds + kIds / kBatch) - kIds);
  // Raw rows, before any merge could hide a second copy.
  EXPECT_EQ(store.query("SELECT count(), uniqExact(id) FROM uptake.events"), "2000\t2000\n");
  store.close();
}

TEST_P(StoreContract, ALargeGroupIsCheckedForDuplicatesAndStoredWhole) {
  // Past ClickHouse's query-size limit if the ids were sent as an IN list.
  std::vector<Event> events;
  for (int i = 0; i < 60'000; ++i)
    events.push_back(make("big-" + std::to_string(i), "f", "x" + std::to_string(i % 97)));
  auto r = write_sync(*store_, "a", events);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.inserted, 60'000u);
  events.push_back(make("big-new", "f", "x"));
  r = write_sync(*store_, "a", events);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.inserted, 1u);
  EXPECT_EQ(r.duplicates, 60'000u);
}

// The all-time rollups end in one part, and the day-keyed ones in one part per week, from
// compact_rollups() and from the store's own timer, and reports read the same figures from one
// part as from many. The server merges no part in the background (none may grow past one
// byte), so only the store's compaction can merge.
TEST(ClickHouseCompaction, TheRollupsEndInOnePartPerPartitionWithTheSameReports) {
  ASSERT_TRUE(clickhouse_available())
      << "clickhouse-server is not installed (scripts/test.sh installs it)";
  ClickHouseServer server(0, 0,
                          "  <merge_tree><max_bytes_to_merge_at_max_space_in_pool>1"
                          "</max_bytes_to_merge_at_max_space_in_pool></merge_tree>\n");
  const auto write_parts = [](ClickHouseStore& store, const std::string& tag) {
    for (int part = 0; part < 4; ++part) {  // the same actors in every insert
      std::vector<Event> events;
      for (int a = 0; a < 12; ++a) {
        const std::string anon = "anon-" + std::to_string(a);
        const std::string id = tag + std::to_string(part * 100 + a);
        // Days 0 to 5 (Thursday to Tuesday): two weeks of the day-keyed rollups.
        const std::int64_t ts = 5'000 + a + (a % 6) * 86'400'000;
        events.push_back(make(id + "t", a % 2 ? "search" : "export", anon, "", ts));
        if (a % 3 == 0) events.push_back(make(id + "i", "", anon, "user-" + std::to_string(a)));
      }
      ASSERT_TRUE(write_sync(store, "a", std::move(events)).ok);
    }
  };
  // Per table: its parts, and its partitions.
  const auto parts = [](ClickHouseStore& store) {
    return store.query(
        "SELECT table, count(), uniqExact(partition_id) FROM system.parts WHERE active AND "
        "database = 'uptake' AND table IN ('ties', 'actors', 'actor_features', 'actor_days_v2', "
        "'feature_days_v2') GROUP BY table ORDER BY table FORMAT TabSeparated");
  };
  const std::string spread =
      "actor_days_v2\t8\t2\nactor_features\t4\t1\nactors\t4\t1\nfeature_days_"
      "v2\t8\t2\nties\t4\t1\n";
  const std::string compacted =
      "actor_days_v2\t2\t2\nactor_features\t1\t1\nactors\t1\t1\nfeature_days_"
      "v2\t2\t2\nties\t1\t1\n";
  ReportRequest features;
  features.app = "a";
  features.name = "features";
  features.to_day = 5;
  {
    ClickHouseOptions one_lane{server.url(), "", "", "", {}};
    one_lane.writers = 1;  // one INSERT, so one part, per write
    ClickHouseStore store(one_lane);
    write_parts(store, "x");
    ASSERT_EQ(parts(store), spread);
    const std::string before = render_json(store.report(features), features);
    store.compact_rollups();
    EXPECT_EQ(parts(store), compacted);
    EXPECT_EQ(render_json(store.report(features), features), before);
    EXPECT_NE(before.find(R"("feature":"search","users":6)"), std::string::npos) << before;
    store.close();
  }
  ClickHouseOptions timed{server.url(), "", "", "", {}};
  timed.compact_every = std::chrono::seconds(1);
  ClickHouseStore store(timed);
  write_parts(store, "y");
  std::string now = parts(store);
  for (int i = 0; i < 300 && now != compacted; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    now = parts(store);
  }
  EXPECT_EQ(now, compacted);
  store.close();
}
