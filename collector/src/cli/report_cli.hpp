#pragma once
// `uptake-collector report NAME --db ... --app ...`: a report straight from the database file,
// without a running server.

#include <string>
#include <vector>

namespace uptake::collector {

/// Runs the report command; returns the process exit code. Output goes to stdout, errors
/// (one line) to stderr.
int run_report_command(const std::vector<std::string>& args);

}  // namespace uptake::collector
