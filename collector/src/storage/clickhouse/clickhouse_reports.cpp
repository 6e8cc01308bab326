#include "storage/clickhouse/clickhouse_reports.hpp"

#include <map>
#include <set>

#include "reports/calendar.hpp"
#include "reports/figures.hpp"
#include "storage/clickhouse/clickhouse_sql.hpp"
#include "storage/store.hpp"

namespace uptake::collector {
namespace {

// The person of an event (PROTOCOL.md identity); `tie` comes from the join in Reports::scan.
constexpr const char* kPerson = "if(user != '', user, if(tie != '', tie, anon))";
// A person's first seen: their earliest $install, else their earliest event (in a GROUP BY).
constexpr const char* kFirstSeen =
    "if(countIf(type = 0 AND name = '$install') > 0, minIf(ts, type = 0 AND name = '$install'), "
    "min(ts))";
constexpr const char* kDay = "toInt64(floor(ts / 86400000))";
constexpr const char* kFeatureUse = "type = 0 AND name != '' AND substring(name, 1, 1) != '$'";
// A person's account: their latest group event's (equal times: the greater account).
constexpr const char* kAccount = "argMaxIf(account, (ts, account), type = 2)";

std::int64_t to_int(const std::string& s) {
  try {
    return std::stoll(s);
  } catch (const std::exception&) {
    throw StoreError("clickhouse: unexpected number '" + s + "' in a report answer");
  }
}

std::string quoted_list(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : ", ") + clickhouse_quote(v);
  return out;
}

std::string monday(const std::string& day) {
  return "(" + day + " - ((" + day + " + 3) % 7))";
}

// The value of trait `key` carried by an identify or group event, as (is_string, text).
std::string trait_of(const std::string& key) {
  const std::string k = clickhouse_quote(key);
  return "tuple(trait_strings[indexOf(trait_keys, " + k + ")], trait_values[indexOf(trait_keys, " +
         k + ")])";
}

class Reports {
 public:
  Reports(const ClickHouseQuery& query, std::string table, const ReportRequest& r)
      : query_(query),
        table_(std::move(table)),
        request_(r),
        app_(clickhouse_quote(r.app)),
        lo_(std::to_string(r.from_day * kDayMs)),
        hi_(std::to_string((r.to_day + 1) * kDayMs)),
        window_("ts >= " + lo_ + " AND ts < " + hi_) {
    segment_ = segment_condition();
  }

  Report overview() {
    const auto row =
        one_row("SELECT countIf(n > 0), sum(n), countIf(fs < " + hi_ + ") FROM (SELECT " + kPerson +
                " AS person, uniqExactIf(id, " + window_ + ") AS n, " + kFirstSeen + " AS fs" +
                scan("1") + " GROUP BY person)");
    const auto sessions =
        one_row("SELECT uniqExact(session)" + scan("session != '' AND " + window_));
    return overview_report(
        {to_int(row.at(0)), to_int(row.at(2)), to_int(row.at(1)), to_int(sessions.at(0))});
  }

  Report features() {
    std::vector<FeatureFigures> rows;
    for (const auto& row :
         rows_of("SELECT name, countIf(n > 0) AS users, sum(n), countIf(fu >= " + lo_ +
                 " AND fu < " + hi_ + ") FROM (SELECT name, " + kPerson +
                 " AS person, min(ts) AS fu, uniqExactIf(id, " + window_ + ") AS n" +
                 scan(kFeatureUse) + " GROUP BY name, person) GROUP BY name HAVING users > 0")) {
      rows.push_back({row.at(0), to_int(row.at(1)), to_int(row.at(2)), to_int(row.at(3))});
    }
    return features_report(std::move(rows), active_users());
  }

