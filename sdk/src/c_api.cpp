// The C API: uptake.h over uptake::Client. No exception crosses this boundary.

#include <climits>
#include <cstddef>
#include <cstring>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "drop_reasons.hpp"
#include "uptake/c_bridge.hpp"
#include "uptake/client.hpp"
#include "uptake/uptake.h"

struct uptake_config {
  uptake::Config config;
};

struct uptake_client {
  explicit uptake_client(uptake::Config c) : client(std::move(c)) {}
  uptake::Client client;
};

namespace {

// This thread's uptake_last_error(). When even the message cannot be stored (out of memory)
// a fixed text stands in, so reporting an error never throws.
thread_local std::string g_last_error;
thread_local const char* g_fixed_error = nullptr;

uptake_status fail(uptake_status status, std::string_view message) noexcept {
  try {
    g_last_error.assign(message);
    g_fixed_error = nullptr;
  } catch (...) {
    g_fixed_error = "out of memory";
  }
  return status;
}

void clear_error() noexcept {
  g_last_error.clear();
  g_fixed_error = nullptr;
}

// The C props as uptake::Props: on the stack up to kInlineProps (so uptake_track and friends
// keep track()'s no-allocation contract), on the heap beyond. Props without a key or with an
// unknown kind are skipped.
class CProps {
 public:
  CProps(const uptake_prop* props, size_t count) {
    if (!props || count == 0) return;
    if (count > kInlineProps) {
      heap_.reserve(count);
      for (size_t i = 0; i < count; ++i) {
        if (auto p = convert(props[i])) heap_.push_back(*p);
      }
      return;
    }
    for (size_t i = 0; i < count; ++i) {
      if (auto p = convert(props[i]))
        new (inline_ + size_++ * sizeof(uptake::Prop)) uptake::Prop(*p);
    }
  }
  std::span<const uptake::Prop> span() const {
    if (!heap_.empty()) return heap_;
    return {std::launder(reinterpret_cast<const uptake::Prop*>(inline_)), size_};
  }

 private:
  static constexpr size_t kInlineProps = 16;
  static_assert(std::is_trivially_destructible_v<uptake::Prop>);

  static std::optional<uptake::Prop> convert(const uptake_prop& p) {
    if (!p.key) return std::nullopt;
    switch (p.kind) {
      case UPTAKE_PROP_STRING:
        return uptake::Prop{p.key, uptake::PropValue(p.string_value)};
      case UPTAKE_PROP_INT:
        return uptake::Prop{p.key, uptake::PropValue(p.int_value)};
      case UPTAKE_PROP_DOUBLE:
        return uptake::Prop{p.key, uptake::PropValue(p.double_value)};
      case UPTAKE_PROP_BOOL:
        return uptake::Prop{p.key, uptake::PropValue(p.bool_value != 0)};
    }
    return std::nullopt;
  }

  alignas(uptake::Prop) unsigned char inline_[kInlineProps * sizeof(uptake::Prop)];
  size_t size_ = 0;
  std::vector<uptake::Prop> heap_;
};

// uptake_stats is ABI: its size and its fields' order never change silently. A new drop
// reason grows it on purpose (update the count here and say so in the release notes).
static_assert(sizeof(uptake_stats) == 17 * sizeof(uint64_t), "uptake_stats layout is ABI");

void fill_c_stats(const uptake::Stats& s, uptake_stats& out) {
  out = uptake_stats{};
  out.queued = s.queued;
  out.spooled_events = s.spooled_events;
  out.spool_bytes = s.spool_bytes;
  out.sent = s.sent;
  out.batches_sent = s.batches_sent;
  out.retries = s.retries;
  out.rejected_by_collector = s.rejected_by_collector;
#define UPTAKE_DROP_REASON_C_FILL(name, unit, doc) out.dropped_##name = s.dropped_##name;
  UPTAKE_DROP_REASONS(UPTAKE_DROP_REASON_C_FILL)
#undef UPTAKE_DROP_REASON_C_FILL
  out.plugins_disabled = s.plugins_disabled;
  out.config_fetches = s.config_fetches;
}

// The largest double below which every integer is exact (2^53).
constexpr double kMaxExactDouble = 9007199254740992.0;

std::chrono::milliseconds ms(double v) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(v));
}

}  // namespace

