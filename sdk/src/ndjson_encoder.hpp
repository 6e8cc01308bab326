#pragma once
// Turns queued events into PROTOCOL.md's NDJSON lines, appending to a batch buffer: `track`
// with its name, `identify` with the new user, `group` with the account; traits and props
// alike go to `props`.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "event_id.hpp"
#include "event_record.hpp"
#include "uptake_common/protocol_limits.hpp"

namespace uptake::detail {

/// Who and where an event happened: the fields the background thread adds to every event.
struct EventContext {
  std::string_view anon;
  std::string_view user;     // empty: not identified
  std::string_view session;  // empty: none
  std::string_view app_version;
};

class NdjsonEncoder {
 public:
  explicit NdjsonEncoder(std::uint64_t run_random) : ids_(run_random) {}

  /// Appends one line for `record` to `out`. Returns false (and leaves `out` as it was) when
  /// the event breaks a PROTOCOL.md limit once encoded.
  bool append(std::string& out, const EventRecord& record, const EventContext& context);

 private:
  EventIdGenerator ids_;
};

}  // namespace uptake::detail
