#include "storage/clickhouse/clickhouse_reports.hpp"

#include <map>

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

class Reports {
 public:
  Reports(const ClickHouseQuery& query, std::string table, const ReportRequest& r)
      : query_(query),
        table_(std::move(table)),
        app_(clickhouse_quote(r.app)),
        lo_(std::to_string(r.from_day * kDayMs)),
        hi_(std::to_string((r.to_day + 1) * kDayMs)),
        window_("ts >= " + lo_ + " AND ts < " + hi_) {}

  Report overview() {
    const auto row =
        one_row("SELECT countIf(n > 0), sum(n), countIf(fs < " + hi_ + ") FROM (SELECT " + kPerson +
                " AS person, uniqExactIf(id, " + window_ + ") AS n, " + kFirstSeen + " AS fs" +
                scan("1") + " GROUP BY person)");
    const auto sessions =
        one_row("SELECT uniqExact(session) FROM " + table_ + " PREWHERE app = " + app_ +
                " WHERE session != '' AND " + window_);
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

  Report first_action(std::vector<std::string> actions) {
    if (actions.empty()) {
      for (const auto& row :
           rows_of("SELECT DISTINCT name FROM " + table_ + " PREWHERE app = " + app_ + " WHERE " +
                   kFeatureUse + " AND " + window_ + " ORDER BY name"))
        actions.push_back(row.at(0));
    }
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
    for (const auto& row :
         rows_of("SELECT feature, groupArray(ms) FROM (SELECT feature, " + std::string(kPerson) +
                 " AS person, argMin(ms_since_install, (ts, id)) AS ms" +
                 scan("type = 0 AND name = '$first_action' AND " + window_ + " AND feature IN (" +
                      list + ")") +
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

  Report stickiness(std::int64_t from_day, std::int64_t to_day) {
    StickinessFigures f;
    for (const auto& row : rows_of("SELECT " + std::string(kDay) + " AS d, uniqExact(" + kPerson +
                                   ")" + scan(window_) + " GROUP BY d"))
      f.users_by_day[to_int(row.at(0))] = to_int(row.at(1));
    for (const auto& row : rows_of("SELECT days, count() FROM (SELECT " + std::string(kPerson) +
                                   " AS person, uniqExact(" + kDay + ") AS days" + scan(window_) +
                                   " GROUP BY person) GROUP BY days"))
      f.users_by_day_count[to_int(row.at(0))] = to_int(row.at(1));
    return stickiness_report(f, from_day, to_day);
  }

  Report funnel(const std::string& feature, std::int64_t adopted_days) {
    const std::string f = clickhouse_quote(feature);
    // Names starting with '$' are never features, so they are never used.
    const std::string use = feature.starts_with('$') ? "0" : "name = " + f;
    const auto row = one_row(
        "SELECT countIf(used OR shown), countIf(used OR clicked), countIf(used), countIf(days >= " +
        std::to_string(adopted_days) + ") FROM (SELECT " + kPerson + " AS person, max(" + use +
        ") AS used, max(name = '$tip_shown') AS shown, max(name = '$tip_clicked') AS clicked, "
        "uniqExactIf(" +
        kDay + ", " + use + ") AS days" +
        scan("type = 0 AND " + window_ + " AND (" + use +
             " OR (name IN ('$tip_shown', '$tip_clicked') AND feature = " + f + "))") +
        " GROUP BY person)");
    return funnel_report(
        {to_int(row.at(0)), to_int(row.at(1)), to_int(row.at(2)), to_int(row.at(3))});
  }

  Report tips() {
    // F of a tip: the feature of its earliest $tip_shown / $tip_held_out in the window.
    std::vector<std::string> tips, features;
    for (const auto& row : rows_of("SELECT tip, argMin(feature, (ts, id)) FROM " + table_ +
                                   " PREWHERE app = " + app_ +
                                   " WHERE type = 0 AND name IN ('$tip_shown', '$tip_held_out') "
                                   "AND tip != '' AND " +
                                   window_ + " GROUP BY tip")) {
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
             scan("type = 0 AND " + window_ + " AND tip IN (" + quoted_list(tips) +
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

  Report product_adoption(const std::string& month) {
    const auto row =
        one_row("SELECT countIf(fs >= " + lo_ + " AND fs < " + hi_ + "), countIf(fs >= " + lo_ +
                " AND fs < " + hi_ + " AND days >= 2) FROM (SELECT " + kPerson + " AS person, " +
                kFirstSeen + " AS fs, uniqExactIf(" + kDay + ", " + window_ + ") AS days" +
                scan("1") + " GROUP BY person)");
    return product_adoption_report({to_int(row.at(0)), to_int(row.at(1))}, month);
  }

 private:
  // FROM the app's events joined to each anon's tie (the user of its earliest identify; equal
  // times resolved by the smaller user), filtered by `where`. GLOBAL: on a Distributed table
  // the ties are computed once over every shard and shipped to each.
  [[nodiscard]] std::string scan(const std::string& where) const {
    return " FROM " + table_ +
           " GLOBAL ANY LEFT JOIN (SELECT anon, argMin(user, (ts, user)) AS tie FROM " + table_ +
           " WHERE app = " + app_ +
           " AND type = 1 GROUP BY anon) USING anon PREWHERE app = " + app_ + " WHERE " + where;
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
  std::string table_, app_, lo_, hi_, window_;
};

}  // namespace

Report run_clickhouse_report(const ClickHouseQuery& query, const std::string& events_table,
                             const ReportRequest& q) {
  const std::vector<std::string>& key_actions = q.key_actions;
  Reports reports(query, events_table, q);
  if (q.name == "overview") return reports.overview();
  if (q.name == "features") return reports.features();
  if (q.name == "first-action") return reports.first_action(key_actions);
  if (q.name == "stickiness") return reports.stickiness(q.from_day, q.to_day);
  if (q.name == "funnel") return reports.funnel(q.feature, q.adopted_days);
  if (q.name == "tips") return reports.tips();
  if (q.name == "product-adoption") return reports.product_adoption(q.month);
  throw StoreError("unknown report " + q.name);
}

}  // namespace uptake::collector
