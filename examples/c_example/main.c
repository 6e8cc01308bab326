/* The C API in use: track a few features, identify, flush, print the stats.
 * Usage: uptake_c_example ENDPOINT DATA_DIR [CA_FILE] */
#include <stdio.h>

#include "uptake/uptake.h"

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
  if (argc > 3) uptake_config_set_string(config, "tls_ca_file", argv[3]);
  uptake_config_set_number(config, "flush_interval_ms", 100);

  uptake_client* client = NULL;
  if (uptake_client_new(config, &client) != UPTAKE_OK) {
    fprintf(stderr, "uptake: %s\n", uptake_last_error());
    uptake_config_free(config);
    return 1;
  }
  uptake_config_free(config);

  uptake_prop props[2] = {{.key = "format", .kind = UPTAKE_PROP_STRING, .string_value = "pdf"},
                          {.key = "pages", .kind = UPTAKE_PROP_INT, .int_value = 12}};
  for (int i = 0; i < 3; ++i) uptake_track(client, "c_feature", props, 2);
  uptake_prop trait = {.key = "plan", .kind = UPTAKE_PROP_STRING, .string_value = "team"};
  uptake_identify(client, "c-user-1", &trait, 1);

  const uptake_status status = uptake_flush(client, 10000);
  uptake_stats stats;
  uptake_get_stats(client, &stats);
  printf("sent=%llu dropped_invalid=%llu retries=%llu\n", (unsigned long long)stats.sent,
         (unsigned long long)stats.dropped_invalid, (unsigned long long)stats.retries);
  uptake_client_free(client);
  return status == UPTAKE_OK ? 0 : 1;
}
