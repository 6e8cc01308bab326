// Text for ClickHouse's HTTP interface (storage/clickhouse/clickhouse_sql.hpp): string literals,
// TabSeparated fields both ways, Array(Int64) fields and URL query values.

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/target.hpp"
#include "storage/clickhouse/clickhouse_sql.hpp"

using namespace uptake::collector;

namespace {

// Reads a ClickHouse string literal back as ClickHouse does (single quotes; a backslash escapes
// the next character, with the C escapes); nullopt when the literal ends early or never does.
std::optional<std::string> read_literal(std::string_view q) {
  if (q.size() < 2 || q.front() != '\'' || q.back() != '\'') return std::nullopt;
  std::string out;
  for (std::size_t i = 1; i + 1 < q.size(); ++i) {
    char c = q[i];
    if (c == '\'') return std::nullopt;  // an unescaped quote would close the literal here
    if (c == '\\') {
      if (i + 2 >= q.size()) return std::nullopt;  // it would escape the closing quote
      const char n = q[++i];
      c = n == 'n'   ? '\n'
          : n == 't' ? '\t'
          : n == 'r' ? '\r'
          : n == '0' ? '\0'
          : n == 'b' ? '\b'
          : n == 'f' ? '\f'
          : n == 'a' ? '\a'
          : n == 'v' ? '\v'
                     : n;
    }
    out += c;
  }
  return out;
}

std::string all_bytes() {
  std::string s;
  for (int c = 0; c < 256; ++c) s += static_cast<char>(c);
  return s;
}

}  // namespace

TEST(ClickHouseQuote, WrapsTextInSingleQuotes) {
  EXPECT_EQ(clickhouse_quote("notes"), "'notes'");
  EXPECT_EQ(clickhouse_quote(""), "''");
}

TEST(ClickHouseQuote, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(clickhouse_quote("it's"), R"('it\'s')");
  EXPECT_EQ(clickhouse_quote(R"(a\b)"), R"('a\\b')");
  EXPECT_EQ(clickhouse_quote(R"(\')"), R"('\\\'')");
  EXPECT_EQ(clickhouse_quote("'"), R"('\'')");
}

TEST(ClickHouseQuote, NoValueCanEndTheLiteralEarly) {
  for (std::string_view hostile :
       {"x' OR 1=1 --", "x\\", "\\\\'", "'; DROP TABLE events; --", "a''b", "\\' OR '1'='1"}) {
    const std::string q = clickhouse_quote(hostile);
    EXPECT_EQ(read_literal(q), std::string(hostile)) << q;
  }
}

TEST(ClickHouseQuote, ControlCharactersAndEveryOtherByteSurvive) {
  const std::string bytes = all_bytes();
  EXPECT_EQ(read_literal(clickhouse_quote(bytes)), bytes);
  EXPECT_EQ(read_literal(clickhouse_quote("tab\there\nnew\rline")), "tab\there\nnew\rline");
}

TEST(Tsv, EscapesWhatWouldSplitFieldsOrRows) {
  std::string out;
  append_tsv_field(out, "a\tb\nc\rd\\e");
  EXPECT_EQ(out, R"(a\tb\nc\rd\\e)");
  EXPECT_EQ(out.find_first_of("\t\n"), std::string::npos);
  out.clear();
  append_tsv_field(out, std::string_view("nul\0x", 5));
  EXPECT_EQ(out, R"(nul\0x)");
  out.clear();
  append_tsv_field(out, "plain text, with 'quotes'");
  EXPECT_EQ(out, "plain text, with 'quotes'");
}

TEST(Tsv, AppendsToWhatIsThere) {
  std::string out = "x\t";
  append_tsv_field(out, "y");
  EXPECT_EQ(out, "x\ty");
}

