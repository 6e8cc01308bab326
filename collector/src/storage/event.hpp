#pragma once
// One validated event as the collector stores it (PROTOCOL.md's event object).

#include <cstdint>
#include <string>
#include <string_view>

namespace uptake::collector {

/// The stored values are part of the storage formats: never renumber.
enum class EventType : std::uint8_t { track = 0, identify = 1, group = 2 };

struct Event {
  std::string id;
  EventType type = EventType::track;
  std::string name;  // empty for identify and group
  std::string anon;
  std::string user;     // empty: none
  std::string account;  // group only: the account the person joins
  std::string session;
  std::string app_version;
  std::string props;             // minified JSON object text, or empty
  std::int64_t ts = 0;           // skew-corrected time (ms)
  std::int64_t client_ts = 0;    // as the client sent it
  std::int64_t received_at = 0;  // collector clock
};

/// An event's fields as views (of an Event, or of a decoded block), so code that only reads
/// events (the activity index, replays of millions of stored events) copies nothing.
struct EventView {
  std::string_view id, name, anon, user, account, session, app_version, props;
  EventType type = EventType::track;
  std::int64_t ts = 0;  // skew-corrected (ms)
};

inline EventView view_of(const Event& e) {
  return {e.id, e.name, e.anon, e.user, e.account, e.session, e.app_version, e.props, e.type, e.ts};
}

/// "track", "identify" or "group".
const char* event_type_name(EventType type);

}  // namespace uptake::collector
