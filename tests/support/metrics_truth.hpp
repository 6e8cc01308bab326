#pragma once
// A brute-force "truth" for every report of METRICS.md, written from the specs only
// (/work/shared/METRICS.md and PROTOCOL.md), never from the collector's code: tests generate
// events, send them, and compare the collector's answers with these.
//
// It is meant to be read as a specification in code: every report is computed straight from
// the list of raw events, by scanning, with no cleverness, no indexes and no incremental state.
// Where METRICS.md leaves a detail open, the choice made is marked `// SPEC-GAP:` in
// metrics_truth.cpp.
//
// All functions take the events of ONE app. Duplicates by `id` are removed first (the first
// occurrence is kept), so callers may pass what they sent, resends included.
//
// The answers are boost::json values shaped like the JSON the API answers: the top-level
// fields `from` and `to` (`YYYY-MM-DD`; `app` and `segment` are not produced: add them if you
// want them compared), the report's figures, and its tables as arrays of row objects with
// the field names of METRICS.md. Counts are int64, ratios are doubles, `null` where
// METRICS.md says null.
//
// Boost.JSON is compiled header-only into metrics_truth.cpp (no -lboost_json needed). Define
// UPTAKE_TRUTH_LINK_BOOST_JSON when building it if the target links libboost_json instead.

#include <boost/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace uptake::truth {

/// One raw event as sent (after the collector's skew correction: `ts` is the corrected time).
struct TruthEvent {
  std::string id, type;  // type: "track" | "identify" | "group"
  std::string name, anon, user, account, session, app_version;  // "" = absent
  std::int64_t ts = 0;                                          // skew-corrected epoch ms
  std::string props_json;  // raw JSON object text of props, or "" for none
};

/// The parts of the app's remote config that reports depend on.
struct TruthConfig {
  std::vector<std::string> key_actions;             // config key_actions
  std::map<std::string, std::string> survey_kinds;  // survey id -> "nps" | "csat" | "choice"
};

/// A segment: every given condition must hold; all empty = every person.
struct Segment {
  std::optional<std::string> account, version;                // account=A, version=V
  std::map<std::string, std::string> traits, account_traits;  // trait.K=V, account_trait.K=V
};

// ---------------------------------------------------------------------------------------------
// Basics
// ---------------------------------------------------------------------------------------------

inline constexpr std::int64_t kDayMs = 86'400'000;

/// The events with duplicates by id removed (first occurrence kept, order preserved).
std::vector<TruthEvent> dedup(const std::vector<TruthEvent>& events);

/// floor(ts / 86 400 000): the UTC day number (0 = 1970-01-01), correct for negative times.
std::int64_t day_of(std::int64_t ts_ms);
/// Day number of a civil date (proleptic Gregorian, UTC).
std::int64_t day_from_ymd(int year, unsigned month, unsigned day);
/// `YYYY-MM-DD` of a day number.
std::string format_day(std::int64_t day);
/// Day number of `YYYY-MM-DD` (throws std::invalid_argument when malformed).
std::int64_t parse_day(const std::string& yyyy_mm_dd);
/// The Monday (day number) of the week that holds `day` (weeks start on Monday).
std::int64_t week_monday(std::int64_t day);
/// Nearest-rank percentile num/den (e.g. 1/2, 9/10) of the values: v at rank ceil(p*n),
/// rank 1 when p*n <= 1; 0 for no values. Exact rational arithmetic (no 0.9*n rounding).
std::int64_t nearest_rank(std::vector<std::int64_t> values, std::int64_t num, std::int64_t den);

// Identity and "ever" facts, over all (de-duplicated) events.
/// The person of the event with this id ("" if no such event).
std::string truth_person_of(const std::vector<TruthEvent>& events, const std::string& event_id);
/// The person's account ("" if none).
std::string truth_account_of(const std::vector<TruthEvent>& events, const std::string& person);
/// The person's first seen time (ms), or nullopt for a person with no event.
std::optional<std::int64_t> truth_first_seen(const std::vector<TruthEvent>& events,
                                             const std::string& person);
