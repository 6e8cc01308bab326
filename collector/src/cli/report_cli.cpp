#include "cli/report_cli.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>

#include "reports/calendar.hpp"
#include "reports/render.hpp"
#include "reports/report_request.hpp"
#include "storage/open_store.hpp"

namespace uptake::collector {
namespace {

constexpr const char* kUsage =
    "usage: uptake-collector report NAME --db sqlite:PATH|clickhouse:URL --app APP\n"
    "       [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format table|json|csv]\n"
    "       [--feature F] [--adopted-days N] [--month YYYY-MM] [--limit N] [--interval day|week]\n"
    "       [--account A] [--version V] [--trait KEY=VALUE]... [--account-trait KEY=VALUE]...\n"
    "       [--clickhouse-user U] [--clickhouse-password P] [--clickhouse-cluster NAME]\n";

int fail(const std::string& message) {
  std::fprintf(stderr, "uptake-collector report: %s\n", message.c_str());
  return 2;
}

}  // namespace

int run_report_command(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help") {
    std::cout << kUsage << "NAME: " << report_names() << "\n";
    return args.empty() ? 2 : 0;
  }
  ReportRequest q;
  q.name = args[0];
  if (!is_report_name(q.name)) return fail("unknown report '" + q.name + "'\n" + kUsage);
  // Flags map onto the HTTP API's parameters, so both are checked by the same code.
  static const std::map<std::string, std::string> kParams = {
      {"from", "from"},         {"to", "to"},
      {"feature", "feature"},   {"adopted-days", "adopted_days"},
      {"month", "month"},       {"limit", "limit"},
      {"interval", "interval"}, {"account", "account"},
      {"version", "version"}};
  ReportParams params;
  std::map<std::string, std::string> own;  // the command's own options
  for (std::size_t i = 1; i < args.size(); i += 2) {
    if (!args[i].starts_with("--") || i + 1 >= args.size())
      return fail("bad argument '" + args[i] + "'\n" + kUsage);
    const std::string name = args[i].substr(2), value = args[i + 1];
    if (name == "trait" || name == "account-trait") {
      const auto eq = value.find('=');
      if (eq == std::string::npos) return fail("--" + name + " takes KEY=VALUE");
      params.emplace_back((name == "trait" ? "trait." : "account_trait.") + value.substr(0, eq),
                          value.substr(eq + 1));
    } else if (const auto p = kParams.find(name); p != kParams.end()) {
      params.emplace_back(p->second, value);
    } else if (name == "db" || name == "app" || name == "format" || name == "clickhouse-user" ||
               name == "clickhouse-password" || name == "clickhouse-cluster") {
      own[name] = value;
    } else {
      return fail("unknown option --" + name);
    }
  }
  auto opt = [&](const char* k) { return own.contains(k) ? own[k] : std::string(); };
  const std::string db = opt("db"), format = own.contains("format") ? opt("format") : "table";
  if ((!db.starts_with("sqlite:") && !db.starts_with("clickhouse:")) || opt("app").empty())
    return fail("--db sqlite:PATH or clickhouse:URL, and --app, are required");
  if (format != "table" && format != "json" && format != "csv")
    return fail("--format must be table, json or csv");
  q.app = opt("app");
  const auto today = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count() /
                     kDayMs;
  if (auto problem = parse_report_request(q, params, today)) return fail(*problem);
  try {
    Options options;
    options.db = db;
    options.clickhouse_user = opt("clickhouse-user");
    options.clickhouse_password = opt("clickhouse-password");
    options.clickhouse_cluster = opt("clickhouse-cluster");
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
