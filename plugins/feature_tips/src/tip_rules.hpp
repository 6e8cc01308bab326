#pragma once
// Whether a tip may show now: pure functions of the rule, the install's history and the
// moment, so they are tested table by table and explain() can say which rule decided.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tip_history.hpp"
#include "uptake_common/prompt_rules.hpp"
#include "uptake_common/remote_config.hpp"

namespace uptake::tips_detail {

using Moment = detail::PromptMoment;

/// The first rule that keeps `rule` from showing, as a sentence; nullopt when it may show.
/// Holdout is not checked here (see in_holdout).
std::optional<std::string> blocking_rule(const detail::TipRule& rule, const InstallHistory& history,
                                         const detail::PromptLimits& limits, const Moment& moment);

/// The control group: a stable hash of tip id and anonymous id, under holdout_pct percent.
bool in_holdout(std::string_view tip_id, std::string_view anon, double holdout_pct);

/// Compares dotted numeric versions ("2.10.0" > "2.9"); missing parts count as 0.
int compare_versions(std::string_view a, std::string_view b);

}  // namespace uptake::tips_detail
