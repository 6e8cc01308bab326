#include <gtest/gtest.h>
#include <simdjson.h>

#include <vector>

#include "ndjson_encoder.hpp"

using namespace uptake;
using namespace uptake::detail;

namespace {

EventRecord make_record(EventKind kind, std::string_view name, std::vector<Prop> props,
                        std::int64_t ts = 1'700'000'000'000) {
  EventRecord r;
  r.kind = kind;
  r.ts_ms = ts;
  r.size = static_cast<std::uint32_t>(packed_size(name, props));
  if (r.size > kInlinePayloadBytes) r.heap = new char[r.size];
  pack_payload(r.heap ? r.heap : r.inline_bytes.data(), name, props);
  return r;
}

}  // namespace

TEST(NdjsonEncoder, TrackLineHasEveryProtocolField) {
  NdjsonEncoder enc(7);
  std::string out;
  auto r = make_record(EventKind::track, "export_pdf",
                       {{"pages", 3}, {"format", "a4"}, {"ratio", 0.5}, {"color", true}});
  ASSERT_TRUE(enc.append(out, r, {"anon-1", "user-9", "sess-1", "2.3.0"}));
  ASSERT_EQ(out.back(), '\n');
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(out);
  EXPECT_EQ(std::string_view(doc["type"]), "track");
  EXPECT_EQ(std::string_view(doc["name"]), "export_pdf");
  EXPECT_EQ(std::string_view(doc["anon"]), "anon-1");
  EXPECT_EQ(std::string_view(doc["user"]), "user-9");
  EXPECT_EQ(std::string_view(doc["session"]), "sess-1");
  EXPECT_EQ(std::string_view(doc["app_version"]), "2.3.0");
  EXPECT_EQ(std::int64_t(doc["ts"]), 1'700'000'000'000);
  EXPECT_EQ(std::string_view(doc["id"]).size(), 36u);
  EXPECT_EQ(std::int64_t(doc["props"]["pages"]), 3);
  EXPECT_EQ(std::string_view(doc["props"]["format"]), "a4");
  EXPECT_EQ(double(doc["props"]["ratio"]), 0.5);
  EXPECT_EQ(bool(doc["props"]["color"]), true);
  r.release();
}

TEST(NdjsonEncoder, IdentifyCarriesUserAndTraitsWithoutName) {
  NdjsonEncoder enc(7);
  std::string out;
  auto r = make_record(EventKind::identify, "alice@example.com", {{"plan", "pro"}});
  ASSERT_TRUE(enc.append(out, r, {"anon-1", "", "", ""}));
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(out);
  EXPECT_EQ(std::string_view(doc["type"]), "identify");
  EXPECT_EQ(std::string_view(doc["user"]), "alice@example.com");
  EXPECT_EQ(doc["name"].error(), simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(doc["session"].error(), simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(std::string_view(doc["props"]["plan"]), "pro");
}

TEST(NdjsonEncoder, HostileStringsStillGiveOneValidLine) {
  NdjsonEncoder enc(7);
  std::string out;
  auto r = make_record(EventKind::track, "a\nb\"\xff", {{"k\n", "v\x01\xc3"}});
  ASSERT_TRUE(enc.append(out, r, {"anon", "", "", ""}));
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  EXPECT_EQ(parser.parse(out).get(doc), simdjson::SUCCESS);
}

TEST(NdjsonEncoder, PropsOverEightKibAreRefusedAndLeaveTheBatchIntact) {
  NdjsonEncoder enc(7);
  std::string out = "previous\n";
  const std::string big(9000, 'x');
  auto r = make_record(EventKind::track, "f", {{"blob", big}});
  EXPECT_FALSE(enc.append(out, r, {"anon", "", "", ""}));
  EXPECT_EQ(out, "previous\n");
  r.release();
}
