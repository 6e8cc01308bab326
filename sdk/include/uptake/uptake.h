/* Uptake C API: the C++ client behind an opaque handle, for C and every other language.
 *
 * Every function is safe to call from any thread. Functions that can fail return an
 * uptake_status; uptake_track, uptake_identify and uptake_group never block and never fail
 * loudly (a dropped event is counted in uptake_stats instead) and, like the C++ calls, copy a
 * small event (up to 16 props, 224 bytes of name and props) without allocating. Strings are
 * UTF-8, copied before return.
 *
 * No C++ exception crosses this API: every entry point catches everything and returns an
 * error code (the void ones drop and count the event).
 *
 * ABI: with the bundled plugins' feature_tips.h, first_action.h and surveys.h, this is the
 * stable binary interface of libuptake.so.1: struct layouts, enum values and signatures do not
 * change within one SONAME (sdk/abi/README.md says what is exported and how that is checked). */
#ifndef UPTAKE_UPTAKE_H
#define UPTAKE_UPTAKE_H

#include <stddef.h>
#include <stdint.h>

#include "uptake/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum uptake_status {
  UPTAKE_OK = 0,
  UPTAKE_ERR_INVALID_ARGUMENT = 1, /* a NULL handle or pointer where one is required */
  UPTAKE_ERR_INVALID_CONFIG = 2,   /* uptake_last_error() names the field */
  UPTAKE_ERR_IO = 3,               /* the data directory cannot be used */
  UPTAKE_ERR_TIMEOUT = 4,          /* flush/shutdown ran out of time; events stay spooled */
  UPTAKE_ERR_INTERNAL = 5
} uptake_status;

typedef struct uptake_client uptake_client;
typedef struct uptake_config uptake_config;

typedef enum uptake_prop_kind {
  UPTAKE_PROP_STRING = 0,
  UPTAKE_PROP_INT = 1,
  UPTAKE_PROP_DOUBLE = 2,
  UPTAKE_PROP_BOOL = 3
} uptake_prop_kind;

/* One event property; `key` and `string_value` are NUL-terminated UTF-8. */
typedef struct uptake_prop {
  const char* key;
  uptake_prop_kind kind;
  const char* string_value;
  int64_t int_value;
  double double_value;
  int bool_value;
} uptake_prop;

typedef struct uptake_stats {
  uint64_t queued, spooled_events, spool_bytes, sent, batches_sent, retries, rejected_by_collector;
  uint64_t dropped_queue_full, dropped_invalid, dropped_client_error, dropped_too_large,
      dropped_spool_full, dropped_spool_age, dropped_spool_corrupt, dropped_shutdown;
  uint64_t plugins_disabled, config_fetches;
} uptake_stats;

/* A new config with the defaults of uptake::Config; free with uptake_config_free. */
UPTAKE_API uptake_config* uptake_config_new(void) UPTAKE_NOEXCEPT;
UPTAKE_API void uptake_config_free(uptake_config* config) UPTAKE_NOEXCEPT;
/* Sets a string option: "endpoint", "write_key", "app_version", "data_dir", "tls_ca_file",
 * "default_remote_config" (JSON used until /v1/config answers).
 * Returns UPTAKE_ERR_INVALID_ARGUMENT for an unknown name. */
UPTAKE_API uptake_status uptake_config_set_string(uptake_config* config, const char* name,
                                                  const char* value) UPTAKE_NOEXCEPT;
/* Sets a numeric option (milliseconds for *_ms, counts, bytes, 0/1 for flags):
 * "flush_interval_ms", "max_batch_events", "max_batch_bytes", "queue_capacity",
 * "max_spool_bytes", "max_spool_age_ms", "spool_fsync", "session_timeout_ms", "tls_verify",
 * "connect_timeout_ms", "request_timeout_ms", "retry_base_ms", "retry_cap_ms",
 * "shutdown_timeout_ms", "compression_level", "config_refresh_interval_ms",
 * "fetch_remote_config"; "sample_rate" takes a value in (0, 1]. Negative, NaN and values the
 * option cannot hold (beyond 2^53) are UPTAKE_ERR_INVALID_CONFIG. */
UPTAKE_API uptake_status uptake_config_set_number(uptake_config* config, const char* name,
                                                  double value) UPTAKE_NOEXCEPT;

/* Creates a client and starts its background thread; *out is NULL on failure. */
UPTAKE_API uptake_status uptake_client_new(const uptake_config* config,
                                           uptake_client** out) UPTAKE_NOEXCEPT;
/* Shuts down (bounded by shutdown_timeout_ms) and frees. NULL is ignored. */
UPTAKE_API void uptake_client_free(uptake_client* client) UPTAKE_NOEXCEPT;

/* Records a use of feature `name` with `count` props (props may be NULL when count is 0). */
UPTAKE_API void uptake_track(uptake_client* client, const char* name, const uptake_prop* props,
                             size_t count) UPTAKE_NOEXCEPT;
/* Ties the install to `user` and sends an identify event with `traits`. */
UPTAKE_API void uptake_identify(uptake_client* client, const char* user, const uptake_prop* traits,
                                size_t count) UPTAKE_NOEXCEPT;
/* Puts the install's person in customer account `account` (1..128 bytes; persisted, and what
 * plugins see as the account from now on) and sends a group event with the account's `traits`
 * (at most 8 KiB as JSON; traits may be NULL when count is 0). An invalid account or oversized
 * traits drop the event and count it in dropped_invalid. */
UPTAKE_API void uptake_group(uptake_client* client, const char* account, const uptake_prop* traits,
                             size_t count) UPTAKE_NOEXCEPT;
/* Waits up to timeout_ms for delivery of everything recorded so far. */
UPTAKE_API uptake_status uptake_flush(uptake_client* client, uint32_t timeout_ms) UPTAKE_NOEXCEPT;
/* Stops recording and delivers what it can within timeout_ms; the rest stays spooled. */
UPTAKE_API uptake_status uptake_shutdown(uptake_client* client,
                                         uint32_t timeout_ms) UPTAKE_NOEXCEPT;
/* 1 opts out (stops recording, purges queue and spool), 0 opts back in. */
UPTAKE_API uptake_status uptake_set_opt_out(uptake_client* client, int opt_out) UPTAKE_NOEXCEPT;
UPTAKE_API uptake_status uptake_get_stats(const uptake_client* client,
                                          uptake_stats* out) UPTAKE_NOEXCEPT;
/* Copies the install's anonymous id (NUL-terminated) into buf of size len (>= 37). */
UPTAKE_API uptake_status uptake_anonymous_id(const uptake_client* client, char* buf,
                                             size_t len) UPTAKE_NOEXCEPT;
/* The last error message of this thread (never NULL; "" when none). */
UPTAKE_API const char* uptake_last_error(void) UPTAKE_NOEXCEPT;

#ifdef __cplusplus
}
#endif
#endif /* UPTAKE_UPTAKE_H */
