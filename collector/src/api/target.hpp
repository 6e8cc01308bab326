#pragma once
// The request target: its path and its query parameters, percent-decoded strictly (a '%' must
// be followed by exactly two hex digits; anything else makes the target invalid).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uptake::collector {

struct Target {
  std::string path;                                        // decoded
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order, '+' is ' '

  /// The value of the first parameter called `name`.
  [[nodiscard]] std::optional<std::string> param(std::string_view name) const;
};

/// Splits and decodes "path?query". nullopt when a percent escape is malformed, a decoded
/// byte is NUL, or the path does not start with '/'.
std::optional<Target> parse_target(std::string_view target);

/// Percent-decodes `s` ('+' becomes ' ' when `plus_is_space`). nullopt when an escape is not
/// '%' followed by two hex digits, or decodes to NUL.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);

}  // namespace uptake::collector
