#include "reports/render.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "reports/calendar.hpp"
#include "uptake_common/json_writer.hpp"

namespace uptake::collector {
namespace {

std::string number(double d) {
  if (!std::isfinite(d)) return "0";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  std::string s(buf, end);
  // Keep ratios recognisably floating point (1 -> 1.0) for JSON consumers that care.
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

template <class... F>
struct Visit : F... {
  using F::operator()...;
};
template <class... F>
Visit(F...) -> Visit<F...>;

void append_json_value(std::string& out, const ReportValue& v) {
  std::visit(
      Visit{[&](const Null&) { out += "null"; }, [&](std::int64_t i) { out += std::to_string(i); },
            [&](double d) { out += number(d); },
            [&](const std::string& s) { detail::append_json_string(out, s); },
            [&](const IntList& list) {
              out += '[';
              for (std::size_t i = 0; i < list.size(); ++i)
                out += (i ? "," : "") + std::to_string(list[i]);
              out += ']';
            },
            [&](const NumberList& list) {
              out += '[';
              for (std::size_t i = 0; i < list.size(); ++i) out += (i ? "," : "") + number(list[i]);
              out += ']';
            },
            [&](const Counts& counts) {
              out += '{';
              for (std::size_t i = 0; i < counts.size(); ++i) {
                if (i) out += ',';
                detail::append_json_string(out, counts[i].first);
                out += ':' + std::to_string(counts[i].second);
              }
              out += '}';
            }},
      v);
}

// A text cell a spreadsheet would run as a formula (OWASP's CSV injection rule) gets a
// leading quote; NUL, which some tools truncate at, becomes U+FFFD.
std::string csv_text(std::string_view s) {
  std::string cell;
  if (!s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos)
    cell = "'";
  for (char c : s) {
    if (c == '\0')
      cell += "\xEF\xBF\xBD";
    else
      cell += c;
  }
  if (cell.find_first_of(",\"\n\r") == std::string::npos) return cell;
  std::string q = "\"";
  for (char c : cell) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string csv_value(const ReportValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return number(*d);
  if (const auto* s = std::get_if<std::string>(&v)) return csv_text(*s);
  if (std::holds_alternative<Null>(v)) return "";
  std::string json;  // lists and objects as their JSON text, quoted
  append_json_value(json, v);
  return csv_text(json);
}

// For a terminal: control characters (an escape sequence in a feature name) are shown, not run.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    out += u < 0x20 || u == 0x7F ? '?' : c;
  }
  return out;
}

std::string text_value(const std::string& column, const ReportValue& v) {
  const bool duration = column.ends_with("_ms");
  return std::visit(
      Visit{[&](const Null&) -> std::string { return "-"; },
            [&](std::int64_t i) { return duration ? human_duration(i) : human_count(i); },
            [&](double d) {
              char buf[32];
              std::snprintf(buf, sizeof buf, "%.4g", d);
              return std::string(buf);
            },
            [&](const std::string& s) { return printable(s); },
            [&](const IntList& list) {
              std::string out;
              for (std::size_t i = 0; i < list.size(); ++i)
                out += (i ? " " : "") + human_count(list[i]);
              return out;
            },
            [&](const NumberList& list) {
              std::string out;
              for (std::size_t i = 0; i < list.size(); ++i) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%.3g", list[i]);
                out += (i ? " " : "") + std::string(buf);
              }
              return out;
            },
            [&](const Counts& counts) {
              std::string out;
              for (const auto& [name, n] : counts)
                out += (out.empty() ? "" : ", ") + printable(name) + ": " + human_count(n);
              return out;
            }},
      v);
}

bool json_only(const Report& report, const std::string& column) {
  return std::find(report.json_only.begin(), report.json_only.end(), column) !=
         report.json_only.end();
}

}  // namespace

