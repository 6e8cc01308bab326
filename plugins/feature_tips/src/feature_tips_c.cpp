// feature_tips.h over uptake::FeatureTips. No exception crosses this boundary.

#include <algorithm>
#include <cstring>

#include "uptake/c_bridge.hpp"
#include "uptake/feature_tips.h"
#include "uptake/feature_tips.hpp"

struct uptake_feature_tips {
  std::shared_ptr<uptake::FeatureTips> plugin;
};

using uptake::c_api_fail;
using uptake::c_api_guard;

extern "C" {

uptake_feature_tips* uptake_feature_tips_new(uptake_tip_presenter presenter,
                                             void* user_data) noexcept {
  try {
    auto handle = std::make_unique<uptake_feature_tips>();
    handle->plugin =
        std::make_shared<uptake::FeatureTips>([presenter, user_data](const uptake::Tip& t) {
          if (presenter)
            presenter(t.id.c_str(), t.feature.c_str(), t.title.c_str(), t.body.c_str(), user_data);
        });
    return handle.release();
  } catch (...) {
    c_api_fail(UPTAKE_ERR_INTERNAL, "out of memory");
    return nullptr;
  }
}

void uptake_feature_tips_free(uptake_feature_tips* tips) noexcept {
  delete tips;
}

uptake_status uptake_config_add_feature_tips(uptake_config* config,
                                             uptake_feature_tips* tips) noexcept {
  if (!config || !tips) return c_api_fail(UPTAKE_ERR_INVALID_ARGUMENT, "NULL argument");
  return c_api_guard([&] {
    uptake::config_of(config).plugins.push_back(tips->plugin);
    return UPTAKE_OK;
  });
}

uptake_status uptake_tip_clicked(uptake_feature_tips* tips, const char* tip_id) noexcept {
  if (!tips || !tip_id) return c_api_fail(UPTAKE_ERR_INVALID_ARGUMENT, "NULL argument");
  return c_api_guard([&] {
    tips->plugin->clicked(tip_id);
    return UPTAKE_OK;
  });
}

uptake_status uptake_tip_dismissed(uptake_feature_tips* tips, const char* tip_id,
                                   uptake_dismissal how, int snooze_hours) noexcept {
  if (!tips || !tip_id) return c_api_fail(UPTAKE_ERR_INVALID_ARGUMENT, "NULL argument");
  return c_api_guard([&] {
    const auto kind = how == UPTAKE_DISMISS_FOREVER  ? uptake::Dismissal::forever
                      : how == UPTAKE_DISMISS_SNOOZE ? uptake::Dismissal::snooze
                                                     : uptake::Dismissal::close;
    tips->plugin->dismissed(tip_id, kind, snooze_hours);
    return UPTAKE_OK;
  });
}

uptake_status uptake_tip_explain(uptake_feature_tips* tips, const char* tip_id, char* buf,
                                 size_t len, int* would_show) noexcept {
  if (!tips || !tip_id || !buf || len == 0)
    return c_api_fail(UPTAKE_ERR_INVALID_ARGUMENT, "NULL argument");
  return c_api_guard([&] {
    const uptake::TipExplanation e = tips->plugin->explain(tip_id);
    uptake::copy_to_c_buffer(e.reason, buf, len);
    if (would_show) *would_show = e.would_show ? 1 : 0;
    return UPTAKE_OK;
  });
}

}  // extern "C"
