#pragma once
// The field limits of PROTOCOL.md's event object, in one place: the SDK checks them before an
// event is sent (so the collector never rejects one of ours) and the collector enforces them.

#include <cstddef>
#include <cstdint>

namespace uptake::detail {

inline constexpr std::size_t kMaxIdBytes = 64;
inline constexpr std::size_t kMaxNameBytes = 128;
inline constexpr std::size_t kMaxAnonBytes = 64;
inline constexpr std::size_t kMaxUserBytes = 256;
inline constexpr std::size_t kMaxAccountBytes = 128;
inline constexpr std::size_t kMaxSessionBytes = 64;
inline constexpr std::size_t kMaxAppVersionBytes = 64;
inline constexpr std::size_t kMaxPropsBytes = 8 * 1024;  // serialized

/// Clock skew beyond which the collector corrects event times from Uptake-Sent-At (ms).
inline constexpr std::int64_t kSkewThresholdMs = 120'000;

/// Event times the collector accepts: the Unix epoch up to the end of year 9999 (ms). Outside
/// it a time is a bug or an attack, and day arithmetic could overflow.
inline constexpr std::int64_t kMinEventTimeMs = 0;
inline constexpr std::int64_t kMaxEventTimeMs = 253'402'300'799'999;

/// Bodies of /v1/batch (PROTOCOL.md defaults; the collector's limits are configurable).
inline constexpr std::size_t kDefaultMaxBodyBytes = std::size_t{5} * 1024 * 1024;
inline constexpr std::size_t kDefaultMaxDecompressedBytes = std::size_t{50} * 1024 * 1024;
/// A /v1/batch answer lists at most this many rejected lines (and counts them all).
inline constexpr std::size_t kMaxRejectedListed = 100;

}  // namespace uptake::detail
