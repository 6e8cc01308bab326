#pragma once
// Whether a survey may be asked now, and whether an answer fits it: pure functions of the
// rule, the install's history and the moment, so they are tested table by table and
// explain() can say which rule decided.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "survey_history.hpp"
#include "uptake_common/prompt_rules.hpp"
#include "uptake_common/remote_config.hpp"

namespace uptake::surveys_detail {

using Moment = detail::PromptMoment;

/// The first rule that keeps `rule` from being asked of install `anon`, as a sentence; nullopt
/// when it may be asked. The attention budget is not checked here.
std::optional<std::string> blocking_rule(const detail::SurveyRule& rule,
                                         const InstallHistory& history, std::string_view anon,
                                         const Moment& moment);

/// The sample (`sample_pct`): a stable hash of survey id and anonymous id.
bool in_sample(std::string_view survey_id, std::string_view anon, double sample_pct);

/// Why a score does not fit `rule` (nullopt: it does).
std::optional<std::string> score_problem(const detail::SurveyRule& rule, std::int64_t score);
/// Why a choice does not fit `rule` (nullopt: it does).
std::optional<std::string> choice_problem(const detail::SurveyRule& rule, std::string_view choice);

}  // namespace uptake::surveys_detail
