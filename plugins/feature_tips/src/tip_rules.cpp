#include "tip_rules.hpp"

#include <cstdio>

#include "uptake_common/prompt_rules.hpp"

namespace uptake::tips_detail {
namespace {

constexpr std::int64_t kHourMs = 3'600'000;

std::string fmt(const char* f, double v) {
  char buf[128];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

}  // namespace

int compare_versions(std::string_view a, std::string_view b) {
  return detail::compare_versions(a, b);
}

bool in_holdout(std::string_view tip_id, std::string_view anon, double holdout_pct) {
  return detail::in_stable_share(tip_id, anon, holdout_pct);
}

std::optional<std::string> blocking_rule(const detail::TipRule& r, const InstallHistory& h,
                                         const detail::PromptLimits& limits, const Moment& m) {
  const auto it = h.tips.find(r.id);
  const TipHistory t = it == h.tips.end() ? TipHistory{} : it->second;
  if (h.used.contains(r.feature))
    return "its feature '" + r.feature + "' is already used on this install";
  if (t.forever) return std::string("the user chose not to see it again");
  if (r.retire_after_ignored > 0 && t.ignored() >= r.retire_after_ignored) {
    return fmt("retired after %.0f ignored impressions", static_cast<double>(t.ignored()));
  }
  if (r.max_impressions > 0 && t.shown >= r.max_impressions) {
    return fmt("already shown %.0f times (max_impressions)", static_cast<double>(t.shown));
  }
  if (auto blocked = detail::prompt_rule_blocks(detail::timing_of(r), h, m)) return blocked;
  if (m.now_ms < t.snooze_until_ms) return std::string("snoozed by the user");
  if (t.shown > 0 && detail::within_gap(t.last_shown_ms, m.now_ms, r.cooldown_hours * kHourMs)) {
    return fmt("in its cooldown (%g hours since last shown)", r.cooldown_hours);
  }
  if (h.tips_this_session >= limits.max_tips_per_session) {
    return fmt("the session already showed %.0f tip(s) (max_tips_per_session)",
               static_cast<double>(h.tips_this_session));
  }
  if (h.last_tip_ms > 0 &&
      detail::within_gap(h.last_tip_ms, m.now_ms, limits.min_minutes_between_tips * 60'000.0)) {
    return fmt("another tip showed less than %g minutes ago", limits.min_minutes_between_tips);
  }
  return detail::trigger_blocks(r.when, m);
}

}  // namespace uptake::tips_detail
