#pragma once
// feature_tips: shows end users a "did you know" tip for a feature they have not found yet,
// decided on the device from its own history (no network round trip), by the rules of the
// remote config's "tips" (PROTOCOL.md /v1/config). Its best eligible tip is offered to the
// attention budget it shares with every other prompt (uptake/prompts.hpp), which may prefer a
// prompt of higher priority or refuse any. Emits $tip_shown, $tip_clicked, $tip_dismissed and,
// for the control group, $tip_held_out.
//
// The presenter is called on the SDK's background thread: hand the tip to your UI thread
// (post it to your event loop) and return at once. Report what the user did with clicked()
// and dismissed(), from any thread.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "uptake/export.h"
#include "uptake/plugin.hpp"

namespace uptake {

struct Tip {
  std::string id;
  std::string feature;
  std::string title;
  std::string body;
};

enum class Dismissal {
  close,    // dismissed this time
  snooze,   // not again for `snooze_hours`
  forever,  // don't show again
};

struct TipExplanation {
  bool would_show = false;
  std::string reason;  // the rule that blocks it, or why it would show
};

namespace tips_detail {
struct Model;
}

class UPTAKE_API FeatureTips final : public Plugin {
 public:
  using Presenter = std::function<void(const Tip&)>;
  explicit FeatureTips(Presenter presenter);
  ~FeatureTips() override;

  std::string name() const override { return "feature_tips"; }

  /// The user clicked (acted on) a tip the presenter showed. Any thread.
  void clicked(std::string_view tip_id);
  /// The user dismissed a tip; snooze and forever keep it away longer. Any thread.
  void dismissed(std::string_view tip_id, Dismissal how = Dismissal::close, int snooze_hours = 24);
  /// Why `tip_id` would or would not show if a qualifying event happened now: the first of its
  /// own rules that blocks it, its control group, or else the attention budget. Any thread.
  TipExplanation explain(std::string_view tip_id) const;

  void start(PluginContext& ctx) override;
  void on_event(PluginContext& ctx, const ObservedEvent& event) override;
  void on_remote_config(PluginContext& ctx) override;
  void stop(PluginContext& ctx) override;

 private:
  // Private helpers stay out of libuptake.so's exports (and so out of its ABI).
  UPTAKE_HIDDEN void consider_tips(PluginContext& ctx, std::string_view trigger);
  UPTAKE_HIDDEN void show_tip(PluginContext& ctx, const std::string& tip_id);
  UPTAKE_HIDDEN void hold_out_tip(PluginContext& ctx, const std::string& tip_id);
  UPTAKE_HIDDEN void record_interaction(PluginContext& ctx, const std::string& tip_id,
                                        std::string_view event, Dismissal how, int snooze_hours);

  Presenter presenter_;
  mutable std::mutex mutex_;  // explain() reads the model from app threads
  std::unique_ptr<tips_detail::Model> model_;
  PluginContext* context_ = nullptr;  // for explain()'s clock; set between start() and stop()
};

}  // namespace uptake
