#include "uptake/feature_tips.hpp"

#include <algorithm>

#include "tip_history.hpp"
#include "tip_rules.hpp"
#include "uptake_common/remote_config.hpp"
#include "uptake_plugin_support/install_activity.hpp"

namespace uptake {
namespace tips_detail {

struct Model : plugin_support::PromptModel<InstallHistory> {
  [[nodiscard]] const detail::TipRule* find(std::string_view id) const {
    for (const auto& r : config.tips) {
      if (r.id == id) return &r;
    }
    return nullptr;
  }
};

}  // namespace tips_detail

using namespace tips_detail;

FeatureTips::FeatureTips(Presenter presenter)
    : presenter_(std::move(presenter)), model_(std::make_unique<Model>()) {}

FeatureTips::~FeatureTips() = default;

void FeatureTips::start(PluginContext& ctx) {
  std::lock_guard lock(mutex_);
  model_->start(ctx, load_history, save_counters);
  context_ = &ctx;
}

void FeatureTips::on_remote_config(PluginContext& ctx) {
  std::lock_guard lock(mutex_);
  model_->config = detail::parse_remote_config(ctx.remote_config());
}

void FeatureTips::stop(PluginContext&) {
  std::lock_guard lock(mutex_);
  context_ = nullptr;
}

void FeatureTips::on_event(PluginContext& ctx, const ObservedEvent& event) {
  {
    std::lock_guard lock(mutex_);
    InstallHistory& h = model_->history;
    // A first use suppresses the feature's tip at once, from this very event on.
    switch (plugin_support::observe_activity(h, event)) {
      case plugin_support::ActivityChange::not_a_feature:
        return;
      case plugin_support::ActivityChange::session:
        h.tips_this_session = 0;
        save_counters(ctx, h);
        break;
      case plugin_support::ActivityChange::first_use:
        save_counters(ctx, h);
        break;
      case plugin_support::ActivityChange::none:
        break;
    }
  }
  consider_tips(ctx, event.name);
}

void FeatureTips::consider_tips(PluginContext& ctx, std::string_view trigger) {
  // When the attention budget is spent no tip could show, so none is considered: the control
  // group is recorded only when its tip could really have shown.
  if (ctx.prompt_budget_blocks(PromptKind::tip)) return;
  std::lock_guard lock(mutex_);
  Model& m = *model_;
  std::vector<const detail::TipRule*> order;
  for (const auto& r : m.config.tips) order.push_back(&r);
  std::stable_sort(
      order.begin(), order.end(),
      [](const detail::TipRule* a, const detail::TipRule* b) { return a->priority > b->priority; });
  const Moment moment{ctx.now_ms(), m.app_version, trigger};
  for (const detail::TipRule* r : order) {
    if (blocking_rule(*r, m.history, m.config.limits, moment)) continue;
    if (in_holdout(r->id, m.anon, r->holdout_pct)) {
      // The control group gets $tip_held_out (once) where the tip would have shown: offered
      // like the tip, it is recorded only if the tip would have won the round, and it takes the
      // same attention, so both groups see the same prompts around it (an unbiased lift).
      const auto it = m.history.tips.find(r->id);
      if (it != m.history.tips.end() && it->second.held_out_recorded) continue;
      ctx.offer_prompt(PromptOffer{PromptKind::tip, r->priority, r->id,
                                   [this, id = r->id](PluginContext& c) { hold_out_tip(c, id); }});
      return;
    }
    // The best eligible tip competes with the other plugins' prompts for the budget.
    ctx.offer_prompt(PromptOffer{PromptKind::tip, r->priority, r->id,
                                 [this, id = r->id](PluginContext& c) { show_tip(c, id); }});
    return;
  }
}

void FeatureTips::show_tip(PluginContext& ctx, const std::string& tip_id) {
  Tip to_show;
  {
    std::lock_guard lock(mutex_);
    Model& m = *model_;
    const detail::TipRule* r = m.find(tip_id);
    if (!r) return;
    const std::int64_t now = ctx.now_ms();
    TipHistory& t = m.history.tips[r->id];
    ++t.shown;
    t.last_shown_ms = now;
    ++m.history.tips_this_session;
    m.history.last_tip_ms = now;
    save_tip(ctx, r->id, t);
    save_counters(ctx, m.history);
    const Prop props[] = {{"tip", PropValue(r->id)}, {"feature", PropValue(r->feature)}};
    ctx.emit("$tip_shown", props);
    to_show = Tip{r->id, r->feature, r->title, r->body};
  }
  // Outside the lock: the presenter may call explain(), clicked() or dismissed().
  if (presenter_) {
    try {
      presenter_(to_show);
    } catch (...) {
      // The app's presenter failing must not switch tips off for good.
    }
  }
}

// The control group's turn: what show_tip() records, as $tip_held_out and without the tip.
// The tips' own pace (per session, minutes between) counts it as a tip, as the budget does.
void FeatureTips::hold_out_tip(PluginContext& ctx, const std::string& tip_id) {
  std::lock_guard lock(mutex_);
  Model& m = *model_;
  const detail::TipRule* r = m.find(tip_id);
  if (!r) return;
  TipHistory& t = m.history.tips[r->id];
  if (t.held_out_recorded) return;
  t.held_out_recorded = true;
  ++m.history.tips_this_session;
  m.history.last_tip_ms = ctx.now_ms();
  save_tip(ctx, r->id, t);
  save_counters(ctx, m.history);
  const Prop props[] = {{"tip", PropValue(r->id)}, {"feature", PropValue(r->feature)}};
  ctx.emit("$tip_held_out", props);
}

void FeatureTips::clicked(std::string_view tip_id) {
  post([this, id = std::string(tip_id)](PluginContext& ctx) {
    record_interaction(ctx, id, "$tip_clicked", Dismissal::close, 0);
  });
}

void FeatureTips::dismissed(std::string_view tip_id, Dismissal how, int snooze_hours) {
  post([this, id = std::string(tip_id), how, snooze_hours](PluginContext& ctx) {
    record_interaction(ctx, id, "$tip_dismissed", how, snooze_hours);
  });
}

void FeatureTips::record_interaction(PluginContext& ctx, const std::string& tip_id,
                                     std::string_view event, Dismissal how, int snooze_hours) {
  std::lock_guard lock(mutex_);
  const detail::TipRule* rule = model_->find(tip_id);
  TipHistory& t = model_->history.tips[tip_id];
  ++t.interactions;
  const bool dismissal = event == "$tip_dismissed";
  if (dismissal && how == Dismissal::snooze) {
    t.snooze_until_ms = ctx.now_ms() + static_cast<std::int64_t>(snooze_hours) * 3'600'000;
  }
  if (dismissal && how == Dismissal::forever) t.forever = true;
  save_tip(ctx, tip_id, t);
  const std::string feature = rule ? rule->feature : std::string();
  std::vector<Prop> props = {{"tip", PropValue(tip_id)}, {"feature", PropValue(feature)}};
  if (dismissal && how == Dismissal::snooze)
    props.push_back({"snooze_hours", PropValue(snooze_hours)});
  if (dismissal && how == Dismissal::forever) props.push_back({"forever", PropValue(true)});
  ctx.emit(event, props);
}

TipExplanation FeatureTips::explain(std::string_view tip_id) const {
  std::lock_guard lock(mutex_);
  if (!context_) return {false, "the client is not running"};
  const detail::TipRule* rule = model_->find(tip_id);
  if (!rule) return {false, "no tip with this id in the current config"};
  const Moment moment{context_->now_ms(), model_->app_version, std::nullopt};
  if (auto blocked = blocking_rule(*rule, model_->history, model_->config.limits, moment)) {
    return {false, *blocked};
  }
  if (in_holdout(rule->id, model_->anon, rule->holdout_pct)) {
    return {false, "this install is in the tip's control group (holdout_pct)"};
  }
  if (auto spent = context_->prompt_budget_blocks(PromptKind::tip)) {
    return {false, "the attention budget shared with other prompts: " + *spent};
  }
  if (!rule->when.after_event.empty())
    return {true, "would show after event '" + rule->when.after_event + "'"};
  return {true, "would show at the next event"};
}

}  // namespace uptake
