#pragma once
// The activity index of one app: every stored event of the app folded into per-actor records
// of days, so reports read a few compact arrays per person instead of events.
//
// An actor is what an event carries: its user if it has one, else its anon. Persons are
// resolved from actors only when a report runs (persons.hpp), so an identify that arrives late
// re-ties an anon without rewriting anything here. Every field below is a sum, a minimum, a
// maximum or a set over the actor's events, so the index is the same whatever order events
// arrive in, and a stored event is counted exactly once.
//
// Times inside a day are kept as milliseconds since that day's midnight (4 bytes), which keeps
// the 7-day tip conversion exact to the millisecond.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/event.hpp"
#include "storage/index/dictionary.hpp"

namespace uptake::collector {

struct DayEvents {
  std::int32_t day;
  std::uint32_t events;
};

/// Uses of one feature by one actor on one day.
struct FeatureDay {
  std::int32_t day;
  std::uint32_t feature;
  std::uint32_t uses;
  std::uint32_t first_ms, last_ms;  // since the day's midnight
};

/// Events of one actor on one day with one app_version.
struct VersionDay {
  std::int32_t day;
  std::uint32_t version;
  std::uint32_t events;
};

/// A session value seen on a day: 128 bits of XXH3, so distinct counts stay exact without
/// storing millions of session strings.
struct SessionDay {
  std::int32_t day;
  std::uint64_t lo, hi;
};

/// The earliest time an actor used a feature, or ran an app version.
struct FirstTime {
  std::uint32_t what;
  std::int64_t ts;
};

enum class MarkerKind : std::uint8_t {
  tip_shown,
  tip_clicked,
  tip_dismissed,
  tip_held_out,
  first_action,
  survey_shown,
  survey_answered,
  survey_dismissed,
};

/// One $tip_*, $first_action or $survey_* event.
struct Marker {
  std::int64_t ts;
  std::int64_t value;     // ms_since_install or score, when has_value
  std::uint32_t subject;  // the tip (in `tips`) or survey (in `surveys`); kNone: no string id
  std::uint32_t feature;  // props.feature (kNone when absent)
  std::uint32_t choice;   // props.choice (kNone when absent)
  std::uint32_t id;       // the event id, for tie-breaks (first actions and answers only)
  MarkerKind kind;
  bool has_value;
};

/// The latest identify (for a person trait) or group (for an account trait) carrying a key.
struct TraitValue {
  std::uint32_t key;
  std::uint32_t value;  // a string value, or kNone when the JSON value is not a string
  std::int64_t ts;
  std::uint32_t event_id;  // ties at equal times: the greatest event id wins
};

struct Actor {
  std::string name;
  bool is_user = false;
  std::int64_t first_ts = INT64_MAX;
  std::int64_t install_ts = INT64_MAX;  // earliest $install
  // Anons: the user of the earliest identify naming this anon (equal times: smaller user).
  std::int64_t tie_ts = INT64_MAX;
  std::uint32_t tie = kNone;  // actor id of that user
  // This actor's latest group event (equal times: the greatest account in byte order).
  std::int64_t group_ts = INT64_MIN;
  std::uint32_t account = kNone;

  std::vector<DayEvents> days;           // sorted by day
  std::vector<FeatureDay> feature_days;  // sorted by (day, feature)
  std::vector<FirstTime> feature_first;  // sorted by feature
  std::vector<VersionDay> version_days;  // sorted by (day, version)
  std::vector<FirstTime> version_first;  // sorted by version
  std::vector<SessionDay> sessions;      // sorted, distinct
  std::vector<Marker> markers;           // in arrival order
  std::vector<TraitValue> traits;        // one per key, from identify events
};

class AppIndex {
 public:
  AppIndex() = default;
  AppIndex(const AppIndex&) = delete;
  AppIndex& operator=(const AppIndex&) = delete;

  /// Folds one stored event in.
  void add(const EventView& e);

  [[nodiscard]] const std::vector<Actor>& actors() const { return actors_; }
  /// The user actor named `user`, or kNone.
  [[nodiscard]] std::uint32_t find_user(std::string_view user) const;
  [[nodiscard]] std::uint32_t find_anon(std::string_view anon) const;
  /// Grows whenever an event brings a new actor, moves an actor's first seen earlier, or (an
  /// identify or group event) may have changed who is whom or in which account: what derived
  /// person tables keep, so they know when to be rebuilt.
  [[nodiscard]] std::uint64_t identity_generation() const { return identity_generation_; }
  /// Grows with every event.
  [[nodiscard]] std::uint64_t generation() const { return generation_; }

  Dictionary features, versions, tips, surveys, choices, accounts, trait_keys, trait_values,
      event_ids;
  /// Per (account, key): the account trait (the latest group event for the account carrying it).
  std::unordered_map<std::uint64_t, TraitValue> account_traits;
  static std::uint64_t account_trait_key(std::uint32_t account, std::uint32_t key) {
    return (static_cast<std::uint64_t>(account) << 32) | key;
  }

 private:
  std::uint32_t actor(std::string_view name, bool is_user);
  std::uint32_t find_or_add(std::string_view name, bool is_user);
  void add_identify(const EventView& e, std::uint32_t user_actor);
  void add_group(const EventView& e, Actor& a);
  void add_marker(const EventView& e, Actor& a);
  void update_trait(std::vector<TraitValue>& traits, TraitValue candidate);
  bool newer(const TraitValue& candidate, const TraitValue& current) const;

  std::vector<Actor> actors_;
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::uint32_t, TextHash, std::equal_to<>> users_, anons_;
  std::uint32_t last_actor_ = kNone;
  std::uint64_t identity_generation_ = 0;
  std::uint64_t generation_ = 0;
};

}  // namespace uptake::collector
