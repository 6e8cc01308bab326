#include "ingest/batch_parser.hpp"

#include <simdjson.h>

#include <charconv>

#include "uptake_common/protocol_limits.hpp"

namespace uptake::collector {
namespace {

namespace od = simdjson::ondemand;
using namespace uptake::detail;

// Deeper lines than this are refused; it also bounds the validator's recursion.
constexpr int kMaxDepth = 64;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string_view trim_trailing_space(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// RFC 8259 number grammar. Checked on the text, so numbers of any size are accepted and kept
// as they were written (a 30-digit id in props is data, not an error).
bool is_json_number(std::string_view s) {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

// Visits every value of `v`, so the whole line is validated (the on-demand parser checks
// only what is read). Returns an error sentence, or "" when valid.
std::string validate(od::value v, int depth) {
  if (depth > kMaxDepth) return "JSON nested too deeply";
  od::json_type type;
  if (v.type().get(type)) return "invalid JSON";
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (v.get_object().get(object)) return "invalid JSON";
      for (auto field : object) {
        std::string_view key;
        od::value child;
        if (field.unescaped_key().get(key) || field.value().get(child)) return "invalid JSON";
        if (auto problem = validate(child, depth + 1); !problem.empty()) return problem;
      }
      return "";
    }
    case od::json_type::array: {
      od::array array;
      if (v.get_array().get(array)) return "invalid JSON";
      for (auto element : array) {
        od::value child;
        if (element.get(child)) return "invalid JSON";
        if (auto problem = validate(child, depth + 1); !problem.empty()) return problem;
      }
      return "";
    }
    case od::json_type::string: {
      std::string_view s;
      return v.get_string().get(s) ? "invalid JSON" : "";
    }
    case od::json_type::number:
      return is_json_number(trim_trailing_space(v.raw_json_token())) ? "" : "invalid JSON";
    case od::json_type::boolean:
    case od::json_type::null: {
      const std::string_view atom = trim_trailing_space(v.raw_json_token());
      return atom == "true" || atom == "false" || atom == "null" ? "" : "invalid JSON";
    }
  }
  return "invalid JSON";
}

class LineParser {
 public:
  /// The event of one line, or nullopt with error() set.
  std::optional<Event> parse(std::string_view json, std::size_t padded_capacity) {
    error_.clear();
    is_object_ = false;
    if (auto problem = validate_line(json, padded_capacity); !problem.empty()) {
      error_ = std::move(problem);
      return std::nullopt;
    }
    is_object_ = true;
    od::document doc;
    od::object object;
    // The line is valid JSON now; only field rules can fail below.
    if (parser_.iterate(json.data(), json.size(), padded_capacity).get(doc) ||
        doc.get_object().get(object)) {
      return fail("invalid JSON");
    }
    Event e;
    bool has_id = false, has_type = false, has_name = false, has_anon = false, has_ts = false,
         has_account = false;
    std::string type;
    for (auto field : object) {
      std::string_view key;
      od::value v;
      if (field.unescaped_key().get(key) || field.value().get(v)) return fail("invalid JSON");
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
      else if (key == "account")
        has_account = text(v, "account", 1, kMaxAccountBytes, e.account, true);
      else if (key == "session")
        ok = text(v, "session", 0, kMaxSessionBytes, e.session, true);
      else if (key == "app_version")
        ok = text(v, "app_version", 0, kMaxAppVersionBytes, e.app_version, true);
      else if (key == "ts")
        ok = has_ts = time(v, e.ts);
      else if (key == "props")
        ok = props(v, e.props);
      // Unknown fields are ignored (forward compatible).
      if (!ok) return std::nullopt;
    }
    if (!has_id) return fail("id is required");
    if (!has_type) return fail("type is required");
    if (!has_anon) return fail("anon is required");
    if (!has_ts) return fail("ts is required");
    if (type == "track") {
      e.type = EventType::track;
      if (!has_name || e.name.empty()) return fail("name is required for track");
    } else if (type == "identify") {
      e.type = EventType::identify;
      if (e.user.empty()) return fail("user is required for identify");
    } else if (type == "group") {
      e.type = EventType::group;
      // The account field was read leniently above: only a group event needs it, and there a
      // missing or malformed one is an error.
      if (!has_account || e.account.empty())
        return fail("account is required for group (a string of 1.." +
                    std::to_string(kMaxAccountBytes) + " bytes)");
    } else {
      return fail("type must be track, identify or group");
    }
    if (e.type != EventType::group) e.account.clear();  // "ignored on other types"
    if (e.type != EventType::track) e.name.clear();
    return e;
  }

  [[nodiscard]] std::string& error() { return error_; }
  /// True when the last line parsed as a JSON object (whether or not it is a valid event).
  [[nodiscard]] bool is_object() const { return is_object_; }

 private:
  std::nullopt_t fail(std::string e) {
    if (error_.empty()) error_ = std::move(e);
    return std::nullopt;
  }

