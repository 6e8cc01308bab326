#pragma once
// Every METRICS.md report computed by ClickHouse from the rollups of clickhouse_rollups.hpp, on
// one node or through Distributed tables over shards. Persons are resolved in the query (user,
// else the user of the anon's earliest identify, else the anon) with a GLOBAL join against the
// ties rollup, so the numbers do not depend on how events are spread over shards or on when an
// identify arrived. Counts of events merge uniqExact(id) states: a resend that two collectors
// stored at once, not merged yet, still counts once.

#include <functional>
#include <string>
#include <vector>

#include "reports/report.hpp"
#include "reports/report_request.hpp"

namespace uptake::collector {

/// Runs one statement and returns its TabSeparated answer. Throws StoreError. Every statement
/// of one report runs in one ClickHouse session (its temporary tables are shared).
using ClickHouseQuery = std::function<std::string(const std::string& sql)>;

/// Computes `request` on the rollups of `database`. Throws StoreError.
Report run_clickhouse_report(const ClickHouseQuery& query, const std::string& database,
                             const ReportRequest& request);

}  // namespace uptake::collector