namespace uptake {
Config& config_of(uptake_config* config) noexcept {
  return config->config;
}
uptake_status c_api_fail(uptake_status status, const char* message) noexcept {
  return fail(status, message ? message : "");
}
}  // namespace uptake

using uptake::c_api_guard;

extern "C" {

uptake_config* uptake_config_new(void) noexcept {
  try {
    return new uptake_config();
  } catch (...) {
    fail(UPTAKE_ERR_INTERNAL, "out of memory");
    return nullptr;
  }
}

void uptake_config_free(uptake_config* config) noexcept {
  delete config;
}

uptake_status uptake_config_set_string(uptake_config* config, const char* name,
                                       const char* value) noexcept {
  if (!config || !name || !value) return fail(UPTAKE_ERR_INVALID_ARGUMENT, "NULL argument");
  return c_api_guard([&] {
    uptake::Config& c = config->config;
    const std::string_view n(name);
    if (n == "endpoint")
      c.endpoint = value;
    else if (n == "write_key")
      c.write_key = value;
    else if (n == "app_version")
      c.app_version = value;
    else if (n == "data_dir")
      c.data_dir = value;
    else if (n == "tls_ca_file")
      c.tls_ca_file = value;
    else if (n == "default_remote_config")
      c.default_remote_config = value;
    else
      return fail(UPTAKE_ERR_INVALID_ARGUMENT, std::string("unknown string option: ") + name);
    return UPTAKE_OK;
  });
}

uptake_status uptake_config_set_number(uptake_config* config, const char* name,
                                       double value) noexcept {
  if (!config || !name) return fail(UPTAKE_ERR_INVALID_ARGUMENT, "NULL argument");
  return c_api_guard([&] {
    if (value < 0)
      return fail(UPTAKE_ERR_INVALID_CONFIG, std::string(name) + ": must not be negative");
    // Beyond these the conversions below would be undefined (NaN fails every comparison).
    if (!(value <= kMaxExactDouble) ||
        (std::string_view(name) == "compression_level" && value > INT_MAX))
      return fail(UPTAKE_ERR_INVALID_CONFIG, std::string(name) + ": out of range");
    uptake::Config& c = config->config;
    const std::string_view n(name);
    const auto count = static_cast<std::size_t>(value);
    if (n == "flush_interval_ms")
      c.flush_interval_ms = ms(value);
    else if (n == "max_batch_events")
      c.max_batch_events = count;
    else if (n == "max_batch_bytes")
      c.max_batch_bytes = count;
    else if (n == "queue_capacity")
      c.queue_capacity = count;
    else if (n == "max_spool_bytes")
      c.max_spool_bytes = static_cast<std::uint64_t>(value);
    else if (n == "max_spool_age_ms")
      c.max_spool_age_ms = ms(value);
    else if (n == "spool_fsync")
      c.spool_fsync = value != 0;
    else if (n == "session_timeout_ms")
      c.session_timeout_ms = ms(value);
    else if (n == "sample_rate")
      c.sample_rate = value;
    else if (n == "tls_verify")
      c.tls_verify = value != 0;
    else if (n == "connect_timeout_ms")
      c.connect_timeout_ms = ms(value);
    else if (n == "request_timeout_ms")
      c.request_timeout_ms = ms(value);
    else if (n == "retry_base_ms")
      c.retry_base_ms = ms(value);
    else if (n == "retry_cap_ms")
      c.retry_cap_ms = ms(value);
    else if (n == "shutdown_timeout_ms")
      c.shutdown_timeout_ms = ms(value);
    else if (n == "compression_level")
      c.compression_level = static_cast<int>(value);
    else if (n == "config_refresh_interval_ms")
      c.config_refresh_interval_ms = ms(value);
    else if (n == "fetch_remote_config")
      c.fetch_remote_config = value != 0;
    else
      return fail(UPTAKE_ERR_INVALID_ARGUMENT, std::string("unknown numeric option: ") + name);
    return UPTAKE_OK;
  });
}

uptake_status uptake_client_new(const uptake_config* config, uptake_client** out) noexcept {
  if (!out) return fail(UPTAKE_ERR_INVALID_ARGUMENT, "out is NULL");
  *out = nullptr;
  if (!config) return fail(UPTAKE_ERR_INVALID_ARGUMENT, "config is NULL");
  return c_api_guard([&] {
    *out = new uptake_client(config->config);
    clear_error();
    return UPTAKE_OK;
  });
}

void uptake_client_free(uptake_client* client) noexcept {
  delete client;  // ~Client() shuts down within shutdown_timeout_ms and never throws
}

void uptake_track(uptake_client* client, const char* name, const uptake_prop* props,
                  size_t count) noexcept {
  if (!client || !name) return;
  try {
    client->client.track(name, CProps(props, count).span());
  } catch (...) {  // only the heap path of CProps can throw (bad_alloc)
  }
}

void uptake_identify(uptake_client* client, const char* user, const uptake_prop* traits,
                     size_t count) noexcept {
  if (!client || !user) return;
  try {
    client->client.identify(user, CProps(traits, count).span());
  } catch (...) {
  }
}

void uptake_group(uptake_client* client, const char* account, const uptake_prop* traits,
                  size_t count) noexcept {
  if (!client || !account) return;
  try {
    client->client.group(account, CProps(traits, count).span());
  } catch (...) {
  }
}

uptake_status uptake_flush(uptake_client* client, uint32_t timeout_ms) noexcept {
  if (!client) return fail(UPTAKE_ERR_INVALID_ARGUMENT, "client is NULL");
  return client->client.flush(std::chrono::milliseconds(timeout_ms))
             ? UPTAKE_OK
             : fail(UPTAKE_ERR_TIMEOUT, "not everything was delivered in time; it stays spooled");
}

uptake_status uptake_shutdown(uptake_client* client, uint32_t timeout_ms) noexcept {
  if (!client) return fail(UPTAKE_ERR_INVALID_ARGUMENT, "client is NULL");
  return client->client.shutdown(std::chrono::milliseconds(timeout_ms))
             ? UPTAKE_OK
             : fail(UPTAKE_ERR_TIMEOUT, "not everything was delivered in time; it stays spooled");
}

uptake_status uptake_set_opt_out(uptake_client* client, int opt_out) noexcept {
  if (!client) return fail(UPTAKE_ERR_INVALID_ARGUMENT, "client is NULL");
  client->client.set_opt_out(opt_out != 0);
  return UPTAKE_OK;
}

uptake_status uptake_get_stats(const uptake_client* client, uptake_stats* out) noexcept {
  if (!client || !out) return fail(UPTAKE_ERR_INVALID_ARGUMENT, "NULL argument");
  fill_c_stats(client->client.stats(), *out);
  return UPTAKE_OK;
}

uptake_status uptake_anonymous_id(const uptake_client* client, char* buf, size_t len) noexcept {
  if (!client || !buf) return fail(UPTAKE_ERR_INVALID_ARGUMENT, "NULL argument");
  return c_api_guard([&] {
    const std::string id = client->client.anonymous_id();
    if (len < id.size() + 1) return fail(UPTAKE_ERR_INVALID_ARGUMENT, "buffer too small");
    std::memcpy(buf, id.c_str(), id.size() + 1);
    return UPTAKE_OK;
  });
}

const char* uptake_last_error(void) noexcept {
  return g_fixed_error ? g_fixed_error : g_last_error.c_str();
}

}  // extern "C"