  std::string validate_line(std::string_view json, std::size_t padded_capacity) {
    od::document doc;
    od::object object;
    if (parser_.iterate(json.data(), json.size(), padded_capacity).get(doc)) return "invalid JSON";
    od::json_type type;
    if (doc.type().get(type)) return "invalid JSON";
    if (type != od::json_type::object) {
      // Still tell a broken line from a valid non-object one.
      return type == od::json_type::array || type == od::json_type::string
                 ? "line is not a JSON object"
                 : "invalid JSON";
    }
    if (doc.get_object().get(object)) return "invalid JSON";
    for (auto field : object) {
      std::string_view key;
      od::value child;
      if (field.unescaped_key().get(key) || field.value().get(child)) return "invalid JSON";
      if (auto problem = validate(child, 1); !problem.empty()) return problem;
    }
    // Past the root object the document must end: on-demand reports a location only when
    // something follows it.
    const char* trailing = nullptr;
    if (doc.current_location().get(trailing) != simdjson::OUT_OF_BOUNDS) return "invalid JSON";
    return "";
  }

  // A string field within [min, max] bytes; null counts as absent when nullable.
  bool text(od::value v, std::string_view field, std::size_t min, std::size_t max, std::string& out,
            bool nullable) {
    if (nullable && v.is_null()) return true;
    std::string_view s;
    if (v.get_string().get(s)) return fail(std::string(field) + " must be a string"), false;
    if (s.size() < min || s.size() > max) {
      return fail(std::string(field) + " must be " + std::to_string(min) + ".." +
                  std::to_string(max) + " bytes"),
             false;
    }
    out = s;
    return true;
  }

  bool time(od::value v, std::int64_t& out) {
    std::int64_t ts = 0;
    if (v.get_int64().get(ts)) return fail("ts must be an integer (epoch milliseconds)"), false;
    if (ts < kMinEventTimeMs || ts > kMaxEventTimeMs)
      return fail("ts must be epoch milliseconds between 1970 and 9999"), false;
    out = ts;
    return true;
  }

  bool props(od::value v, std::string& out) {
    if (v.is_null()) return true;
    od::json_type type;
    if (v.type().get(type) || type != od::json_type::object)
      return fail("props must be a JSON object"), false;
    od::object object;
    std::string_view raw;
    if (v.get_object().get(object) || object.raw_json().get(raw))
      return fail("invalid JSON"), false;
    // Whitespace removed as text: numbers and strings stay exactly as the client wrote them.
    out.resize(raw.size());
    std::size_t length = 0;
    if (simdjson::minify(raw.data(), raw.size(), out.data(), length))
      return fail("invalid JSON"), false;
    out.resize(length);
    if (out.size() > kMaxPropsBytes) return fail("props must be at most 8 KiB"), false;
    return true;
  }

  od::parser parser_;
  std::string error_;
  bool is_object_ = false;
};

}  // namespace

std::optional<std::int64_t> corrected_ts(std::int64_t ts, std::int64_t received_at,
                                         std::optional<std::int64_t> sent_at) {
  if (!sent_at) return ts;
  // Every operand is within the accepted time range, so none of this can overflow.
  const std::int64_t skew = received_at - *sent_at;
  const std::int64_t corrected =
      skew > kSkewThresholdMs || skew < -kSkewThresholdMs ? ts + skew : ts;
  if (corrected < kMinEventTimeMs || corrected > kMaxEventTimeMs) return std::nullopt;
  return corrected;
}

SentAt parse_sent_at(std::string_view header) {
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
  if (header.empty()) return {};
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), v);
  if (ec != std::errc() || end != header.data() + header.size() || v < kMinEventTimeMs ||
      v > kMaxEventTimeMs) {
    return {std::nullopt, false};
  }
  return {v, true};
}

ParsedBatch parse_batch(const std::string& text, std::int64_t received_at,
                        std::optional<std::int64_t> sent_at) {
  ParsedBatch out;
  thread_local LineParser parser;
  std::size_t start = text.starts_with(kBom) ? kBom.size() : 0;  // a BOM before line 1
  std::size_t line_no = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    ++line_no;
    std::string_view line(text.data() + start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
    if (!blank) {
      ++out.lines;
      // The bytes after the line (the next lines, then the body's reserved padding) are
      // readable: simdjson's padding needs nothing more.
      std::optional<Event> event = parser.parse(line, text.capacity() - start);
      out.objects += parser.is_object();
      std::optional<std::int64_t> ts;
      if (event) {
        ts = corrected_ts(event->ts, received_at, sent_at);
        if (!ts) parser.error() = "ts is out of range once corrected for clock skew";
      }
      if (event && ts) {
        event->client_ts = event->ts;
        event->ts = *ts;
        event->received_at = received_at;
        out.events.push_back(std::move(*event));
      } else {
        ++out.rejected_total;
        if (out.rejected.size() < kMaxRejectedListed)
          out.rejected.push_back({line_no, std::move(parser.error())});
      }
    }
    start = end + 1;
  }
  return out;
}

}  // namespace uptake::collector
