#pragma once
// Rules that tips and surveys share (PROTOCOL.md /v1/config): the version floor and the stable
// per-install share (a tip's control group, a survey's sample). One definition, so a person is
// in the same share whichever plugin asks.

#include <cctype>
#include <cstdint>
#include <string_view>

namespace uptake::detail {

/// Compares dotted numeric versions ("2.10.0" > "2.9"); missing parts count as 0, anything
/// after the digits of a part ("0-beta") is ignored.
inline int compare_versions(std::string_view a, std::string_view b) {
  auto next = [](std::string_view& s) {
    long v = 0;
    while (!s.empty() && std::isdigit(static_cast<unsigned char>(s.front()))) {
      v = v * 10 + (s.front() - '0');
      s.remove_prefix(1);
    }
    while (!s.empty() && !std::isdigit(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    return v;
  };
  while (!a.empty() || !b.empty()) {
    const long x = next(a), y = next(b);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/// Whether the install `anon` falls in the first `pct` percent (0..100, in steps of 0.01) of
/// the shares of rule `rule_id`: a deterministic FNV-1a hash of "rule_id:anon", so the answer
/// never changes for an install and differs between rules.
inline bool in_stable_share(std::string_view rule_id, std::string_view anon, double pct) {
  if (pct <= 0) return false;
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  };
  mix(rule_id);
  mix(":");
  mix(anon);
  h ^= h >> 33;  // spread the low bits before taking the remainder
  return static_cast<double>(h % 10000) < pct * 100.0;
}

}  // namespace uptake::detail
