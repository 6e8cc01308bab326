// Brute-force truth for the reports of METRICS.md. See metrics_truth.hpp.
//
// Structure: a World holds the de-duplicated events of an app, each with its parsed props and
// its resolved person, and answers the "ever" questions (first seen, account, traits). A Scope
// adds a report's window and segment: the segment's persons and the key actions. Every report
// is then a few loops over persons and their events, written to read like METRICS.md.
//
// General choices (the specific ones are marked SPEC-GAP where they are made):
// - A segment report is the report over the segment persons' events only (all of their
//   events, all time), with two exceptions the specs name: key actions come from everyone's
//   events, and account traits from any person's `group` events.
// - Reserved events (`$install`, `$tip_shown`, ...) are `track` events with that name.

#ifndef UPTAKE_TRUTH_LINK_BOOST_JSON
#include <boost/json/src.hpp>  // header-only Boost.JSON: no -lboost_json needed
#endif

#include "metrics_truth.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace uptake::truth {

namespace json = boost::json;

// =============================================================================================
// Basics
// =============================================================================================

std::vector<TruthEvent> dedup(const std::vector<TruthEvent>& events) {
  std::set<std::string> seen;
  std::vector<TruthEvent> out;
  for (const TruthEvent& e : events) {
    if (seen.insert(e.id).second) out.push_back(e);  // the first occurrence of an id wins
  }
  return out;
}

static std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if (a % b != 0 && ((a < 0) != (b < 0))) --q;
  return q;
}

std::int64_t day_of(std::int64_t ts_ms) {
  return floor_div(ts_ms, kDayMs);
}

