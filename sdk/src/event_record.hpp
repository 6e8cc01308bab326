#pragma once
// The form an event takes between track() and the background thread: a timestamp plus the
// name and props packed into one flat buffer, inline when small so track() never allocates.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "sdk_limits.hpp"
#include "uptake/props.hpp"

namespace uptake::detail {

/// PROTOCOL.md's event types. The packed payload's name slot holds the event name (track),
/// the user id (identify) or the account (group).
enum class EventKind : std::uint8_t { track, identify, group };

struct EventRecord {
  std::int64_t ts_ms = 0;
  char* heap = nullptr;  // owned; set when the payload does not fit inline
  std::uint32_t size = 0;
  EventKind kind = EventKind::track;
  std::array<char, kInlinePayloadBytes> inline_bytes;

  const char* data() const { return heap ? heap : inline_bytes.data(); }
  void release() {
    delete[] heap;
    heap = nullptr;
  }
};

/// Bytes pack_payload() writes for this name and props.
std::size_t packed_size(std::string_view name, std::span<const Prop> props) noexcept;
/// Writes name and props into `out` (at least packed_size() bytes).
void pack_payload(char* out, std::string_view name, std::span<const Prop> props) noexcept;

/// One prop read back from a packed payload; views point into the payload.
struct PackedProp {
  std::string_view key;
  PropValue::Kind kind;
  std::string_view string;
  std::int64_t integer = 0;
  double number = 0;
  bool boolean = false;
};

/// Reads a payload packed by pack_payload(). Trusts its input (it is our own).
class PackedReader {
 public:
  explicit PackedReader(const char* data);
  std::string_view name() const { return name_; }
  std::size_t prop_count() const { return count_; }
  PackedProp next_prop();

 private:
  const char* cursor_;
  std::string_view name_;
  std::size_t count_ = 0;
};

}  // namespace uptake::detail
