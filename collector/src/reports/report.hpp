#pragma once
// A computed report (METRICS.md): figure fields and named tables of typed values, which
// render.hpp turns into JSON, CSV or a terminal table.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace uptake::collector {

/// JSON null (a lift without a control group).
struct Null {
  bool operator==(const Null&) const = default;
};
/// A JSON array of integers (retention's `retained`) or of numbers (`rates`, `lift_ci95`).
using IntList = std::vector<std::int64_t>;
using NumberList = std::vector<double>;
/// A JSON object of counts by name (a choice survey's `choices`), in name order.
using Counts = std::vector<std::pair<std::string, std::int64_t>>;

using ReportValue =
    std::variant<Null, std::int64_t, double, std::string, IntList, NumberList, Counts>;

struct ReportTable {
  std::string name;
  std::vector<std::string> columns;
  std::vector<std::vector<ReportValue>> rows;
};

struct Report {
  std::vector<std::pair<std::string, ReportValue>> fields;
  std::vector<ReportTable> tables;
  /// The table CSV gives; empty means CSV gives the fields as one row.
  std::string csv_table;
  /// Columns CSV leaves out (JSON only, e.g. `choices`).
  std::vector<std::string> json_only;
  /// A table CSV gives instead of csv_table (retention's one line per cohort and interval).
  std::optional<ReportTable> csv_lines;
};

}  // namespace uptake::collector
