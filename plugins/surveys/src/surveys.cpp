#include "uptake/surveys.hpp"

#include <algorithm>
#include <utility>

#include "survey_history.hpp"
#include "survey_rules.hpp"
#include "uptake_common/remote_config.hpp"
#include "uptake_plugin_support/install_activity.hpp"

namespace uptake {
namespace surveys_detail {

struct Model : plugin_support::PromptModel<InstallHistory> {
  [[nodiscard]] const detail::SurveyRule* find(std::string_view id) const {
    for (const auto& r : config.surveys) {
      if (r.id == id) return &r;
    }
    return nullptr;
  }
};

Survey to_survey(const detail::SurveyRule& r) {
  Survey s;
  s.id = r.id;
  s.question = r.question;
  switch (r.kind) {
    case detail::SurveyKind::nps:
      s.kind = SurveyKind::nps;
      s.min_score = 0;
      s.max_score = 10;
      break;
    case detail::SurveyKind::csat:
      s.kind = SurveyKind::csat;
      s.min_score = 1;
      s.max_score = 5;
      break;
    case detail::SurveyKind::choice:
      s.kind = SurveyKind::choice;
      s.choices = r.choices;
      break;
  }
  return s;
}

}  // namespace surveys_detail

using namespace surveys_detail;

/// What the person did, as checked on their thread and recorded on the background thread.
struct Surveys::Answer {
  enum class What { score, choice, dismissal } what = What::dismissal;
  std::int64_t score = 0;
  std::string choice;
};

Surveys::Surveys(Presenter presenter)
    : presenter_(std::move(presenter)), model_(std::make_unique<Model>()) {}

Surveys::~Surveys() = default;

void Surveys::start(PluginContext& ctx) {
  std::lock_guard lock(mutex_);
  model_->start(ctx, load_history, save_counters);
  context_ = &ctx;
}

void Surveys::on_remote_config(PluginContext& ctx) {
  std::lock_guard lock(mutex_);
  model_->config = detail::parse_remote_config(ctx.remote_config());
}

void Surveys::stop(PluginContext&) {
  std::lock_guard lock(mutex_);
  context_ = nullptr;
}

void Surveys::on_event(PluginContext& ctx, const ObservedEvent& event) {
  {
    std::lock_guard lock(mutex_);
    InstallHistory& h = model_->history;
    switch (plugin_support::observe_activity(h, event)) {
      case plugin_support::ActivityChange::not_a_feature:
        return;
      case plugin_support::ActivityChange::session:
      case plugin_support::ActivityChange::first_use:
        save_counters(ctx, h);
        break;
      case plugin_support::ActivityChange::none:
        break;
    }
  }
  consider_surveys(ctx, event.name);
}

void Surveys::consider_surveys(PluginContext& ctx, std::string_view trigger) {
  if (ctx.prompt_budget_blocks(PromptKind::survey)) return;
  std::lock_guard lock(mutex_);
  const Model& m = *model_;
  const Moment moment{ctx.now_ms(), m.app_version, trigger};
  const detail::SurveyRule* best = nullptr;
  for (const auto& r : m.config.surveys) {  // the highest priority; config order breaks ties
    if (best && r.priority <= best->priority) continue;
    if (!blocking_rule(r, m.history, m.anon, moment)) best = &r;
  }
  if (!best) return;
  ctx.offer_prompt(PromptOffer{PromptKind::survey, best->priority, best->id,
                               [this, id = best->id](PluginContext& c) { show_survey(c, id); }});
}

void Surveys::show_survey(PluginContext& ctx, const std::string& survey_id) {
  Survey to_show;
  {
    std::lock_guard lock(mutex_);
    const detail::SurveyRule* r = model_->find(survey_id);
    if (!r) return;
    SurveyHistory& s = model_->history.surveys[r->id];
    ++s.impressions;
    s.last_impression_ms = ctx.now_ms();
    s.open = true;
    s.shown_in_session = model_->history.sessions;
    save_survey(ctx, r->id, s);
    const Prop props[] = {{"survey", PropValue(r->id)}};
    ctx.emit("$survey_shown", props);
    to_show = to_survey(*r);
  }
  // Outside the lock: the presenter may call answered(), dismissed() or explain().
  if (presenter_) {
    try {
      presenter_(to_show);
    } catch (...) {
      // The app's presenter failing must not switch surveys off for good.
    }
  }
}

SurveyResult Surveys::answered(std::string_view survey_id, std::int64_t score) {
  return respond(survey_id, Answer{Answer::What::score, score, {}});
}

SurveyResult Surveys::answered(std::string_view survey_id, std::string_view choice) {
  return respond(survey_id, Answer{Answer::What::choice, 0, std::string(choice)});
}

SurveyResult Surveys::dismissed(std::string_view survey_id) {
  return respond(survey_id, Answer{});
}

// Checked here, on the caller's thread, against the config in effect, so the caller learns at
// once what was refused; recorded on the background thread.
SurveyResult Surveys::respond(std::string_view survey_id, Answer answer) {
  const bool is_answer = answer.what != Answer::What::dismissal;
  bool taken = false;
  auto give_back = [&](const std::string& id) {
    if (!taken) return;
    std::lock_guard lock(mutex_);
    model_->history.surveys[id].answered = false;
  };
  std::string id;
  try {
    id = std::string(survey_id);
    {
      std::lock_guard lock(mutex_);
      if (!context_) return {SurveyStatus::not_running, "the client is not running"};
      const detail::SurveyRule* rule = model_->find(id);
      if (!rule) {
        return {SurveyStatus::unknown_survey,
                "no survey '" + id + "' in the current config; nothing was recorded"};
      }
      SurveyHistory& s = model_->history.surveys[id];
      if (s.answered) {
        return {SurveyStatus::already_answered,
                "survey '" + id + "' was already answered on this install"};
      }
      if (answer.what == Answer::What::score) {
        if (auto problem = score_problem(*rule, answer.score)) {
          return {rule->kind == detail::SurveyKind::choice ? SurveyStatus::wrong_kind
                                                           : SurveyStatus::score_out_of_range,
                  *problem};
        }
      } else if (answer.what == Answer::What::choice) {
        if (auto problem = choice_problem(*rule, answer.choice)) {
          return {rule->kind != detail::SurveyKind::choice ? SurveyStatus::wrong_kind
                                                           : SurveyStatus::unknown_choice,
                  *problem};
        }
      }
      // Taken at once, so that a second answer racing this one is refused too.
      if (is_answer) s.answered = taken = true;
    }
    const bool posted = post([this, id, answer = std::move(answer)](PluginContext& ctx) {
      std::lock_guard lock(mutex_);
      SurveyHistory& s = model_->history.surveys[id];
      if (answer.what == Answer::What::dismissal) {
        if (!s.open) ++s.impressions;  // dismissing counts as an impression
        ++s.dismissals;
        s.last_impression_ms = ctx.now_ms();  // the cooldown runs from the dismissal
        s.open = false;
        save_survey(ctx, id, s);
        const Prop props[] = {{"survey", PropValue(id)}};
        ctx.emit("$survey_dismissed", props);
        return;
      }
      s.answered = true;
      s.open = false;
      save_survey(ctx, id, s);
      if (answer.what == Answer::What::score) {
        const Prop props[] = {{"survey", PropValue(id)}, {"score", PropValue(answer.score)}};
        ctx.emit("$survey_answered", props);
      } else {
        const Prop props[] = {{"survey", PropValue(id)}, {"choice", PropValue(answer.choice)}};
        ctx.emit("$survey_answered", props);
      }
    });
    if (!posted) {
      give_back(id);
      return {SurveyStatus::not_running, "the client is not running"};
    }
  } catch (...) {  // out of memory: refused like any other failure, never thrown at the app
    give_back(id);
    return {SurveyStatus::not_running, "out of memory: nothing was recorded"};
  }
  return {};
}

SurveyExplanation Surveys::explain(std::string_view survey_id) const {
  std::lock_guard lock(mutex_);
  if (!context_) return {false, "the client is not running"};
  const detail::SurveyRule* rule = model_->find(survey_id);
  if (!rule) return {false, "no survey with this id in the current config"};
  const Moment moment{context_->now_ms(), model_->app_version, std::nullopt};
  if (auto blocked = blocking_rule(*rule, model_->history, model_->anon, moment)) {
    return {false, *blocked};
  }
  if (auto spent = context_->prompt_budget_blocks(PromptKind::survey)) {
    return {false, "the attention budget shared with other prompts: " + *spent};
  }
  if (!rule->when.after_event.empty())
    return {true, "would show after event '" + rule->when.after_event + "'"};
  return {true, "would show at the next event"};
}

}  // namespace uptake
