#pragma once
// For plugin libraries that add their own C functions on top of uptake.h: the C++ objects
// behind the C API's opaque handles, and the guard every C entry point runs its body in.
// App code does not need this header.

#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string_view>
#include <system_error>

#include "uptake/config.hpp"
#include "uptake/export.h"
#include "uptake/uptake.h"

namespace uptake {

/// The Config behind a handle from uptake_config_new(); valid while the handle lives.
UPTAKE_API Config& config_of(uptake_config* config) noexcept;
/// Records `message` as this thread's uptake_last_error() and returns `status`. Never throws
/// (out of memory, it keeps a fixed message instead).
UPTAKE_API uptake_status c_api_fail(uptake_status status, const char* message) noexcept;

/// Runs `body` (which returns an uptake_status) and turns every exception it throws into an
/// error code with its message for uptake_last_error(), so no exception reaches C: a bad
/// config is UPTAKE_ERR_INVALID_CONFIG, a filesystem or system error UPTAKE_ERR_IO, anything
/// else (out of memory included) UPTAKE_ERR_INTERNAL.
/// Copies `text` into the caller's buffer of `len` (> 0) bytes, cut to fit, NUL-terminated: how
/// the C API hands back a sentence (an explanation, an error).
inline void copy_to_c_buffer(std::string_view text, char* buf, size_t len) noexcept {
  const size_t n = std::min(len - 1, text.size());
  std::memcpy(buf, text.data(), n);
  buf[n] = '\0';
}

template <class Body>
uptake_status c_api_guard(Body&& body) noexcept {
  try {
    return body();
  } catch (const ConfigError& e) {
    return c_api_fail(UPTAKE_ERR_INVALID_CONFIG, e.what());
  } catch (const std::bad_alloc&) {
    return c_api_fail(UPTAKE_ERR_INTERNAL, "out of memory");
  } catch (const std::system_error& e) {
    return c_api_fail(UPTAKE_ERR_IO, e.what());
  } catch (const std::exception& e) {
    return c_api_fail(UPTAKE_ERR_INTERNAL, e.what());
  } catch (...) {
    return c_api_fail(UPTAKE_ERR_INTERNAL, "unknown error");
  }
}

}  // namespace uptake