// Howard Hinnant's days_from_civil / civil_from_days.
std::int64_t day_from_ymd(int year, unsigned month, unsigned day) {
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (static_cast<std::int64_t>(month) + 9) % 12;  // March = 0
  const std::int64_t doy = (153 * mp + 2) / 5 + static_cast<std::int64_t>(day) - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void ymd_from_day(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  if (m <= 2) ++y;
}

std::string format_day(std::int64_t day) {
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  ymd_from_day(day, y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

static bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::int64_t parse_day(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !all_digits(s.substr(0, 4)) ||
      !all_digits(s.substr(5, 2)) || !all_digits(s.substr(8, 2))) {
    throw std::invalid_argument("not a YYYY-MM-DD day: " + s);
  }
  const int y = std::stoi(s.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(s.substr(5, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(s.substr(8, 2)));
  const std::int64_t day = day_from_ymd(y, m, d);
  if (m < 1 || m > 12 || d < 1 || format_day(day) != s) {
    throw std::invalid_argument("not a calendar day: " + s);
  }
  return day;
}

std::int64_t week_monday(std::int64_t day) {
  // Day 0 (1970-01-01) was a Thursday, so (day + 3) mod 7 is 0 on Mondays.
  const std::int64_t since_monday = ((day + 3) % 7 + 7) % 7;
  return day - since_monday;
}

std::int64_t nearest_rank(std::vector<std::int64_t> values, std::int64_t num, std::int64_t den) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::int64_t n = static_cast<std::int64_t>(values.size());
  std::int64_t rank = (num * n + den - 1) / den;  // ceil(p * n), exactly
  if (rank < 1) rank = 1;                         // rank 1 when p * n <= 1
  if (rank > n) rank = n;
  return values[static_cast<std::size_t>(rank - 1)];
}

// =============================================================================================
// Events, identity and "ever" facts
// =============================================================================================

namespace {

struct Ev {
  const TruthEvent* raw = nullptr;
  json::object props;  // top-level props ({} when none)
  std::string person;
  std::int64_t day = 0;

  const std::string& type() const { return raw->type; }
  const std::string& name() const { return raw->name; }
  std::int64_t ts() const { return raw->ts; }
  const std::string& id() const { return raw->id; }
};

json::object parse_props(const std::string& text) {
  if (text.empty()) return {};
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  // SPEC-GAP: props that are not a JSON object (or not JSON at all) count as no props. The
  // collector validates props as an object, so this should not occur in stored data.
  if (ec || !v.is_object()) return {};
  return std::move(v.as_object());
}

/// A `track` event with exactly this (reserved) name.
bool is_track_named(const Ev& e, std::string_view name) {
  // SPEC-GAP: reserved events ($install, $tip_shown, $first_action, $survey_answered, ...)
  // are recognised only as `track` events; an identify/group that carries such a name is not one.
  return e.type() == "track" && e.name() == name;
}

/// A use of some feature: a `track` event whose name does not start with '$'.
bool is_use(const Ev& e) {
  // SPEC-GAP: an empty track name (invalid on the wire) is not a feature.
  return e.type() == "track" && !e.name().empty() && e.name()[0] != '$';
}

bool is_use_of(const Ev& e, const std::string& feature) {
  return is_use(e) && e.name() == feature;
}

/// props.key when it is a JSON string.
std::optional<std::string> prop_string(const Ev& e, std::string_view key) {
  auto it = e.props.find(key);
  if (it == e.props.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().as_string());
}

/// props.key when it is an integer number.
std::optional<std::int64_t> prop_integer(const Ev& e, std::string_view key) {
  auto it = e.props.find(key);
  if (it == e.props.end()) return std::nullopt;
  const json::value& v = it->value();
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64()) {
    if (v.as_uint64() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return std::nullopt;
    return static_cast<std::int64_t>(v.as_uint64());
  }
  // SPEC-GAP: a double counts only when it holds an integral value (9.0 is 9; 8.5 is no
  // score / no duration). Integer-valued props are what the SDK sends.
  if (v.is_double()) {
    const double d = v.as_double();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15)
      return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

class World {
 public:
  explicit World(const std::vector<TruthEvent>& input) : events_(dedup(input)) {
    // Identity. An anon is tied to the user of its EARLIEST identify (equal times: the
    // byte-wise smaller user), whether that identify comes before or after its other events.
    // SPEC-GAP: identify events without a user or anon tie nothing.
    std::map<std::string, std::pair<std::int64_t, std::string>> tie;  // anon -> (ts, user)
    for (const TruthEvent& e : events_) {
      if (e.type != "identify" || e.user.empty() || e.anon.empty()) continue;
      auto it = tie.find(e.anon);
      if (it == tie.end() || std::make_pair(e.ts, e.user) < it->second) {
        tie[e.anon] = {e.ts, e.user};
      }
    }
    all_.reserve(events_.size());
    for (const TruthEvent& e : events_) {
      Ev ev;
      ev.raw = &e;
      ev.props = parse_props(e.props_json);
      // SPEC-GAP: persons are plain strings: a user id equal to another install's anon id
      // is the same person (the specs give persons no namespaces).
      if (!e.user.empty()) {
        ev.person = e.user;
      } else if (auto it = tie.find(e.anon); it != tie.end()) {
        ev.person = it->second.second;
      } else {
        ev.person = e.anon;
      }
      ev.day = day_of(e.ts);
      all_.push_back(std::move(ev));
    }
    for (const Ev& ev : all_) by_person_[ev.person].push_back(&ev);
  }
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  const std::vector<Ev>& all() const { return all_; }
  const std::map<std::string, std::vector<const Ev*>>& by_person() const { return by_person_; }

  const std::vector<const Ev*>& events_of(const std::string& person) const {
    static const std::vector<const Ev*> none;
    auto it = by_person_.find(person);
    return it == by_person_.end() ? none : it->second;
  }

  /// Earliest `$install` of the person if any, else their earliest event (all time).
  std::optional<std::int64_t> first_seen(const std::string& person) const {
    std::optional<std::int64_t> install, any;
    for (const Ev* e : events_of(person)) {
      if (!any || e->ts() < *any) any = e->ts();
      if (is_track_named(*e, "$install") && (!install || e->ts() < *install)) install = e->ts();
    }
    return install ? install : any;
  }

  /// The account of the person's latest group event (equal times: greatest account).
  std::string account(const std::string& person) const {
    const Ev* best = nullptr;
    for (const Ev* e : events_of(person)) {
      // SPEC-GAP: a group event with an empty account (invalid on the wire) is ignored.
      if (e->type() != "group" || e->raw->account.empty()) continue;
      if (!best || std::make_pair(e->ts(), e->raw->account) >
                       std::make_pair(best->ts(), best->raw->account)) {
        best = e;
      }
    }
    return best ? best->raw->account : std::string();
  }

  /// props.K of the person's latest identify carrying K (equal times: greatest id).
  std::optional<json::value> trait(const std::string& person, const std::string& key) const {
    const Ev* best = nullptr;
    for (const Ev* e : events_of(person)) {
      // SPEC-GAP: "carries K" = the key is present, whatever its value (null included); a
      // latest identify with K = null or K = 5 hides an older string value of K.
      if (e->type() != "identify" || !e->props.contains(key)) continue;
      if (!best || std::make_pair(e->ts(), e->id()) > std::make_pair(best->ts(), best->id())) {
        best = e;
      }
    }
    if (!best) return std::nullopt;
    return best->props.at(key);
  }

  /// props.K of the latest group event for account A (any person's) carrying K
  /// (equal times: greatest id).
  std::optional<json::value> account_trait(const std::string& account,
                                           const std::string& key) const {
    if (account.empty()) return std::nullopt;
    const Ev* best = nullptr;
    for (const Ev& e : all_) {
      if (e.type() != "group" || e.raw->account != account || !e.props.contains(key)) continue;
      if (!best || std::make_pair(e.ts(), e.id()) > std::make_pair(best->ts(), best->id())) {
        best = &e;
      }
    }
    if (!best) return std::nullopt;
    return best->props.at(key);
  }

  bool in_segment(const std::string& person, const Segment& seg, std::int64_t to_day) const {
    // SPEC-GAP: `account=` compares with the person's account as a string, so account=""
    // would select the persons without an account (the API probably rejects an empty value).
    if (seg.account && account(person) != *seg.account) return false;
    if (seg.version) {
      bool found = false;
      for (const Ev* e : events_of(person)) {
        if (e->raw->app_version == *seg.version && e->day <= to_day) found = true;
      }
      if (!found) return false;
    }
    for (const auto& [key, want] : seg.traits) {
      auto t = trait(person, key);
      if (!t || !t->is_string() || t->as_string() != want) return false;
    }
    for (const auto& [key, want] : seg.account_traits) {
      auto t = account_trait(account(person), key);
      if (!t || !t->is_string() || t->as_string() != want) return false;
    }
    return true;
  }

 private:
  std::vector<TruthEvent> events_;
  std::vector<Ev> all_;
  std::map<std::string, std::vector<const Ev*>> by_person_;
};

/// A report's context: the world, the window [from, to], the segment's persons, key actions.
class Scope {
 public:
  Scope(const std::vector<TruthEvent>& input, const TruthConfig& config, std::int64_t from_day,
        std::int64_t to_day, const Segment& segment)
      : world(input), from(from_day), to(to_day) {
    for (const auto& [person, evs] : world.by_person()) {
      (void)evs;
      if (world.in_segment(person, segment, to)) persons.push_back(person);
    }
    if (!config.key_actions.empty()) {
      // SPEC-GAP: key actions listed twice in the config count once; rows follow config order.
      for (const std::string& k : config.key_actions) {
        if (std::find(key_actions.begin(), key_actions.end(), k) == key_actions.end())
          key_actions.push_back(k);
      }
    } else {
      // Every feature used in the window by anyone of the app, segment or not (sorted).
      std::set<std::string> used;
      for (const Ev& e : world.all()) {
        if (is_use(e) && in_window(e)) used.insert(e.name());
      }
      key_actions.assign(used.begin(), used.end());
    }
  }

  World world;
  std::int64_t from, to;
  std::vector<std::string> persons;  // the segment's persons, sorted
  std::vector<std::string> key_actions;

  const std::vector<const Ev*>& events_of(const std::string& p) const { return world.events_of(p); }
  bool in_window(const Ev& e) const { return e.day >= from && e.day <= to; }
  std::int64_t window_days() const { return to >= from ? to - from + 1 : 0; }

  /// The person has >= 1 event (of any type) on a day in [lo, hi].
  bool active_between(const std::string& p, std::int64_t lo, std::int64_t hi) const {
    for (const Ev* e : events_of(p)) {
      if (e->day >= lo && e->day <= hi) return true;
    }
    return false;
  }
  bool active(const std::string& p) const { return active_between(p, from, to); }

  std::int64_t active_users() const {
    std::int64_t n = 0;
    for (const std::string& p : persons) n += active(p) ? 1 : 0;
    return n;
  }

  /// Time of the person's first use of F ever.
  std::optional<std::int64_t> first_use(const std::string& p, const std::string& f) const {
    std::optional<std::int64_t> t;
    for (const Ev* e : events_of(p)) {
      if (is_use_of(*e, f) && (!t || e->ts() < *t)) t = e->ts();
    }
    return t;
  }

  bool used_between(const std::string& p, const std::string& f, std::int64_t lo,
                    std::int64_t hi) const {
    for (const Ev* e : events_of(p)) {
      if (is_use_of(*e, f) && e->day >= lo && e->day <= hi) return true;
    }
    return false;
  }

  /// Features used in the window by the segment's persons (sorted).
  std::set<std::string> features_in_window() const {
    // SPEC-GAP: with a segment, the features (and trends') rows are the features the
    // segment's persons used in the window (the segment report is the report over their
    // events); only key actions are explicitly "by anyone of the app".
    std::set<std::string> out;
    for (const std::string& p : persons) {
      for (const Ev* e : events_of(p)) {
        if (is_use(*e) && in_window(*e)) out.insert(e->name());
      }
    }
    return out;
  }
};

json::object header(std::int64_t from, std::int64_t to) {
  json::object o;
  o["from"] = format_day(from);
  o["to"] = format_day(to);
  return o;
}

double ratio(double num, double den) {
  return den == 0 ? 0.0 : num / den;
}
json::value count(std::int64_t n) {
  return json::value(n);
}
json::value count(std::size_t n) {
  return json::value(static_cast<std::int64_t>(n));
}

}  // namespace

// =============================================================================================
// Exposed identity helpers
// =============================================================================================

std::string truth_person_of(const std::vector<TruthEvent>& events, const std::string& event_id) {
  World w(events);
  for (const Ev& e : w.all()) {
    if (e.id() == event_id) return e.person;
  }
  return "";
}

std::string truth_account_of(const std::vector<TruthEvent>& events, const std::string& person) {
  World w(events);
  return w.account(person);
}

std::optional<std::int64_t> truth_first_seen(const std::vector<TruthEvent>& events,
                                             const std::string& person) {
  World w(events);
  return w.first_seen(person);
}

std::optional<json::value> truth_trait(const std::vector<TruthEvent>& events,
                                       const std::string& person, const std::string& key) {
  World w(events);
  return w.trait(person, key);
}

std::vector<std::string> truth_segment_persons(const std::vector<TruthEvent>& events,
                                               std::int64_t to_day, const Segment& segment) {
  Scope s(events, TruthConfig{}, to_day, to_day, segment);
  return s.persons;
}

// =============================================================================================
// Reports
// =============================================================================================

// overview ------------------------------------------------------------------------------------
json::object truth_overview(const std::vector<TruthEvent>& events, const TruthConfig& config,
                            std::int64_t from_day, std::int64_t to_day, const Segment& segment) {
  Scope s(events, config, from_day, to_day, segment);
  std::int64_t active_users = 0, known_users = 0, window_events = 0;
  std::set<std::string> sessions;
  for (const std::string& p : s.persons) {
    if (s.active(p)) ++active_users;
    auto fs = s.world.first_seen(p);
    if (fs && day_of(*fs) <= s.to) ++known_users;
    for (const Ev* e : s.events_of(p)) {
      if (!s.in_window(*e)) continue;
      ++window_events;
      if (!e->raw->session.empty()) sessions.insert(e->raw->session);
    }
  }
  json::object o = header(s.from, s.to);
  o["active_users"] = count(active_users);
  o["known_users"] = count(known_users);
  o["active_rate"] = ratio(active_users, known_users);
  o["events"] = count(window_events);
  o["sessions"] = count(sessions.size());
  return o;
}

// features ------------------------------------------------------------------------------------
json::object truth_features(const std::vector<TruthEvent>& events, const TruthConfig& config,
                            std::int64_t from_day, std::int64_t to_day, const Segment& segment) {
  Scope s(events, config, from_day, to_day, segment);
  const std::int64_t active_users = s.active_users();
  struct Row {
    std::string feature;
    std::int64_t users = 0, uses = 0, new_users = 0;
  };
  std::vector<Row> rows;
  for (const std::string& f : s.features_in_window()) {
    Row r;
    r.feature = f;
    for (const std::string& p : s.persons) {
      bool used = false;
      for (const Ev* e : s.events_of(p)) {
        if (is_use_of(*e, f) && s.in_window(*e)) {
          used = true;
          ++r.uses;
        }
      }
      if (used) ++r.users;
      auto first = s.first_use(p, f);
      if (first && day_of(*first) >= s.from && day_of(*first) <= s.to) ++r.new_users;
    }
    rows.push_back(r);
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.users != b.users) return a.users > b.users;
    return a.feature < b.feature;
  });
  json::array out;
  for (const Row& r : rows) {
    json::object o;
    o["feature"] = r.feature;
    o["users"] = count(r.users);
    o["uses"] = count(r.uses);
    o["adoption_rate"] = ratio(r.users, active_users);
    o["new_users"] = count(r.new_users);
    o["new_user_pct"] = ratio(100.0 * r.new_users, r.users);
    out.push_back(std::move(o));
  }
  json::object o = header(s.from, s.to);
  o["rows"] = std::move(out);
  return o;
}

// first-action --------------------------------------------------------------------------------
json::object truth_first_action(const std::vector<TruthEvent>& events, const TruthConfig& config,
                                std::int64_t from_day, std::int64_t to_day,
                                const Segment& segment) {
  Scope s(events, config, from_day, to_day, segment);
  json::array out;
  // SPEC-GAP: row order is the config's key_actions order (or, when derived, feature order).
  for (const std::string& f : s.key_actions) {
    // Persons whose first use of F ever falls in the window; duration = first use - first seen.
    std::vector<std::int64_t> durations;
    for (const std::string& p : s.persons) {
      auto first = s.first_use(p, f);
      if (!first || day_of(*first) < s.from || day_of(*first) > s.to) continue;
      const std::int64_t seen = *s.world.first_seen(p);  // the person has events
      durations.push_back(std::max<std::int64_t>(0, *first - seen));
    }
    std::int64_t sum = 0;
    for (std::int64_t d : durations) sum += d;
    // SPEC-GAP: with no persons, p50_ms, p90_ms and mean_ms are 0.
    const std::int64_t mean =
        durations.empty() ? 0 : sum / static_cast<std::int64_t>(durations.size());  // >= 0

    // device_p50_ms: over each person's earliest $first_action for F in the window.
    // SPEC-GAP: the persons are all segment persons with such an event in the window (not
    // only the row's first-use cohort); "earliest ... in the window" = the earliest of those
    // in the window (equal times: smallest id); a person whose earliest one has no integer
    // props.ms_since_install adds no value.
    std::vector<std::int64_t> device;
    for (const std::string& p : s.persons) {
      const Ev* best = nullptr;
      for (const Ev* e : s.events_of(p)) {
        if (!is_track_named(*e, "$first_action") || !s.in_window(*e)) continue;
        if (prop_string(*e, "feature") != f) continue;
        if (!best || std::make_pair(e->ts(), e->id()) < std::make_pair(best->ts(), best->id()))
          best = e;
      }
      if (!best) continue;
      if (auto ms = prop_integer(*best, "ms_since_install")) device.push_back(*ms);
    }

    json::object o;
    o["feature"] = f;
    o["users"] = count(durations.size());
    o["p50_ms"] = count(nearest_rank(durations, 1, 2));
    o["p90_ms"] = count(nearest_rank(durations, 9, 10));
    o["mean_ms"] = count(mean);
    o["device_p50_ms"] = count(nearest_rank(device, 1, 2));
    out.push_back(std::move(o));
  }
  json::object o = header(s.from, s.to);
  o["rows"] = std::move(out);
  return o;
}

// stickiness ----------------------------------------------------------------------------------
json::object truth_stickiness(const std::vector<TruthEvent>& events, const TruthConfig& config,
                              std::int64_t from_day, std::int64_t to_day, const Segment& segment) {
  Scope s(events, config, from_day, to_day, segment);
  json::array dau;
  std::int64_t total = 0;
  for (std::int64_t d = s.from; d <= s.to; ++d) {
    std::int64_t users = 0;
    for (const std::string& p : s.persons) users += s.active_between(p, d, d) ? 1 : 0;
    total += users;
    json::object row;
    row["day"] = format_day(d);
    row["users"] = count(users);
    dau.push_back(std::move(row));
  }
  const double avg_dau = ratio(total, s.window_days());
  const std::int64_t mau = s.active_users();

  std::map<std::int64_t, std::int64_t> by_days;  // distinct active days -> persons
  for (const std::string& p : s.persons) {
    std::set<std::int64_t> days;
    for (const Ev* e : s.events_of(p)) {
      if (s.in_window(*e)) days.insert(e->day);
    }
    if (!days.empty()) ++by_days[static_cast<std::int64_t>(days.size())];
  }
  json::array power;
  for (const auto& [days, users] : by_days) {
    json::object row;
    row["days"] = count(days);
    row["users"] = count(users);
    power.push_back(std::move(row));
  }

  json::object o = header(s.from, s.to);
  o["avg_dau"] = avg_dau;
  o["mau"] = count(mau);
  o["stickiness"] = ratio(avg_dau, mau);
  o["dau"] = std::move(dau);
  o["power_users"] = std::move(power);
  return o;
}

// funnel --------------------------------------------------------------------------------------
json::object truth_funnel(const std::vector<TruthEvent>& events, const TruthConfig& config,
                          std::int64_t from_day, std::int64_t to_day, const Segment& segment,
                          const std::string& feature, std::int64_t adopted_days) {
  Scope s(events, config, from_day, to_day, segment);
  std::int64_t aware = 0, interested = 0, trial = 0, adopted = 0;
  for (const std::string& p : s.persons) {
    bool shown = false, clicked = false;
    std::set<std::int64_t> use_days;
    for (const Ev* e : s.events_of(p)) {
      if (!s.in_window(*e)) continue;
      if (is_track_named(*e, "$tip_shown") && prop_string(*e, "feature") == feature) shown = true;
      if (is_track_named(*e, "$tip_clicked") && prop_string(*e, "feature") == feature)
        clicked = true;
      if (is_use_of(*e, feature)) use_days.insert(e->day);
    }
    const bool used = !use_days.empty();
    aware += (shown || used) ? 1 : 0;
    interested += (clicked || used) ? 1 : 0;
    trial += used ? 1 : 0;
    // SPEC-GAP: adopted requires >= 1 use as well, so adopted_days <= 0 does not count
    // persons who never used F (the API presumably rejects N < 1 anyway).
    adopted += (used && static_cast<std::int64_t>(use_days.size()) >= adopted_days) ? 1 : 0;
  }
  json::array rows;
  for (const auto& [stage, users] : std::vector<std::pair<const char*, std::int64_t>>{
           {"aware", aware}, {"interested", interested}, {"trial", trial}, {"adopted", adopted}}) {
    json::object row;
    row["stage"] = stage;
    row["users"] = count(users);
    row["conversion"] = ratio(users, aware);
    rows.push_back(std::move(row));
  }
  json::object o = header(s.from, s.to);
  o["rows"] = std::move(rows);
  return o;
}

// tips ----------------------------------------------------------------------------------------
json::object truth_tips(const std::vector<TruthEvent>& events, const TruthConfig& config,
                        std::int64_t from_day, std::int64_t to_day, const Segment& segment) {
  Scope s(events, config, from_day, to_day, segment);
  constexpr std::int64_t kSevenDaysMs = 604'800'000;

  // Tip ids seen in $tip_shown / $tip_held_out in the window, with the event giving F.
  // SPEC-GAP: when those events disagree on props.feature, F is the feature of the earliest
  // of them (by time, equal times: smallest id); a missing/non-string feature is "".
  // SPEC-GAP: a non-string props.tip is no tip id.
  std::map<std::string, const Ev*> tips;
  for (const std::string& p : s.persons) {
    for (const Ev* e : s.events_of(p)) {
      if (!s.in_window(*e)) continue;
      if (!is_track_named(*e, "$tip_shown") && !is_track_named(*e, "$tip_held_out")) continue;
      auto tip = prop_string(*e, "tip");
      if (!tip) continue;
      auto it = tips.find(*tip);
      if (it == tips.end() ||
          std::make_pair(e->ts(), e->id()) < std::make_pair(it->second->ts(), it->second->id()))
        tips[*tip] = e;
    }
  }

  json::array rows;
  for (const auto& [tip, giver] : tips) {
    const std::string feature = prop_string(*giver, "feature").value_or("");

    // Earliest time of the person's `name` event for this tip in the window.
    auto first_for_tip = [&](const std::string& p,
                             std::string_view name) -> std::optional<std::int64_t> {
      std::optional<std::int64_t> t;
      for (const Ev* e : s.events_of(p)) {
        if (is_track_named(*e, name) && s.in_window(*e) && prop_string(*e, "tip") == tip &&
            (!t || e->ts() < *t))
          t = e->ts();
      }
      return t;
    };
    // A use of F within 7 days strictly after t0 (that use may fall after `to`).
    auto used_within_7_days = [&](const std::string& p, std::int64_t t0) {
      for (const Ev* e : s.events_of(p)) {
        if (is_use_of(*e, feature) && e->ts() > t0 && e->ts() <= t0 + kSevenDaysMs) return true;
      }
      return false;
    };

    std::int64_t shown = 0, clicked = 0, dismissed = 0, converted = 0, held_out = 0,
                 held_out_converted = 0;
    for (const std::string& p : s.persons) {
      if (auto t0 = first_for_tip(p, "$tip_shown")) {
        ++shown;
        if (used_within_7_days(p, *t0)) ++converted;
      }
      if (first_for_tip(p, "$tip_clicked")) ++clicked;
      if (first_for_tip(p, "$tip_dismissed")) ++dismissed;
      if (auto t0 = first_for_tip(p, "$tip_held_out")) {
        ++held_out;
        if (used_within_7_days(p, *t0)) ++held_out_converted;
      }
    }
    const double c = ratio(converted, shown);
    const double h = ratio(held_out_converted, held_out);

    json::object row;
    row["tip"] = tip;
    row["feature"] = feature;
    row["shown"] = count(shown);
    row["clicked"] = count(clicked);
    row["dismissed"] = count(dismissed);
    row["converted"] = count(converted);
    row["conversion_rate"] = c;
    row["held_out"] = count(held_out);
    row["held_out_converted"] = count(held_out_converted);
    row["held_out_rate"] = h;
    if (shown == 0 || held_out == 0) {
      row["lift"] = nullptr;
      row["lift_ci95"] = nullptr;
    } else {
      const double lift = c - h;
      const double half = 1.96 * std::sqrt(c * (1 - c) / static_cast<double>(shown) +
                                           h * (1 - h) / static_cast<double>(held_out));
      row["lift"] = lift;
      row["lift_ci95"] = json::array{lift - half, lift + half};
    }
    rows.push_back(std::move(row));
  }
  json::object o = header(s.from, s.to);
  o["rows"] = std::move(rows);
  return o;
}

// product-adoption ----------------------------------------------------------------------------
json::object truth_product_adoption(const std::vector<TruthEvent>& events,
                                    const TruthConfig& config, const std::string& month,
                                    const Segment& segment) {
  if (month.size() != 7 || month[4] != '-' || !all_digits(month.substr(0, 4)) ||
      !all_digits(month.substr(5, 2))) {
    throw std::invalid_argument("not a YYYY-MM month: " + month);
  }
  const int y = std::stoi(month.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(month.substr(5, 2)));
  if (m < 1 || m > 12) throw std::invalid_argument("not a month: " + month);
  const std::int64_t first = day_from_ymd(y, m, 1);
  const std::int64_t last = (m == 12 ? day_from_ymd(y + 1, 1, 1) : day_from_ymd(y, m + 1, 1)) - 1;

  Scope s(events, config, first, last, segment);
  std::int64_t signups = 0, new_mau = 0;
  for (const std::string& p : s.persons) {
    auto fs = s.world.first_seen(p);
    if (!fs || day_of(*fs) < first || day_of(*fs) > last) continue;
    ++signups;
    std::set<std::int64_t> days;
    for (const Ev* e : s.events_of(p)) {
      if (s.in_window(*e)) days.insert(e->day);
    }
    if (days.size() >= 2) ++new_mau;
  }
  json::object o = header(first, last);
  o["month"] = month;
  o["signups"] = count(signups);
  o["new_mau"] = count(new_mau);
  o["product_adoption_rate"] = ratio(100.0 * new_mau, signups);
  return o;
}

// accounts ------------------------------------------------------------------------------------
json::object truth_accounts(const std::vector<TruthEvent>& events, const TruthConfig& config,
                            std::int64_t from_day, std::int64_t to_day, const Segment& segment) {
  Scope s(events, config, from_day, to_day, segment);
  // SPEC-GAP: persons without an account form no row (no "" account).
  std::map<std::string, std::vector<std::string>> members;
  for (const std::string& p : s.persons) {
    const std::string a = s.world.account(p);
    if (!a.empty()) members[a].push_back(p);
  }
  const std::int64_t len = s.window_days();
  const std::int64_t prev_from = s.from - len, prev_to = s.from - 1;

  struct Row {
    std::string account, name;
    std::int64_t seats = 0, active_users = 0, previous_active_users = 0;
    double active_rate = 0, breadth = 0, stickiness = 0, growth = 0, health = 0;
  };
  std::vector<Row> rows;
  for (const auto& [account, persons] : members) {
    Row r;
    r.account = account;
    for (const std::string& p : persons) {
      if (s.active(p)) ++r.active_users;
    }
    if (r.active_users == 0) continue;  // one row per account with >= 1 active person
    auto name = s.world.account_trait(account, "name");
    r.name = (name && name->is_string()) ? std::string(name->as_string()) : "";
    for (const std::string& p : persons) {
      auto fs = s.world.first_seen(p);
      if (fs && day_of(*fs) <= s.to) ++r.seats;
      if (s.active_between(p, prev_from, prev_to)) ++r.previous_active_users;
    }
    r.active_rate = ratio(r.active_users, r.seats);
    if (!s.key_actions.empty()) {
      double sum = 0;
      for (const std::string& f : s.key_actions) {
        std::int64_t users = 0;
        for (const std::string& p : persons) users += s.used_between(p, f, s.from, s.to) ? 1 : 0;
        sum += ratio(users, r.active_users);
      }
      r.breadth = sum / static_cast<double>(s.key_actions.size());
    }
    std::int64_t person_days = 0;  // sum over the window's days of persons active that day
    for (std::int64_t d = s.from; d <= s.to; ++d) {
      for (const std::string& p : persons) person_days += s.active_between(p, d, d) ? 1 : 0;
    }
    r.stickiness = ratio(ratio(person_days, len), r.active_users);
    r.growth = ratio(r.active_users - r.previous_active_users, r.previous_active_users);
    r.health = 100.0 * (r.active_rate + r.breadth + r.stickiness) / 3.0;
    rows.push_back(r);
  }
  // NOTE: health is a double; rows whose health differs only by rounding may sort either way
  // in an implementation that sums in another order. Tests should use data avoiding that.
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.health != b.health) return a.health < b.health;
    return a.account < b.account;
  });
  json::array out;
  for (const Row& r : rows) {
    json::object o;
    o["account"] = r.account;
    o["name"] = r.name;
    o["seats"] = count(r.seats);
    o["active_users"] = count(r.active_users);
    o["active_rate"] = r.active_rate;
    o["breadth"] = r.breadth;
    o["stickiness"] = r.stickiness;
    o["previous_active_users"] = count(r.previous_active_users);
    o["growth"] = r.growth;
    o["health"] = r.health;
    out.push_back(std::move(o));
  }
  json::object o = header(s.from, s.to);
  o["rows"] = std::move(out);
  return o;
}

