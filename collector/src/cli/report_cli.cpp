#include "cli/report_cli.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>

#include "reports/report.hpp"
#include "storage/open_store.hpp"

namespace uptake::collector {

int run_report_command(const std::vector<std::string>& args) {
  const char* usage =
      "usage: uptake-collector report NAME --db sqlite:PATH|clickhouse:URL --app APP\n"
      "       [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--feature F] [--adopted-days N]\n"
      "       [--month YYYY-MM] [--format table|json|csv]\n"
      "       [--clickhouse-user U] [--clickhouse-password P] [--clickhouse-cluster NAME]\n"
      "NAME: overview, features, first-action, stickiness, funnel, tips, product-adoption\n";
  if (args.empty() || args[0] == "--help") {
    std::cout << usage;
    return args.empty() ? 2 : 0;
  }
  ReportRequest q;
  q.name = args[0];
  std::map<std::string, std::string> opts;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (!args[i].starts_with("--") || i + 1 >= args.size()) {
      std::fprintf(stderr, "uptake-collector report: bad argument '%s'\n%s", args[i].c_str(),
                   usage);
      return 2;
    }
    opts[args[i].substr(2)] = args[i + 1];
    ++i;
  }
  auto opt = [&](const char* k) -> std::optional<std::string> {
    auto it = opts.find(k);
    return it == opts.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  for (const auto& [k, v] : opts) {
    if (k != "db" && k != "app" && k != "from" && k != "to" && k != "feature" &&
        k != "adopted-days" && k != "month" && k != "format" && k != "clickhouse-user" &&
        k != "clickhouse-password" && k != "clickhouse-cluster") {
      std::fprintf(stderr, "uptake-collector report: unknown option --%s\n", k.c_str());
      return 2;
    }
  }
  if (!is_report_name(q.name)) {
    std::fprintf(stderr, "uptake-collector report: unknown report '%s'\n%s", q.name.c_str(), usage);
    return 2;
  }
  const std::string db = opt("db").value_or(""), format = opt("format").value_or("table");
  if ((!db.starts_with("sqlite:") && !db.starts_with("clickhouse:")) || !opt("app")) {
    std::fprintf(stderr,
                 "uptake-collector report: --db sqlite:PATH or clickhouse:URL, and --app, are "
                 "required\n");
    return 2;
  }
  if (format != "table" && format != "json" && format != "csv") {
    std::fprintf(stderr, "uptake-collector report: --format must be table, json or csv\n");
    return 2;
  }
  q.app = *opt("app");
  const auto today = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count() /
                     kDayMs;
  if (auto problem = parse_report_request(q, opt("from"), opt("to"), opt("feature"),
                                          opt("adopted-days"), opt("month"), today)) {
    std::fprintf(stderr, "uptake-collector report: %s\n", problem->c_str());
    return 2;
  }
  try {
    Options options;
    options.db = db;
    options.clickhouse_user = opt("clickhouse-user").value_or("");
    options.clickhouse_password = opt("clickhouse-password").value_or("");
    options.clickhouse_cluster = opt("clickhouse-cluster").value_or("");
    const std::unique_ptr<Store> store = open_store(options, StoreAccess::reader);
    const Report report = store->report(q);
    store->close();
    if (format == "json")
      std::cout << render_json(report, q) << "\n";
    else if (format == "csv")
      std::cout << render_csv(report);
    else
      std::cout << render_text(report, q);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "uptake-collector report: %s\n", e.what());
    return 1;
  }
}

}  // namespace uptake::collector