std::string human_duration(std::int64_t ms) {
  const double v = static_cast<double>(ms);
  char buf[32];
  if (ms < 1000) {
    std::snprintf(buf, sizeof buf, "%lld ms", static_cast<long long>(ms));
  } else if (ms < 60'000) {
    std::snprintf(buf, sizeof buf, "%.3g s", v / 1000);
  } else if (ms < 3'600'000) {
    std::snprintf(buf, sizeof buf, "%.3g min", v / 60'000);
  } else if (ms < 86'400'000) {
    std::snprintf(buf, sizeof buf, "%.3g h", v / 3'600'000);
  } else {
    std::snprintf(buf, sizeof buf, "%.3g d", v / 86'400'000);
  }
  return buf;
}

std::string human_count(std::int64_t n) {
  // Unsigned, so that the most negative count has a magnitude too.
  const std::uint64_t magnitude =
      n < 0 ? ~static_cast<std::uint64_t>(n) + 1 : static_cast<std::uint64_t>(n);
  std::string digits = std::to_string(magnitude);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

std::string render_json(const Report& report, const ReportRequest& request) {
  std::string out = "{\"app\":";
  detail::append_json_string(out, request.app);
  out += ",\"from\":\"" + day_string(request.from_day) + "\",\"to\":\"" +
         day_string(request.to_day) + "\",\"segment\":{";
  bool first = true;
  for (const auto& [key, value] : segment_params(request.segment)) {
    if (!first) out += ',';
    first = false;
    detail::append_json_string(out, key);
    out += ':';
    detail::append_json_string(out, value);
  }
  out += '}';
  for (const auto& [name, value] : report.fields) {
    out += ",";
    detail::append_json_string(out, name);
    out += ":";
    append_json_value(out, value);
  }
  for (const auto& t : report.tables) {
    out += ",";
    detail::append_json_string(out, t.name);
    out += ":[";
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      if (r > 0) out += ",";
      out += "{";
      for (std::size_t c = 0; c < t.columns.size(); ++c) {
        if (c > 0) out += ",";
        detail::append_json_string(out, t.columns[c]);
        out += ":";
        append_json_value(out, t.rows[r][c]);
      }
      out += "}";
    }
    out += "]";
  }
  out += "}";
  return out;
}

std::string render_csv(const Report& report) {
  std::string out;
  auto emit_table = [&](const ReportTable& t) {
    std::vector<std::size_t> shown;
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      if (!json_only(report, t.columns[c])) shown.push_back(c);
    }
    for (std::size_t i = 0; i < shown.size(); ++i) out += (i ? "," : "") + t.columns[shown[i]];
    out += "\r\n";
    for (const auto& row : t.rows) {
      for (std::size_t i = 0; i < shown.size(); ++i)
        out += (i ? "," : "") + csv_value(row[shown[i]]);
      out += "\r\n";
    }
  };
  if (report.csv_lines) {
    emit_table(*report.csv_lines);
    return out;
  }
  for (const auto& t : report.tables) {
    if (t.name != report.csv_table) continue;
    emit_table(t);
    return out;
  }
  ReportTable one{"fields", {}, {{}}};
  for (const auto& [name, value] : report.fields) {
    one.columns.push_back(name);
    one.rows[0].push_back(value);
  }
  emit_table(one);
  return out;
}

std::string render_text(const Report& report, const ReportRequest& request) {
  std::string out = request.name + " for " + printable(request.app) + ", " +
                    day_string(request.from_day) + " .. " + day_string(request.to_day);
  for (const auto& [key, value] : segment_params(request.segment))
    out += ", " + printable(key) + "=" + printable(value);
  out += "\n";
  for (const auto& [name, value] : report.fields) {
    char line[512];
    std::snprintf(line, sizeof line, "  %-24s %s\n", name.c_str(), text_value(name, value).c_str());
    out += line;
  }
  for (const auto& t : report.tables) {
    out += "\n" + t.name + ":\n";
    std::vector<std::vector<std::string>> cells;
    std::vector<std::size_t> width(t.columns.size());
    for (std::size_t c = 0; c < t.columns.size(); ++c) width[c] = t.columns[c].size();
    for (const auto& row : t.rows) {
      auto& line = cells.emplace_back();
      for (std::size_t c = 0; c < row.size(); ++c) {
        line.push_back(text_value(t.columns[c], row[c]));
        width[c] = std::max(width[c], line.back().size());
      }
    }
    auto emit = [&](const std::vector<std::string>& line) {
      out += " ";
      for (std::size_t c = 0; c < line.size(); ++c)
        out += " " + line[c] + std::string(width[c] - line[c].size(), ' ');
      out += "\n";
    };
    emit(t.columns);
    for (const auto& line : cells) emit(line);
  }
  return out;
}

}  // namespace uptake::collector