// champions -----------------------------------------------------------------------------------
json::object truth_champions(const std::vector<TruthEvent>& events, const TruthConfig& config,
                             std::int64_t from_day, std::int64_t to_day, const Segment& segment,
                             std::int64_t limit) {
  Scope s(events, config, from_day, to_day, segment);
  const std::set<std::string> keys(s.key_actions.begin(), s.key_actions.end());
  struct Row {
    std::string person, account;
    std::int64_t features = 0, key_actions = 0, active_days = 0, uses = 0;
  };
  std::vector<Row> rows;
  for (const std::string& p : s.persons) {
    if (!s.active(p)) continue;
    std::set<std::string> features;
    std::set<std::int64_t> days;
    Row r;
    r.person = p;
    r.account = s.world.account(p);
    for (const Ev* e : s.events_of(p)) {
      if (!s.in_window(*e)) continue;
      days.insert(e->day);
      if (is_use(*e)) {
        features.insert(e->name());
        ++r.uses;
      }
    }
    r.features = static_cast<std::int64_t>(features.size());
    for (const std::string& f : features) r.key_actions += keys.count(f) ? 1 : 0;
    r.active_days = static_cast<std::int64_t>(days.size());
    rows.push_back(r);
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.features != b.features) return a.features > b.features;
    if (a.key_actions != b.key_actions) return a.key_actions > b.key_actions;
    if (a.active_days != b.active_days) return a.active_days > b.active_days;
    return a.person < b.person;
  });
  json::array out;
  for (std::size_t i = 0; i < rows.size() && static_cast<std::int64_t>(i) < limit; ++i) {
    const Row& r = rows[i];
    json::object o;
    o["person"] = r.person;
    o["account"] = r.account;
    o["features"] = count(r.features);
    o["key_actions"] = count(r.key_actions);
    o["active_days"] = count(r.active_days);
    o["uses"] = count(r.uses);
    out.push_back(std::move(o));
  }
  json::object o = header(s.from, s.to);
  o["rows"] = std::move(out);
  return o;
}