  Report first_action() {
    const std::vector<std::string> actions = key_actions();
    if (actions.empty()) return first_action_report({});
    const std::string list = quoted_list(actions);
    std::map<std::string, FirstActionFigures> by_feature;
    for (const auto& row :
         rows_of("SELECT name, groupArray(greatest(fu - fs, 0)) FROM (SELECT name, " +
                 std::string(kPerson) + " AS person, min(ts) AS fu" +
                 scan(std::string(kFeatureUse) + " AND name IN (" + list + ")") +
                 " GROUP BY name, person HAVING fu >= " + lo_ + " AND fu < " + hi_ +
                 ") ANY INNER JOIN (SELECT " + kPerson + " AS person, " + kFirstSeen + " AS fs" +
                 scan("1") + " GROUP BY person) USING person GROUP BY name")) {
      by_feature[row.at(0)].durations_ms = tsv_int_array(row.at(1));
    }
    // Each person's earliest $first_action for F (equal times: the smaller id) that has a value.
    for (const auto& row :
         rows_of("SELECT feature, groupArrayIf(ms.2, ms.1) FROM (SELECT feature, " +
                 std::string(kPerson) +
                 " AS person, argMin((has_ms, ms_since_install), (ts, id)) AS ms" +
                 scan("type = 0 AND name = '$first_action' AND " + window_ +
                      " AND has_feature AND feature IN (" + list + ")") +
                 " GROUP BY feature, person) GROUP BY feature")) {
      by_feature[row.at(0)].device_ms = tsv_int_array(row.at(1));
    }
    std::vector<FirstActionFigures> rows;
    for (const std::string& feature : actions) {
      FirstActionFigures f = std::move(by_feature[feature]);
      f.feature = feature;
      rows.push_back(std::move(f));
    }
    return first_action_report(std::move(rows));
  }

  Report stickiness() {
    StickinessFigures f;
    for (const auto& row : rows_of("SELECT " + std::string(kDay) + " AS d, uniqExact(" + kPerson +
                                   ")" + scan(window_) + " GROUP BY d"))
      f.users_by_day[to_int(row.at(0))] = to_int(row.at(1));
    for (const auto& row : rows_of("SELECT days, count() FROM (SELECT " + std::string(kPerson) +
                                   " AS person, uniqExact(" + kDay + ") AS days" + scan(window_) +
                                   " GROUP BY person) GROUP BY days"))
      f.users_by_day_count[to_int(row.at(0))] = to_int(row.at(1));
    return stickiness_report(f, request_.from_day, request_.to_day);
  }

  Report funnel() {
    const std::string f = clickhouse_quote(request_.feature);
    // Names starting with '$' are never features, so they are never used.
    const std::string use =
        request_.feature.starts_with('$') ? "0" : std::string(kFeatureUse) + " AND name = " + f;
    const auto row = one_row(
        "SELECT countIf(used OR shown), countIf(used OR clicked), countIf(used), countIf(used AND "
        "days >= " +
        std::to_string(request_.adopted_days) + ") FROM (SELECT " + kPerson + " AS person, max(" +
        use +
        ") AS used, max(name = '$tip_shown') AS shown, max(name = '$tip_clicked') AS clicked, "
        "uniqExactIf(" +
        kDay + ", " + use + ") AS days" +
        scan("type = 0 AND " + window_ + " AND ((" + use +
             ") OR (name IN ('$tip_shown', '$tip_clicked') AND has_feature AND feature = " + f +
             "))") +
        " GROUP BY person)");
    return funnel_report(
        {to_int(row.at(0)), to_int(row.at(1)), to_int(row.at(2)), to_int(row.at(3))});
  }

  Report tips() {
    // F of a tip: the feature of its earliest $tip_shown / $tip_held_out in the window.
    std::vector<std::string> tips, features;
    for (const auto& row : rows_of("SELECT tip, argMin(feature, (ts, id))" +
                                   scan("type = 0 AND name IN ('$tip_shown', '$tip_held_out') "
                                        "AND has_tip AND " +
                                        window_) +
                                   " GROUP BY tip")) {
      tips.push_back(row.at(0));
      features.push_back(row.at(1));
    }
    if (tips.empty()) return tips_report({});
    const std::string conversion_ms = std::to_string(kTipConversionMs);
    // 18.16 lambdas cannot capture columns: t0 is passed as a second array of equal length.
    auto converted = [&](const char* flag, const char* t0) {
      return "countIf(" + std::string(flag) + " AND arrayExists((x, t) -> x > t AND x <= t + " +
             conversion_ms + ", uses, arrayResize([" + t0 + "], length(uses), " + t0 + ")))";
    };
    std::vector<TipFigures> rows;
    for (const auto& row : rows_of(
             "SELECT tip, any(tip_feature), countIf(s), countIf(c), countIf(d), " +
             converted("s", "ts_s") + ", countIf(h), " + converted("h", "ts_h") +
             " FROM (SELECT tip, transform(tip, [" + quoted_list(tips) + "], [" +
             quoted_list(features) + "], '') AS tip_feature, " + kPerson +
             " AS person, countIf(name = '$tip_shown') > 0 AS s, minIf(ts, name = '$tip_shown') AS "
             "ts_s, countIf(name = '$tip_held_out') > 0 AS h, minIf(ts, name = '$tip_held_out') "
             "AS ts_h, max(name = '$tip_clicked') AS c, max(name = '$tip_dismissed') AS d" +
             scan("type = 0 AND " + window_ + " AND has_tip AND tip IN (" + quoted_list(tips) +
                  ") AND name IN ('$tip_shown', '$tip_held_out', '$tip_clicked', "
                  "'$tip_dismissed')") +
             " GROUP BY tip, tip_feature, person) ANY LEFT JOIN (SELECT name AS tip_feature, " +
             kPerson + " AS person, groupArray(ts) AS uses" +
             scan(std::string(kFeatureUse) + " AND name IN (" + quoted_list(features) +
                  ") AND ts > " + lo_ + " AND ts <= " + hi_ + " + " + conversion_ms) +
             " GROUP BY tip_feature, person) USING tip_feature, person GROUP BY tip")) {
      rows.push_back({row.at(0), row.at(1), to_int(row.at(2)), to_int(row.at(3)), to_int(row.at(4)),
                      to_int(row.at(5)), to_int(row.at(6)), to_int(row.at(7))});
    }
    return tips_report(std::move(rows));
  }

