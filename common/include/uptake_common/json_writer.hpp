#pragma once
// Appends JSON text to a std::string. Strings are escaped per RFC 8259; bytes that are not
// valid UTF-8 become U+FFFD, so whatever the app passes, the collector receives valid JSON.

#include <cstdint>
#include <string>
#include <string_view>

namespace uptake::detail {

/// Appends `s` as a quoted JSON string.
void append_json_string(std::string& out, std::string_view s);
/// Appends an integer in decimal.
void append_json_int(std::string& out, std::int64_t value);
/// Appends a finite double in shortest round-trip form; NaN and infinities become null.
void append_json_number(std::string& out, double value);

}  // namespace uptake::detail