// retention -----------------------------------------------------------------------------------
json::object truth_retention(const std::vector<TruthEvent>& events, const TruthConfig& config,
                             std::int64_t from_day, std::int64_t to_day, const Segment& segment,
                             const std::string& interval) {
  if (interval != "week" && interval != "day")
    throw std::invalid_argument("interval must be day or week: " + interval);
  const std::int64_t len = interval == "day" ? 1 : 7;
  Scope s(events, config, from_day, to_day, segment);

  // Cohorts: persons first seen in the window, by the interval holding their first seen.
  std::map<std::int64_t, std::vector<std::string>> cohorts;  // interval start -> persons
  for (const std::string& p : s.persons) {
    auto fs = s.world.first_seen(p);
    if (!fs || day_of(*fs) < s.from || day_of(*fs) > s.to) continue;
    const std::int64_t d = day_of(*fs);
    cohorts[len == 1 ? d : week_monday(d)].push_back(p);
  }
  json::array rows;
  for (const auto& [start, persons] : cohorts) {
    json::array retained, rates;
    // k-th interval after the cohort's own, for every interval starting on or before `to`.
    for (std::int64_t k = 0; start + k * len <= s.to; ++k) {
      const std::int64_t lo = start + k * len;
      const std::int64_t hi = std::min(lo + len - 1, s.to);  // events after `to` never count
      // (An interval starting before `from` — a week cohort's own week — counts its events
      // before `from` too; the spec only cuts after `to`. It cannot change the figure: every
      // cohort person has their first-seen event in their own interval.)
      std::int64_t n = 0;
      for (const std::string& p : persons) n += s.active_between(p, lo, hi) ? 1 : 0;
      retained.push_back(count(n));
      rates.push_back(ratio(n, static_cast<double>(persons.size())));
    }
    json::object row;
    row["cohort"] = format_day(start);
    row["persons"] = count(persons.size());
    row["retained"] = std::move(retained);
    row["rates"] = std::move(rates);
    rows.push_back(std::move(row));
  }
  json::object o = header(s.from, s.to);
  o["rows"] = std::move(rows);
  return o;
}

