#pragma once
// One validated event as the collector stores it (PROTOCOL.md's event object).

#include <cstdint>
#include <string>

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

/// "track", "identify" or "group".
const char* event_type_name(EventType type);

}  // namespace uptake::collector
