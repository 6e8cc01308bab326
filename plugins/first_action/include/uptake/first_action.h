/* first_action for C: time the first use of key actions (see first_action.hpp). */
#ifndef UPTAKE_FIRST_ACTION_H
#define UPTAKE_FIRST_ACTION_H

#include "uptake/uptake.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Adds the first_action plugin to `config`. `key_actions` (count entries, may be NULL when
 * count is 0) overrides the remote config's key_actions when non-empty. */
UPTAKE_API uptake_status uptake_config_add_first_action(uptake_config* config,
                                                        const char* const* key_actions,
                                                        size_t count) UPTAKE_NOEXCEPT;

#ifdef __cplusplus
}
#endif
#endif
