// A computed report as JSON, CSV and a terminal table (reports/render.hpp).

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <limits>
#include <string>

#include "reports/calendar.hpp"
#include "reports/figures.hpp"
#include "reports/render.hpp"

using namespace uptake::collector;

namespace {

ReportRequest request(std::string name = "overview") {
  ReportRequest r;
  r.app = "notes";
  r.name = std::move(name);
  r.from_day = parse_day("2026-03-01").value();
  r.to_day = parse_day("2026-03-31").value();
  return r;
}

Report one_table(std::vector<std::string> columns, std::vector<std::vector<ReportValue>> rows) {
  Report r;
  r.tables.push_back({"rows", std::move(columns), std::move(rows)});
  r.csv_table = "rows";
  return r;
}

}  // namespace

TEST(RenderJson, EchoesTheAppTheWindowAndAnEmptySegment) {
  EXPECT_EQ(render_json(Report{}, request()),
            R"({"app":"notes","from":"2026-03-01","to":"2026-03-31","segment":{}})");
}

TEST(RenderJson, EchoesTheSegmentParameters) {
  ReportRequest r = request();
  r.segment.account = "acme";
  r.segment.traits = {{"plan", "pro"}};
  r.segment.account_traits = {{"wave", "pilot"}};
  r.segment.version = "2.0";
  EXPECT_EQ(
      render_json(Report{}, r),
      R"({"app":"notes","from":"2026-03-01","to":"2026-03-31","segment":)"
      R"({"account":"acme","version":"2.0","trait.plan":"pro","account_trait.wave":"pilot"}})");
}

TEST(RenderJson, WritesFieldsThenTablesWithEveryKindOfValue) {
  Report r;
  r.fields = {{"none", Null{}},
              {"count", std::int64_t{-42}},
              {"ratio", 0.25},
              {"whole_ratio", 1.0},
              {"name", std::string("say \"hi\"\n")}};
  r.tables.push_back({"rows",
                      {"ints", "numbers", "counts"},
                      {{IntList{1, 2, 3}, NumberList{0.5, 2.0}, Counts{{"a", 1}, {"b\"", 2}}},
                       {IntList{}, NumberList{}, Counts{}}}});
  r.tables.push_back({"empty", {"x"}, {}});
  EXPECT_EQ(render_json(r, request()),
            R"({"app":"notes","from":"2026-03-01","to":"2026-03-31","segment":{},)"
            R"("none":null,"count":-42,"ratio":0.25,"whole_ratio":1.0,"name":"say \"hi\"\n",)"
            R"("rows":[{"ints":[1,2,3],"numbers":[0.5,2.0],"counts":{"a":1,"b\"":2}},)"
            R"({"ints":[],"numbers":[],"counts":{}}],"empty":[]})");
}

TEST(RenderJson, RatiosStayFloatingPointAndNonFiniteNumbersStayValidJson) {
  Report r;
  r.fields = {{"one", 1.0},
              {"nan", std::numeric_limits<double>::quiet_NaN()},
              {"inf", std::numeric_limits<double>::infinity()}};
  r.tables.push_back({"t", {"list"}, {{NumberList{std::nan(""), 3.0}}}});
  const std::string json = render_json(r, request());
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_FALSE(parser.parse(json).get(doc)) << json;
  EXPECT_TRUE(doc["one"].is_double()) << json;
  EXPECT_TRUE(doc["nan"].is_number()) << json;
  EXPECT_TRUE(doc["inf"].is_number()) << json;
}

TEST(RenderJson, EscapesTheAppAndEveryName) {
  ReportRequest req = request();
  req.app = "a\"b\\c";
  req.segment.traits = {{"k\"", "v\n"}};
  Report r;
  r.fields = {{"f\"", std::string("\x01")}};
  const std::string json = render_json(r, req);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_FALSE(parser.parse(json).get(doc)) << json;
  EXPECT_EQ(std::string_view(doc["app"]), "a\"b\\c");
  EXPECT_EQ(std::string_view(doc["segment"]["trait.k\""]), "v\n");
  EXPECT_EQ(std::string_view(doc["f\""]), "\x01");
}

TEST(RenderCsv, GivesTheMainTableWithAHeaderLine) {
  Report r =
      one_table({"feature", "users", "rate"}, {{std::string("export"), std::int64_t{3}, 0.5},
                                               {std::string("share"), std::int64_t{1}, 1.0}});
  r.tables.insert(r.tables.begin(), ReportTable{"other", {"x"}, {{std::int64_t{9}}}});
  EXPECT_EQ(render_csv(r), "feature,users,rate\r\nexport,3,0.5\r\nshare,1,1.0\r\n");
}

TEST(RenderCsv, GivesAFigureSetAsOneRow) {
  EXPECT_EQ(render_csv(overview_report({3, 12, 40, 7})),
            "active_users,known_users,active_rate,events,sessions\r\n3,12,0.25,40,7\r\n");
}

TEST(RenderCsv, NeutralisesCellsASpreadsheetWouldRunAsFormulas) {
  const Report r = one_table({"v"}, {{std::string("=1+1")},
                                     {std::string("+SUM(A1)")},
                                     {std::string("-2+3")},
                                     {std::string("@cmd")},
                                     {std::string("\tx")},
                                     {std::string("\rx")},
                                     {std::string("a=b")},
                                     {std::int64_t{-5}},
                                     {-0.5}});
  EXPECT_EQ(
      render_csv(r),
      "v\r\n'=1+1\r\n'+SUM(A1)\r\n'-2+3\r\n'@cmd\r\n'\tx\r\n\"'\rx\"\r\na=b\r\n-5\r\n-0.5\r\n");
}

