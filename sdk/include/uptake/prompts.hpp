#pragma once
// Prompts and the attention budget: one budget of the end user's attention that every plugin
// which interrupts them (feature tips, surveys, your own) draws on, so that two plugins can
// never pile prompts on one person.
//
// The contract, for plugin authors:
// - A plugin never shows a prompt directly. It *offers* one with PluginContext::offer_prompt()
//   from any of its callbacks (typically on_event()). Offers made during one round (one event
//   shown to every plugin, one remote-config change, start(), or one batch of posted work and
//   timers) compete: after the round the host drops every offer if the budget is spent, else
//   calls the `show` of the offer with the highest `priority` (ties: the first offered) and
//   drops the others. A plugin whose offer lost simply offers again at a later event.
// - `show` runs on the background thread, in the offering plugin's context, right after the
//   round: it records the impression in the plugin's own state, emits the plugin's
//   "$..._shown" event and calls the app's presenter. The host counts the prompt against the
//   budget just before calling it.
// - The budget is the remote config's `limits` (PROTOCOL.md /v1/config), applied to every
//   prompt together: `max_prompts_per_session`, `min_minutes_between_prompts` and
//   `max_prompts_per_day` (a UTC day of the device's clock). An absent limit does not
//   restrict; a new config applies from the next offer on. Limits of one kind only (tips'
//   `max_tips_per_session`, `min_minutes_between_tips`) stay the offering plugin's business:
//   it offers only what its own rules allow.
// - A session starts at the SDK's `$session_start` event. The budget's counts live in
//   `data_dir/attention_budget.json` (replaced atomically, with a backup), so a restart in the
//   middle of a session or a day keeps them.
// - Clock changes never buy attention: the budget measures time on a clock that never goes
//   back (the device's clock, held at the latest time seen while the device clock is behind
//   it, and moved on by the real time that passes while the app runs). A clock set back neither
//   shortens `min_minutes_between_prompts` nor starts a new day, so moving the clock back and
//   forth cannot reset a day's cap. (A clock set *forward* is indistinguishable from time
//   passing while the app was closed, and is taken as such.) When a run starts with the clock
//   more than a week behind the latest time seen (a clock that ran ahead and was corrected),
//   the budget follows the clock again from there, with today counted as spent and the gap
//   between prompts starting then, so even that gains no attention.
// - A budget file that cannot be read counts today as spent (until the next day of the
//   budget's clock); one recovered from its backup (which may miss the latest save) counts one
//   prompt more than the backup says. The budget errs on the side of showing less.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "uptake/export.h"

namespace uptake {

class PluginContext;

enum class PromptKind {
  tip,     // a feature tip ("did you know")
  survey,  // an in-app micro-survey
};

/// "tip" or "survey".
UPTAKE_API std::string_view prompt_kind_name(PromptKind kind);

/// A prompt a plugin would like to show now (see the contract above).
struct PromptOffer {
  PromptKind kind = PromptKind::tip;
  /// The rule's `priority` from the remote config: the highest offer of a round wins.
  double priority = 0;
  /// The tip or survey id, for diagnostics.
  std::string id;
  /// Called at most once, on the background thread, when this offer won: record the
  /// impression, emit the "$..._shown" event and call the app's presenter. An exception
  /// switches the plugin off like any other callback's.
  std::function<void(PluginContext&)> show;
};

}  // namespace uptake