  Report product_adoption() {
    const auto row =
        one_row("SELECT countIf(fs >= " + lo_ + " AND fs < " + hi_ + "), countIf(fs >= " + lo_ +
                " AND fs < " + hi_ + " AND days >= 2) FROM (SELECT " + kPerson + " AS person, " +
                kFirstSeen + " AS fs, uniqExactIf(" + kDay + ", " + window_ + ") AS days" +
                scan("1") + " GROUP BY person)");
    return product_adoption_report({to_int(row.at(0)), to_int(row.at(1))}, request_.month);
  }

  Report accounts() {
    const std::vector<std::string> actions = key_actions();
    const std::int64_t days = request_.to_day - request_.from_day + 1;
    const std::string prev_lo = std::to_string((request_.from_day - days) * kDayMs);
    std::string used;
    for (const std::string& a : actions)
      used += ", countIf(active AND has(used, " + clickhouse_quote(a) + "))";
    const std::string list = actions.empty() ? "''" : quoted_list(actions);
    std::vector<AccountFigures> rows;
    for (const auto& row :
         rows_of("SELECT acct, countIf(fs < " + hi_ +
                 "), countIf(active), countIf(previous), "
                 "sumIf(days, active)" +
                 used + " FROM (SELECT " + kPerson + " AS person, " + kAccount + " AS acct, " +
                 kFirstSeen + " AS fs, uniqExactIf(" + kDay + ", " + window_ +
                 ") AS days, days > 0 AS active, countIf(ts >= " + prev_lo + " AND ts < " + lo_ +
                 ") > 0 AS previous, groupUniqArrayIf(name, " + kFeatureUse + " AND " + window_ +
                 " AND name IN (" + list + ")) AS used" + scan("1") +
                 " GROUP BY person HAVING acct != '') GROUP BY acct HAVING countIf(active) > 0")) {
      AccountFigures f;
      f.account = row.at(0);
      f.seats = to_int(row.at(1));
      f.active_users = to_int(row.at(2));
      f.previous_active_users = to_int(row.at(3));
      f.active_person_days = to_int(row.at(4));
      for (std::size_t k = 0; k < actions.size(); ++k)
        f.key_action_users.push_back(to_int(row.at(5 + k)));
      rows.push_back(std::move(f));
    }
    // The account trait `name`: the latest group event for the account carrying it.
    std::map<std::string, std::string> names;
    for (const auto& row :
         rows_of("SELECT account, t.2 FROM (SELECT account, argMax(" + trait_of("name") +
                 ", (ts, id)) AS t FROM " + table_ + " WHERE app = " + app_ +
                 " AND type = 2 AND has(trait_keys, 'name') GROUP BY account) "
                 "WHERE t.1 = 1")) {
      names[row.at(0)] = row.at(1);
    }
    for (AccountFigures& f : rows) f.name = names[f.account];
    return accounts_report(std::move(rows), actions.size(), days);
  }