TEST(RenderCsv, QuotesCommasQuotesAndLineBreaks) {
  const Report r = one_table(
      {"v"}, {{std::string("a,b")}, {std::string("say \"hi\"")}, {std::string("l1\nl2")}});
  EXPECT_EQ(render_csv(r), "v\r\n\"a,b\"\r\n\"say \"\"hi\"\"\"\r\n\"l1\nl2\"\r\n");
}

TEST(RenderCsv, NulIsReplacedNeverWritten) {
  const Report r = one_table({"v"}, {{std::string("a\0b", 3)}, {std::string("\0=x", 3)}});
  const std::string csv = render_csv(r);
  EXPECT_EQ(csv.find('\0'), std::string::npos);
  EXPECT_EQ(csv,
            "v\r\na\xEF\xBF\xBD"
            "b\r\n\xEF\xBF\xBD=x\r\n");
}

TEST(RenderCsv, NullIsAnEmptyCellAndListsAreTheirJson) {
  const Report r = one_table({"lift", "ci", "ints"}, {{Null{}, NumberList{0.25, 0.5}, IntList{1}}});
  EXPECT_EQ(render_csv(r), "lift,ci,ints\r\n,\"[0.25,0.5]\",[1]\r\n");
}

TEST(RenderCsv, LeavesOutJsonOnlyColumns) {
  const Report r = surveys_report({{"pick", "choice", 2, 1, 0, {}, {{"yes", 1}}}});
  const std::string csv = render_csv(r);
  const std::string header = csv.substr(0, csv.find("\r\n"));
  EXPECT_EQ(header,
            "survey,kind,shown,answered,dismissed,response_rate,promoters,passives,detractors,nps,"
            "mean_score,satisfied,csat");
  EXPECT_EQ(csv.find("yes"), std::string::npos);
  EXPECT_NE(render_json(r, request("surveys")).find(R"("choices":{"yes":1})"), std::string::npos);
}

TEST(HumanDuration, PicksTheUnitThatFits) {
  EXPECT_EQ(human_duration(0), "0 ms");
  EXPECT_EQ(human_duration(850), "850 ms");
  EXPECT_EQ(human_duration(999), "999 ms");
  EXPECT_EQ(human_duration(1000), "1 s");
  EXPECT_EQ(human_duration(12'000), "12 s");
  EXPECT_EQ(human_duration(47 * 60'000), "47 min");
  EXPECT_EQ(human_duration(18'720'000), "5.2 h");
  EXPECT_EQ(human_duration(302'400'000), "3.5 d");
  EXPECT_EQ(human_duration(86'400'000), "1 d");
}

TEST(HumanCount, SeparatesThousands) {
  EXPECT_EQ(human_count(0), "0");
  EXPECT_EQ(human_count(999), "999");
  EXPECT_EQ(human_count(1000), "1,000");
  EXPECT_EQ(human_count(100'000), "100,000");
  EXPECT_EQ(human_count(1'234'567), "1,234,567");
  EXPECT_EQ(human_count(-1234), "-1,234");
  EXPECT_EQ(human_count(-999), "-999");
  EXPECT_EQ(human_count(std::numeric_limits<std::int64_t>::max()), "9,223,372,036,854,775,807");
}

TEST(RenderText, HeadsTheTableWithTheReportAppWindowAndSegment) {
  ReportRequest r = request("features");
  r.segment.account = "acme";
  const std::string text = render_text(features_report({}, 0), r);
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "features for notes, 2026-03-01 .. 2026-03-31, account=acme");
}

TEST(RenderText, DurationsInHumanUnitsAndCountsWithSeparators) {
  const Report r = first_action_report({{"export", std::vector<std::int64_t>(1234, 850), {}}});
  const std::string text = render_text(r, request("first-action"));
  EXPECT_NE(text.find("1,234"), std::string::npos) << text;
  EXPECT_NE(text.find("850 ms"), std::string::npos) << text;
  EXPECT_NE(text.find("0 ms"), std::string::npos) << text;  // device_p50_ms
  EXPECT_EQ(text.find("1234"), std::string::npos) << text;
}

TEST(RenderText, NullIsADash) {
  const Report r = tips_report({{"t", "f", 10, 0, 0, 1, 0, 0}});
  const std::string text = render_text(r, request("tips"));
  const std::string last_line = text.substr(text.rfind('\n', text.size() - 2) + 1);
  EXPECT_NE(last_line.find(" - "), std::string::npos) << text;
}

TEST(RenderText, ShowsControlCharactersAsQuestionMarks) {
  ReportRequest req = request("features");
  req.app = "no\x1b[2Jtes";
  const Report r = features_report({{"ex\x1b]0;pwned\x07port\x7f", 1, 1, 0}}, 1);
  const std::string text = render_text(r, req);
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    EXPECT_TRUE(c == '\n' || (u >= 0x20 && u != 0x7F)) << "byte " << int(u) << " in " << text;
  }
  EXPECT_NE(text.find("no?[2Jtes"), std::string::npos) << text;
  EXPECT_NE(text.find("ex?]0;pwned?port?"), std::string::npos) << text;
}

TEST(RenderText, ColumnsAreAlignedUnderTheirHeaders) {
  const Report r = features_report({{"a-long-feature-name", 1, 1, 0}, {"b", 1, 1, 0}}, 2);
  const std::string text = render_text(r, request("features"));
  std::vector<std::string> lines;
  for (std::size_t start = text.find("rows:\n") + 6; start < text.size();) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  ASSERT_EQ(lines.size(), 3u) << text;  // header and two rows
  const std::size_t users = lines[0].find("users");
  ASSERT_NE(users, std::string::npos);
  EXPECT_EQ(lines[1].substr(users, 1), "1") << text;
  EXPECT_EQ(lines[2].substr(users, 1), "1") << text;
}
