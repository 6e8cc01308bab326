#include "reports/report.hpp"

#include "uptake_common/json_writer.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>

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

void append_json_value(std::string& out, const ReportValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v))
    out += std::to_string(*i);
  else if (const auto* d = std::get_if<double>(&v))
    out += number(*d);
  else
    detail::append_json_string(out, std::get<std::string>(v));
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
  return csv_text(std::get<std::string>(v));
}

// For a terminal: control characters (an escape sequence in a feature name) are shown, not run.
std::string text_value(const ReportValue& v) {
  if (const auto* d = std::get_if<double>(&v)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", *d);
    return buf;
  }
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  std::string out;
  for (char c : std::get<std::string>(v)) {
    const auto u = static_cast<unsigned char>(c);
    out += u < 0x20 || u == 0x7F ? '?' : c;
  }
  return out;
}

}  // namespace

namespace {
constexpr std::string_view kReportNames[] = {
    "overview", "features", "first-action", "stickiness", "funnel", "tips", "product-adoption"};
}  // namespace

bool is_report_name(const std::string& name) {
  for (std::string_view n : kReportNames) {
    if (name == n) return true;
  }
  return false;
}

std::string_view report_names() {
  static const std::string names = [] {
    std::string out;
    for (std::string_view n : kReportNames) out += (out.empty() ? "" : ", ") + std::string(n);
    return out;
  }();
  return names;
}

std::string day_string(std::int64_t day) {
  const std::time_t t = static_cast<std::time_t>(day * 86400);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::optional<std::int64_t> parse_day(const std::string& ymd) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (ymd.size() != 10 || std::sscanf(ymd.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1970) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  const std::int64_t day = static_cast<std::int64_t>(timegm(&tm)) / 86400;
  if (day_string(day) != ymd) return std::nullopt;  // 2026-02-30 and the like
  return day;
}

std::int64_t nearest_rank(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const double n = static_cast<double>(sorted.size());
  std::size_t rank = static_cast<std::size_t>(std::ceil(p * n - 1e-9));
  if (rank < 1) rank = 1;
  if (rank > sorted.size()) rank = sorted.size();
  return sorted[rank - 1];
}

double ratio(double a, double b) {
  return b == 0 ? 0.0 : a / b;
}

std::optional<std::string> parse_report_request(ReportRequest& out,
                                                const std::optional<std::string>& from,
                                                const std::optional<std::string>& to,
                                                const std::optional<std::string>& feature,
                                                const std::optional<std::string>& adopted_days,
                                                const std::optional<std::string>& month,
                                                std::int64_t today_day) {
  if (out.name == "product-adoption") {
    if (!month) return "product-adoption needs month=YYYY-MM.";
    const auto first = parse_day(*month + "-01");
    if (!first || month->size() != 7) return "month must be YYYY-MM.";
    out.month = *month;
    out.from_day = *first;
    std::int64_t last = *first + 27;
    while (day_string(last + 1).substr(0, 7) == *month) ++last;
    out.to_day = last;
    return std::nullopt;
  }
  out.to_day = today_day;
  out.from_day = today_day - 29;
  if (to) {
    const auto d = parse_day(*to);
    if (!d) return "to must be a date YYYY-MM-DD.";
    out.to_day = *d;
    if (!from) out.from_day = *d - 29;
  }
  if (from) {
    const auto d = parse_day(*from);
    if (!d) return "from must be a date YYYY-MM-DD.";
    out.from_day = *d;
  }
  if (out.from_day > out.to_day) return "from must not be after to.";
  if (out.to_day - out.from_day > 3660) return "The window may span at most ten years.";
  if (out.name == "funnel") {
    if (!feature || feature->empty()) return "funnel needs feature=NAME.";
    out.feature = *feature;
    if (adopted_days) {
      std::int64_t n = 0;
      auto [p, ec] =
          std::from_chars(adopted_days->data(), adopted_days->data() + adopted_days->size(), n);
      if (ec != std::errc() || p != adopted_days->data() + adopted_days->size() || n < 1) {
        return "adopted_days must be a positive integer.";
      }
      out.adopted_days = n;
    }
  }
  return std::nullopt;
}

std::string render_json(const Report& report, const ReportRequest& request) {
  std::string out = "{\"app\":";
  detail::append_json_string(out, request.app);
  out += ",\"from\":\"" + day_string(request.from_day) + "\",\"to\":\"" +
         day_string(request.to_day) + "\"";
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
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + cells[i];
    out += "\r\n";
  };
  for (const auto& t : report.tables) {
    if (t.name != report.csv_table) continue;
    line(t.columns);
    for (const auto& row : t.rows) {
      std::vector<std::string> cells;
      for (const auto& v : row) cells.push_back(csv_value(v));
      line(cells);
    }
    return out;
  }
  std::vector<std::string> header, values;
  for (const auto& [name, value] : report.fields) {
    header.push_back(name);
    values.push_back(csv_value(value));
  }
  line(header);
  line(values);
  return out;
}

std::string render_text(const Report& report, const ReportRequest& request) {
  std::string out = request.name + " for " + request.app + ", " + day_string(request.from_day) +
                    " .. " + day_string(request.to_day) + "\n";
  for (const auto& [name, value] : report.fields) {
    char line[256];
    std::snprintf(line, sizeof line, "  %-24s %s\n", name.c_str(), text_value(value).c_str());
    out += line;
  }
  for (const auto& t : report.tables) {
    out += "\n" + t.name + ":\n";
    std::vector<std::size_t> width(t.columns.size());
    for (std::size_t c = 0; c < t.columns.size(); ++c) width[c] = t.columns[c].size();
    for (const auto& row : t.rows) {
      for (std::size_t c = 0; c < row.size(); ++c)
        width[c] = std::max(width[c], text_value(row[c]).size());
    }
    auto emit = [&](const std::vector<std::string>& cells) {
      out += " ";
      for (std::size_t c = 0; c < cells.size(); ++c) {
        out += " " + cells[c] + std::string(width[c] - cells[c].size(), ' ');
      }
      out += "\n";
    };
    emit(t.columns);
    for (const auto& row : t.rows) {
      std::vector<std::string> cells;
      for (const auto& v : row) cells.push_back(text_value(v));
      emit(cells);
    }
  }
  return out;
}

}  // namespace uptake::collector
