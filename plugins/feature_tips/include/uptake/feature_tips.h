/* feature_tips for C: on-device feature-discovery tips (see feature_tips.hpp). */
#ifndef UPTAKE_FEATURE_TIPS_H
#define UPTAKE_FEATURE_TIPS_H

#include "uptake/uptake.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct uptake_feature_tips uptake_feature_tips;

/* Called on the SDK's background thread when a tip should show: copy what you need, hand it
 * to your UI thread, return quickly. Strings are valid only during the call. */
typedef void (*uptake_tip_presenter)(const char* tip_id, const char* feature, const char* title,
                                     const char* body, void* user_data);

typedef enum uptake_dismissal {
  UPTAKE_DISMISS_CLOSE = 0,  /* dismissed this time */
  UPTAKE_DISMISS_SNOOZE = 1, /* not again for snooze_hours */
  UPTAKE_DISMISS_FOREVER = 2 /* don't show again */
} uptake_dismissal;

/* A new tips plugin; NULL on failure. Add it with uptake_config_add_feature_tips, keep the
 * handle to report clicks and dismissals, free it after the client. */
UPTAKE_API uptake_feature_tips* uptake_feature_tips_new(uptake_tip_presenter presenter,
                                                        void* user_data) UPTAKE_NOEXCEPT;
UPTAKE_API void uptake_feature_tips_free(uptake_feature_tips* tips) UPTAKE_NOEXCEPT;
/* Registers the plugin with `config` (the config shares ownership). */
UPTAKE_API uptake_status uptake_config_add_feature_tips(uptake_config* config,
                                                        uptake_feature_tips* tips) UPTAKE_NOEXCEPT;
/* The user clicked tip `tip_id`. Any thread. */
UPTAKE_API uptake_status uptake_tip_clicked(uptake_feature_tips* tips,
                                            const char* tip_id) UPTAKE_NOEXCEPT;
/* The user dismissed tip `tip_id` (snooze_hours is used with UPTAKE_DISMISS_SNOOZE). */
UPTAKE_API uptake_status uptake_tip_dismissed(uptake_feature_tips* tips, const char* tip_id,
                                              uptake_dismissal how,
                                              int snooze_hours) UPTAKE_NOEXCEPT;
/* Why the tip would or would not show now: the reason into buf (NUL-terminated, truncated to
 * len), and *would_show (may be NULL) set to 1 or 0. */
UPTAKE_API uptake_status uptake_tip_explain(uptake_feature_tips* tips, const char* tip_id,
                                            char* buf, size_t len, int* would_show) UPTAKE_NOEXCEPT;

#ifdef __cplusplus
}
#endif
#endif
