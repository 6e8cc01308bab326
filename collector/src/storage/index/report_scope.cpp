#include "storage/index/report_scope.hpp"

#include <map>
#include <set>

#include "storage/store.hpp"

namespace uptake::collector::index_detail {
namespace {

// Whether a person matches every condition of the segment (METRICS.md "Segments").
class SegmentTest {
 public:
  SegmentTest(const AppIndex& index, const PersonTable& persons, const ReportRequest& r)
      : index_(index), persons_(persons), end_ms_((r.to_day + 1) * kDayMs) {
    const Segment& seg = r.segment;
    if (seg.account) account_ = index.accounts.find(*seg.account);
    if (seg.version) version_ = index.versions.find(*seg.version);
    for (const auto& [key, value] : seg.traits)
      traits_.push_back({index.trait_keys.find(key), index.trait_values.find(value)});
    for (const auto& [key, value] : seg.account_traits)
      account_traits_.push_back({index.trait_keys.find(key), index.trait_values.find(value)});
    segment_ = &seg;
  }

  bool operator()(std::uint32_t p) const {
    const Segment& seg = *segment_;
    if (seg.account && (account_ == kNone || persons_.account(p) != account_)) return false;
    if (seg.version && !ran_version(p)) return false;
    for (const auto& [key, value] : traits_) {
      const TraitValue* t = key == kNone ? nullptr : persons_.trait(p, key);
      if (!t || value == kNone || t->value != value) return false;
    }
    if (!account_traits_.empty()) {
      const std::uint32_t account = persons_.account(p);
      if (account == kNone) return false;
      for (const auto& [key, value] : account_traits_) {
        const auto it = key == kNone
                            ? index_.account_traits.end()
                            : index_.account_traits.find(AppIndex::account_trait_key(account, key));
        if (it == index_.account_traits.end() || value == kNone || it->second.value != value)
          return false;
      }
    }
    return true;
  }

 private:
  bool ran_version(std::uint32_t p) const {
    if (version_ == kNone) return false;
    for (std::uint32_t a : persons_.actors_of(p)) {
      for (const FirstTime& v : index_.actors()[a].version_first) {
        if (v.what == version_ && v.ts < end_ms_) return true;
      }
    }
    return false;
  }

  const AppIndex& index_;
  const PersonTable& persons_;
  const Segment* segment_ = nullptr;
  std::int64_t end_ms_;
  std::uint32_t account_ = kNone, version_ = kNone;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> traits_, account_traits_;
};

}  // namespace

Scope make_scope(const AppIndex& index, const PersonTable& persons, const ReportRequest& request) {
  Scope s{index, persons, request, request.from_day, request.to_day, {}};
  s.members.reserve(persons.size());
  if (request.segment.empty()) {
    for (std::uint32_t p = 0; p < persons.size(); ++p) s.members.push_back(p);
    return s;
  }
  const SegmentTest in_segment(index, persons, request);
  for (std::uint32_t p = 0; p < persons.size(); ++p) {
    if (in_segment(p)) s.members.push_back(p);
  }
  return s;
}

std::span<const std::int32_t> active_days(const Scope& s, std::uint32_t person, std::int64_t from,
                                          std::int64_t to, std::vector<std::int32_t>& days) {
  days.clear();
  const auto actors = s.persons.actors_of(person);
  for (std::uint32_t a : actors) {
    for (const DayEvents& d : days_between(s.actor(a).days, from, to)) days.push_back(d.day);
  }
  if (actors.size() > 1) {
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
  }
  return days;
}

std::span<const FirstTime> first_uses(const Scope& s, std::uint32_t person,
                                      std::vector<FirstTime>& all) {
  const auto actors = s.persons.actors_of(person);
  if (actors.size() == 1) return s.actor(actors[0]).feature_first;
  all.clear();
  for (std::uint32_t a : actors) {
    const auto& f = s.actor(a).feature_first;
    all.insert(all.end(), f.begin(), f.end());
  }
  std::sort(all.begin(), all.end(), [](const FirstTime& a, const FirstTime& b) {
    return a.what != b.what ? a.what < b.what : a.ts < b.ts;
  });
  all.erase(std::unique(all.begin(), all.end(),
                        [](const FirstTime& a, const FirstTime& b) { return a.what == b.what; }),
            all.end());
  return all;
}

std::vector<KeyAction> key_actions(const Scope& s) {
  std::vector<KeyAction> out;
  if (!s.request.key_actions.empty()) {
    std::set<std::string> seen;
    for (const std::string& name : s.request.key_actions) {
      if (seen.insert(name).second) out.push_back({name, s.index.features.find(name)});
    }
    return out;
  }
  // Every feature used in the window, by anyone of the app (segment or not).
  std::vector<bool> used(s.index.features.size(), false);
  for (const Actor& a : s.index.actors()) {
    for (const FeatureDay& f : days_between(a.feature_days, s.from_day, s.to_day))
      used[f.feature] = true;
  }
  for (std::uint32_t f = 0; f < used.size(); ++f) {
    if (used[f]) out.push_back({std::string(s.index.features.name(f)), f});
  }
  std::sort(out.begin(), out.end(),
            [](const KeyAction& a, const KeyAction& b) { return a.name < b.name; });
  return out;
}

bool used_within_a_week_after(const Scope& s, std::uint32_t person, std::uint32_t feature,
                              std::int64_t t0) {
  const std::int64_t end = t0 + kTipConversionMs;
  const std::int64_t first_day = utc_day(t0), last_day = utc_day(end);
  for (std::uint32_t a : s.persons.actors_of(person)) {
    for (const FeatureDay& f : days_between(s.actor(a).feature_days, first_day, last_day)) {
      if (f.feature != feature) continue;
      const std::int64_t midnight = static_cast<std::int64_t>(f.day) * kDayMs;
      // A use strictly after t0 and at most 7 days later: on a day in between any use is one;
      // on t0's day the last use must be after t0; on the last day the first use by the end.
      const bool hit = f.day == first_day  ? midnight + f.last_ms > t0
                       : f.day == last_day ? midnight + f.first_ms <= end
                                           : true;
      if (hit) return true;
    }
  }
  return false;
}

Report compute(const Scope& s) {
  static const std::map<std::string_view, Report (*)(const Scope&)> kReports = {
      {"overview", overview},
      {"features", features},
      {"first-action", first_action},
      {"stickiness", stickiness},
      {"funnel", funnel},
      {"tips", tips},
      {"product-adoption", product_adoption},
      {"accounts", accounts},
      {"champions", champions},
      {"retention", retention},
      {"trends", trends},
      {"releases", releases},
      {"surveys", surveys}};
  const auto it = kReports.find(s.request.name);
  if (it == kReports.end()) throw StoreError("unknown report " + s.request.name);
  return it->second(s);
}

}  // namespace uptake::collector::index_detail
