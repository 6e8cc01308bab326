// The pure parts of group(): its NDJSON line and the account in the install state.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <vector>

#include "install_state.hpp"
#include "ndjson_encoder.hpp"
#include "temp_dir.hpp"

using namespace uptake;
using namespace uptake::detail;

namespace {

EventRecord make_record(EventKind kind, std::string_view name, std::vector<Prop> props) {
  EventRecord r;
  r.kind = kind;
  r.ts_ms = 1'700'000'000'000;
  r.size = static_cast<std::uint32_t>(packed_size(name, props));
  if (r.size > kInlinePayloadBytes) r.heap = new char[r.size];
  pack_payload(r.heap ? r.heap : r.inline_bytes.data(), name, props);
  return r;
}

}  // namespace

TEST(GroupEvent, TheLineCarriesTypeAccountTheCurrentUserAndTraitsAsProps) {
  NdjsonEncoder enc(7);
  std::string out;
  auto r = make_record(EventKind::group, "acme-corp", {{"plan", "enterprise"}, {"seats", 40}});
  ASSERT_TRUE(enc.append(out, r, {"anon-1", "alice", "sess-1", "2.3.0"}));
  ASSERT_EQ(out.back(), '\n');
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(out);
  EXPECT_EQ(std::string_view(doc["type"]), "group");
  EXPECT_EQ(std::string_view(doc["account"]), "acme-corp");
  EXPECT_EQ(std::string_view(doc["user"]), "alice");
  EXPECT_EQ(std::string_view(doc["anon"]), "anon-1");
  EXPECT_EQ(std::string_view(doc["session"]), "sess-1");
  EXPECT_EQ(std::string_view(doc["app_version"]), "2.3.0");
  EXPECT_EQ(std::int64_t(doc["ts"]), 1'700'000'000'000);
  EXPECT_EQ(std::string_view(doc["id"]).size(), 36u);
  EXPECT_EQ(doc["name"].error(), simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(std::string_view(doc["props"]["plan"]), "enterprise");
  EXPECT_EQ(std::int64_t(doc["props"]["seats"]), 40);
}

TEST(GroupEvent, AnAnonymousPersonsGroupLineHasNoUser) {
  NdjsonEncoder enc(7);
  std::string out;
  auto r = make_record(EventKind::group, "acme-corp", {});
  ASSERT_TRUE(enc.append(out, r, {"anon-1", "", "", ""}));
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(out);
  EXPECT_EQ(doc["user"].error(), simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(doc["props"].error(), simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(std::string_view(doc["account"]), "acme-corp");
}

TEST(GroupEvent, TraitsOverEightKibAreRefusedAndLeaveTheBatchIntact) {
  NdjsonEncoder enc(7);
  std::string out = "previous\n";
  auto r = make_record(EventKind::group, "acme", {{"blob", std::string(9000, 'x')}});
  EXPECT_FALSE(enc.append(out, r, {"anon", "", "", ""}));
  EXPECT_EQ(out, "previous\n");
  r.release();
}

TEST(InstallState, TheAccountIsSavedAndLoadedWithTheRest) {
  test::TempDir dir;
  const auto file = dir.path() / "install.json";
  InstallState state = load_or_create_install_state(file);
  EXPECT_EQ(state.account, "");
  state.user = "alice";
  state.account = "acme \"corp\"";
  ASSERT_TRUE(save_install_state(file, state));
  const InstallState again = load_or_create_install_state(file);
  EXPECT_EQ(again.anon, state.anon);
  EXPECT_EQ(again.user, "alice");
  EXPECT_EQ(again.account, "acme \"corp\"");
}

TEST(InstallState, AFileFromBeforeAccountsLoadsWithoutOne) {
  test::TempDir dir;
  const auto file = dir.path() / "install.json";
  std::ofstream(file) << R"({"anon":"0b7f6c1e-6f0a-4a4e-9d57-0c5f3e8d2a11","user":"bob",)"
                         R"("session":"s","last_event_ms":5,"opted_out":false})";
  const InstallState state = load_or_create_install_state(file);
  EXPECT_EQ(state.anon, "0b7f6c1e-6f0a-4a4e-9d57-0c5f3e8d2a11");
  EXPECT_EQ(state.user, "bob");
  EXPECT_EQ(state.account, "");
}