  Report champions() {
    const std::vector<std::string> actions = key_actions();
    const std::string list = actions.empty() ? "" : quoted_list(actions);
    std::vector<ChampionFigures> rows;
    for (const auto& row : rows_of(
             "SELECT person, acct, length(features) AS nf, length(arrayFilter(x -> has([" + list +
             "], x), features)) AS nk, days, uses FROM (SELECT " + kPerson + " AS person, " +
             kAccount + " AS acct, groupUniqArrayIf(name, " + kFeatureUse + " AND " + window_ +
             ") AS features, uniqExactIf(" + kDay + ", " + window_ + ") AS days, uniqExactIf(id, " +
             kFeatureUse + " AND " + window_ + ") AS uses" + scan("1") +
             " GROUP BY person HAVING days > 0) ORDER BY nf DESC, nk DESC, days DESC, person "
             "LIMIT " +
             std::to_string(request_.limit))) {
      rows.push_back({row.at(0), row.at(1), to_int(row.at(2)), to_int(row.at(3)), to_int(row.at(4)),
                      to_int(row.at(5))});
    }
    return champions_report(std::move(rows), request_.limit);
  }

  Report retention() {
    const bool weekly = request_.interval == Interval::week;
    const std::string length = weekly ? "7" : "1";
    const std::string cohort =
        weekly ? monday("toInt64(floor(fs / 86400000))") : "toInt64(floor(fs / 86400000))";
    const std::string persons = "SELECT " + std::string(kPerson) + " AS person, " + kFirstSeen +
                                " AS fs, " + cohort + " AS cohort, groupUniqArrayIf(" + kDay +
                                ", ts < " + hi_ + ") AS days" + scan("1") +
                                " GROUP BY person HAVING fs >= " + lo_ + " AND fs < " + hi_;
    std::map<std::int64_t, RetentionFigures> cohorts;
    for (const auto& row :
         rows_of("SELECT cohort, count() FROM (" + persons + ") GROUP BY cohort")) {
      RetentionFigures& c = cohorts[to_int(row.at(0))];
      c.cohort = to_int(row.at(0));
      c.persons = to_int(row.at(1));
      const std::int64_t intervals = (request_.to_day - c.cohort) / (weekly ? 7 : 1) + 1;
      c.retained.assign(static_cast<std::size_t>(intervals), 0);
    }
    for (const auto& row : rows_of("SELECT cohort, intDiv(d - cohort, " + length +
                                   ") AS k, uniqExact(person) FROM (" + persons +
                                   ") ARRAY JOIN days AS d WHERE d >= cohort GROUP BY cohort, k")) {
      RetentionFigures& c = cohorts[to_int(row.at(0))];
      const auto k = static_cast<std::size_t>(to_int(row.at(1)));
      if (k < c.retained.size()) c.retained[k] = to_int(row.at(2));
    }
    std::vector<RetentionFigures> rows;
    for (auto& [start, c] : cohorts) rows.push_back(std::move(c));
    return retention_report(std::move(rows));
  }

  Report trends() {
    const bool weekly = request_.interval == Interval::week;
    const std::string period = weekly ? monday(kDay) : std::string(kDay);
    const std::string only =
        request_.feature.empty() ? "" : " AND name = " + clickhouse_quote(request_.feature);
    std::vector<std::int64_t> starts;
    for (std::int64_t d = weekly ? monday_of(request_.from_day) : request_.from_day;
         d <= request_.to_day; d += weekly ? 7 : 1)
      starts.push_back(d);
    std::set<std::string> features;
    if (!request_.feature.empty()) features.insert(request_.feature);
    std::map<std::pair<std::int64_t, std::string>, TrendFigures> cells;
    for (const auto& row :
         rows_of("SELECT " + period + " AS p, name, uniqExact(" + kPerson + "), uniqExact(id)" +
                 scan(std::string(kFeatureUse) + " AND " + window_ + only) + " GROUP BY p, name")) {
      TrendFigures& c = cells[{to_int(row.at(0)), row.at(1)}];
      c.users = to_int(row.at(2));
      c.uses = to_int(row.at(3));
      features.insert(row.at(1));
    }
    // First uses ever: before the window (the adopters the curve starts at) or in a period.
    std::map<std::string, std::int64_t> before;
    for (const auto& row : rows_of(
             "SELECT name, if(fu < " + lo_ + ", -1, " +
             (weekly ? monday("toInt64(floor(fu / 86400000))") : "toInt64(floor(fu / 86400000))") +
             ") AS p, count() FROM (SELECT name, " + kPerson + " AS person, min(ts) AS fu" +
             scan(std::string(kFeatureUse) + only) + " GROUP BY name, person) WHERE fu < " + hi_ +
             " GROUP BY name, p")) {
      if (!features.contains(row.at(0))) continue;  // used before the window only
      const std::int64_t p = to_int(row.at(1));
      if (p < 0)
        before[row.at(0)] = to_int(row.at(2));
      else
        cells[{p, row.at(0)}].new_users = to_int(row.at(2));
    }
    std::vector<TrendFigures> rows;
    for (const std::string& feature : features) {
      std::int64_t adopters = before[feature];
      for (std::int64_t start : starts) {
        TrendFigures c = cells[{start, feature}];
        adopters += c.new_users;
        c.period = start;
        c.feature = feature;
        c.adopters = adopters;
        rows.push_back(std::move(c));
      }
    }
    return trends_report(std::move(rows));
  }