// trends --------------------------------------------------------------------------------------
json::object truth_trends(const std::vector<TruthEvent>& events, const TruthConfig& config,
                          std::int64_t from_day, std::int64_t to_day, const Segment& segment,
                          const std::string& interval, const std::optional<std::string>& feature) {
  if (interval != "week" && interval != "day")
    throw std::invalid_argument("interval must be day or week: " + interval);
  Scope s(events, config, from_day, to_day, segment);

  struct Period {
    std::int64_t name, lo, hi;  // name: the day or the week's Monday; [lo, hi] cut to window
  };
  std::vector<Period> periods;
  if (interval == "day") {
    for (std::int64_t d = s.from; d <= s.to; ++d) periods.push_back({d, d, d});
  } else if (s.from <= s.to) {
    for (std::int64_t m = week_monday(s.from); m <= s.to; m += 7)
      periods.push_back({m, std::max(m, s.from), std::min(m + 6, s.to)});
  }
  // SPEC-GAP: with feature=F, F gets its (zero) rows even if nobody used it in the window.
  std::set<std::string> features;
  if (feature) {
    features.insert(*feature);
  } else {
    features = s.features_in_window();
  }

  json::array rows;
  for (const Period& period : periods) {
    for (const std::string& f : features) {
      std::int64_t users = 0, uses = 0, new_users = 0, adopters = 0;
      for (const std::string& p : s.persons) {
        bool used = false;
        for (const Ev* e : s.events_of(p)) {
          if (is_use_of(*e, f) && e->day >= period.lo && e->day <= period.hi) {
            used = true;
            ++uses;
          }
        }
        users += used ? 1 : 0;
        if (auto first = s.first_use(p, f)) {
          const std::int64_t d = day_of(*first);
          new_users += (d >= period.lo && d <= period.hi) ? 1 : 0;
          adopters += (d <= period.hi) ? 1 : 0;
        }
      }
      json::object row;
      row["period"] = format_day(period.name);
      row["feature"] = f;
      row["users"] = count(users);
      row["uses"] = count(uses);
      row["new_users"] = count(new_users);
      row["adopters"] = count(adopters);
      rows.push_back(std::move(row));
    }
  }
  json::object o = header(s.from, s.to);
  o["rows"] = std::move(rows);
  return o;
}

