#pragma once
// `uptake-collector export --db sqlite:PATH [--app APP]`: every stored event as NDJSON on
// stdout (SQLite keeps raw events in compressed blocks, so this is how to get them out).

#include <string>
#include <vector>

namespace uptake::collector {

/// Runs the export command; returns the process exit code. Errors (one line) go to stderr.
int run_export_command(const std::vector<std::string>& args);

}  // namespace uptake::collector
