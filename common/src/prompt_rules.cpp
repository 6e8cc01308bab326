#include "uptake_common/prompt_rules.hpp"

#include <cstdio>

namespace uptake::detail {
namespace {

constexpr double kDayMs = 86'400'000.0;

std::string format(const char* f, double v) {
  char buf[128];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

}  // namespace

std::optional<std::string> prompt_rule_blocks(const PromptTiming& rule,
                                              const InstallActivity& activity,
                                              const PromptMoment& m) {
  if (rule.starts_at && m.now_ms < *rule.starts_at)
    return std::string("its schedule has not started (starts_at)");
  if (rule.ends_at && m.now_ms >= *rule.ends_at)
    return std::string("its schedule has ended (ends_at)");
  if (!rule.min_app_version.empty() && compare_versions(m.app_version, rule.min_app_version) < 0) {
    return "app version " + std::string(m.app_version) + " is below min_app_version " +
           std::string(rule.min_app_version);
  }
  const PromptWhen& when = rule.when;
  if (static_cast<double>(activity.sessions) < when.min_sessions) {
    return format("needs %.0f sessions", when.min_sessions) +
           format(", this install has %.0f", static_cast<double>(activity.sessions));
  }
  // As doubles: a state file's times are not trusted to be near now.
  const double days =
      (static_cast<double>(m.now_ms) - static_cast<double>(activity.install_ms)) / kDayMs;
  if (days < when.min_days_since_install) {
    return format("needs %g days since install", when.min_days_since_install) +
           format(", it has been %.2f", days);
  }
  for (const auto& f : when.used) {
    if (!activity.used.contains(f)) return "needs feature '" + f + "' used first";
  }
  for (const auto& f : when.not_used) {
    if (activity.used.contains(f)) return "feature '" + f + "' is already used (not_used)";
  }
  return std::nullopt;
}

std::optional<std::string> trigger_blocks(const PromptWhen& when, const PromptMoment& m) {
  if (!when.after_event.empty() && m.trigger && *m.trigger != when.after_event)
    return "waits for event '" + when.after_event + "'";
  return std::nullopt;
}

}  // namespace uptake::detail
