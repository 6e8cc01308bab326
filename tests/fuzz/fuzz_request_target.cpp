// libFuzzer target for the collector's request-target parsing: path and query splitting and
// strict percent-decoding, as every request runs them before routing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  const auto target = uptake::collector::parse_target(raw);
  if (!target) return 0;
  // A parsed target always has a path, and nothing decoded ever holds a NUL.
  if (target->path.empty() || target->path.front() != '/') __builtin_trap();
  if (target->path.find('\0') != std::string::npos) __builtin_trap();
  for (const auto& [key, value] : target->query) {
    if (key.find('\0') != std::string::npos || value.find('\0') != std::string::npos)
      __builtin_trap();
  }
  return 0;
}
