#pragma once
// The attention budget (public contract in uptake/prompts.hpp): how many prompts this install
// showed this session and this UTC day, and when the latest one showed, measured on a clock
// that never goes back; kept in data_dir/attention_budget.json. The decisions are pure
// functions (budget_blocks, count_prompt, BudgetClock), tested table by table; the class adds
// the file, the limits of the current remote config, and a lock for explain() callers.

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "kv_file.hpp"
#include "uptake_common/remote_config.hpp"

namespace uptake::detail {

inline constexpr std::int64_t kBudgetDayMs = 86'400'000;
/// A run starting with the clock this far behind the budget's follows the clock again.
inline constexpr std::int64_t kFarBehindMs = 7 * kBudgetDayMs;

/// The budget's time: the device's wall clock, except that it never goes back. While the wall
/// clock is behind the latest time seen (it was set back), budget time stays there and moves
/// on only by the monotonic time that passes in this run.
class BudgetClock {
 public:
  /// `high_ms`: the latest budget time of an earlier run (0: none).
  explicit BudgetClock(std::int64_t high_ms = 0) : high_ms_(high_ms) {}
  /// Budget time at wall time `wall_ms` and monotonic time `mono_ms`, leaving the clock as is.
  std::int64_t peek(std::int64_t wall_ms, std::int64_t mono_ms) const;
  /// Budget time, remembered as the latest seen.
  std::int64_t advance(std::int64_t wall_ms, std::int64_t mono_ms);
  std::int64_t high_ms() const { return high_ms_; }

 private:
  std::int64_t high_ms_;
  std::optional<std::int64_t> mono_at_high_;  // monotonic time of high_ms_, in this run only
};

/// The UTC day number of a budget time.
std::int64_t budget_day(std::int64_t ms);

struct BudgetCounts {
  std::int64_t session_prompts = 0;
  std::int64_t day = 0;  // the budget_day() that day_prompts counts
  std::int64_t day_prompts = 0;
  std::optional<std::int64_t> last_prompt_ms;  // budget time of the latest prompt
  std::optional<std::int64_t> spent_day;       // a day counted as spent (the file was lost)
};

/// The first limit that refuses a prompt at budget time `now_ms`, as a sentence naming it;
/// nullopt when a prompt may show.
std::optional<std::string> budget_blocks(const BudgetCounts& counts, const PromptLimits& limits,
                                         std::int64_t now_ms);
/// Counts a prompt shown at budget time `now_ms`.
void count_prompt(BudgetCounts& counts, std::int64_t now_ms);

class AttentionBudget {
 public:
  explicit AttentionBudget(std::filesystem::path file) : file_(std::move(file)) {}

  /// Reads the file (see prompts.hpp for what an unreadable or recovered file means).
  void load(std::int64_t wall_ms, std::int64_t mono_ms);
  void set_limits(const PromptLimits& limits);
  /// Moves the budget clock on to an event's moment (kept in memory; saved with the next save).
  void observe(std::int64_t wall_ms, std::int64_t mono_ms);
  /// A `$session_start`: the session count starts again.
  void session_started(std::int64_t wall_ms, std::int64_t mono_ms);
  /// Why a prompt may not show now (nullopt: it may). Any thread.
  std::optional<std::string> blocks(std::int64_t wall_ms, std::int64_t mono_ms) const;
  /// A prompt is shown now.
  void count(std::int64_t wall_ms, std::int64_t mono_ms);
  /// Writes the file if anything changed since the last save.
  void save();

 private:
  void store_locked();

  mutable std::mutex mutex_;  // explain() reads from app threads
  KvFile file_;
  PromptLimits limits_;
  BudgetClock clock_;
  BudgetCounts counts_;
};

}  // namespace uptake::detail
