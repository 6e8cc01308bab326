#pragma once
// One stored event as a JSON object: the PROTOCOL.md event fields plus what the collector
// added (app, client_ts as sent, received_at). Used by `uptake-collector export`.

#include <string>

#include "storage/event.hpp"

namespace uptake::collector {

/// Appends `e` of `app` as one JSON object (no newline). Props are the stored JSON text.
void append_event_json(std::string& out, const std::string& app, const Event& e);

}  // namespace uptake::collector