TEST(Tsv, RowsSplitOnTabsAndNewlines) {
  using Rows = std::vector<std::vector<std::string>>;
  EXPECT_EQ(tsv_rows("a\tb\nc\td\n"), (Rows{{"a", "b"}, {"c", "d"}}));
  EXPECT_EQ(tsv_rows("\t\n"), (Rows{{"", ""}}));
  EXPECT_EQ(tsv_rows("one\n\n"), (Rows{{"one"}, {""}}));
  EXPECT_EQ(tsv_rows(""), Rows{});
}

TEST(Tsv, RowsUnescapeWhatClickHouseEscapes) {
  using Rows = std::vector<std::vector<std::string>>;
  EXPECT_EQ(tsv_rows("a\\tb\\nc\\\\d\\re\\0f\\bg\\fh\\'i\n"),
            (Rows{{std::string("a\tb\nc\\d\re\0f\bg\fh'i", 17)}}));
}

TEST(Tsv, FieldsRoundTripThroughRows) {
  const std::vector<std::vector<std::string>> rows = {
      {"plain", "with\ttab", "with\nnewline", "back\\slash", "\\t literally"},
      {"", "cr\r", std::string("nul\0inside", 10), "trailing\\", "ünïcødé"},
      {all_bytes(), "\t\t", "\n", "\\n", "'"},
  };
  std::string text;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) text += '\t';
      append_tsv_field(text, row[i]);
    }
    text += '\n';
  }
  EXPECT_EQ(tsv_rows(text), rows);
}

TEST(TsvIntArray, ReadsTheIntegersOfAnArrayField) {
  using Ints = std::vector<std::int64_t>;
  EXPECT_EQ(tsv_int_array("[1,2,3]"), (Ints{1, 2, 3}));
  EXPECT_EQ(tsv_int_array("[]"), Ints{});
  EXPECT_EQ(tsv_int_array(""), Ints{});
  EXPECT_EQ(tsv_int_array("[-5,0,42]"), (Ints{-5, 0, 42}));
  EXPECT_EQ(tsv_int_array("[7]"), (Ints{7}));
  EXPECT_EQ(tsv_int_array("[9223372036854775807,-9223372036854775808]"),
            (Ints{INT64_MAX, INT64_MIN}));
}

TEST(TsvIntArray, AMinusSignWithoutDigitsIsNoNumberAndEndsTheScan) {
  // A malformed answer must not hang the report thread: from_chars does not advance on "-".
  using Ints = std::vector<std::int64_t>;
  EXPECT_EQ(tsv_int_array("[-]"), Ints{});
  EXPECT_EQ(tsv_int_array("[1,-,2]"), (Ints{1, 2}));
  EXPECT_EQ(tsv_int_array("[3,-"), (Ints{3}));
  EXPECT_EQ(tsv_int_array("--4"), (Ints{-4}));
}

TEST(UrlEncode, KeepsUnreservedCharactersOnly) {
  EXPECT_EQ(url_encode("abcXYZ019-_.~"), "abcXYZ019-_.~");
  EXPECT_EQ(url_encode("a b"), "a%20b");
  EXPECT_EQ(url_encode("&=?/+%#'"), "%26%3D%3F%2F%2B%25%23%27");
  EXPECT_EQ(url_encode("\n\t"), "%0A%09");
  EXPECT_EQ(url_encode("\xC3\xA9\xFF"), "%C3%A9%FF");  // upper-case hex, every byte
  EXPECT_EQ(url_encode(std::string_view("\0", 1)), "%00");
  EXPECT_EQ(url_encode(""), "");
}

TEST(UrlEncode, DecodesBackToTheSameBytes) {
  std::string bytes = all_bytes().substr(1);  // percent_decode refuses NUL by design
  const std::string sql = "SELECT * FROM events WHERE app = " + clickhouse_quote(bytes);
  EXPECT_EQ(percent_decode(url_encode(sql), true), sql);
  EXPECT_EQ(percent_decode(url_encode(bytes), false), bytes);
}
