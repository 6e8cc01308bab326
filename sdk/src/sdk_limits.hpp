#pragma once
// Every internal constant of the SDK, with its unit and its reason.
//
// Three homes, no copies: what the app may tune is Config (uptake/config.hpp: each field with
// its unit and default); what PROTOCOL.md fixes for every client is
// uptake_common/protocol_limits.hpp; what is neither lives here.

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "uptake_common/protocol_limits.hpp"

namespace uptake::detail {

// ---- The queue between track() and the background thread ----

/// Name and props up to this size are copied into the queue cell itself, so track() does not
/// allocate; the budget makes a cell 256 bytes (four cache lines).
inline constexpr std::size_t kInlinePayloadBytes = 224;
/// Packed name+props above this are refused on the app's thread before anything is copied.
/// Twice PROTOCOL.md's props limit: no event that can pass it once encoded is this large
/// (barring hundreds of one-letter props); the exact check runs when the event is encoded.
inline constexpr std::size_t kMaxPackedPayloadBytes = 2 * kMaxPropsBytes;
/// track() wakes the worker at most every this many events (the stride is also bounded by
/// max_batch_events and a quarter of the queue), so tight loops rarely pay for a wake-up.
inline constexpr std::size_t kMaxWakeStrideEvents = std::size_t{1} << 20;

// ---- The background thread ----

/// How often the spool is scanned for batches older than max_spool_age_ms: the age limit is
/// in days, a scan costs a directory walk.
inline constexpr std::chrono::minutes kSpoolExpiryCheckInterval{1};
/// Pause after an unexpected error in a loop step (out of memory, filesystem surprise), so a
/// persistent failure does not spin a core.
inline constexpr std::chrono::milliseconds kWorkerErrorPause{100};
/// Events plugins may emit in reply to one event before the rest are discarded: stops two
/// plugins that answer each other forever.
inline constexpr int kMaxPluginEmitsPerRound = 1000;
/// /v1/config retry while offline (capped by config_refresh_interval_ms): soon enough that
/// tips follow a new config within a minute of the network coming back.
inline constexpr std::chrono::minutes kConfigRetryWhenOffline{1};
/// shutdown() keeps a tenth of its budget, at most this much, to write what was not delivered
/// to the spool after the delivery attempt has given up.
inline constexpr std::chrono::milliseconds kMaxShutdownSpoolReserve{200};
inline constexpr int kShutdownSpoolReserveDivisor = 10;

// ---- Delivery ----

/// A Retry-After is honoured in full up to this: beyond it a hostile or broken answer would
/// park the spool forever.
inline constexpr std::chrono::hours kMaxRetryAfter{24};

// ---- Bounds of Config values (config_check.cpp names the field that breaks one) ----

inline constexpr std::size_t kMaxBatchEventsCeiling = 100'000;
/// Below 16 KiB one large event fills a batch; above 32 MiB a batch exceeds every sensible
/// collector body limit even compressed.
inline constexpr std::size_t kMinBatchBytesFloor = std::size_t{16} * 1024;
inline constexpr std::size_t kMaxBatchBytesCeiling = std::size_t{32} * 1024 * 1024;
inline constexpr std::size_t kMinQueueCapacity = 2;
inline constexpr std::size_t kMaxQueueCapacity = std::size_t{1} << 24;
/// Less spool than this cannot hold one full batch of typical events.
inline constexpr std::uint64_t kMinSpoolBytesFloor = 64 * 1024;
inline constexpr int kMinCompressionLevel = 1;
inline constexpr int kMaxCompressionLevel = 19;  // 20..22 cost far more memory for little gain

/// A spooled batch decompressed for a 413 split may not exceed this: our batches are at most
/// kMaxBatchBytesCeiling plus one event, so anything larger is damage the CRC missed.
inline constexpr std::size_t kMaxSplitInputBytes = 2 * kMaxBatchBytesCeiling;

}  // namespace uptake::detail
