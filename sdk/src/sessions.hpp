#pragma once
// Sessions: a gap without events longer than session_timeout_ms starts a new one, announced
// by a `$session_start` event. The session and the time of the last event are part of the
// install state, so a quick restart continues the session. Background thread only.

#include <chrono>
#include <cstdint>
#include <string_view>

#include "event_id.hpp"
#include "event_record.hpp"
#include "install_state.hpp"

namespace uptake::detail {

inline constexpr std::string_view kSessionStartEvent = "$session_start";

/// Whether an event at `ts_ms` starts a new session: there is none yet, the last event was
/// more than `timeout_ms` before it, or the clock went back by more than `timeout_ms`.
bool starts_new_session(bool has_session, std::int64_t last_event_ms, std::int64_t ts_ms,
                        std::int64_t timeout_ms);

class Sessions {
 public:
  /// `id_seed` seeds the session ids (time-ordered, like event ids).
  Sessions(std::chrono::milliseconds timeout, std::uint64_t id_seed)
      : timeout_ms_(timeout.count()), ids_(id_seed) {}

  /// Moves `state` to an event at `ts_ms`: a new session id when one starts (returns true),
  /// and last_event_ms forward (or back, when the clock went back past the timeout).
  bool advance(InstallState& state, std::int64_t ts_ms);

 private:
  std::int64_t timeout_ms_;
  EventIdGenerator ids_;
};

/// The `$session_start` event at `ts_ms` (inline: never allocates).
EventRecord session_start_record(std::int64_t ts_ms);

}  // namespace uptake::detail