// releases ------------------------------------------------------------------------------------
json::object truth_releases(const std::vector<TruthEvent>& events, const TruthConfig& config,
                            std::int64_t from_day, std::int64_t to_day, const Segment& segment) {
  Scope s(events, config, from_day, to_day, segment);
  const std::int64_t active_users = s.active_users();
  std::set<std::string> versions;
  for (const std::string& p : s.persons) {
    for (const Ev* e : s.events_of(p)) {
      if (s.in_window(*e) && !e->raw->app_version.empty()) versions.insert(e->raw->app_version);
    }
  }
  struct Row {
    std::string version;
    std::int64_t first_seen = 0, users = 0, events = 0;
  };
  std::vector<Row> rows;
  for (const std::string& v : versions) {
    Row r;
    r.version = v;
    // SPEC-GAP: with a segment, first_seen is the earliest event with V among the segment
    // persons' events (all time), like every other figure of a segment report.
    std::optional<std::int64_t> first;
    for (const std::string& p : s.persons) {
      bool on_v = false;
      for (const Ev* e : s.events_of(p)) {
        if (e->raw->app_version != v) continue;
        if (!first || e->ts() < *first) first = e->ts();
        if (s.in_window(*e)) {
          on_v = true;
          ++r.events;
        }
      }
      r.users += on_v ? 1 : 0;
    }
    r.first_seen = day_of(*first);
    rows.push_back(r);
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.first_seen != b.first_seen) return a.first_seen > b.first_seen;
    return a.version < b.version;
  });
  json::array out;
  for (const Row& r : rows) {
    json::object o;
    o["app_version"] = r.version;
    o["first_seen"] = format_day(r.first_seen);
    o["users"] = count(r.users);
    o["share"] = ratio(r.users, active_users);
    o["events"] = count(r.events);
    out.push_back(std::move(o));
  }
  json::object o = header(s.from, s.to);
  o["rows"] = std::move(out);
  return o;
}

