#include "storage/event.hpp"

namespace uptake::collector {

const char* event_type_name(EventType type) {
  switch (type) {
    case EventType::track:
      return "track";
    case EventType::identify:
      return "identify";
    case EventType::group:
      return "group";
  }
  return "track";
}

}  // namespace uptake::collector
