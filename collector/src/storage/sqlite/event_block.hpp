#pragma once
// The SQLite store keeps raw events in blocks: the events one request stored, packed and
// zstd-compressed into one row. One row per request instead of one per event is what lets a
// single SQLite writer keep up with the HTTP side (the id index is the only per-event B-tree);
// reports read the aggregates, and the rare full reads (GDPR deletes, rebuilds, export)
// decode blocks.
//
// Packed layout (before compression): a version byte, the event count, then per event its
// type byte, ts, client_ts and received_at (zigzag varints) and id, name, anon, user,
// session, app_version, props, account (varint length + bytes; version 1 blocks have no
// account).

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/limits.hpp"
#include "storage/event.hpp"

namespace uptake::collector {

/// Packs and compresses `events` into one block.
std::string encode_event_block(std::span<const Event> events);

/// Packs and compresses the events of `events` whose `keep` flag is set.
std::string encode_event_block(std::span<const Event> events, const std::vector<bool>& keep);

/// Decodes a block made by encode_event_block. Throws std::runtime_error on a malformed or
/// truncated block, or one that would decompress to more than `max_bytes`.
std::vector<Event> decode_event_block(std::string_view block,
                                      std::size_t max_bytes = limits::kMaxDecodedBlockBytes);

/// Decodes a block into `buffer` and views of its events' fields (valid while `buffer` is not
/// changed): a replay of millions of stored events allocates nothing per event. Same errors.
void decode_event_block_views(std::string_view block, std::string& buffer,
                              std::vector<EventView>& out,
                              std::size_t max_bytes = limits::kMaxDecodedBlockBytes);

}  // namespace uptake::collector