  Report releases() {
    std::vector<ReleaseFigures> rows;
    for (const auto& row :
         rows_of("SELECT app_version, uniqExactIf(" + std::string(kPerson) + ", " + window_ +
                 "), uniqExactIf(id, " + window_ + ") AS n, min(ts)" + scan("app_version != ''") +
                 " GROUP BY app_version HAVING n > 0")) {
      rows.push_back({row.at(0), utc_day(to_int(row.at(3))), to_int(row.at(1)), to_int(row.at(2))});
    }
    return releases_report(std::move(rows), active_users());
  }

  Report surveys() {
    const std::string per_person =
        "SELECT survey, " + std::string(kPerson) +
        " AS person, max(name = '$survey_shown') AS shown, max(name = '$survey_dismissed') AS "
        "dismissed, max(name = '$survey_answered') AS answered, argMaxIf((has_score, score, "
        "choice, has_choice), (ts, id), name = '$survey_answered') AS answer" +
        scan(
            "type = 0 AND has_survey AND name IN ('$survey_shown', '$survey_answered', "
            "'$survey_dismissed') AND " +
            window_) +
        " GROUP BY survey, person";
    std::map<std::string, SurveyFigures> by_survey;
    for (const auto& row :
         rows_of("SELECT survey, countIf(shown), countIf(answered), "
                 "countIf(dismissed), groupArrayIf(answer.2, answered AND "
                 "answer.1) FROM (" +
                 per_person + ") GROUP BY survey HAVING max(shown OR answered)")) {
      SurveyFigures& f = by_survey[row.at(0)];
      f.survey = row.at(0);
      const auto kind = request_.survey_kinds.find(f.survey);
      f.kind = kind == request_.survey_kinds.end() ? "" : kind->second;
      f.shown = to_int(row.at(1));
      f.answered = to_int(row.at(2));
      f.dismissed = to_int(row.at(3));
      f.scores = tsv_int_array(row.at(4));
    }
    for (const auto& row :
         rows_of("SELECT survey, answer.3 AS choice, count() FROM (" + per_person +
                 ") WHERE answered AND answer.4 GROUP BY survey, choice")) {
      const auto it = by_survey.find(row.at(0));
      if (it != by_survey.end()) it->second.choices[row.at(1)] = to_int(row.at(2));
    }
    std::vector<SurveyFigures> rows;
    for (auto& [survey, f] : by_survey) rows.push_back(std::move(f));
    return surveys_report(std::move(rows));
  }

 private:
  // FROM the app's events joined to each anon's tie (the user of its earliest identify; equal
  // times resolved by the smaller user), filtered by `where` and the segment. GLOBAL: on a
  // Distributed table the ties are computed once over every shard and shipped to each.
  [[nodiscard]] std::string scan(const std::string& where) const {
    return " FROM " + table_ + " GLOBAL ANY LEFT JOIN " + ties() +
           " USING anon PREWHERE app = " + app_ + " WHERE (" + where + ")" + segment_;
  }
  [[nodiscard]] std::string ties() const {
    return "(SELECT anon, argMin(user, (ts, user)) AS tie FROM " + table_ + " WHERE app = " + app_ +
           " AND type = 1 GROUP BY anon)";
  }

