#include "survey_rules.hpp"

#include <algorithm>
#include <cstdio>

#include "uptake_common/prompt_rules.hpp"

namespace uptake::surveys_detail {
namespace {

constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kDayMs = 24 * kHourMs;

std::string fmt(const char* f, double v) {
  char buf[128];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

}  // namespace

bool in_sample(std::string_view survey_id, std::string_view anon, double sample_pct) {
  return detail::in_stable_share(survey_id, anon, sample_pct);
}

std::optional<std::string> blocking_rule(const detail::SurveyRule& r, const InstallHistory& h,
                                         std::string_view anon, const Moment& m) {
  const auto it = h.surveys.find(r.id);
  const SurveyHistory s = it == h.surveys.end() ? SurveyHistory{} : it->second;
  if (s.answered) return std::string("already answered on this install");
  if (!in_sample(r.id, anon, r.sample_pct)) {
    return fmt("this install is not in the survey's sample (sample_pct %g)", r.sample_pct);
  }
  if (r.max_impressions > 0 && s.impressions >= r.max_impressions) {
    return fmt("already shown %.0f times (max_impressions)", static_cast<double>(s.impressions));
  }
  if (r.starts_at && m.now_ms < *r.starts_at)
    return std::string("its schedule has not started (starts_at)");
  if (r.ends_at && m.now_ms >= *r.ends_at) return std::string("its schedule has ended (ends_at)");
  if (!r.min_app_version.empty() &&
      detail::compare_versions(m.app_version, r.min_app_version) < 0) {
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
  if (s.shown_in_session > 0 && s.shown_in_session == h.sessions) {
    return std::string("already asked in this session");
  }
  if (s.impressions > 0 &&
      (static_cast<double>(m.now_ms) - static_cast<double>(s.last_impression_ms)) <
          r.cooldown_hours * kHourMs) {
    return fmt("in its cooldown (%g hours since last shown or dismissed)", r.cooldown_hours);
  }
  if (!r.when.after_event.empty() && m.trigger && *m.trigger != r.when.after_event) {
    return "waits for event '" + r.when.after_event + "'";
  }
  return std::nullopt;
}

std::optional<std::string> score_problem(const detail::SurveyRule& r, std::int64_t score) {
  if (r.kind == detail::SurveyKind::choice) {
    return "survey '" + r.id + "' asks for one of its choices, not a score";
  }
  if (!detail::survey_score_in_range(r.kind, score)) {
    return "score " + std::to_string(score) + " is out of range for " +
           std::string(detail::survey_kind_name(r.kind)) + " survey '" + r.id + "' (" +
           (r.kind == detail::SurveyKind::nps ? "0..10" : "1..5") + ")";
  }
  return std::nullopt;
}

std::optional<std::string> choice_problem(const detail::SurveyRule& r, std::string_view choice) {
  if (r.kind != detail::SurveyKind::choice) {
    return "survey '" + r.id + "' asks for a score (" +
           std::string(detail::survey_kind_name(r.kind)) + "), not a choice";
  }
  if (std::find(r.choices.begin(), r.choices.end(), choice) == r.choices.end()) {
    return "'" + std::string(choice) + "' is not one of the choices of survey '" + r.id + "'";
  }
  return std::nullopt;
}

}  // namespace uptake::surveys_detail
