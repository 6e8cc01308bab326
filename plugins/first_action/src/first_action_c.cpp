// first_action.h over uptake::FirstAction. No exception crosses this boundary.

#include "uptake/c_bridge.hpp"
#include "uptake/first_action.h"
#include "uptake/first_action.hpp"

extern "C" uptake_status uptake_config_add_first_action(uptake_config* config,
                                                        const char* const* key_actions,
                                                        size_t count) noexcept {
  if (!config || (count > 0 && !key_actions)) {
    return uptake::c_api_fail(UPTAKE_ERR_INVALID_ARGUMENT, "NULL argument");
  }
  return uptake::c_api_guard([&] {
    std::vector<std::string> actions;
    for (size_t i = 0; i < count; ++i) {
      if (key_actions[i]) actions.emplace_back(key_actions[i]);
    }
    uptake::config_of(config).plugins.push_back(
        std::make_shared<uptake::FirstAction>(std::move(actions)));
    return UPTAKE_OK;
  });
}
