#pragma once
// surveys: in-app micro-surveys (NPS, CSAT, one choice question) from the remote config's
// "surveys" (PROTOCOL.md /v1/config, the same cached copy the tips use, so surveys work
// offline), asked when the install's own history meets a survey's rules: decided on the
// device, no network round trip. A survey is a prompt: it is offered to the attention budget
// shared with tips and every other prompt (uptake/prompts.hpp), which shows the highest
// priority the limits allow. Emits $survey_shown, $survey_answered (props `survey`, and
// `score` or `choice`) and $survey_dismissed (prop `survey`).
//
// The presenter is called on the SDK's background thread: hand the survey to your UI thread
// and return at once. Report what the person did with answered() or dismissed(), from any
// thread; they check the answer at once and return what they refused, so a wrong score never
// reaches the collector (they never throw).

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "uptake/export.h"
#include "uptake/plugin.hpp"

namespace uptake {

enum class SurveyKind {
  nps,     // "how likely are you to recommend ...": a score from 0 to 10
  csat,    // "how satisfied are you ...": a score from 1 to 5
  choice,  // one of `choices`
};

struct Survey {
  std::string id;
  SurveyKind kind = SurveyKind::nps;
  std::string question;
  std::vector<std::string> choices;  // choice surveys only
  int min_score = 0, max_score = 0;  // nps 0..10, csat 1..5; both 0 for choice surveys
};

/// What answered() and dismissed() did. Anything but `ok` recorded nothing.
enum class SurveyStatus {
  ok,                  // recorded: the event is on its way to the collector
  not_running,         // the plugin is not attached to a running client
  unknown_survey,      // no survey with this id in the current config
  wrong_kind,          // a score for a choice survey, or a choice for an nps/csat survey
  score_out_of_range,  // nps takes 0..10, csat 1..5
  unknown_choice,      // not one of the survey's choices
  already_answered,    // this install answered this survey before
};

struct SurveyResult {
  SurveyStatus status = SurveyStatus::ok;
  std::string message;  // one sentence saying what was refused ("" when ok)
  bool ok() const { return status == SurveyStatus::ok; }
  explicit operator bool() const { return ok(); }
};

struct SurveyExplanation {
  bool would_show = false;
  std::string reason;  // the rule that blocks it, or why it would show
};

namespace surveys_detail {
struct Model;
}

class UPTAKE_API Surveys final : public Plugin {
 public:
  using Presenter = std::function<void(const Survey&)>;
  explicit Surveys(Presenter presenter);
  ~Surveys() override;

  std::string name() const override { return "surveys"; }

  /// The person answered nps/csat survey `survey_id` with `score`. Any thread. (A string
  /// literal picks the choice overload below, a number this one: answered("nps", 0) is a score.)
  SurveyResult answered(std::string_view survey_id, std::int64_t score);
  /// The person answered choice survey `survey_id` with `choice` (one of its choices, exactly).
  SurveyResult answered(std::string_view survey_id, std::string_view choice);
  /// The person closed the survey without answering; it may be asked again (after its
  /// cooldown, within max_impressions). Any thread.
  SurveyResult dismissed(std::string_view survey_id);
  /// Why `survey_id` would or would not show if a qualifying event happened now: the first of
  /// its rules that blocks it, or else the attention budget. Any thread.
  SurveyExplanation explain(std::string_view survey_id) const;

  void start(PluginContext& ctx) override;
  void on_event(PluginContext& ctx, const ObservedEvent& event) override;
  void on_remote_config(PluginContext& ctx) override;
  void stop(PluginContext& ctx) override;

 private:
  struct Answer;
  // Private helpers stay out of libuptake.so's exports (and so out of its ABI).
  UPTAKE_HIDDEN void consider_surveys(PluginContext& ctx, std::string_view trigger);
  UPTAKE_HIDDEN void show_survey(PluginContext& ctx, const std::string& survey_id);
  UPTAKE_HIDDEN SurveyResult respond(std::string_view survey_id, Answer answer);

  Presenter presenter_;
  mutable std::mutex mutex_;  // answered(), dismissed() and explain() run on app threads
  std::unique_ptr<surveys_detail::Model> model_;
  PluginContext* context_ = nullptr;  // set between start() and stop()
};

}  // namespace uptake
