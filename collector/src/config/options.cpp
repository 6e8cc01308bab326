#include "config/options.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include "config/limits.hpp"

namespace uptake::collector {
namespace {

std::uint64_t to_number(const std::string& flag, const std::string& value) {
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size()) {
    throw UsageError(flag + ": expected a non-negative integer, got '" + value + "'");
  }
  return n;
}

double to_double(const std::string& flag, const std::string& value) {
  try {
    std::size_t used = 0;
    const double d = std::stod(value, &used);
    if (used != value.size() || !(d > 0)) throw std::invalid_argument("");  // NaN too
    return d;
  } catch (const std::exception&) {
    throw UsageError(flag + ": expected a positive number, got '" + value + "'");
  }
}

AppKeys parse_app(const std::string& value) {
  const auto a = value.find(':');
  const auto b = a == std::string::npos ? a : value.find(':', a + 1);
  if (b == std::string::npos || value.find(':', b + 1) != std::string::npos) {
    throw UsageError("--app: expected NAME:WRITE_KEY:READ_KEY, got '" + value + "'");
  }
  AppKeys app{value.substr(0, a), value.substr(a + 1, b - a - 1), value.substr(b + 1)};
  if (app.name.empty() || app.write_key.empty() || app.read_key.empty()) {
    throw UsageError("--app: name and both keys must be non-empty");
  }
  if (app.write_key == app.read_key)
    throw UsageError("--app " + app.name + ": write and read keys must differ");
  return app;
}

void parse_listen(Options& o, const std::string& value) {
  const auto colon = value.rfind(':');
  if (colon == std::string::npos)
    throw UsageError("--listen: expected HOST:PORT, got '" + value + "'");
  std::string host = value.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const auto port = to_number("--listen", value.substr(colon + 1));
  if (port > 65535) throw UsageError("--listen: port out of range");
  o.listen_host = host.empty() ? "0.0.0.0" : host;
  o.listen_port = static_cast<std::uint16_t>(port);
}

std::vector<std::string> split_list(const std::string& value) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t comma = std::min(value.find(',', start), value.size());
    if (comma > start) out.push_back(value.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

// Applies one setting; the same names serve flags (--name) and config-file keys (name).
void apply(Options& o, const std::string& name, const std::string& value) {
  const std::string flag = "--" + name;
  if (name == "listen")
    parse_listen(o, value);
  else if (name == "db")
    o.db = value;
  else if (name == "app")
    o.apps.push_back(parse_app(value));
  else if (name == "admin-key")
    o.admin_key = value;
  else if (name == "clickhouse-user")
    o.clickhouse_user = value;
  else if (name == "clickhouse-password")
    o.clickhouse_password = value;
  else if (name == "clickhouse-cluster")
    o.clickhouse_cluster = value;
  else if (name == "clickhouse-nodes")
    o.clickhouse_nodes = split_list(value);
  else if (name == "clickhouse-compact-seconds") {
    const std::uint64_t seconds = to_number(flag, value);
    constexpr std::uint64_t kYear = std::uint64_t{366} * 24 * 3600;
    if (seconds > kYear) throw UsageError(flag + " is at most a year (31622400)");
    o.clickhouse_compact_every = std::chrono::seconds(seconds);
  } else if (name == "clickhouse-writers") {
    const std::uint64_t writers = to_number(flag, value);
    if (writers < 1 || writers > limits::kClickHouseMaxWriters)
      throw UsageError(flag + " is 1 to " + std::to_string(limits::kClickHouseMaxWriters));
    o.clickhouse_writers = static_cast<std::size_t>(writers);
  } else if (name == "tls-cert")
    o.tls_cert_file = value;
  else if (name == "tls-key")
    o.tls_key_file = value;
  else if (name == "max-body-bytes")
    o.max_body_bytes = to_number(flag, value);
  else if (name == "max-decompressed-bytes")
    o.max_decompressed_bytes = to_number(flag, value);
  else if (name == "rate-limit-rps")
    o.rate_limit_rps = to_double(flag, value);
  else if (name == "rate-limit-burst")
    o.rate_limit_burst = to_double(flag, value);
  else if (name == "address-rate-limit-rps")
    o.address_rate_limit_rps = to_double(flag, value);
  else if (name == "address-rate-limit-burst")
    o.address_rate_limit_burst = to_double(flag, value);
  else if (name == "client-address-header")
    o.client_address_header = value;
  else if (name == "max-connections")
    o.max_connections = to_number(flag, value);
  else if (name == "max-connections-per-address")
    o.max_connections_per_address = to_number(flag, value);
  else if (name == "max-ingest-memory-bytes")
    o.max_ingest_memory_bytes = to_number(flag, value);
  else if (name == "report-threads")
    o.report_threads = to_number(flag, value);
  else if (name == "report-queue")
    o.report_queue = to_number(flag, value);
  else if (name == "header-timeout-ms")
    o.header_timeout_ms = std::chrono::milliseconds(to_number(flag, value));
  else if (name == "body-timeout-ms")
    o.body_timeout_ms = std::chrono::milliseconds(to_number(flag, value));
  else if (name == "idle-timeout-ms")
    o.idle_timeout_ms = std::chrono::milliseconds(to_number(flag, value));
  else if (name == "shutdown-grace-ms")
    o.shutdown_grace_ms = std::chrono::milliseconds(to_number(flag, value));
  else if (name == "max-db-bytes")
    o.max_db_bytes = to_number(flag, value);
  else if (name == "threads")
    o.threads = static_cast<unsigned>(to_number(flag, value));
  else if (name == "durability") {
    if (value == "normal")
      o.durability = Durability::normal;
    else if (value == "fsync")
      o.durability = Durability::fsync;
    else
      throw UsageError("--durability: expected normal or fsync, got '" + value + "'");
  } else if (name == "log-requests") {
    o.log_requests = value != "false" && value != "0";
  } else {
    throw UsageError("unknown option " + flag + " (see --help)");
  }
}

void apply_config_file(Options& o, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError("--config: cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(text.str()).get(root))
    throw UsageError("--config: " + path + " is not a JSON object");
  for (auto [key, value] : root) {
    const std::string name(key);
    if (name == "apps") {
      simdjson::dom::array apps;
      if (value.get(apps)) throw UsageError("--config: apps must be an array");
      for (auto app : apps) {
        std::string_view n, w, r;
        if (app["name"].get(n) || app["write_key"].get(w) || app["read_key"].get(r)) {
          throw UsageError("--config: each app needs name, write_key and read_key strings");
        }
        apply(o, "app", std::string(n) + ":" + std::string(w) + ":" + std::string(r));
      }
      continue;
    }
    std::string text_value;
    if (value.is_string())
      text_value = std::string(std::string_view(value));
    else if (value.is_bool())
      text_value = bool(value) ? "true" : "false";
    else if (value.is_number())
      text_value = simdjson::minify(value);
    else
      throw UsageError("--config: " + name + " must be a string, number or boolean");
    apply(o, name, text_value);
  }
}

}  // namespace

DbSpec parse_db_spec(const std::string& db) {
  if (db.starts_with("sqlite:") && db.size() > 7) return {DbSpec::Backend::sqlite, db.substr(7)};
  if (db.starts_with("clickhouse:") && db.size() > 11)
    return {DbSpec::Backend::clickhouse, db.substr(11)};
  throw UsageError("--db: expected sqlite:PATH or clickhouse:URL, got '" + db + "'");
}

Options parse_options(const std::vector<std::string>& args) {
  // First pass: the config file, so flags given on the command line win.
  Options o;
  std::vector<std::pair<std::string, std::string>> flags;
  bool apps_from_flags = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (!arg.starts_with("--")) throw UsageError("unexpected argument '" + arg + "' (see --help)");
    std::string name = arg.substr(2), value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else {
      if (i + 1 >= args.size()) throw UsageError(arg + " needs a value");
      value = args[++i];
    }
    if (name == "config") {
      apply_config_file(o, value);
    } else {
      apps_from_flags = apps_from_flags || name == "app";
      flags.emplace_back(name, value);
    }
  }
  if (apps_from_flags) o.apps.clear();  // --app on the command line replaces the file's apps
  for (const auto& [name, value] : flags) apply(o, name, value);

  if (o.apps.empty()) throw UsageError("at least one --app NAME:WRITE_KEY:READ_KEY is required");
  if (o.tls_cert_file.empty() != o.tls_key_file.empty()) {
    throw UsageError("--tls-cert and --tls-key go together");
  }
  if (!o.clickhouse_cluster.empty() && parse_db_spec(o.db).backend != DbSpec::Backend::clickhouse) {
    throw UsageError("--clickhouse-cluster needs --db clickhouse:URL");
  }
  if (o.clickhouse_nodes.size() > 0 && o.clickhouse_cluster.empty()) {
    throw UsageError("--clickhouse-nodes goes with --clickhouse-cluster");
  }
  if (o.max_body_bytes == 0 || o.max_decompressed_bytes == 0) {
    throw UsageError("body limits must be positive");
  }
  if (o.report_threads == 0) throw UsageError("--report-threads must be at least 1");
  if (o.address_rate_limit_rps == 0) o.address_rate_limit_rps = o.rate_limit_rps / 4;
  if (o.address_rate_limit_burst == 0) o.address_rate_limit_burst = o.rate_limit_burst / 4;
  // One largest batch must fit: its body, its decompressed text and its parsed events.
  if (o.max_ingest_memory_bytes < o.max_body_bytes + 3 * o.max_decompressed_bytes) {
    throw UsageError(
        "--max-ingest-memory-bytes must hold one largest batch: at least --max-body-bytes + 3 x "
        "--max-decompressed-bytes");
  }
  return o;
}

std::string usage_text() {
  return R"(uptake-collector: receives Uptake events and serves adoption reports.

Usage:
  uptake-collector --listen HOST:PORT --db sqlite:PATH --app NAME:WRITE_KEY:READ_KEY
                   [--app ...] [--admin-key KEY] [--tls-cert FILE --tls-key FILE]
                   [--config FILE] [options]
  uptake-collector report NAME --db sqlite:PATH --app APP [--from D] [--to D] [--format table|json|csv]
                   (a report straight from the database; 'uptake-collector report --help')
  uptake-collector export --db sqlite:PATH [--app APP]
                   (every stored event as NDJSON on stdout)

Options (every option may also be a key of the --config JSON file, without the dashes;
apps there are "apps": [{"name","write_key","read_key"}]; command-line flags win):
  --listen HOST:PORT          address to listen on (default 127.0.0.1:8080)
  --db sqlite:PATH            storage: a SQLite file (created if missing), or
  --db clickhouse:URL         ClickHouse over HTTP, e.g. clickhouse:http://127.0.0.1:8123/uptake
                              (database and tables created if missing)
  --clickhouse-user U, --clickhouse-password P   ClickHouse credentials
  --clickhouse-cluster NAME   a remote_servers cluster of the ClickHouse config: events go to
                              per-node events_local tables through a Distributed table,
                              sharded by install (anon); see docs/deployment.md
  --clickhouse-nodes URL,...  every node of that cluster (http://host:port), where the schema
                              is created and deletions run (default: the --db node only)
  --clickhouse-compact-seconds N  merge the rollups' spread partitions into one part each
                              every N seconds (default 3600; 0: never)
  --clickhouse-writers N      writer lanes, each with its own INSERTs, two threads and two
                              connections (default 1, at most 64); an event's id picks its lane
  --app NAME:WRITE:READ       an app and its write (ingest) and read (reports) keys; repeatable
  --admin-key KEY             collector-wide key: user deletion, config replacement, reports
  --tls-cert FILE, --tls-key FILE   serve HTTPS (TLS 1.2+) with this PEM certificate and key
  --config FILE               JSON file with any of these settings
  --max-body-bytes N          largest compressed request body (default 5242880)
  --max-decompressed-bytes N  largest decompressed batch (default 52428800)
  --rate-limit-rps R          requests per second per key (default 200)
  --rate-limit-burst B        burst size per key (default 400)
  --address-rate-limit-rps R  requests per second per client address (default: a quarter
                              of --rate-limit-rps)
  --address-rate-limit-burst B  burst size per client address (default: a quarter of
                              --rate-limit-burst)
  --client-address-header H   take the client address from this header's last entry (a
                              trusted proxy's X-Forwarded-For); default: the peer address
  --max-connections N         concurrent connections (default 1024)
  --max-connections-per-address N  concurrent connections per client address (default 128;
                              0: no cap, e.g. behind a load balancer)
  --max-ingest-memory-bytes N memory all batch bodies may hold at once (default 536870912);
                              beyond it ingest answers 503 with Retry-After
  --report-threads N          threads computing reports (default 2)
  --report-queue N            reports that may wait for a thread (default 16); more get 429
  --header-timeout-ms MS      time to receive request headers (default 10000)
  --body-timeout-ms MS        time to receive a request body (default 30000)
  --idle-timeout-ms MS        keep-alive idle time (default 60000)
  --shutdown-grace-ms MS      time to finish in-flight requests on SIGTERM (default 10000)
  --durability normal|fsync   normal: a 200 survives a collector crash (WAL, synchronous=NORMAL);
                              fsync: also survives power loss (synchronous=FULL)
  --max-db-bytes N            storage quota; past it ingest answers 503 (default: none)
  --threads N                 I/O threads (default: one per core)
  --log-requests true|false   one JSON log line per request (default true)
  --help                      this text
)";
}

}  // namespace uptake::collector
