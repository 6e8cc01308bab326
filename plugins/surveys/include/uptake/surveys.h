/* surveys for C: in-app micro-surveys (NPS, CSAT, one choice question) decided on the device
 * and shown within the attention budget shared with every prompt (see surveys.hpp). Like
 * uptake.h, part of libuptake.so.1's stable ABI; no exception crosses these functions. */
#ifndef UPTAKE_SURVEYS_H
#define UPTAKE_SURVEYS_H

#include "uptake/uptake.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct uptake_surveys uptake_surveys;

typedef enum uptake_survey_kind {
  UPTAKE_SURVEY_NPS = 0,   /* a score from 0 to 10 */
  UPTAKE_SURVEY_CSAT = 1,  /* a score from 1 to 5 */
  UPTAKE_SURVEY_CHOICE = 2 /* one of `choices` */
} uptake_survey_kind;

/* What uptake_survey_answer_score, uptake_survey_answer_choice and uptake_survey_dismissed
 * did. Anything but UPTAKE_SURVEY_OK recorded nothing; uptake_last_error() then says why. */
typedef enum uptake_survey_status {
  UPTAKE_SURVEY_OK = 0,                     /* recorded: on its way to the collector */
  UPTAKE_SURVEY_ERR_INVALID_ARGUMENT = 1,   /* a NULL handle or string */
  UPTAKE_SURVEY_ERR_NOT_RUNNING = 2,        /* the plugin's client is not running */
  UPTAKE_SURVEY_ERR_UNKNOWN_SURVEY = 3,     /* no such survey in the current config */
  UPTAKE_SURVEY_ERR_WRONG_KIND = 4,         /* a score for a choice survey or vice versa */
  UPTAKE_SURVEY_ERR_SCORE_OUT_OF_RANGE = 5, /* nps takes 0..10, csat 1..5 */
  UPTAKE_SURVEY_ERR_UNKNOWN_CHOICE = 6,     /* not one of the survey's choices */
  UPTAKE_SURVEY_ERR_ALREADY_ANSWERED = 7,   /* this install answered it before */
  UPTAKE_SURVEY_ERR_INTERNAL = 8            /* a failure inside (out of memory) */
} uptake_survey_status;

/* Called on the SDK's background thread when a survey should be asked: copy what you need,
 * hand it to your UI thread, return quickly. `choices` has `choice_count` entries (0 unless
 * kind is UPTAKE_SURVEY_CHOICE); scores run from min_score to max_score. Strings and the array
 * are valid only during the call. */
typedef void (*uptake_survey_presenter)(const char* survey_id, uptake_survey_kind kind,
                                        const char* question, const char* const* choices,
                                        size_t choice_count, int min_score, int max_score,
                                        void* user_data);

/* A new surveys plugin; NULL on failure. Add it with uptake_config_add_surveys, keep the
 * handle to report answers, free it after the client. */
UPTAKE_API uptake_surveys* uptake_surveys_new(uptake_survey_presenter presenter,
                                              void* user_data) UPTAKE_NOEXCEPT;
UPTAKE_API void uptake_surveys_free(uptake_surveys* surveys) UPTAKE_NOEXCEPT;
/* Registers the plugin with `config` (the config shares ownership). */
UPTAKE_API uptake_status uptake_config_add_surveys(uptake_config* config,
                                                   uptake_surveys* surveys) UPTAKE_NOEXCEPT;
/* The person answered nps/csat survey `survey_id` with `score`. Any thread. */
UPTAKE_API uptake_survey_status uptake_survey_answer_score(uptake_surveys* surveys,
                                                           const char* survey_id,
                                                           int64_t score) UPTAKE_NOEXCEPT;
/* The person answered choice survey `survey_id` with `choice`. Any thread. */
UPTAKE_API uptake_survey_status uptake_survey_answer_choice(uptake_surveys* surveys,
                                                            const char* survey_id,
                                                            const char* choice) UPTAKE_NOEXCEPT;
/* The person closed survey `survey_id` without answering. Any thread. */
UPTAKE_API uptake_survey_status uptake_survey_dismissed(uptake_surveys* surveys,
                                                        const char* survey_id) UPTAKE_NOEXCEPT;
/* Why the survey would or would not be asked now: the reason into buf (NUL-terminated,
 * truncated to len), and *would_show (may be NULL) set to 1 or 0. */
UPTAKE_API uptake_status uptake_survey_explain(uptake_surveys* surveys, const char* survey_id,
                                               char* buf, size_t len,
                                               int* would_show) UPTAKE_NOEXCEPT;

#ifdef __cplusplus
}
#endif
#endif
