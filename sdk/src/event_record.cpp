#include "event_record.hpp"

#include <cstring>

namespace uptake::detail {
namespace {

template <typename T>
char* put(char* out, T value) {
  std::memcpy(out, &value, sizeof value);
  return out + sizeof value;
}

char* put_bytes(char* out, std::string_view s) {
  out = put(out, static_cast<std::uint32_t>(s.size()));
  if (!s.empty()) std::memcpy(out, s.data(), s.size());
  return out + s.size();
}

template <typename T>
T get(const char*& in) {
  T value;
  std::memcpy(&value, in, sizeof value);
  in += sizeof value;
  return value;
}

std::string_view get_bytes(const char*& in) {
  auto size = get<std::uint32_t>(in);
  std::string_view s(in, size);
  in += size;
  return s;
}

}  // namespace

std::size_t packed_size(std::string_view name, std::span<const Prop> props) noexcept {
  std::size_t size = 4 + name.size() + 2;
  for (const Prop& p : props) {
    size += 1 + 4 + p.key.size();
    switch (p.value.kind()) {
      case PropValue::Kind::string:
        size += 4 + p.value.as_string().size();
        break;
      case PropValue::Kind::integer:
      case PropValue::Kind::number:
        size += 8;
        break;
      case PropValue::Kind::boolean:
        size += 1;
        break;
    }
  }
  return size;
}

void pack_payload(char* out, std::string_view name, std::span<const Prop> props) noexcept {
  out = put_bytes(out, name);
  out = put(out, static_cast<std::uint16_t>(props.size()));
  for (const Prop& p : props) {
    out = put(out, static_cast<std::uint8_t>(p.value.kind()));
    out = put_bytes(out, p.key);
    switch (p.value.kind()) {
      case PropValue::Kind::string:
        out = put_bytes(out, p.value.as_string());
        break;
      case PropValue::Kind::integer:
        out = put(out, p.value.as_integer());
        break;
      case PropValue::Kind::number:
        out = put(out, p.value.as_number());
        break;
      case PropValue::Kind::boolean:
        out = put(out, static_cast<std::uint8_t>(p.value.as_boolean()));
        break;
    }
  }
}

PackedReader::PackedReader(const char* data) : cursor_(data) {
  name_ = get_bytes(cursor_);
  count_ = get<std::uint16_t>(cursor_);
}

PackedProp PackedReader::next_prop() {
  PackedProp p;
  p.kind = static_cast<PropValue::Kind>(get<std::uint8_t>(cursor_));
  p.key = get_bytes(cursor_);
  switch (p.kind) {
    case PropValue::Kind::string:
      p.string = get_bytes(cursor_);
      break;
    case PropValue::Kind::integer:
      p.integer = get<std::int64_t>(cursor_);
      break;
    case PropValue::Kind::number:
      p.number = get<double>(cursor_);
      break;
    case PropValue::Kind::boolean:
      p.boolean = get<std::uint8_t>(cursor_) != 0;
      break;
  }
  return p;
}

}  // namespace uptake::detail
