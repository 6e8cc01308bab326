#pragma once
// A realistic event mix for benchmarks: feature names of a notes app, 0-3 props, a few
// identified users, one session per install.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "event_record.hpp"
#include "ndjson_encoder.hpp"

namespace uptake::bench {

inline const std::vector<std::string>& feature_names() {
  static const std::vector<std::string> names = {
      "create_note", "open_note", "edit_note",    "search", "tag_note",         "export_pdf",
      "share_link",  "pin_note",  "archive_note", "undo",   "toggle_dark_mode", "save_document"};
  return names;
}

/// Encodes `count` typical events of one install into NDJSON, as the SDK's worker would.
/// Events are 0-5 s apart, as a person uses an app; batch `seed` starts after batch
/// `seed - 1` ends, so a sequence of batches arrives in time order, as live traffic does.
inline std::string typical_batch(std::size_t count, std::uint64_t seed = 1) {
  std::mt19937_64 rng(seed);
  detail::NdjsonEncoder encoder(rng());
  std::string out;
  const std::string anon = "7c1f4a52-3d0e-4b8e-9a51-" + std::to_string(100000000000 + seed % 1000);
  const std::string session = "01933a7e-5b21-7c44-8d2e-4f0a9b3c6d11";
  std::int64_t ts = 1'795'000'000'000 + static_cast<std::int64_t>(seed * count) * 5000;
  for (std::size_t i = 0; i < count; ++i) {
    ts += static_cast<std::int64_t>(rng() % 5000);
    const std::string& name = feature_names()[rng() % feature_names().size()];
    std::vector<Prop> props;
    const int n = static_cast<int>(rng() % 4);
    if (n > 0) props.push_back({"source", (rng() % 2) ? "menu" : "shortcut"});
    if (n > 1) props.push_back({"items", static_cast<std::int64_t>(rng() % 50)});
    if (n > 2) props.push_back({"duration_ms", static_cast<std::int64_t>(rng() % 3000)});
    detail::EventRecord r;
    r.ts_ms = ts;
    r.size = static_cast<std::uint32_t>(detail::packed_size(name, props));
    detail::pack_payload(r.inline_bytes.data(), name, props);
    encoder.append(out, r, {anon, i > count / 2 ? "user-1042" : "", session, "2.3.0"});
  }
  return out;
}

}  // namespace uptake::bench
