#include <gtest/gtest.h>
#include <simdjson.h>

#include "uptake_common/json_writer.hpp"

using uptake::detail::append_json_string;

namespace {
std::string json_quoted(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}
}  // namespace

TEST(JsonWriter, EscapesQuotesBackslashAndControlCharacters) {
  EXPECT_EQ(json_quoted("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(json_quoted("\n\r\t\b\f"), R"("\n\r\t\b\f")");
  EXPECT_EQ(json_quoted(std::string_view("\x01\x1f\0", 3)), R"("\u0001\u001f\u0000")");
}

TEST(JsonWriter, KeepsValidMultiByteUtf8) {
  EXPECT_EQ(json_quoted("héllo ✓ 😀"), "\"héllo ✓ 😀\"");
}

TEST(JsonWriter, ReplacesInvalidUtf8WithReplacementCharacter) {
  EXPECT_EQ(json_quoted("a\xff"
                        "b"),
            "\"a\xEF\xBF\xBD"
            "b\"");
  EXPECT_EQ(json_quoted("\xC0\xAF"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");                  // overlong
  EXPECT_EQ(json_quoted("\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // surrogate
  EXPECT_EQ(json_quoted("\xE2\x9C"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");                  // truncated
  EXPECT_EQ(json_quoted("\xF4\x90\x80\x80").substr(0, 4), "\"\xEF\xBF\xBD");           // > U+10FFFF
}

TEST(JsonWriter, EveryByteStringBecomesValidJson) {
  simdjson::dom::parser parser;
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (int rep = 0; rep < 3; ++rep) all += all;
  const std::string doc = "[" + json_quoted(all) + "]";
  simdjson::dom::element e;
  EXPECT_EQ(parser.parse(doc).get(e), simdjson::SUCCESS);
}

TEST(JsonWriter, NumbersRoundTripAndNonFiniteBecomesNull) {
  std::string out;
  uptake::detail::append_json_number(out, 0.1);
  out += ',';
  uptake::detail::append_json_number(out, std::numeric_limits<double>::infinity());
  out += ',';
  uptake::detail::append_json_int(out, INT64_MIN);
  EXPECT_EQ(out, "0.1,null,-9223372036854775808");
}
