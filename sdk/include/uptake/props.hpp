#pragma once
// Event properties as the app passes them to track(): views, copied before track() returns.

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

namespace uptake {

/// One property value: a string, integer, floating point number or boolean.
class PropValue {
 public:
  enum class Kind : std::uint8_t { string, integer, number, boolean };

  PropValue(std::string_view s) : kind_(Kind::string), string_(s) {}
  PropValue(const std::string& s) : kind_(Kind::string), string_(s) {}
  PropValue(const char* s) : kind_(Kind::string), string_(s ? s : "") {}
  PropValue(bool b) : kind_(Kind::boolean), boolean_(b) {}
  template <std::integral T>
  requires(!std::same_as<T, bool>) PropValue(T i)
      : kind_(Kind::integer), integer_(static_cast<std::int64_t>(i)) {}
  template <std::floating_point T>
  PropValue(T d) : kind_(Kind::number), number_(static_cast<double>(d)) {}

  Kind kind() const { return kind_; }
  std::string_view as_string() const { return string_; }
  std::int64_t as_integer() const { return integer_; }
  double as_number() const { return number_; }
  bool as_boolean() const { return boolean_; }

 private:
  Kind kind_;
  std::string_view string_;
  std::int64_t integer_ = 0;
  double number_ = 0;
  bool boolean_ = false;
};

/// A key/value pair of an event's `props` (or of identify's traits).
struct Prop {
  std::string_view key;
  PropValue value;
};

}  // namespace uptake
