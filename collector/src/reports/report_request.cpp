#include "reports/report_request.hpp"

#include <charconv>
#include <set>

#include "reports/calendar.hpp"

namespace uptake::collector {
namespace {

constexpr std::int64_t kMaxWindowDays = 200 * 366;
constexpr std::int64_t kMaxDailyWindowDays = 3661;
constexpr std::string_view kNames[] = {
    "overview", "features",  "first-action", "stickiness", "funnel",   "tips",   "product-adoption",
    "accounts", "champions", "retention",    "trends",     "releases", "surveys"};

// The parameters each report takes besides from, to and the segment.
std::set<std::string_view> own_params(std::string_view report) {
  if (report == "funnel") return {"feature", "adopted_days"};
  if (report == "product-adoption") return {"month"};
  if (report == "champions") return {"limit"};
  if (report == "retention") return {"interval"};
  if (report == "trends") return {"interval", "feature"};
  return {};
}

std::optional<std::int64_t> to_int(const std::string& s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string quoted(std::string_view s) {
  return "'" + std::string(s) + "'";
}

}  // namespace

bool is_report_name(std::string_view name) {
  for (std::string_view n : kNames) {
    if (name == n) return true;
  }
  return false;
}

std::string_view report_names() {
  static const std::string names = [] {
    std::string out;
    for (std::string_view n : kNames) out += (out.empty() ? "" : ", ") + std::string(n);
    return out;
  }();
  return names;
}

std::optional<std::string> parse_report_request(ReportRequest& out, const ReportParams& params,
                                                std::int64_t today_day) {
  const auto own = own_params(out.name);
  std::map<std::string, std::string> given;
  for (const auto& [key, value] : params) {
    if (key == "format" || key == "app") continue;
    if (key.starts_with("trait.") || key.starts_with("account_trait.")) {
      const std::string trait = key.substr(key.find('.') + 1);
      if (trait.empty()) return "The parameter " + quoted(key) + " names no trait.";
      if (value.empty()) return "The parameter " + quoted(key) + " needs a value.";
      auto& traits = key.starts_with("trait.") ? out.segment.traits : out.segment.account_traits;
      if (!traits.emplace(trait, value).second)
        return "The parameter " + quoted(key) + " is given twice.";
      continue;
    }
    const bool known =
        key == "from" || key == "to" || key == "account" || key == "version" || own.contains(key);
    if (!known) {
      return "Unknown parameter " + quoted(key) + " for the " + out.name + " report.";
    }
    if (!given.emplace(key, value).second)
      return "The parameter " + quoted(key) + " is given twice.";
    if (value.empty()) return "The parameter " + quoted(key) + " needs a value.";
  }
  auto param = [&](const char* name) -> std::optional<std::string> {
    const auto it = given.find(name);
    return it == given.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  if (auto a = param("account")) out.segment.account = *a;
  if (auto v = param("version")) out.segment.version = *v;

  out.to_day = today_day;
  out.from_day = today_day - 29;
  if (const auto to = param("to")) {
    const auto d = parse_day(*to);
    if (!d) return "The parameter 'to' must be a date YYYY-MM-DD.";
    out.to_day = *d;
    out.from_day = *d - 29;
  }
  if (const auto from = param("from")) {
    const auto d = parse_day(*from);
    if (!d) return "The parameter 'from' must be a date YYYY-MM-DD.";
    out.from_day = *d;
  }
  if (out.name == "product-adoption") {
    const auto month = param("month");
    if (!month) return "product-adoption needs month=YYYY-MM.";
    const auto first = parse_day(*month + "-01");
    if (!first || month->size() != 7) return "The parameter 'month' must be YYYY-MM.";
    out.month = *month;
    out.from_day = *first;
    std::int64_t last = *first + 27;
    while (day_string(last + 1).substr(0, 7) == *month) ++last;
    out.to_day = last;
  }
  if (out.from_day > out.to_day) return "The parameter 'from' must not be after 'to'.";
  // Any window of whole days is a question (an "all time" one included); the bound only
  // keeps one answer's rows (a row per day) within what a response can hold.
  if (out.to_day - out.from_day >= kMaxWindowDays)
    return "The parameter 'to' must be within 200 years of 'from'.";

  if (out.name == "funnel" || out.name == "trends") {
    const auto feature = param("feature");
    if (out.name == "funnel" && !feature) return "funnel needs feature=NAME.";
    out.feature = feature.value_or("");
  }
  if (const auto days = param("adopted_days")) {
    const auto n = to_int(*days);
    if (!n || *n < 1) return "The parameter 'adopted_days' must be a positive integer.";
    out.adopted_days = *n;
  }
  if (const auto limit = param("limit")) {
    const auto n = to_int(*limit);
    if (!n || *n < 1 || *n > 1000)
      return "The parameter 'limit' must be an integer from 1 to 1000.";
    out.limit = *n;
  }
  out.interval = out.name == "retention" ? Interval::week : Interval::day;
  if (const auto interval = param("interval")) {
    if (*interval == "day")
      out.interval = Interval::day;
    else if (*interval == "week")
      out.interval = Interval::week;
    else
      return "The parameter 'interval' must be day or week.";
  }
  // A row per day and feature (trends) or per cohort day and day (retention): daily rows stay
  // within ten years, weekly ones cover any window.
  if (out.interval == Interval::day && (out.name == "trends" || out.name == "retention") &&
      out.to_day - out.from_day >= kMaxDailyWindowDays)
    return "The parameter 'interval' must be week for a window over ten years.";
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> segment_params(const Segment& segment) {
  std::vector<std::pair<std::string, std::string>> out;
  if (segment.account) out.emplace_back("account", *segment.account);
  if (segment.version) out.emplace_back("version", *segment.version);
  for (const auto& [k, v] : segment.traits) out.emplace_back("trait." + k, v);
  for (const auto& [k, v] : segment.account_traits) out.emplace_back("account_trait." + k, v);
  return out;
}

}  // namespace uptake::collector
