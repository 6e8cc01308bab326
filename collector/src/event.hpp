#pragma once
// One validated event as the collector stores it.

#include <cstdint>
#include <string>

namespace uptake::collector {

enum class EventType : std::uint8_t { track = 0, identify = 1 };

struct Event {
  std::string id;
  EventType type = EventType::track;
  std::string name;  // empty for identify
  std::string anon;
  std::string user;  // empty: none
  std::string session;
  std::string app_version;
  std::string props;             // raw JSON object text, or empty
  std::int64_t ts = 0;           // skew-corrected time (ms)
  std::int64_t client_ts = 0;    // as the client sent it
  std::int64_t received_at = 0;  // collector clock
};

}  // namespace uptake::collector
