#pragma once
// What every report computed on the activity index starts from: the window, the persons of
// the segment, and small helpers to read an actor's records inside a window. Internal to
// storage/index.

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "reports/calendar.hpp"
#include "reports/figures.hpp"
#include "reports/report_request.hpp"
#include "storage/index/app_index.hpp"
#include "storage/index/persons.hpp"

namespace uptake::collector::index_detail {

struct Scope {
  const AppIndex& index;
  const PersonTable& persons;
  const ReportRequest& request;
  std::int64_t from_day, to_day;
  /// The segment's persons (every person without a segment), in person order.
  std::vector<std::uint32_t> members;

  [[nodiscard]] std::int64_t from_ms() const { return from_day * kDayMs; }
  [[nodiscard]] std::int64_t end_ms() const { return (to_day + 1) * kDayMs; }
  [[nodiscard]] bool in_window(std::int64_t ts) const { return ts >= from_ms() && ts < end_ms(); }
  [[nodiscard]] const Actor& actor(std::uint32_t id) const { return index.actors()[id]; }
};

/// The scope of `request` on `index`: its window and the persons its segment selects.
Scope make_scope(const AppIndex& index, const PersonTable& persons, const ReportRequest& request);

/// The entries of `sorted` (by .day) with day in [from, to].
template <class T>
std::span<const T> days_between(const std::vector<T>& sorted, std::int64_t from, std::int64_t to) {
  const auto lo = std::lower_bound(sorted.begin(), sorted.end(), from,
                                   [](const T& e, std::int64_t d) { return e.day < d; });
  const auto hi =
      std::upper_bound(lo, sorted.end(), to, [](std::int64_t d, const T& e) { return d < e.day; });
  return {sorted.data() + (lo - sorted.begin()), static_cast<std::size_t>(hi - lo)};
}

/// Counts each person once per key (a feature, a version, a table cell): persons are visited
/// one after the other, so remembering the last person counted for each key is enough.
class CountedOnce {
 public:
  explicit CountedOnce(std::size_t keys) : last_(keys, kNone) {}
  /// True the first time `person` comes with `key`.
  bool first_time(std::size_t key, std::uint32_t person) {
    if (last_[key] == person) return false;
    last_[key] = person;
    return true;
  }

 private:
  std::vector<std::uint32_t> last_;
};

/// A person's distinct active days in [from, to], sorted, in `scratch` (reused across calls,
/// so a loop over persons allocates nothing).
std::span<const std::int32_t> active_days(const Scope& s, std::uint32_t person, std::int64_t from,
                                          std::int64_t to, std::vector<std::int32_t>& scratch);

/// A person's first use ever of each feature they used (all their actors), sorted by feature:
/// their one actor's list, or the merge of several in `scratch`.
std::span<const FirstTime> first_uses(const Scope& s, std::uint32_t person,
                                      std::vector<FirstTime>& scratch);

/// The key actions: the config's (in its order, once each), else every feature used in the
/// window by anyone of the app, by name. Ids are kNone for names never used.
struct KeyAction {
  std::string name;
  std::uint32_t feature;
};
std::vector<KeyAction> key_actions(const Scope& s);

/// True when the person used `feature` within 7 days strictly after `t0` (METRICS.md tips).
bool used_within_a_week_after(const Scope& s, std::uint32_t person, std::uint32_t feature,
                              std::int64_t t0);

/// The report `s.request.name` asks for. Throws StoreError for an unknown name.
Report compute(const Scope& s);

// The reports, one family per file.
Report overview(const Scope& s);
Report stickiness(const Scope& s);
Report product_adoption(const Scope& s);
Report retention(const Scope& s);
Report features(const Scope& s);
Report first_action(const Scope& s);
Report funnel(const Scope& s);
Report trends(const Scope& s);
Report tips(const Scope& s);
Report surveys(const Scope& s);
Report accounts(const Scope& s);
Report champions(const Scope& s);
Report releases(const Scope& s);

}  // namespace uptake::collector::index_detail
