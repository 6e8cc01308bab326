#pragma once
// Every METRICS.md report computed on the SQLite store. Persons are resolved by the
// `resolved` view (user, else the user an identify tied to the anon, else the anon).

#include <string>
#include <vector>

#include "reports/report.hpp"

struct sqlite3;

namespace uptake::collector {

/// Computes `request` on `db`. `key_actions` is the app config's list (may be empty).
/// Throws StoreError on database errors.
Report run_sqlite_report(sqlite3* db, const ReportRequest& request,
                         const std::vector<std::string>& key_actions);

}  // namespace uptake::collector
