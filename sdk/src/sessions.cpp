#include "sessions.hpp"

namespace uptake::detail {

bool starts_new_session(bool has_session, std::int64_t last_event_ms, std::int64_t ts_ms,
                        std::int64_t timeout_ms) {
  const bool expired = ts_ms - last_event_ms > timeout_ms;
  const bool clock_went_back = last_event_ms - ts_ms > timeout_ms;
  return !has_session || expired || clock_went_back;
}

bool Sessions::advance(InstallState& state, std::int64_t ts_ms) {
  const bool clock_went_back = state.last_event_ms - ts_ms > timeout_ms_;
  const bool started =
      starts_new_session(!state.session.empty(), state.last_event_ms, ts_ms, timeout_ms_);
  if (started) state.session = ids_.next(ts_ms);
  // Small steps back (clock adjustments) keep the latest time, so they cannot end a session.
  if (ts_ms > state.last_event_ms || clock_went_back) state.last_event_ms = ts_ms;
  return started;
}

EventRecord session_start_record(std::int64_t ts_ms) {
  EventRecord start;
  start.ts_ms = ts_ms;
  start.kind = EventKind::track;
  start.size = static_cast<std::uint32_t>(packed_size(kSessionStartEvent, {}));
  pack_payload(start.inline_bytes.data(), kSessionStartEvent, {});
  return start;
}

}  // namespace uptake::detail
