#include "survey_rules.hpp"

#include <algorithm>
#include <cstdio>

#include "uptake_common/prompt_rules.hpp"

namespace uptake::surveys_detail {
namespace {

constexpr std::int64_t kHourMs = 3'600'000;

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
  if (auto blocked = detail::prompt_rule_blocks(detail::timing_of(r), h, m)) return blocked;
  if (s.shown_in_session > 0 && s.shown_in_session == h.sessions) {
    return std::string("already asked in this session");
  }
  if (s.impressions > 0 &&
      detail::within_gap(s.last_impression_ms, m.now_ms, r.cooldown_hours * kHourMs)) {
    return fmt("in its cooldown (%g hours since last shown or dismissed)", r.cooldown_hours);
  }
  return detail::trigger_blocks(r.when, m);
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
