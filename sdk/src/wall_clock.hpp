#pragma once
// The system's wall clock in PROTOCOL.md's unit. Event times use Config::clock when the app
// injects one; spool record times, Uptake-Sent-At and spool expiry always use this one.

#include <chrono>
#include <cstdint>

namespace uptake::detail {

/// Milliseconds since the Unix epoch, UTC.
inline std::int64_t now_unix_ms() noexcept {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace uptake::detail
