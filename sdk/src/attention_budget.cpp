#include "attention_budget.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "uptake/prompts.hpp"

namespace uptake {

std::string_view prompt_kind_name(PromptKind kind) {
  switch (kind) {
    case PromptKind::tip:
      return "tip";
    case PromptKind::survey:
      return "survey";
  }
  return "";
}

}  // namespace uptake

namespace uptake::detail {
namespace {

std::optional<std::int64_t> parse_int(const std::optional<std::string>& s) {
  if (!s || s->empty()) return std::nullopt;
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc() || end != s->data() + s->size()) return std::nullopt;
  return v;
}

// A state file is read back as untrusted (torn, edited, from a broken clock): values outside
// what this install could have written are taken as absent, so no later arithmetic overflows.
constexpr std::int64_t kLatestPlausibleMs = 253'402'300'800'000;  // year 10000
constexpr std::int64_t kMostPlausibleCount = std::int64_t{1} << 40;

std::optional<std::int64_t> within(std::optional<std::int64_t> v, std::int64_t lo,
                                   std::int64_t hi) {
  if (!v || *v < lo || *v > hi) return std::nullopt;
  return v;
}

std::optional<std::string> lookup(const std::map<std::string, std::string, std::less<>>& values,
                                  std::string_view key) {
  const auto it = values.find(key);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

std::string plural(std::int64_t n, const char* what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

}  // namespace

std::int64_t BudgetClock::peek(std::int64_t wall_ms, std::int64_t mono_ms) const {
  // Real time that passed since the latest time seen, as far as this run can tell (a
  // monotonic clock that went back, as an injected one may, tells nothing).
  const std::int64_t ran = mono_at_high_ && mono_ms > *mono_at_high_
                               ? std::min(mono_ms - *mono_at_high_, kLatestPlausibleMs)
                               : 0;
  // A host clock before 1970 or past year 10000 is broken: held within, so sums cannot overflow.
  return std::max(std::clamp<std::int64_t>(wall_ms, 0, kLatestPlausibleMs), high_ms_ + ran);
}

std::int64_t BudgetClock::advance(std::int64_t wall_ms, std::int64_t mono_ms) {
  high_ms_ = peek(wall_ms, mono_ms);
  mono_at_high_ = mono_ms;
  return high_ms_;
}

std::int64_t budget_day(std::int64_t ms) {
  return ms >= 0 ? ms / kBudgetDayMs : -((-ms + kBudgetDayMs - 1) / kBudgetDayMs);
}

std::optional<std::string> budget_blocks(const BudgetCounts& c, const PromptLimits& limits,
                                         std::int64_t now_ms) {
  const std::int64_t today = budget_day(now_ms);
  if (c.spent_day && *c.spent_day == today) {
    return std::string(
        "today counts as spent: the attention budget's file could not be read, or the clock was "
        "far behind it");
  }
  if (limits.max_prompts_per_session && c.session_prompts >= *limits.max_prompts_per_session) {
    return "the session already showed " + plural(c.session_prompts, "prompt") +
           " (max_prompts_per_session)";
  }
  const std::int64_t shown_today = c.day == today ? c.day_prompts : 0;
  if (limits.max_prompts_per_day && shown_today >= *limits.max_prompts_per_day) {
    return plural(shown_today, "prompt") + " already shown today (max_prompts_per_day)";
  }
  if (c.last_prompt_ms && limits.min_minutes_between_prompts > 0 &&
      (static_cast<double>(now_ms) - static_cast<double>(*c.last_prompt_ms)) <
          limits.min_minutes_between_prompts * 60'000.0) {
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "another prompt showed less than %g minutes ago (min_minutes_between_prompts)",
                  limits.min_minutes_between_prompts);
    return std::string(buf);
  }
  return std::nullopt;
}

void count_prompt(BudgetCounts& c, std::int64_t now_ms) {
  const std::int64_t today = budget_day(now_ms);
  if (c.day != today) {
    c.day = today;
    c.day_prompts = 0;
  }
  ++c.session_prompts;
  ++c.day_prompts;
  c.last_prompt_ms = now_ms;
}

void AttentionBudget::load(std::int64_t wall_ms, std::int64_t mono_ms) {
  std::lock_guard lock(mutex_);
  const bool readable = file_.load();
  const auto& v = file_.values();
  const auto time = [&](std::string_view key) {
    return within(parse_int(lookup(v, key)), 0, kLatestPlausibleMs);
  };
  const auto count = [&](std::string_view key) {
    return within(parse_int(lookup(v, key)), 0, kMostPlausibleCount);
  };
  const auto day = [&](std::string_view key) {
    return within(parse_int(lookup(v, key)), 0, kLatestPlausibleMs / kBudgetDayMs);
  };
  clock_ = BudgetClock(time("clock_high_ms").value_or(0));
  counts_ = BudgetCounts{};
  counts_.session_prompts = count("session_prompts").value_or(0);
  counts_.day = day("day").value_or(0);
  counts_.day_prompts = count("day_prompts").value_or(0);
  counts_.last_prompt_ms = time("last_prompt_ms");
  counts_.spent_day = day("spent_day");
  if (!readable) {
    // Neither the file nor its backup: nothing says how much attention today already took.
    counts_.spent_day = budget_day(clock_.advance(wall_ms, mono_ms));
    store_locked();
  } else if (clock_.high_ms() > wall_ms + kFarBehindMs) {
    // The clock is more than a week behind the latest time seen: corrected after running far
    // ahead, or set back on purpose. Holding the old time would make each budget day last until
    // the app has run 24 hours; following the clock from here is safe once today counts as
    // spent and the gap between prompts starts now, so setting the clock back gains nothing.
    // (Closer than that, the held clock is kept: it catches up within the week.)
    clock_ = BudgetClock(std::max<std::int64_t>(wall_ms, 0));
    clock_.advance(wall_ms, mono_ms);
    counts_.spent_day = budget_day(clock_.high_ms());
    counts_.last_prompt_ms = clock_.high_ms();
    counts_.session_prompts = 0;
    store_locked();
  } else if (file_.loaded_backup()) {
    // The backup is one save behind, and that save may have been a prompt: count it.
    count_prompt(counts_, clock_.high_ms());
    clock_.advance(wall_ms, mono_ms);
    store_locked();
  } else {
    clock_.advance(wall_ms, mono_ms);
  }
}

void AttentionBudget::set_limits(const PromptLimits& limits) {
  std::lock_guard lock(mutex_);
  limits_ = limits;
}

void AttentionBudget::observe(std::int64_t wall_ms, std::int64_t mono_ms) {
  std::lock_guard lock(mutex_);
  clock_.advance(wall_ms, mono_ms);
}

void AttentionBudget::session_started(std::int64_t wall_ms, std::int64_t mono_ms) {
  std::lock_guard lock(mutex_);
  clock_.advance(wall_ms, mono_ms);
  if (counts_.session_prompts == 0) return;
  counts_.session_prompts = 0;
  store_locked();
}

std::optional<std::string> AttentionBudget::blocks(std::int64_t wall_ms,
                                                   std::int64_t mono_ms) const {
  std::lock_guard lock(mutex_);
  return budget_blocks(counts_, limits_, clock_.peek(wall_ms, mono_ms));
}

void AttentionBudget::count(std::int64_t wall_ms, std::int64_t mono_ms) {
  std::lock_guard lock(mutex_);
  count_prompt(counts_, clock_.advance(wall_ms, mono_ms));
  store_locked();
}

void AttentionBudget::save() {
  std::lock_guard lock(mutex_);
  // The clock moves on with every event but is written only here (at stop) and with the
  // counts: a budget time older than the latest prompt is never on disk, which is what matters.
  if (lookup(file_.values(), "clock_high_ms") != std::to_string(clock_.high_ms())) store_locked();
}

// Into the map and onto disk at once: a prompt counted must survive a crash right after it.
void AttentionBudget::store_locked() {
  auto& v = file_.values();
  v["clock_high_ms"] = std::to_string(clock_.high_ms());
  v["session_prompts"] = std::to_string(counts_.session_prompts);
  v["day"] = std::to_string(counts_.day);
  v["day_prompts"] = std::to_string(counts_.day_prompts);
  v["last_prompt_ms"] = counts_.last_prompt_ms ? std::to_string(*counts_.last_prompt_ms) : "";
  v["spent_day"] = counts_.spent_day ? std::to_string(*counts_.spent_day) : "";
  file_.mark_dirty();
  file_.save_if_dirty();
}

}  // namespace uptake::detail