// surveys -------------------------------------------------------------------------------------
json::object truth_surveys(const std::vector<TruthEvent>& events, const TruthConfig& config,
                           std::int64_t from_day, std::int64_t to_day, const Segment& segment) {
  Scope s(events, config, from_day, to_day, segment);
  // SPEC-GAP: a non-string props.survey is no survey id.
  std::set<std::string> surveys;
  for (const std::string& p : s.persons) {
    for (const Ev* e : s.events_of(p)) {
      if (!s.in_window(*e)) continue;
      if (!is_track_named(*e, "$survey_shown") && !is_track_named(*e, "$survey_answered")) continue;
      if (auto id = prop_string(*e, "survey")) surveys.insert(*id);
    }
  }

  json::array rows;
  for (const std::string& survey : surveys) {
    auto k = config.survey_kinds.find(survey);
    const std::string kind = k == config.survey_kinds.end() ? "" : k->second;

    auto has = [&](const std::string& p, std::string_view name) {
      for (const Ev* e : s.events_of(p)) {
        if (is_track_named(*e, name) && s.in_window(*e) && prop_string(*e, "survey") == survey)
          return true;
      }
      return false;
    };
    std::int64_t shown = 0, answered = 0, dismissed = 0;
    std::vector<const Ev*> answers;  // each answering person's answer
    for (const std::string& p : s.persons) {
      shown += has(p, "$survey_shown") ? 1 : 0;
      dismissed += has(p, "$survey_dismissed") ? 1 : 0;
      // The latest $survey_answered for S in the window (equal times: greatest id).
      const Ev* latest = nullptr;
      for (const Ev* e : s.events_of(p)) {
        if (!is_track_named(*e, "$survey_answered") || !s.in_window(*e) ||
            prop_string(*e, "survey") != survey)
          continue;
        if (!latest ||
            std::make_pair(e->ts(), e->id()) > std::make_pair(latest->ts(), latest->id()))
          latest = e;
      }
      if (latest) {
        ++answered;
        answers.push_back(latest);
      }
    }

    // SPEC-GAP: an answer whose score is missing, not an integer, or outside the kind's range
    // is counted in `answered` (and the nps/csat denominators) but in no score bucket and not
    // in mean_score; mean_score is the mean over the answers that have an integer score
    // (0 if none). No range check is made for csat beyond the score >= 4 rule.
    std::int64_t promoters = 0, passives = 0, detractors = 0, satisfied = 0, scored = 0;
    double score_sum = 0;
    json::object choices;
    std::map<std::string, std::int64_t> choice_counts;
    for (const Ev* a : answers) {
      auto score = prop_integer(*a, "score");
      if (kind == "nps" && score) {
        if (*score >= 9 && *score <= 10)
          ++promoters;
        else if (*score >= 7 && *score <= 8)
          ++passives;
        else if (*score >= 0 && *score <= 6)
          ++detractors;
      }
      if (kind == "csat" && score) {
        ++scored;
        score_sum += static_cast<double>(*score);
        if (*score >= 4) ++satisfied;
      }
      if (kind == "choice") {
        // SPEC-GAP: an answer without a string props.choice adds no choice.
        if (auto c = prop_string(*a, "choice")) ++choice_counts[*c];
      }
    }
    for (const auto& [c, n] : choice_counts) choices[c] = count(n);

    json::object row;
    row["survey"] = survey;
    row["kind"] = kind;
    row["shown"] = count(shown);
    row["answered"] = count(answered);
    row["dismissed"] = count(dismissed);
    row["response_rate"] = ratio(answered, shown);
    row["promoters"] = count(promoters);
    row["passives"] = count(passives);
    row["detractors"] = count(detractors);
    row["nps"] = kind == "nps" ? ratio(100.0 * (promoters - detractors), answered) : 0.0;
    row["mean_score"] = kind == "csat" ? ratio(score_sum, scored) : 0.0;
    row["satisfied"] = count(satisfied);
    row["csat"] = kind == "csat" ? ratio(100.0 * satisfied, answered) : 0.0;
    row["choices"] = std::move(choices);
    rows.push_back(std::move(row));
  }
  json::object o = header(s.from, s.to);
  o["rows"] = std::move(rows);
  return o;
}

