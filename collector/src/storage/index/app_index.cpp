#include "storage/index/app_index.hpp"

#include <xxhash.h>

#include <algorithm>
#include <tuple>

#include "reports/calendar.hpp"
#include "storage/marker_props.hpp"

namespace uptake::collector {
namespace {

// Finds the entry of `key` in a vector sorted by `key_of`, inserting `make()` when absent.
// Events of an actor mostly arrive in time order, so the end is checked first.
template <class T, class Key, class KeyOf, class Make>
T& upsert_sorted(std::vector<T>& v, const Key& key, KeyOf key_of, Make make) {
  if (v.empty() || key_of(v.back()) < key) {
    v.push_back(make());
    return v.back();
  }
  const auto it = std::lower_bound(v.begin(), v.end(), key,
                                   [&](const T& entry, const Key& k) { return key_of(entry) < k; });
  if (it != v.end() && !(key < key_of(*it))) return *it;
  return *v.insert(it, make());
}

std::uint32_t ms_of_day(std::int64_t ts, std::int64_t day) {
  return static_cast<std::uint32_t>(ts - day * kDayMs);
}

MarkerKind marker_kind(std::string_view name) {
  if (name == "$tip_shown") return MarkerKind::tip_shown;
  if (name == "$tip_clicked") return MarkerKind::tip_clicked;
  if (name == "$tip_dismissed") return MarkerKind::tip_dismissed;
  if (name == "$tip_held_out") return MarkerKind::tip_held_out;
  if (name == "$first_action") return MarkerKind::first_action;
  if (name == "$survey_shown") return MarkerKind::survey_shown;
  if (name == "$survey_answered") return MarkerKind::survey_answered;
  return MarkerKind::survey_dismissed;
}

}  // namespace

std::uint32_t AppIndex::actor(std::string_view name, bool is_user) {
  // Consecutive events are mostly one install's: the last actor is asked for again.
  if (last_actor_ != kNone && actors_[last_actor_].is_user == is_user &&
      actors_[last_actor_].name == name)
    return last_actor_;
  last_actor_ = find_or_add(name, is_user);
  return last_actor_;
}

std::uint32_t AppIndex::find_or_add(std::string_view name, bool is_user) {
  auto& names = is_user ? users_ : anons_;
  if (const auto it = names.find(name); it != names.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(actors_.size());
  Actor& a = actors_.emplace_back();
  a.name = std::string(name);
  a.is_user = is_user;
  names.emplace(std::string(name), id);
  ++identity_generation_;  // a new person (and a user may absorb an anon of its name)
  return id;
}

std::uint32_t AppIndex::find_user(std::string_view user) const {
  const auto it = users_.find(user);
  return it == users_.end() ? kNone : it->second;
}

std::uint32_t AppIndex::find_anon(std::string_view anon) const {
  const auto it = anons_.find(anon);
  return it == anons_.end() ? kNone : it->second;
}

void AppIndex::add(const EventView& e) {
  ++generation_;
  const bool by_user = !e.user.empty();
  const std::uint32_t id = actor(by_user ? e.user : e.anon, by_user);
  const std::int64_t day64 = utc_day(e.ts);
  const auto day = static_cast<std::int32_t>(day64);
  {
    Actor& a = actors_[id];
    // Person tables keep each person's first seen: an earlier event (a late batch) moves it.
    if (e.ts < a.first_ts) {
      a.first_ts = e.ts;
      ++identity_generation_;
    }
    upsert_sorted(
        a.days, day, [](const DayEvents& d) { return d.day; },
        [&] {
          return DayEvents{day, 0};
        })
        .events++;
    if (!e.session.empty()) {
      const XXH128_hash_t h = XXH3_128bits(e.session.data(), e.session.size());
      upsert_sorted(
          a.sessions, std::make_tuple(day, h.high64, h.low64),
          [](const SessionDay& s) { return std::make_tuple(s.day, s.hi, s.lo); },
          [&] {
            return SessionDay{day, h.low64, h.high64};
          });
    }
    if (!e.app_version.empty()) {
      const std::uint32_t v = versions.intern(e.app_version);
      upsert_sorted(
          a.version_days, std::make_pair(day, v),
          [](const VersionDay& x) { return std::make_pair(x.day, x.version); },
          [&] {
            return VersionDay{day, v, 0};
          })
          .events++;
      FirstTime& first = upsert_sorted(
          a.version_first, v, [](const FirstTime& f) { return f.what; },
          [&] {
            return FirstTime{v, e.ts};
          });
      first.ts = std::min(first.ts, e.ts);
    }
  }
  switch (e.type) {
    case EventType::identify:
      return add_identify(e, id);
    case EventType::group:
      return add_group(e, actors_[id]);
    case EventType::track:
      break;
  }
  Actor& a = actors_[id];
  if (e.name == "$install" && e.ts < a.install_ts) {
    a.install_ts = e.ts;
    ++identity_generation_;  // first seen, too
  }
  if (!e.name.empty() && e.name.front() != '$') {
    const std::uint32_t f = features.intern(e.name);
    const std::uint32_t ms = ms_of_day(e.ts, day64);
    FeatureDay& fd = upsert_sorted(
        a.feature_days, std::make_pair(day, f),
        [](const FeatureDay& x) { return std::make_pair(x.day, x.feature); },
        [&] {
          return FeatureDay{day, f, 0, ms, ms};
        });
    ++fd.uses;
    fd.first_ms = std::min(fd.first_ms, ms);
    fd.last_ms = std::max(fd.last_ms, ms);
    FirstTime& first = upsert_sorted(
        a.feature_first, f, [](const FirstTime& x) { return x.what; },
        [&] {
          return FirstTime{f, e.ts};
        });
    first.ts = std::min(first.ts, e.ts);
  } else if (is_marker_name(e.name)) {
    add_marker(e, a);
  }
}

void AppIndex::add_identify(const EventView& e, std::uint32_t user_actor) {
  // The anon's tie: its earliest identify, equal times going to the smaller user id.
  const std::uint32_t anon = actor(e.anon, false);
  Actor& a = actors_[anon];
  const std::string& user = actors_[user_actor].name;
  if (a.tie == kNone || std::tie(e.ts, user) < std::tie(a.tie_ts, actors_[a.tie].name)) {
    a.tie_ts = e.ts;
    a.tie = user_actor;
    ++identity_generation_;
  }
  const std::uint32_t event_id = event_ids.intern(e.id);
  for (const PropTrait& t : prop_traits(e.props)) {
    update_trait(
        actors_[user_actor].traits,
        {trait_keys.intern(t.key), t.text ? trait_values.intern(*t.text) : kNone, e.ts, event_id});
  }
}

void AppIndex::add_group(const EventView& e, Actor& a) {
  const std::uint32_t account = accounts.intern(e.account);
  if (a.account == kNone || e.ts > a.group_ts ||
      (e.ts == a.group_ts && e.account > accounts.name(a.account))) {
    a.group_ts = e.ts;
    a.account = account;
    ++identity_generation_;
  }
  const std::uint32_t event_id = event_ids.intern(e.id);
  for (const PropTrait& t : prop_traits(e.props)) {
    const TraitValue candidate{trait_keys.intern(t.key),
                               t.text ? trait_values.intern(*t.text) : kNone, e.ts, event_id};
    auto [it, fresh] =
        account_traits.try_emplace(account_trait_key(account, candidate.key), candidate);
    if (!fresh && newer(candidate, it->second)) it->second = candidate;
  }
}

void AppIndex::add_marker(const EventView& e, Actor& a) {
  const MarkerProps p = marker_props(e.props);
  const MarkerKind kind = marker_kind(e.name);
  const bool is_tip = kind <= MarkerKind::tip_held_out;
  const bool is_survey = kind >= MarkerKind::survey_shown;
  Marker m{e.ts, 0, kNone, kNone, kNone, kNone, kind, false};
  if (is_tip && p.tip) m.subject = tips.intern(*p.tip);
  if (is_survey && p.survey) m.subject = surveys.intern(*p.survey);
  if (p.feature) m.feature = features.intern(*p.feature);
  if (kind == MarkerKind::first_action && p.ms_since_install) {
    m.value = *p.ms_since_install;
    m.has_value = true;
  }
  if (kind == MarkerKind::survey_answered) {
    if (p.score) {
      m.value = *p.score;
      m.has_value = true;
    }
    if (p.choice) m.choice = choices.intern(*p.choice);
  }
  // Only these are ever ordered by id (a tip's earliest showing, the earliest first action,
  // the latest answer).
  if (kind == MarkerKind::tip_shown || kind == MarkerKind::tip_held_out ||
      kind == MarkerKind::first_action || kind == MarkerKind::survey_answered)
    m.id = event_ids.intern(e.id);
  a.markers.push_back(m);
}

bool AppIndex::newer(const TraitValue& candidate, const TraitValue& current) const {
  if (candidate.ts != current.ts) return candidate.ts > current.ts;
  return event_ids.name(candidate.event_id) > event_ids.name(current.event_id);
}

void AppIndex::update_trait(std::vector<TraitValue>& traits, TraitValue candidate) {
  for (TraitValue& t : traits) {
    if (t.key != candidate.key) continue;
    if (newer(candidate, t)) {
      t = candidate;
      ++identity_generation_;
    }
    return;
  }
  traits.push_back(candidate);
  ++identity_generation_;
}

}  // namespace uptake::collector
