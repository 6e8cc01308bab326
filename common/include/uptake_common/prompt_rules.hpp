#pragma once
// Rules that tips and surveys share (PROTOCOL.md /v1/config): the schedule, the version floor,
// the `when` conditions on the install's activity, and the stable per-install share (a tip's
// control group, a survey's sample). One definition, so both plugins decide alike and a person
// is in the same share whichever plugin asks.

#include <cctype>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "uptake_common/remote_config.hpp"

namespace uptake::detail {

/// Compares dotted numeric versions ("2.10.0" > "2.9"); missing parts count as 0, text before
/// a part's digits ("v2") is skipped and anything after them ("0-beta2") is ignored; parts
/// beyond 18 digits compare as equal.
inline int compare_versions(std::string_view a, std::string_view b) {
  auto next = [](std::string_view& s) {
    auto digit = [&] { return !s.empty() && std::isdigit(static_cast<unsigned char>(s.front())); };
    while (!s.empty() && s.front() != '.' && !digit()) s.remove_prefix(1);
    std::int64_t v = 0;
    for (; digit(); s.remove_prefix(1)) {
      if (v < 100'000'000'000'000'000) v = v * 10 + (s.front() - '0');  // held, never overflowed
    }
    const auto dot = s.find('.');
    s = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
    return v;
  };
  while (!a.empty() || !b.empty()) {
    const std::int64_t x = next(a), y = next(b);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/// Whether the install `anon` falls in the first `pct` percent (0..100, in steps of 0.01) of
/// the shares of rule `rule_id`: a deterministic FNV-1a hash of "rule_id:anon", so the answer
/// never changes for an install and differs between rules.
inline bool in_stable_share(std::string_view rule_id, std::string_view anon, double pct) {
  if (pct <= 0) return false;
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  };
  mix(rule_id);
  mix(":");
  mix(anon);
  h ^= h >> 33;  // spread the low bits before taking the remainder
  return static_cast<double>(h % 10000) < pct * 100.0;
}

/// Whether less than `gap_ms` passed from `then_ms` to `now_ms`. A `then` in the future (the
/// clock was set back since) blocks nothing, or a clock set right after a wrong one would hold
/// prompts back until the wrong date: the attention budget, on a clock that never goes back,
/// keeps the pace then.
inline bool within_gap(std::int64_t then_ms, std::int64_t now_ms, double gap_ms) {
  const double elapsed = static_cast<double>(now_ms) - static_cast<double>(then_ms);
  return elapsed >= 0 && elapsed < gap_ms;
}

/// What the install has done, as far as prompt rules care.
struct InstallActivity {
  std::int64_t install_ms = 0;  // when the plugin first ran on this install
  std::int64_t sessions = 0;
  std::set<std::string, std::less<>> used;  // features used on this install
};

/// The moment a rule is judged at.
struct PromptMoment {
  std::int64_t now_ms = 0;
  std::string_view app_version;
  /// The event being handled ("$session_start" or a feature name); nullopt asks "any event".
  std::optional<std::string_view> trigger;
};

/// The parts of a tip's or a survey's rule that work alike for both.
struct PromptTiming {
  const PromptWhen& when;
  std::optional<std::int64_t> starts_at, ends_at;
  std::string_view min_app_version;
};

/// The timing of a TipRule or a SurveyRule.
template <typename Rule>
PromptTiming timing_of(const Rule& rule) {
  return {rule.when, rule.starts_at, rule.ends_at, rule.min_app_version};
}

/// The first of the schedule, the version floor and the `when` conditions on the activity
/// (min_sessions, min_days_since_install, used, not_used) that blocks a prompt, as a sentence.
std::optional<std::string> prompt_rule_blocks(const PromptTiming& rule,
                                              const InstallActivity& activity,
                                              const PromptMoment& moment);

/// The `when.after_event` condition: the prompt waits for that event (nullopt: it does not).
std::optional<std::string> trigger_blocks(const PromptWhen& when, const PromptMoment& moment);

}  // namespace uptake::detail