// =============================================================================================
// Comparison
// =============================================================================================

namespace {

bool is_number(const json::value& v) {
  return v.is_int64() || v.is_uint64() || v.is_double();
}
bool is_integer(const json::value& v) {
  return v.is_int64() || v.is_uint64();
}

std::string show(const json::value& v) {
  return json::serialize(v);
}

void compare_at(const json::value& e, const json::value& a, const std::string& path, double eps,
                std::vector<std::string>& out) {
  auto differ = [&](const std::string& what) {
    out.push_back(path + ": " + what + " (expected " + show(e) + ", actual " + show(a) + ")");
  };
  if (is_number(e)) {
    if (!is_number(a)) return differ("not a number");
    if (is_integer(e) && is_integer(a)) {
      const bool equal =
          e.is_int64() && a.is_int64()     ? e.as_int64() == a.as_int64()
          : e.is_uint64() && a.is_uint64() ? e.as_uint64() == a.as_uint64()
          : e.is_int64()
              ? e.as_int64() >= 0 && static_cast<std::uint64_t>(e.as_int64()) == a.as_uint64()
              : a.as_int64() >= 0 && static_cast<std::uint64_t>(a.as_int64()) == e.as_uint64();
      if (!equal) differ("numbers differ");
      return;
    }
    const double x = e.to_number<double>(), y = a.to_number<double>();
    const double diff = std::fabs(x - y);
    if (!(diff <= eps || diff <= eps * std::max(std::fabs(x), std::fabs(y))))
      differ("numbers differ");
    return;
  }
  if (e.is_object()) {
    if (!a.is_object()) return differ("not an object");
    for (const auto& kv : e.as_object()) {
      const std::string sub = path + "." + std::string(kv.key());
      const json::value* av = a.as_object().if_contains(kv.key());
      if (!av) {
        out.push_back(sub + ": missing (expected " + show(kv.value()) + ")");
        continue;
      }
      compare_at(kv.value(), *av, sub, eps, out);
    }
    return;
  }
  if (e.is_array()) {
    if (!a.is_array()) return differ("not an array");
    const json::array& ea = e.as_array();
    const json::array& aa = a.as_array();
    if (ea.size() != aa.size()) {
      out.push_back(path + ": array sizes differ (expected " + std::to_string(ea.size()) +
                    ", actual " + std::to_string(aa.size()) + ")");
    }
    for (std::size_t i = 0; i < std::min(ea.size(), aa.size()); ++i) {
      compare_at(ea[i], aa[i], path + "[" + std::to_string(i) + "]", eps, out);
    }
    return;
  }
  // strings, booleans, null: exactly.
  if (e != a) differ("values differ");
}

}  // namespace

std::vector<std::string> compare_json(const json::value& expected, const json::value& actual,
                                      double eps) {
  std::vector<std::string> out;
  compare_at(expected, actual, "$", eps, out);
  return out;
}

}  // namespace uptake::truth