  // "AND person IN (the segment's persons)", or "" without a segment (METRICS.md "Segments").
  std::string segment_condition() const {
    const Segment& seg = request_.segment;
    if (seg.empty()) return "";
    std::vector<std::string> columns{std::string(kPerson) + " AS person"}, conditions;
    if (seg.account || !seg.account_traits.empty())
      columns.push_back(std::string(kAccount) + " AS acct");
    if (seg.account) conditions.push_back("acct = " + clickhouse_quote(*seg.account));
    if (seg.version) {
      columns.push_back("countIf(app_version = " + clickhouse_quote(*seg.version) + " AND ts < " +
                        hi_ + ") > 0 AS ran");
      conditions.push_back("ran");
    }
    int n = 0;
    for (const auto& [key, value] : seg.traits) {
      const std::string alias = "trait" + std::to_string(n++);
      columns.push_back("argMaxIf(" + trait_of(key) + ", (ts, id), type = 1 AND has(trait_keys, " +
                        clickhouse_quote(key) + ")) AS " + alias);
      conditions.push_back(alias + ".1 = 1 AND " + alias + ".2 = " + clickhouse_quote(value));
    }
    for (const auto& [key, value] : seg.account_traits) {
      conditions.push_back(
          "acct IN (SELECT account FROM (SELECT account, argMax(" + trait_of(key) +
          ", (ts, id)) AS t FROM " + table_ + " WHERE app = " + app_ +
          " AND type = 2 AND has(trait_keys, " + clickhouse_quote(key) +
          ") GROUP BY account) WHERE t.1 = 1 AND t.2 = " + clickhouse_quote(value) + ")");
    }
    std::string select;
    for (const std::string& c : columns) select += (select.empty() ? "" : ", ") + c;
    std::string where;
    for (const std::string& c : conditions) where += (where.empty() ? "" : " AND ") + c;
    return " AND " + std::string(kPerson) + " GLOBAL IN (SELECT person FROM (SELECT " + select +
           " FROM " + table_ + " GLOBAL ANY LEFT JOIN " + ties() +
           " USING anon PREWHERE app = " + app_ + " GROUP BY person) WHERE " + where + ")";
  }

  // The config's key actions, else every feature used in the window by anyone of the app.
  std::vector<std::string> key_actions() {
    if (!request_.key_actions.empty()) {
      std::vector<std::string> out;
      std::set<std::string> seen;
      for (const std::string& a : request_.key_actions) {
        if (seen.insert(a).second) out.push_back(a);
      }
      return out;
    }
    std::vector<std::string> out;
    for (const auto& row :
         rows_of("SELECT DISTINCT name FROM " + table_ + " PREWHERE app = " + app_ + " WHERE " +
                 kFeatureUse + " AND " + window_ + " ORDER BY name"))
      out.push_back(row.at(0));
    return out;
  }

  std::int64_t active_users() {
    return to_int(one_row("SELECT uniqExact(" + std::string(kPerson) + ")" + scan(window_)).at(0));
  }

  std::vector<std::vector<std::string>> rows_of(const std::string& sql) {
    return tsv_rows(query_(sql + " FORMAT TabSeparated"));
  }
  std::vector<std::string> one_row(const std::string& sql) {
    auto rows = rows_of(sql);
    if (rows.size() != 1) throw StoreError("clickhouse: a report query answered no row");
    return std::move(rows[0]);
  }

  const ClickHouseQuery& query_;
  std::string table_;
  const ReportRequest& request_;
  std::string app_, lo_, hi_, window_, segment_;
};

}  // namespace

Report run_clickhouse_report(const ClickHouseQuery& query, const std::string& events_table,
                             const ReportRequest& q) {
  Reports reports(query, events_table, q);
  static const std::map<std::string_view, Report (Reports::*)()> kReports = {
      {"overview", &Reports::overview},
      {"features", &Reports::features},
      {"first-action", &Reports::first_action},
      {"stickiness", &Reports::stickiness},
      {"funnel", &Reports::funnel},
      {"tips", &Reports::tips},
      {"product-adoption", &Reports::product_adoption},
      {"accounts", &Reports::accounts},
      {"champions", &Reports::champions},
      {"retention", &Reports::retention},
      {"trends", &Reports::trends},
      {"releases", &Reports::releases},
      {"surveys", &Reports::surveys}};
  const auto it = kReports.find(q.name);
  if (it == kReports.end()) throw StoreError("unknown report " + q.name);
  return (reports.*(it->second))();
}

}  // namespace uptake::collector
