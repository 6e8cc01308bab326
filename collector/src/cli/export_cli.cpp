#include "cli/export_cli.hpp"

#include <cstdio>
#include <iostream>

#include "cli/event_json.hpp"
#include "storage/open_store.hpp"

namespace uptake::collector {

int run_export_command(const std::vector<std::string>& args) {
  const char* usage = "usage: uptake-collector export --db sqlite:PATH [--app APP]\n";
  std::string db, app;
  for (std::size_t i = 0; i < args.size(); i += 2) {
    if (args[i] == "--help") {
      std::cout << usage;
      return 0;
    }
    if (i + 1 >= args.size() || (args[i] != "--db" && args[i] != "--app")) {
      std::fprintf(stderr, "uptake-collector export: bad argument '%s'\n%s", args[i].c_str(),
                   usage);
      return 2;
    }
    (args[i] == "--db" ? db : app) = args[i + 1];
  }
  if (!db.starts_with("sqlite:")) {
    std::fprintf(stderr,
                 "uptake-collector export: --db sqlite:PATH is required (ClickHouse keeps raw "
                 "events in its events table: use clickhouse-client)\n");
    return 2;
  }
  try {
    Options options;
    options.db = db;
    const std::unique_ptr<Store> store = open_store(options, StoreAccess::reader);
    std::string line;
    store->for_each_event(app, [&](const std::string& event_app, const Event& e) {
      line.clear();
      append_event_json(line, event_app, e);
      line += '\n';
      std::fwrite(line.data(), 1, line.size(), stdout);
    });
    store->close();
    return std::fflush(stdout) == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "uptake-collector export: %s\n", e.what());
    return 1;
  }
}

}  // namespace uptake::collector
