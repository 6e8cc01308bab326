#include <cstring>

#include "uptake/c_bridge.hpp"
#include "uptake/feature_tips.h"
#include "uptake/feature_tips.hpp"

struct uptake_feature_tips {
  std::shared_ptr<uptake::FeatureTips> plugin;
};

extern "C" {

uptake_feature_tips* uptake_feature_tips_new(uptake_tip_presenter presenter, void* user_data) {
  try {
    auto* handle = new uptake_feature_tips;
    handle->plugin =
        std::make_shared<uptake::FeatureTips>([presenter, user_data](const uptake::Tip& t) {
          if (presenter)
            presenter(t.id.c_str(), t.feature.c_str(), t.title.c_str(), t.body.c_str(), user_data);
        });
    return handle;
  } catch (...) {
    return nullptr;
  }
}

void uptake_feature_tips_free(uptake_feature_tips* tips) {
  delete tips;
}

uptake_status uptake_config_add_feature_tips(uptake_config* config, uptake_feature_tips* tips) {
  if (!config || !tips) return uptake::c_api_fail(UPTAKE_ERR_INVALID_ARGUMENT, "NULL argument");
  uptake::config_of(config).plugins.push_back(tips->plugin);
  return UPTAKE_OK;
}

uptake_status uptake_tip_clicked(uptake_feature_tips* tips, const char* tip_id) {
  if (!tips || !tip_id) return uptake::c_api_fail(UPTAKE_ERR_INVALID_ARGUMENT, "NULL argument");
  tips->plugin->clicked(tip_id);
  return UPTAKE_OK;
}

uptake_status uptake_tip_dismissed(uptake_feature_tips* tips, const char* tip_id,
                                   uptake_dismissal how, int snooze_hours) {
  if (!tips || !tip_id) return uptake::c_api_fail(UPTAKE_ERR_INVALID_ARGUMENT, "NULL argument");
  const auto kind = how == UPTAKE_DISMISS_FOREVER  ? uptake::Dismissal::forever
                    : how == UPTAKE_DISMISS_SNOOZE ? uptake::Dismissal::snooze
                                                   : uptake::Dismissal::close;
  tips->plugin->dismissed(tip_id, kind, snooze_hours);
  return UPTAKE_OK;
}

uptake_status uptake_tip_explain(uptake_feature_tips* tips, const char* tip_id, char* buf,
                                 size_t len, int* would_show) {
  if (!tips || !tip_id || !buf || len == 0)
    return uptake::c_api_fail(UPTAKE_ERR_INVALID_ARGUMENT, "NULL argument");
  const uptake::TipExplanation e = tips->plugin->explain(tip_id);
  const size_t n = std::min(len - 1, e.reason.size());
  std::memcpy(buf, e.reason.data(), n);
  buf[n] = '\0';
  if (would_show) *would_show = e.would_show ? 1 : 0;
  return UPTAKE_OK;
}

}  // extern "C"
