#pragma once
// A computed report as JSON (PROTOCOL.md), CSV (METRICS.md "Report shapes") or a table for a
// person at a terminal.

#include <string>

#include "reports/report.hpp"
#include "reports/report_request.hpp"

namespace uptake::collector {

/// {"app", "from", "to", "segment", fields..., tables...}.
std::string render_json(const Report& report, const ReportRequest& request);
/// The main table (or the one figure set as a single row) with its header line. Cells a
/// spreadsheet would run as a formula are neutralised; NUL never appears.
std::string render_csv(const Report& report);
/// Fixed-width tables in human units: durations as "3.5 d" or "47 min", counts with thousands
/// separators; control characters shown as '?'.
std::string render_text(const Report& report, const ReportRequest& request);

/// A duration in milliseconds in human units ("850 ms", "12 s", "47 min", "5.2 h", "3.5 d").
std::string human_duration(std::int64_t ms);
/// A count with thousands separators ("1,234,567").
std::string human_count(std::int64_t n);

}  // namespace uptake::collector