/// Trait K of the person (the JSON value, of any kind), or nullopt.
std::optional<boost::json::value> truth_trait(const std::vector<TruthEvent>& events,
                                              const std::string& person, const std::string& key);
/// The persons of the segment (sorted); `to_day` matters for `version=V` only.
std::vector<std::string> truth_segment_persons(const std::vector<TruthEvent>& events,
                                               std::int64_t to_day, const Segment& segment);

// ---------------------------------------------------------------------------------------------
// Reports (from_day / to_day are day numbers, both inclusive)
// ---------------------------------------------------------------------------------------------

boost::json::object truth_overview(const std::vector<TruthEvent>& events, const TruthConfig& config,
                                   std::int64_t from_day, std::int64_t to_day,
                                   const Segment& segment = {});

boost::json::object truth_features(const std::vector<TruthEvent>& events, const TruthConfig& config,
                                   std::int64_t from_day, std::int64_t to_day,
                                   const Segment& segment = {});

boost::json::object truth_first_action(const std::vector<TruthEvent>& events,
                                       const TruthConfig& config, std::int64_t from_day,
                                       std::int64_t to_day, const Segment& segment = {});

boost::json::object truth_stickiness(const std::vector<TruthEvent>& events,
                                     const TruthConfig& config, std::int64_t from_day,
                                     std::int64_t to_day, const Segment& segment = {});

boost::json::object truth_funnel(const std::vector<TruthEvent>& events, const TruthConfig& config,
                                 std::int64_t from_day, std::int64_t to_day, const Segment& segment,
                                 const std::string& feature, std::int64_t adopted_days = 3);

boost::json::object truth_tips(const std::vector<TruthEvent>& events, const TruthConfig& config,
                               std::int64_t from_day, std::int64_t to_day,
                               const Segment& segment = {});

/// `month` is `YYYY-MM`; the window is that month's first and last day.
boost::json::object truth_product_adoption(const std::vector<TruthEvent>& events,
                                           const TruthConfig& config, const std::string& month,
                                           const Segment& segment = {});

boost::json::object truth_accounts(const std::vector<TruthEvent>& events, const TruthConfig& config,
                                   std::int64_t from_day, std::int64_t to_day,
                                   const Segment& segment = {});

boost::json::object truth_champions(const std::vector<TruthEvent>& events,
                                    const TruthConfig& config, std::int64_t from_day,
                                    std::int64_t to_day, const Segment& segment = {},
                                    std::int64_t limit = 10);

/// `interval` is "week" (default) or "day".
boost::json::object truth_retention(const std::vector<TruthEvent>& events,
                                    const TruthConfig& config, std::int64_t from_day,
                                    std::int64_t to_day, const Segment& segment = {},
                                    const std::string& interval = "week");

/// `interval` is "day" (default) or "week"; `feature` restricts the rows to one feature.
boost::json::object truth_trends(const std::vector<TruthEvent>& events, const TruthConfig& config,
                                 std::int64_t from_day, std::int64_t to_day,
                                 const Segment& segment = {}, const std::string& interval = "day",
                                 const std::optional<std::string>& feature = std::nullopt);

boost::json::object truth_releases(const std::vector<TruthEvent>& events, const TruthConfig& config,
                                   std::int64_t from_day, std::int64_t to_day,
                                   const Segment& segment = {});

boost::json::object truth_surveys(const std::vector<TruthEvent>& events, const TruthConfig& config,
                                  std::int64_t from_day, std::int64_t to_day,
                                  const Segment& segment = {});

// ---------------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------------

/// Human-readable differences between `expected` and `actual` (empty = equal), each
/// "path: expected X, actual Y". Numbers compare numerically whatever their kind (int64,
/// uint64, double): two integers exactly, otherwise within eps (absolute, or relative to the
/// larger magnitude). Object fields present in `actual` but absent from `expected` are ignored;
/// arrays must have the same length and are compared element by element, in order.
std::vector<std::string> compare_json(const boost::json::value& expected,
                                      const boost::json::value& actual, double eps = 1e-9);

}  // namespace uptake::truth
