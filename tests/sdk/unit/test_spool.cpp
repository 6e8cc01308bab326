#include <gtest/gtest.h>

#include <fstream>

#include "spool.hpp"
#include "temp_dir.hpp"

using namespace uptake::detail;
namespace fs = std::filesystem;
using uptake::test::TempDir;

namespace {

std::vector<fs::path> records(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".upb") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST(Spool, RecordsSurviveReopenInOrder) {
  TempDir dir;
  DropCounters drops;
  {
    Spool s(dir.path(), {}, drops);
    s.open();
    ASSERT_TRUE(s.append("first", 3, 1000, 0));
    ASSERT_TRUE(s.append("second", 2, 2000, 3));
  }
  Spool s(dir.path(), {}, drops);
  s.open();
  EXPECT_EQ(s.events(), 5u);
  auto a = s.front();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->payload, "first");
  EXPECT_EQ(a->events, 3u);
  s.pop_front();
  EXPECT_EQ(s.front()->payload, "second");
  s.pop_front();
  EXPECT_TRUE(s.empty());
  EXPECT_TRUE(records(dir.path()).empty());
}

TEST(Spool, TornTailIsSkippedAndCounted) {
  TempDir dir;
  DropCounters drops;
  {
    Spool s(dir.path(), {}, drops);
    s.open();
    ASSERT_TRUE(s.append(std::string(1000, 'a'), 1, 1000, 0));
    ASSERT_TRUE(s.append(std::string(1000, 'b'), 1, 2000, 0));
  }
  const auto files = records(dir.path());
  fs::resize_file(files[0], fs::file_size(files[0]) - 10);  // torn write
  Spool s(dir.path(), {}, drops);
  s.open();
  EXPECT_EQ(drops.get(DropReason::spool_corrupt), 1u);
  auto b = s.front();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->payload, std::string(1000, 'b'));
}

TEST(Spool, CorruptPayloadIsDetectedAtReadAndTheRestStillFlows) {
  TempDir dir;
  DropCounters drops;
  Spool s(dir.path(), {}, drops);
  s.open();
  ASSERT_TRUE(s.append(std::string(100, 'a'), 1, 1000, 0));
  ASSERT_TRUE(s.append(std::string(100, 'b'), 1, 2000, 0));
  {
    std::fstream f(records(dir.path())[0], std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(50);
    f.put('Z');
  }
  auto batch = s.front();
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->payload, std::string(100, 'b'));
  EXPECT_EQ(drops.get(DropReason::spool_corrupt), 1u);
}

TEST(Spool, GarbageFilesAndCrashLeftoversAreRemovedAtOpen) {
  TempDir dir;
  DropCounters drops;
  fs::create_directories(dir.path());
  std::ofstream(dir.path() / "0000000000000001-0000000000000000.upb")
      << "garbage that is no record";
  std::ofstream(dir.path() / "0000000000000002-0000000000000001.tmp") << "half written";
  std::ofstream(dir.path() / "0000000000000003-0000000000000002.upb");  // empty
  Spool s(dir.path(), {}, drops);
  s.open();
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(drops.get(DropReason::spool_corrupt), 2u);
  EXPECT_TRUE(fs::is_empty(dir.path()));
  EXPECT_TRUE(s.append("ok", 1, 5, 0));
}

TEST(Spool, SizeLimitEvictsOldestAndCountsItsEvents) {
  TempDir dir;
  DropCounters drops;
  Spool s(dir.path(), SpoolLimits{3 * (32 + 1000), 1'000'000, false}, drops);
  s.open();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(s.append(std::string(1000, char('a' + i)), 10, i, 0));
  EXPECT_EQ(s.events(), 30u);
  EXPECT_EQ(drops.get(DropReason::spool_full), 20u);
  EXPECT_LE(s.bytes(), 3u * (32 + 1000));
  EXPECT_EQ(s.front()->payload, std::string(1000, 'c'));
}

TEST(Spool, OldRecordsExpireAndAreCounted) {
  TempDir dir;
  DropCounters drops;
  Spool s(dir.path(), SpoolLimits{1 << 20, 1000, false}, drops);
  s.open();
  ASSERT_TRUE(s.append("old", 4, 1000, 0));
  ASSERT_TRUE(s.append("new", 6, 5000, 0));
  s.expire(5500);
  EXPECT_EQ(s.events(), 6u);
  EXPECT_EQ(drops.get(DropReason::spool_age), 4u);
}

TEST(Spool, SplitFrontKeepsOrderAndPurgeEmptiesDisk) {
  TempDir dir;
  DropCounters drops;
  Spool s(dir.path(), {}, drops);
  s.open();
  ASSERT_TRUE(s.append("ab", 2, 1000, 0));
  ASSERT_TRUE(s.append("c", 1, 2000, 0));
  ASSERT_TRUE(s.split_front("a", 1, "b", 1));
  EXPECT_EQ(s.front()->payload, "a");
  s.pop_front();
  EXPECT_EQ(s.front()->payload, "b");
  s.pop_front();
  EXPECT_EQ(s.front()->payload, "c");
  s.purge();
  EXPECT_TRUE(s.empty());
  EXPECT_TRUE(records(dir.path()).empty());
}
