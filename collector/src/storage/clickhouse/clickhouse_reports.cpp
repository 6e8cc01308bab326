#include "storage/clickhouse/clickhouse_reports.hpp"

#include <cstddef>
#include <functional>
#include <map>
#include <set>

#include "reports/calendar.hpp"
#include "reports/figures.hpp"
#include "storage/clickhouse/clickhouse_rollups.hpp"
#include "storage/clickhouse/clickhouse_sql.hpp"
#include "storage/store.hpp"

namespace uptake::collector {
namespace {

// The person of an actor (PROTOCOL.md identity); `tie` comes from the join in with_person().
constexpr const char* kPerson = "if(user != '', user, if(tie != '', tie, anon))";
constexpr const char* kNoInstall = "9223372036854775807";  // actors.install_ts: none

std::int64_t to_int(const std::string& s) {
  try {
    return std::stoll(s);
  } catch (const std::exception&) {
    throw StoreError("clickhouse: unexpected number '" + s + "' in a report answer");
  }
}

std::size_t to_index(const std::string& s) {
  return static_cast<std::size_t>(to_int(s));
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

// Reports read the rollups (clickhouse_rollups.hpp) in one pattern: aggregate a rollup per
// actor (user, anon) and the report's dimensions without any join, then resolve each actor's
// person against the small `ties` rollup, then aggregate per person. Event counts merge the
// rollups' id states directly (an id belongs to one actor), so no big state crosses a join.
class Reports {
 public:
  Reports(const ClickHouseQuery& query, std::string database, const ReportRequest& r)
      : query_(query),
        db_(std::move(database)),
        request_(r),
        app_(clickhouse_quote(r.app)),
        from_(std::to_string(r.from_day)),
        to_(std::to_string(r.to_day)),
        lo_(std::to_string(r.from_day * kDayMs)),
        hi_(std::to_string((r.to_day + 1) * kDayMs)),
        window_("ts >= " + lo_ + " AND ts < " + hi_),
        days_("day >= " + from_ + " AND day <= " + to_) {}

  // Reads the identity ties, and with a segment its actors, once into temporary tables of the
  // report's session, which every query of the report then joins or filters by.
  void prepare() {
    query_("CREATE TEMPORARY TABLE IF NOT EXISTS " + ties() +
           " (anon String, tie String) ENGINE = Memory");
    temporary_.push_back(ties());
    query_("INSERT INTO " + ties() + " SELECT anon, tie FROM " + ties_subquery(db_, app_));
    if (request_.segment.empty()) return;
    // The actors as one 64-bit hash each: filtering rows by it is 1.7 times faster than by the
    // pair of strings. Another actor matches one of the segment's hashes with probability
    // A * S / 2^64 (about 2e-10 for 200k actors and a 20k-actor segment).
    query_("CREATE TEMPORARY TABLE IF NOT EXISTS segment_actors (actor UInt64) ENGINE = Memory");
    temporary_.emplace_back("segment_actors");
    query_("INSERT INTO segment_actors SELECT DISTINCT cityHash64(user, anon) FROM (" +
           segment_actors() + ")");
    segment_ = " AND cityHash64(user, anon) GLOBAL IN segment_actors";
  }
  // Drops the temporary tables (else they go with the session's timeout).
  void finish() {
    for (const std::string& table : temporary_) query_("DROP TEMPORARY TABLE IF EXISTS " + table);
  }

  Report overview() {
    std::int64_t events = 0;
    for (const auto& row : event_counts(kActorDays, days_, "", "")) events += to_int(row.back());
    const auto sessions =
        one_row("SELECT uniqExactIfMerge(sessions) FROM " + rollup(kActorDays, days_));
    const auto known = one_row("SELECT countIf(fs < " + hi_ + ") FROM (" + persons() + ")");
    return overview_report({active_users(), to_int(known.at(0)), events, to_int(sessions.at(0))});
  }

  Report features() {
    std::map<std::string, FeatureFigures> by_name;
    for (const auto& row :
         rows_of("SELECT name, uniqExact(person) FROM (" +
                 with_person(per_row(kFeatureDays, "name", days_), "name") + ") GROUP BY name"))
      by_name[row.at(0)].users = to_int(row.at(1));
    for (const auto& row : event_counts(kFeatureDays, days_, "name", "name")) {
      const auto it = by_name.find(row.at(0));
      if (it != by_name.end()) it->second.uses = to_int(row.at(1));
    }
    // New users: the persons whose first use is before the window's end, less those whose
    // first use is before its start (no per-person minimum needed).
    for (const auto& row :
         rows_of("SELECT name, uniqExact(person) - uniqExactIf(person, f < " + lo_ + ") FROM (" +
                 with_person(per_row("actor_features", "name, finalizeAggregation(first_ts) AS f",
                                     "f < " + hi_),
                             "name, f") +
                 ") GROUP BY name")) {
      const auto it = by_name.find(row.at(0));
      if (it != by_name.end()) it->second.new_users = to_int(row.at(1));
    }
    std::vector<FeatureFigures> rows;
    for (auto& [name, f] : by_name) {
      f.feature = name;
      rows.push_back(std::move(f));
    }
    return features_report(std::move(rows), active_users());
  }

  Report first_action() {
    const std::vector<std::string> actions = key_actions();
    if (actions.empty()) return first_action_report({});
    const std::string list = quoted_list(actions);
    std::map<std::string, FirstActionFigures> by_feature;
    for (const auto& row : rows_of("SELECT i, groupArray(greatest(fu - fs, 0)) FROM (SELECT i, "
                                   "person, fu FROM (" +
                                   first_uses(actions) + ") WHERE fu >= " + lo_ +
                                   ") ANY INNER JOIN (SELECT person, fs FROM (" + persons() +
                                   ")) USING person GROUP BY i")) {
      by_feature[actions.at(to_index(row.at(0)))].durations_ms = tsv_int_array(row.at(1));
    }
    // Each person's earliest $first_action for F (equal times: the smaller id) that has a value.
    for (const auto& row :
         rows_of("SELECT feature, groupArrayIf(ms.2, ms.1) FROM (SELECT feature, " + person() +
                 " AS person, argMin((has_ms, ms_since_install), (ts, id)) AS ms" +
                 scan_rare("type = 0 AND name = '$first_action' AND " + window_ +
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
    const std::string person_days = active_days(days_);
    for (const auto& row :
         rows_of("SELECT day, uniqExact(person) FROM (" + person_days + ") GROUP BY day"))
      f.users_by_day[to_int(row.at(0))] = to_int(row.at(1));
    for (const auto& row :
         rows_of("SELECT days, count() FROM (" + days_per_person() + ") GROUP BY days"))
      f.users_by_day_count[to_int(row.at(0))] = to_int(row.at(1));
    return stickiness_report(f, request_.from_day, request_.to_day);
  }

  Report funnel() {
    const std::string f = clickhouse_quote(request_.feature);
    // Names starting with '$' are never features: the rollup has no uses of them.
    const std::string uses = with_person(per_row(kFeatureDays, "day", days_ + " AND name = " + f),
                                         "toUInt8(1) AS used, toUInt8(0) AS shown, toUInt8(0) AS "
                                         "clicked, day");
    const std::string tips =
        "SELECT " + person() +
        " AS person, toUInt8(0) AS used, toUInt8(name = '$tip_shown') AS shown, toUInt8(name = "
        "'$tip_clicked') AS clicked, toInt32(0) AS day" +
        scan_rare("type = 0 AND " + window_ +
                  " AND name IN ('$tip_shown', '$tip_clicked') AND has_feature AND feature = " + f);
    const auto row =
        one_row("SELECT countIf(u OR s), countIf(u OR c), countIf(u), countIf(u AND days >= " +
                std::to_string(request_.adopted_days) +
                ") FROM (SELECT person, max(used) AS u, max(shown) AS s, max(clicked) AS c, "
                "uniqExactIf(day, used = 1) AS days FROM (" +
                uses + " UNION ALL " + tips + ") GROUP BY person)");
    return funnel_report(
        {to_int(row.at(0)), to_int(row.at(1)), to_int(row.at(2)), to_int(row.at(3))});
  }

  Report tips() {
    // F of a tip: the feature of its earliest $tip_shown / $tip_held_out in the window.
    std::vector<std::string> tips, features;
    for (const auto& row : rows_of("SELECT tip, argMin(feature, (ts, id))" +
                                   scan_rare("type = 0 AND name IN ('$tip_shown', "
                                             "'$tip_held_out') AND has_tip AND " +
                                             window_) +
                                   " GROUP BY tip")) {
      tips.push_back(row.at(0));
      features.push_back(row.at(1));
    }
    if (tips.empty()) return tips_report({});
    static_assert(kTipConversionMs == 7 * kDayMs, "the conversion reads whole days in between");
    // A use in (x, x + 7 days] exists iff some (day, first, last) of the person's uses of F has:
    // the day of x and last > x, a day strictly between, or day(x) + 7 and first <= x + 7 days.
    // 18.16 lambdas cannot capture columns: x is passed as a second array of equal length.
    auto converted = [&](const char* flag, const char* x) {
      const std::string d = "toInt32(floor(x / 86400000))";
      return "countIf(" + std::string(flag) + " AND arrayExists((u, x) -> (u.1 = " + d +
             " AND u.3 > x) OR (u.1 > " + d + " AND u.1 < " + d + " + 7) OR (u.1 = " + d +
             " + 7 AND u.2 <= x + " + std::to_string(kTipConversionMs) + "), uses, arrayResize([" +
             x + "], length(uses), " + x + ")))";
    };
    const std::string uses =
        "SELECT name AS tip_feature, person, groupArray(tuple(day, f, l)) AS uses FROM (" +
        with_person(per_row(kFeatureDays,
                            "name, day, finalizeAggregation(first_ts) AS f, "
                            "finalizeAggregation(last_ts) AS l",
                            "name IN (" + quoted_list(features) + ") AND day >= " + from_ +
                                " AND day <= " + to_ + " + 7"),
                    "name, day, f, l") +
        ") GROUP BY tip_feature, person";
    std::vector<TipFigures> rows;
    for (const auto& row : rows_of(
             "SELECT tip, any(tip_feature), countIf(s), countIf(c), countIf(d), " +
             converted("s", "ts_s") + ", countIf(h), " + converted("h", "ts_h") +
             " FROM (SELECT tip, transform(tip, [" + quoted_list(tips) + "], [" +
             quoted_list(features) + "], '') AS tip_feature, " + person() +
             " AS person, countIf(name = '$tip_shown') > 0 AS s, minIf(ts, name = '$tip_shown') AS "
             "ts_s, countIf(name = '$tip_held_out') > 0 AS h, minIf(ts, name = '$tip_held_out') "
             "AS ts_h, max(name = '$tip_clicked') AS c, max(name = '$tip_dismissed') AS d" +
             scan_rare("type = 0 AND " + window_ + " AND has_tip AND tip IN (" + quoted_list(tips) +
                       ") AND name IN ('$tip_shown', '$tip_held_out', '$tip_clicked', "
                       "'$tip_dismissed')") +
             " GROUP BY tip, tip_feature, person) ANY LEFT JOIN (" + uses +
             ") USING tip_feature, person GROUP BY tip")) {
      rows.push_back({row.at(0), row.at(1), to_int(row.at(2)), to_int(row.at(3)), to_int(row.at(4)),
                      to_int(row.at(5)), to_int(row.at(6)), to_int(row.at(7))});
    }
    return tips_report(std::move(rows));
  }

  Report product_adoption() {
    const auto row =
        one_row("SELECT countIf(fs >= " + lo_ + " AND fs < " + hi_ + "), countIf(fs >= " + lo_ +
                " AND fs < " + hi_ + " AND days >= 2) FROM (SELECT person, fs FROM (" + persons() +
                ")) ANY LEFT JOIN (" + days_per_person() + ") USING person");
    return product_adoption_report({to_int(row.at(0)), to_int(row.at(1))}, request_.month);
  }

  Report accounts() {
    const std::vector<std::string> actions = key_actions();
    const std::int64_t from = request_.from_day, to = request_.to_day, days = to - from + 1;
    std::string used;
    for (std::size_t k = 0; k < actions.size(); ++k)
      used += ", countIf(days > 0 AND " + used_bit(k) + ")";
    const std::string activity = "SELECT person, " + days_in(from - days, to, from, to) +
                                 " AS days, " + days_in(from - days, to, from - days, from - 1) +
                                 " > 0 AS previous FROM (" + day_words(from - days, to) + ")";
    const std::string key_actions_used =
        actions.empty() ? ""
                        : " ANY LEFT JOIN (" + features_used(actions, days_) + ") USING person";
    std::vector<AccountFigures> rows;
    const std::string by_account =
        "SELECT acct, countIf(fs < " + hi_ + "), countIf(days > 0), countIf(previous), sum(days)" +
        used +
        " FROM (SELECT person, acct, fs, days, previous FROM (SELECT person, acct, fs FROM (" +
        persons() + ") WHERE acct != '') ANY LEFT JOIN (" + activity + ") USING person)" +
        key_actions_used + " GROUP BY acct HAVING countIf(days > 0) > 0";
    for (const auto& row : rows_of(by_account)) {
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
         rows_of("SELECT account, t.2 FROM (" + account_trait("name") + ") WHERE t.1 = 1")) {
      names[row.at(0)] = row.at(1);
    }
    for (AccountFigures& f : rows) f.name = names[f.account];
    return accounts_report(std::move(rows), actions.size(), days);
  }

  Report champions() {
    person_ids_ = true;  // champions are listed, and ranked by their ids last
    // nf and nk count the bits of each person's words of the window's features (bitmaskToArray:
    // 18.16 has no bitCount), nk after masking them with the key actions' bits.
    const std::vector<std::string> features = window_features();
    std::set<std::string> actions(request_.key_actions.begin(), request_.key_actions.end());
    if (actions.empty()) actions.insert(features.begin(), features.end());
    const std::string nf = bits_set("used", features.size(), [](std::size_t) { return true; });
    const std::string nk = bits_set("used", features.size(),
                                    [&](std::size_t k) { return actions.contains(features[k]); });
    const std::string used =
        features.empty() ? ""
                         : " ANY LEFT JOIN (" + features_used(features, days_) + ") USING person";
    std::vector<ChampionFigures> rows;
    std::vector<std::string> champions;
    const std::string ranking =
        "SELECT person, acct, " + nf + " AS nf, " + nk +
        " AS nk, days FROM (SELECT * FROM (SELECT * FROM (" + days_per_person() + ")" + used +
        ") ANY LEFT JOIN (SELECT person, acct FROM (" + persons() +
        ")) USING person) ORDER BY nf DESC, nk DESC, days DESC, person LIMIT " +
        std::to_string(request_.limit);
    for (const auto& row : rows_of(ranking)) {
      rows.push_back(
          {row.at(0), row.at(1), to_int(row.at(2)), to_int(row.at(3)), to_int(row.at(4)), 0});
      champions.push_back(row.at(0));
    }
    if (rows.empty()) return champions_report(std::move(rows), request_.limit);
    // Uses, for the champions only (the ranking does not need them): each of their actors'
    // distinct use ids, summed per person (an id is one actor's). The actors are few, so they
    // filter the rows before the id sets are read.
    std::map<std::pair<std::string, std::string>, std::string> person_of_actor;
    for (auto& row : rows_of("SELECT person, user, anon FROM (" +
                             with_person(per_row("actors", "", "1"), "user, anon") +
                             ") WHERE person IN (" + quoted_list(champions) + ")"))
      person_of_actor[{row.at(1), row.at(2)}] = row.at(0);
    std::string actors;
    for (const auto& [actor, person] : person_of_actor) {
      if (!actors.empty()) actors += ", ";
      actors += "(" + clickhouse_quote(actor.first) + ", " + clickhouse_quote(actor.second) + ")";
    }
    std::map<std::string, std::int64_t> uses;
    for (const auto& row : event_counts(kFeatureDays, days_, "user, anon", "user, anon",
                                        "(user, anon) IN (" + actors + ")")) {
      const auto it = person_of_actor.find({row.at(0), row.at(1)});
      if (it != person_of_actor.end()) uses[it->second] += to_int(row.at(2));
    }
    for (ChampionFigures& f : rows) f.uses = uses[f.person];
    return champions_report(std::move(rows), request_.limit);
  }

  Report retention() {
    const bool weekly = request_.interval == Interval::week;
    const std::string length = weekly ? "7" : "1";
    const std::string first_day = "toInt64(floor(fs / 86400000))";
    const std::string cohort = weekly ? monday(first_day) : first_day;
    // A weekly cohort starts up to six days before the window; later days count from it. The
    // cohorts (persons first seen in the window, a fraction of the active ones) are read once
    // into the session, and only their active days are grouped.
    query_("CREATE TEMPORARY TABLE report_cohorts ENGINE = Memory AS SELECT person, " + cohort +
           " AS cohort FROM (" + persons() + ") WHERE fs >= " + lo_ + " AND fs < " + hi_);
    temporary_.emplace_back("report_cohorts");
    const std::string persons_days =
        "SELECT person, cohort, days FROM report_cohorts ANY INNER JOIN (SELECT person, "
        "groupUniqArray(day) AS days FROM (" +
        active_days("day >= " + std::to_string(request_.from_day - 6) + " AND day <= " + to_) +
        ") WHERE person GLOBAL IN (SELECT person FROM report_cohorts) GROUP BY person) USING "
        "person";
    std::map<std::int64_t, RetentionFigures> by_cohort;
    for (const auto& row : rows_of("SELECT cohort, count() FROM report_cohorts GROUP BY cohort")) {
      RetentionFigures& c = by_cohort[to_int(row.at(0))];
      c.cohort = to_int(row.at(0));
      c.persons = to_int(row.at(1));
      const std::int64_t intervals = (request_.to_day - c.cohort) / (weekly ? 7 : 1) + 1;
      c.retained.assign(static_cast<std::size_t>(intervals), 0);
    }
    const std::string retained = "SELECT cohort, intDiv(d - cohort, " + length +
                                 ") AS k, uniqExact(person) FROM (" + persons_days +
                                 ") ARRAY JOIN days AS d WHERE d >= cohort GROUP BY cohort, k";
    for (const auto& row : rows_of(retained)) {
      RetentionFigures& c = by_cohort[to_int(row.at(0))];
      const auto k = static_cast<std::size_t>(to_int(row.at(1)));
      if (k < c.retained.size()) c.retained[k] = to_int(row.at(2));
    }
    std::vector<RetentionFigures> rows;
    rows.reserve(by_cohort.size());
    for (auto& [start, c] : by_cohort) rows.push_back(std::move(c));
    return retention_report(std::move(rows));
  }

  Report trends() {
    const bool weekly = request_.interval == Interval::week;
    const std::string period = weekly ? monday("day") : std::string("day");
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
         rows_of("SELECT " + period + " AS p, name, uniqExact(person) FROM (" +
                 with_person(per_row(kFeatureDays, "day, name", days_ + only), "day, name") +
                 ") GROUP BY p, name")) {
      cells[{to_int(row.at(0)), row.at(1)}].users = to_int(row.at(2));
      features.insert(row.at(1));
    }
    for (const auto& row :
         event_counts(kFeatureDays, days_ + only, period + " AS p, name", "p, name"))
      cells[{to_int(row.at(0)), row.at(1)}].uses = to_int(row.at(2));
    // First uses ever: before the window (the adopters the curve starts at) or in a period.
    const std::string first_day = "toInt64(floor(fu / 86400000))";
    std::map<std::string, std::int64_t> before;
    const std::vector<std::string> names(features.begin(), features.end());
    const auto first_rows = [&] {
      if (names.empty()) return std::vector<std::vector<std::string>>{};
      return rows_of("SELECT i, if(fu < " + lo_ + ", -1, " +
                     (weekly ? monday(first_day) : first_day) + ") AS p, count() FROM (" +
                     first_uses(names) + ") GROUP BY i, p");
    };
    for (const auto& row : first_rows()) {
      const std::string& name = names.at(to_index(row.at(0)));
      const std::int64_t p = to_int(row.at(1));
      if (p < 0)
        before[name] = to_int(row.at(2));
      else
        cells[{p, name}].new_users = to_int(row.at(2));
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
    std::map<std::string, ReleaseFigures> by_version;
    for (const auto& row :
         event_counts(kActorDays, days_ + " AND app_version != ''", "app_version", "app_version")) {
      ReleaseFigures& f = by_version[row.at(0)];
      f.app_version = row.at(0);
      f.events = to_int(row.at(1));
    }
    for (const auto& row :
         rows_of("SELECT app_version, min(day) FROM " + rollup(kActorDays, "app_version != ''") +
                 " GROUP BY app_version")) {
      const auto it = by_version.find(row.at(0));
      if (it != by_version.end()) it->second.first_seen_day = to_int(row.at(1));
    }
    for (const auto& row :
         rows_of("SELECT app_version, uniqExact(person) FROM (" +
                 with_person(per_row(kActorDays, "app_version", days_ + " AND app_version != ''"),
                             "app_version") +
                 ") GROUP BY app_version")) {
      const auto it = by_version.find(row.at(0));
      if (it != by_version.end()) it->second.users = to_int(row.at(1));
    }
    std::vector<ReleaseFigures> rows;
    rows.reserve(by_version.size());
    for (auto& [version, f] : by_version) rows.push_back(std::move(f));
    return releases_report(std::move(rows), active_users());
  }

  Report surveys() {
    const std::string per_person =
        "SELECT survey, " + person() +
        " AS person, max(name = '$survey_shown') AS shown, max(name = '$survey_dismissed') AS "
        "dismissed, max(name = '$survey_answered') AS answered, argMaxIf((has_score, score, "
        "choice, has_choice), (ts, id), name = '$survey_answered') AS answer" +
        scan_rare(
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
    rows.reserve(by_survey.size());
    for (auto& [survey, f] : by_survey) rows.push_back(std::move(f));
    return surveys_report(std::move(rows));
  }

 private:
  [[nodiscard]] std::string table(const char* name) const { return db_ + "." + name; }

  // "db.<name> PREWHERE app = .. [AND (<prewhere>)] WHERE (<where>) <segment>": the app's rows
  // of a rollup. A condition in `prewhere` is read first, before the other columns of its rows.
  [[nodiscard]] std::string rollup(const char* name, const std::string& where,
                                   const std::string& prewhere = "") const {
    return table(name) + " PREWHERE app = " + app_ +
           (prewhere.empty() ? "" : " AND (" + prewhere + ")") + " WHERE (" + where + ")" +
           segment_;
  }

  // Rows of a rollup for with_person(): one per actor and `dims` (by_actor), or every stored
  // row (per_row). Rendered by actor_rows() with an extra condition on the actor.
  struct ActorRows {
    const char* rollup;
    std::string columns;  // select expressions besides user and anon
    std::string where;
    std::string group_dims;  // by_actor: GROUP BY user, anon and these
    bool grouped = false;
  };

  // One row per actor and `dims` of rollup `name` in `where` and the segment, with `aggs`.
  [[nodiscard]] static ActorRows by_actor(const char* name, const std::string& dims,
                                          const std::string& aggs, const std::string& where) {
    const std::string columns = dims + (!dims.empty() && !aggs.empty() ? ", " : "") + aggs;
    return {name, columns, where, dims, true};
  }

  // Every row of rollup `name` in `where` and the segment, unmerged: for figures that are a min,
  // a max, a distinct count or an existence over rows, which a row repeated in another part
  // does not change. Joining every row is faster than grouping them by actor first.
  [[nodiscard]] static ActorRows per_row(const char* name, const std::string& columns,
                                         const std::string& where) {
    return {name, columns, where, "", false};
  }

  // SELECT user, anon, columns of `rows` whose actor also meets `actor`.
  [[nodiscard]] std::string actor_rows(const ActorRows& rows, const char* actor) const {
    std::string sql = "SELECT user, anon" + (rows.columns.empty() ? "" : ", " + rows.columns) +
                      " FROM " + rollup(rows.rollup, "(" + rows.where + ") AND " + actor);
    if (rows.grouped)
      sql += " GROUP BY user, anon" + (rows.group_dims.empty() ? "" : ", " + rows.group_dims);
    return sql;
  }

  // Rows (keys..., n): the distinct event ids of rollup `name` in `where` per `dims` (select
  // expressions of its columns, named by `keys`). A group of rows that all lie in one part has
  // one row per key (a part's rows have distinct keys, and an id is one key's), so the sizes of
  // its id sets add up exactly without merging them, which is 2.5 times faster; a copy of an
  // event stored twice sits in another part, which makes its day go the merging way. Each
  // day's figure comes whole from one query, so from one set of parts.
  std::vector<std::vector<std::string>> event_counts(const char* name, const std::string& where,
                                                     const std::string& dims,
                                                     const std::string& keys,
                                                     const std::string& prewhere = "") {
    const std::string comma = keys.empty() ? "" : ", ";
    const auto summed =
        rows_of("SELECT " + dims + comma +
                "day AS the_day, sum(finalizeAggregation(ids)), min(_part_index) = "
                "max(_part_index) FROM " +
                rollup(name, where, prewhere) + " GROUP BY " + keys + comma + "the_day");
    std::set<std::string> merged_days;  // the days with a group spread over parts
    for (const auto& row : summed) {
      if (row.back() != "1") merged_days.insert(row.at(row.size() - 3));
    }
    std::map<std::vector<std::string>, std::int64_t> counts;
    for (const auto& row : summed) {
      const std::size_t day = row.size() - 3;
      if (!merged_days.contains(row[day]))
        counts[{row.begin(), row.begin() + static_cast<std::ptrdiff_t>(day)}] +=
            to_int(row[day + 1]);
    }
    if (!merged_days.empty()) {
      // The ids are merged in small sets, per day and a bucket of anons, and the sets' sizes
      // added: the copies of an event share a day and an anon, so they meet in one set, and no
      // id is in two sets. One big set per key is three to six times slower.
      std::string days;
      for (const std::string& d : merged_days) {
        if (!days.empty()) days += ", ";
        days += std::to_string(to_int(d));
      }
      const std::string merged =
          "SELECT " + keys + comma + "sum(n) AS n FROM (SELECT " + dims + comma +
          "uniqExactMerge(ids) AS n FROM " +
          rollup(name, "(" + where + ") AND day IN (" + days + ")", prewhere) + " GROUP BY " +
          keys + comma + "day, cityHash64(anon) % 64)" + (keys.empty() ? "" : " GROUP BY " + keys);
      for (const auto& row : rows_of(merged))
        counts[{row.begin(), row.end() - 1}] += to_int(row.back());
    }
    std::vector<std::vector<std::string>> rows;
    rows.reserve(counts.size());
    for (const auto& [key, n] : counts) {
      rows.push_back(key);
      rows.back().push_back(std::to_string(n));
    }
    return rows;
  }

  // The rows of `rows` with their person, keeping `columns` (of the rows, user and anon).
  // Identified rows are their user's; only the anonymous ones (about a third) are joined to
  // the report's ties, which takes ~40% off a pass over a rollup. GLOBAL: on a cluster the
  // ties are shipped to each shard once.
  [[nodiscard]] std::string with_person(const ActorRows& rows, const std::string& columns) const {
    const std::string kept = columns.empty() ? "" : ", " + columns;
    return "SELECT " + person_of("user") + " AS person" + kept + " FROM (" +
           actor_rows(rows, "user != ''") + ") UNION ALL SELECT " +
           person_of("if(tie != '', tie, anon)") + " AS person" + kept + " FROM (" +
           actor_rows(rows, "user = ''") + ") GLOBAL ANY LEFT JOIN " + ties() + " USING anon";
  }

  // A person given by `id`: the id where a report lists persons, else a 64-bit hash of it.
  // Grouping and distinct counts run about twice as fast on the hash as on the strings (which
  // uniqExact hashes to 128 bits anyway). Two persons share a hash with probability n^2 / 2^65:
  // about 3e-8 for a million persons in one app.
  [[nodiscard]] std::string person_of(const std::string& id) const {
    return person_ids_ ? id : "cityHash64(" + id + ")";
  }
  // The person of a row joined to the ties.
  [[nodiscard]] std::string person() const { return person_of(kPerson); }

  // The temporary table of each anon's tie (the user of its earliest identify; equal times:
  // the smaller user), read once per report so that every query of it sees one identity.
  [[nodiscard]] static std::string ties() { return "report_ties"; }

  // FROM the app's rare events (identify, group, tips, first actions, surveys) joined to each
  // anon's tie, filtered by `where` and the segment.
  [[nodiscard]] std::string scan_rare(const std::string& where) const {
    return " FROM " + table("rare") + " GLOBAL ANY LEFT JOIN " + ties() +
           " USING anon PREWHERE app = " + app_ + " WHERE (" + where + ")" + segment_;
  }

  // Every person of the segment: first seen (their earliest $install, else their earliest
  // event) and account (their latest group event's; equal times: the greater account).
  [[nodiscard]] std::string persons() const {
    return "SELECT person, if(min(i) < " + std::string(kNoInstall) +
           ", min(i), min(f)) AS fs, max(acc).2 AS acct FROM (" +
           with_person(per_row("actors",
                               "finalizeAggregation(install_ts) AS i, "
                               "finalizeAggregation(first_ts) AS f, "
                               "finalizeAggregation(account) AS acc",
                               "1"),
                       "i, f, acc") +
           ") GROUP BY person";
  }

  // (person, day) of every active day in `where`.
  [[nodiscard]] std::string active_days(const std::string& where) const {
    return with_person(per_row(kActorDays, "day", where), "day");
  }
  // (person, days): the number of days each person was active in the window.
  [[nodiscard]] std::string days_per_person() const {
    const std::int64_t from = request_.from_day, to = request_.to_day;
    return "SELECT person, " + days_in(from, to, from, to) + " AS days FROM (" +
           day_words(from, to) + ")";
  }

  // Per person active on a day of [from, to] (and the segment): bitmask words days_0, days_1,
  // ... with day from + k at bit k % 64 of word k / 64. 18.16 groups these about twice as fast
  // as it counts distinct days per person.
  [[nodiscard]] std::string day_words(std::int64_t from, std::int64_t to) const {
    return "SELECT person" + bit_words("days", static_cast<std::size_t>(to - from + 1)) +
           " FROM (" +
           with_person(
               per_row(kActorDays, "day",
                       "day >= " + std::to_string(from) + " AND day <= " + std::to_string(to)),
               "toUInt64(day - " + std::to_string(from) + ") AS k") +
           ") GROUP BY person";
  }
  // The number of the days [first, last] set in the words of day_words(from, to) (0 for a
  // person not in them); [first, last] lies within [from, to].
  static std::string days_in(std::int64_t from, std::int64_t to, std::int64_t first,
                             std::int64_t last) {
    return bits_set("days", static_cast<std::size_t>(to - from + 1), [&](std::size_t k) {
      const std::int64_t day = from + static_cast<std::int64_t>(k);
      return day >= first && day <= last;
    });
  }

  // ", groupBitOrIf(...) AS <prefix>_0, ...": per group, the words of `bits` bits of which row
  // k (a UInt64 column) sets bit k % 64 of word k / 64.
  static std::string bit_words(const char* prefix, std::size_t bits) {
    std::string words;
    for (std::size_t w = 0; w * 64 < bits; ++w) {
      words +=
          ", groupBitOrIf(bitShiftLeft(toUInt64(1), k % 64), intDiv(k, 64) = " + std::to_string(w) +
          ") AS " + prefix + "_" + std::to_string(w);
    }
    return words;
  }
  // The number of bits k with in(k) set in the words of bit_words(prefix, bits) (0 where the
  // words are 0); 18.16 has no bitCount, so bitmaskToArray's length counts them.
  static std::string bits_set(const char* prefix, std::size_t bits,
                              const std::function<bool(std::size_t)>& in) {
    std::string sum = "toUInt64(0)";
    for (std::size_t w = 0; w * 64 < bits; ++w) {
      std::uint64_t mask = 0;
      for (std::size_t k = w * 64; k < bits && k < (w + 1) * 64; ++k) {
        if (in(k)) mask |= std::uint64_t{1} << (k % 64);
      }
      if (mask != 0) {
        sum += " + length(bitmaskToArray(bitAnd(" + std::string(prefix) + "_" + std::to_string(w) +
               ", " + std::to_string(mask) + ")))";
      }
    }
    return "(" + sum + ")";
  }

  // Per person who used one of `names` on the days of `where`: bitmask words used_0, used_1, ...
  // (bit k % 64 of word k / 64 set: used names[k]). Grouping words per person is ~2.5x faster
  // in 18.16 than grouping a set of names.
  [[nodiscard]] std::string features_used(const std::vector<std::string>& names,
                                          const std::string& where) const {
    return "SELECT person" + bit_words("used", names.size()) + " FROM (" +
           with_person(
               per_row(kFeatureDays, "name", where + " AND name IN (" + quoted_list(names) + ")"),
               name_index(names) + " AS k") +
           ") GROUP BY person";
  }
  // Whether the person used names[k] of features_used() (0 when they are not in it).
  static std::string used_bit(std::size_t k) {
    return "bitTest(used_" + std::to_string(k / 64) + ", " + std::to_string(k % 64) + ")";
  }

  // (i, person, fu): each person's first use ever of names[i], for the persons whose first use
  // is before the window's end (the others' would be later anyway). Grouped on one 64-bit hash
  // of (i, person), which 18.16 does about 40% faster than on (name, person); two pairs share
  // it with probability n^2 / 2^65, as persons share theirs.
  [[nodiscard]] std::string first_uses(const std::vector<std::string>& names) const {
    return "SELECT i, its_person AS person, fu FROM (SELECT any(k) AS i, any(person) AS "
           "its_person, min(f) AS fu FROM (" +
           with_person(per_row("actor_features", "name, finalizeAggregation(first_ts) AS f",
                               "name IN (" + quoted_list(names) + ") AND f < " + hi_),
                       name_index(names) + " AS k, f") +
           ") GROUP BY cityHash64(k, person))";
  }

  // The index of a row's name in `names` (which holds it), as a UInt64.
  static std::string name_index(const std::vector<std::string>& names) {
    std::string indices;
    for (std::size_t k = 0; k < names.size(); ++k)
      indices += (k == 0 ? "" : ", ") + std::to_string(k);
    return "toUInt64(transform(name, [" + quoted_list(names) + "], [" + indices + "], 0))";
  }

  // (account, t): the value of account trait `key` from the latest group event carrying it.
  [[nodiscard]] std::string account_trait(const std::string& key) const {
    return "SELECT account, argMax(" + trait_of(key) + ", (ts, id)) AS t FROM " + table("rare") +
           " PREWHERE app = " + app_ + " WHERE type = 2 AND has(trait_keys, " +
           clickhouse_quote(key) + ") GROUP BY account";
  }

  // SELECT user, anon: the actors of the segment's persons (METRICS.md "Segments"). Built while
  // segment_ is still empty.
  [[nodiscard]] std::string segment_actors() const {
    const Segment& seg = request_.segment;
    std::vector<std::string> sets;
    if (seg.account) {
      sets.push_back("SELECT person FROM (" + persons() +
                     ") WHERE acct = " + clickhouse_quote(*seg.account));
    }
    if (seg.version) {
      sets.push_back("SELECT person FROM (" +
                     with_person(by_actor(kActorDays, "", "",
                                          "app_version = " + clickhouse_quote(*seg.version) +
                                              " AND day <= " + to_),
                                 "") +
                     ")");
    }
    for (const auto& [key, value] : seg.traits) {
      sets.push_back("SELECT person FROM (SELECT " + person() + " AS person, argMax(" +
                     trait_of(key) + ", (ts, id)) AS t FROM " + table("rare") +
                     " GLOBAL ANY LEFT JOIN " + ties() + " USING anon PREWHERE app = " + app_ +
                     " WHERE type = 1 AND has(trait_keys, " + clickhouse_quote(key) +
                     ") GROUP BY person) WHERE t.1 = 1 AND t.2 = " + clickhouse_quote(value));
    }
    for (const auto& [key, value] : seg.account_traits) {
      sets.push_back("SELECT person FROM (" + persons() + ") WHERE acct IN (SELECT account FROM (" +
                     account_trait(key) + ") WHERE t.1 = 1 AND t.2 = " + clickhouse_quote(value) +
                     ")");
    }
    std::string where;
    for (const std::string& s : sets)
      where += (where.empty() ? "" : " AND ") + std::string("person GLOBAL IN (") + s + ")";
    return "SELECT user, anon FROM (" + with_person(per_row("actors", "", "1"), "user, anon") +
           ") WHERE " + where;
  }

  // The config's key actions, else every feature used in the window by anyone of the app.
  std::vector<std::string> key_actions() {
    if (request_.key_actions.empty()) return window_features();
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const std::string& a : request_.key_actions) {
      if (seen.insert(a).second) out.push_back(a);
    }
    return out;
  }

  // Every feature used in the window by anyone of the app, in order.
  std::vector<std::string> window_features() {
    std::vector<std::string> out;
    for (const auto& row :
         rows_of("SELECT DISTINCT name FROM " + table(kFeatureDays) + " PREWHERE app = " + app_ +
                 " WHERE " + days_ + " ORDER BY name"))
      out.push_back(row.at(0));
    return out;
  }

  std::int64_t active_users() {
    return to_int(one_row("SELECT uniqExact(person) FROM (" +
                          with_person(per_row(kActorDays, "", days_), "") + ")")
                      .at(0));
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
  std::string db_;
  const ReportRequest& request_;
  std::string app_, from_, to_, lo_, hi_, window_, days_, segment_;
  bool person_ids_ = false;
  std::vector<std::string> temporary_;  // the report's temporary tables, for finish()
};

}  // namespace

Report run_clickhouse_report(const ClickHouseQuery& query, const std::string& database,
                             const ReportRequest& q) {
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
  Reports reports(query, database, q);
  try {
    reports.prepare();
    Report report = (reports.*(it->second))();
    reports.finish();
    return report;
  } catch (const StoreError&) {
    try {
      reports.finish();  // the temporary tables hold the app's ties: free them now
    } catch (const StoreError&) {
      // the session's timeout frees them
    }
    throw;
  }
}

}  // namespace uptake::collector
