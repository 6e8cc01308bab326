#include "tip_rules.hpp"

#include <cstdio>

#include "uptake_common/prompt_rules.hpp"

namespace uptake::tips_detail {
namespace {

constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kDayMs = 24 * kHourMs;

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
  if (r.starts_at && m.now_ms < *r.starts_at)
    return std::string("its schedule has not started (starts_at)");
  if (r.ends_at && m.now_ms >= *r.ends_at) return std::string("its schedule has ended (ends_at)");
  if (!r.min_app_version.empty() && compare_versions(m.app_version, r.min_app_version) < 0) {
    return "app version " + std::string(m.app_version) + " is below min_app_version " +
           r.min_app_version;
  }
  if (static_cast<double>(h.sessions) < r.when.min_sessions) {
    return fmt("needs %.0f sessions", r.when.min_sessions) +
           fmt(", this install has %.0f", static_cast<double>(h.sessions));
  }
  const double days = (static_cast<double>(m.now_ms) - static_cast<double>(h.install_ms)) /
                      static_cast<double>(kDayMs);
  if (days < r.when.min_days_since_install) {
    return fmt("needs %g days since install", r.when.min_days_since_install) +
           fmt(", it has been %.2f", days);
  }
  for (const auto& f : r.when.used) {
    if (!h.used.contains(f)) return "needs feature '" + f + "' used first";
  }
  for (const auto& f : r.when.not_used) {
    if (h.used.contains(f)) return "feature '" + f + "' is already used (not_used)";
  }
  if (m.now_ms < t.snooze_until_ms) return std::string("snoozed by the user");
  if (t.shown > 0 && (static_cast<double>(m.now_ms) - static_cast<double>(t.last_shown_ms)) <
                         r.cooldown_hours * kHourMs) {
    return fmt("in its cooldown (%g hours since last shown)", r.cooldown_hours);
  }
  if (h.tips_this_session >= limits.max_tips_per_session) {
    return fmt("the session already showed %.0f tip(s) (max_tips_per_session)",
               static_cast<double>(h.tips_this_session));
  }
  if (h.last_tip_ms > 0 && (static_cast<double>(m.now_ms) - static_cast<double>(h.last_tip_ms)) <
                               limits.min_minutes_between_tips * 60'000.0) {
    return fmt("another tip showed less than %g minutes ago", limits.min_minutes_between_tips);
  }
  if (!r.when.after_event.empty() && m.trigger && *m.trigger != r.when.after_event) {
    return "waits for event '" + r.when.after_event + "'";
  }
  return std::nullopt;
}

}  // namespace uptake::tips_detail
