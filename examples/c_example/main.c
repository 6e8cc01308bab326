/* The C API in use: the plugins, a few features, identify, group, a tip clicked, a survey
 * answered (after a refused score), flush, stats.
 * Usage: uptake_c_example ENDPOINT DATA_DIR [CA_FILE] */
#include <stdio.h>
#include <string.h>

#include "uptake/feature_tips.h"
#include "uptake/first_action.h"
#include "uptake/surveys.h"
#include "uptake/uptake.h"

/* The tips and surveys the app ships with, used until /v1/config answers. */
static const char* kDefaultConfig =
    "{\"key_actions\":[\"c_feature\"],"
    "\"tips\":[{\"id\":\"tip-c-export\",\"feature\":\"c_export\",\"title\":\"Export\","
    "\"body\":\"Try exporting your work.\"}],"
    "\"surveys\":[{\"id\":\"csat-c\",\"kind\":\"csat\",\"question\":\"Happy with it?\","
    "\"priority\":10}],"
    "\"limits\":{\"max_tips_per_session\":1}}";

static char g_shown_tip[64];
static char g_asked_survey[64];

/* Runs on the SDK's thread: a real app would post this to its UI loop. */
static void present_tip(const char* tip_id, const char* feature, const char* title,
                        const char* body, void* user_data) {
  (void)feature;
  (void)user_data;
  printf("tip: %s - %s\n", title, body);
  strncpy(g_shown_tip, tip_id, sizeof g_shown_tip - 1);
}

/* Runs on the SDK's thread, like present_tip. */
static void ask_survey(const char* survey_id, uptake_survey_kind kind, const char* question,
                       const char* const* choices, size_t choice_count, int min_score,
                       int max_score, void* user_data) {
  (void)kind;
  (void)choices;
  (void)choice_count;
  (void)user_data;
  printf("survey: %s (%d..%d)\n", question, min_score, max_score);
  strncpy(g_asked_survey, survey_id, sizeof g_asked_survey - 1);
}

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s ENDPOINT DATA_DIR [CA_FILE]\n", argv[0]);
    return 2;
  }
  uptake_config* config = uptake_config_new();
  uptake_config_set_string(config, "endpoint", argv[1]);
  uptake_config_set_string(config, "write_key", "wk_test");
  uptake_config_set_string(config, "data_dir", argv[2]);
  uptake_config_set_string(config, "app_version", "c-1.0");
  uptake_config_set_string(config, "default_remote_config", kDefaultConfig);
  if (argc > 3) uptake_config_set_string(config, "tls_ca_file", argv[3]);
  uptake_config_set_number(config, "flush_interval_ms", 100);
  const char* key_actions[] = {"c_feature"}; /* set by the app: independent of the remote config */
  uptake_config_add_first_action(config, key_actions, 1);
  uptake_feature_tips* tips = uptake_feature_tips_new(present_tip, NULL);
  uptake_config_add_feature_tips(config, tips);
  uptake_surveys* surveys = uptake_surveys_new(ask_survey, NULL);
  uptake_config_add_surveys(config, surveys);

  uptake_client* client = NULL;
  if (uptake_client_new(config, &client) != UPTAKE_OK) {
    fprintf(stderr, "uptake: %s\n", uptake_last_error());
    uptake_config_free(config);
    uptake_feature_tips_free(tips);
    uptake_surveys_free(surveys);
    return 1;
  }
  uptake_config_free(config);

  uptake_prop props[2] = {{.key = "format", .kind = UPTAKE_PROP_STRING, .string_value = "pdf"},
                          {.key = "pages", .kind = UPTAKE_PROP_INT, .int_value = 12}};
  for (int i = 0; i < 3; ++i) uptake_track(client, "c_feature", props, 2);
  uptake_prop trait = {.key = "plan", .kind = UPTAKE_PROP_STRING, .string_value = "team"};
  uptake_identify(client, "c-user-1", &trait, 1);
  /* The signed-in user's workspace is known: put them in that customer account. */
  uptake_prop account_traits[2] = {
      {.key = "plan", .kind = UPTAKE_PROP_STRING, .string_value = "enterprise"},
      {.key = "seats", .kind = UPTAKE_PROP_INT, .int_value = 40}};
  uptake_group(client, "c-account-1", account_traits, 2);

  uptake_status status = uptake_flush(client, 10000);
  if (g_shown_tip[0]) {
    uptake_tip_clicked(tips, g_shown_tip);
    status = uptake_flush(client, 10000);
  }
  if (g_asked_survey[0]) {
    /* A CSAT score is 1..5: 7 is refused (and never sent), 4 is recorded. */
    if (uptake_survey_answer_score(surveys, g_asked_survey, 7) != UPTAKE_SURVEY_OK)
      printf("refused: %s\n", uptake_last_error());
    if (uptake_survey_answer_score(surveys, g_asked_survey, 4) == UPTAKE_SURVEY_OK)
      status = uptake_flush(client, 10000);
  }
  char reason[256];
  int would_show = 0;
  uptake_tip_explain(tips, "tip-c-export", reason, sizeof reason, &would_show);
  printf("explain tip-c-export: %s\n", reason);

  uptake_stats stats;
  uptake_get_stats(client, &stats);
  printf("sent=%llu dropped_invalid=%llu retries=%llu\n", (unsigned long long)stats.sent,
         (unsigned long long)stats.dropped_invalid, (unsigned long long)stats.retries);
  uptake_client_free(client);
  uptake_feature_tips_free(tips);
  uptake_surveys_free(surveys);
  return status == UPTAKE_OK ? 0 : 1;
}
