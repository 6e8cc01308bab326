#include "batch_parser.hpp"

#include <simdjson.h>

#include <cstdlib>

namespace uptake::collector {
namespace {

namespace dom = simdjson::dom;

constexpr std::int64_t kSkewThresholdMs = 120'000;
constexpr std::size_t kMaxIdBytes = 64, kMaxNameBytes = 128, kMaxAnonBytes = 64,
                      kMaxUserBytes = 256, kMaxSessionBytes = 64, kMaxVersionBytes = 64,
                      kMaxPropsBytes = 8 * 1024;
// Deeper props than this are refused; it also bounds the parser's work on hostile nesting.
constexpr std::size_t kMaxDepth = 64;

struct Checker {
  std::string error;

  bool fail(std::string e) {
    if (error.empty()) error = std::move(e);
    return false;
  }

  // Reads a string field within [min, max] bytes; null counts as absent when nullable.
  bool text(dom::element v, std::string_view field, std::size_t min, std::size_t max,
            std::string& out, bool nullable) {
    if (nullable && v.is_null()) return true;
    std::string_view s;
    if (v.get(s)) return fail(std::string(field) + " must be a string");
    if (s.size() < min || s.size() > max) {
      return fail(std::string(field) + " must be " + std::to_string(min) + ".." +
                  std::to_string(max) + " bytes");
    }
    out = s;
    return true;
  }

  // The DOM parser validates the whole line (structure, UTF-8, trailing content, depth)
  // before any field is read, so a hostile line costs one bounded pass.
  std::optional<Event> line(std::string_view json, dom::parser& parser) {
    dom::element doc;
    if (const auto err = parser.parse(json.data(), json.size(), false).get(doc)) {
      fail(err == simdjson::DEPTH_ERROR ? "JSON nested too deeply" : "invalid JSON");
      return std::nullopt;
    }
    dom::object obj;
    if (doc.get(obj)) {
      fail("line is not a JSON object");
      return std::nullopt;
    }
    Event e;
    bool has_id = false, has_type = false, has_name = false, has_anon = false, has_ts = false;
    std::string type;
    for (const dom::key_value_pair field : obj) {
      const std::string_view key = field.key;
      const dom::element v = field.value;
      bool ok = true;
      if (key == "id")
        ok = has_id = text(v, "id", 1, kMaxIdBytes, e.id, false);
      else if (key == "type")
        ok = has_type = text(v, "type", 1, 16, type, false);
      else if (key == "name")
        ok = has_name = text(v, "name", 1, kMaxNameBytes, e.name, true);
      else if (key == "anon")
        ok = has_anon = text(v, "anon", 1, kMaxAnonBytes, e.anon, false);
      else if (key == "user")
        ok = text(v, "user", 1, kMaxUserBytes, e.user, true);
      else if (key == "session")
        ok = text(v, "session", 0, kMaxSessionBytes, e.session, true);
      else if (key == "app_version")
        ok = text(v, "app_version", 0, kMaxVersionBytes, e.app_version, true);
      else if (key == "ts") {
        std::int64_t ts = 0;
        ok = has_ts = !v.get(ts);
        if (!ok) fail("ts must be an integer (epoch milliseconds)");
        e.ts = ts;
      } else if (key == "props") {
        if (v.is_null()) continue;
        if (!v.is_object()) {
          ok = fail("props must be a JSON object");
        } else {
          e.props = simdjson::minify(v);
          if (e.props.size() > kMaxPropsBytes) ok = fail("props must be at most 8 KiB");
        }
      }
      // Unknown fields are ignored (forward compatible).
      if (!ok) return std::nullopt;
    }
    if (!has_id) return fail("id is required"), std::nullopt;
    if (!has_type) return fail("type is required"), std::nullopt;
    if (!has_anon) return fail("anon is required"), std::nullopt;
    if (!has_ts) return fail("ts is required"), std::nullopt;
    if (type == "track") {
      e.type = EventType::track;
      if (!has_name || e.name.empty()) return fail("name is required for track"), std::nullopt;
    } else if (type == "identify") {
      e.type = EventType::identify;
      if (e.user.empty()) return fail("user is required for identify"), std::nullopt;
    } else {
      return fail("type must be track or identify"), std::nullopt;
    }
    return e;
  }
};

}  // namespace

std::int64_t corrected_ts(std::int64_t ts, std::int64_t received_at,
                          std::optional<std::int64_t> sent_at) {
  if (!sent_at) return ts;
  const std::int64_t skew = received_at - *sent_at;
  return std::llabs(skew) > kSkewThresholdMs ? ts + skew : ts;
}

ParsedBatch parse_batch(const std::string& text, std::int64_t received_at,
                        std::optional<std::int64_t> sent_at) {
  ParsedBatch out;
  thread_local dom::parser parser = [] {
    dom::parser p;
    if (p.allocate(64 * 1024, kMaxDepth)) throw std::bad_alloc();
    return p;
  }();
  std::size_t start = 0, line_no = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    ++line_no;
    std::string_view line(text.data() + start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
    if (!blank) {
      ++out.lines;
      Checker checker;
      auto event = checker.line(line, parser);
      if (event) {
        event->client_ts = event->ts;
        event->ts = corrected_ts(event->ts, received_at, sent_at);
        event->received_at = received_at;
        out.events.push_back(std::move(*event));
      } else {
        out.rejected.push_back({line_no, std::move(checker.error)});
      }
    }
    start = end + 1;
  }
  return out;
}

}  // namespace uptake::collector
