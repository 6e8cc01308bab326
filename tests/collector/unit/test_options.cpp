// The collector's settings (config/options.hpp): flags, the --config file under them, the
// defaults, and a one-line UsageError for everything that cannot work.

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "config/options.hpp"

using namespace uptake::collector;
using Args = std::vector<std::string>;

namespace {

// A --config file that is removed at scope exit.
class ConfigFile {
 public:
  explicit ConfigFile(const std::string& text) {
    static std::atomic<int> counter{0};
    path_ =
        std::filesystem::temp_directory_path() / ("uptake-options-" + std::to_string(::getpid()) +
                                                  "-" + std::to_string(counter++) + ".json");
    std::ofstream(path_) << text;
  }
  ~ConfigFile() { std::filesystem::remove(path_); }
  ConfigFile(const ConfigFile&) = delete;
  ConfigFile& operator=(const ConfigFile&) = delete;
  [[nodiscard]] std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// parse_options with one app and `extra`.
Options parse(Args extra) {
  Args args = {"--app", "notes:w:r"};
  args.insert(args.end(), extra.begin(), extra.end());
  return parse_options(args);
}

// The UsageError's message, or "" when `args` parse.
std::string usage_error(const Args& args) {
  try {
    parse_options(args);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

std::string usage_error_with_app(Args extra) {
  Args args = {"--app", "notes:w:r"};
  args.insert(args.end(), extra.begin(), extra.end());
  return usage_error(args);
}

}  // namespace

TEST(Options, OneAppIsAllItTakes) {
  const Options o = parse({});
  ASSERT_EQ(o.apps.size(), 1u);
  EXPECT_EQ(o.apps[0].name, "notes");
  EXPECT_EQ(o.apps[0].write_key, "w");
  EXPECT_EQ(o.apps[0].read_key, "r");
  EXPECT_EQ(o.listen_host, "127.0.0.1");
  EXPECT_EQ(o.listen_port, 8080);
  EXPECT_EQ(o.db, "sqlite:./uptake.db");
  EXPECT_EQ(o.admin_key, "");
  EXPECT_EQ(o.max_body_bytes, 5u * 1024 * 1024);
  EXPECT_EQ(o.max_decompressed_bytes, 50u * 1024 * 1024);
  EXPECT_EQ(o.rate_limit_rps, 200);
  EXPECT_EQ(o.rate_limit_burst, 400);
  EXPECT_EQ(o.max_connections, 1024u);
  EXPECT_EQ(o.max_connections_per_address, 128u);
  EXPECT_EQ(o.max_ingest_memory_bytes, 512u * 1024 * 1024);
  EXPECT_EQ(o.report_threads, 2u);
  EXPECT_EQ(o.clickhouse_compact_every, std::chrono::hours(1));
  EXPECT_EQ(o.clickhouse_writers, 1u);
  EXPECT_EQ(o.report_queue, 16u);
  EXPECT_EQ(o.header_timeout_ms.count(), 10'000);
  EXPECT_EQ(o.body_timeout_ms.count(), 30'000);
  EXPECT_EQ(o.idle_timeout_ms.count(), 60'000);
  EXPECT_EQ(o.shutdown_grace_ms.count(), 10'000);
  EXPECT_EQ(o.durability, Durability::normal);
  EXPECT_EQ(o.max_db_bytes, 0u);
  EXPECT_EQ(o.threads, 0u);
  EXPECT_TRUE(o.log_requests);
  EXPECT_TRUE(o.tls_cert_file.empty());
}

TEST(Options, TheAddressRateLimitDefaultsToAQuarterOfTheKeys) {
  const Options defaults = parse({});
  EXPECT_EQ(defaults.address_rate_limit_rps, 50);
  EXPECT_EQ(defaults.address_rate_limit_burst, 100);
  const Options scaled = parse({"--rate-limit-rps", "40", "--rate-limit-burst", "8"});
  EXPECT_EQ(scaled.address_rate_limit_rps, 10);
  EXPECT_EQ(scaled.address_rate_limit_burst, 2);
  const Options own = parse({"--rate-limit-rps", "40", "--address-rate-limit-rps", "3"});
  EXPECT_EQ(own.address_rate_limit_rps, 3);
  EXPECT_EQ(own.address_rate_limit_burst, 100);  // a quarter of the default burst
  EXPECT_EQ(parse({"--address-rate-limit-burst", "4.5"}).address_rate_limit_burst, 4.5);
}

TEST(Options, AFlagTakesTheNextArgumentOrWhatFollowsItsEqualsSign) {
  EXPECT_EQ(parse({"--listen", "0.0.0.0:9000"}).listen_port, 9000);
  EXPECT_EQ(parse({"--listen=0.0.0.0:9001"}).listen_port, 9001);
  EXPECT_EQ(parse({"--admin-key=a=b"}).admin_key, "a=b");  // only the first '=' splits
  EXPECT_EQ(parse({"--admin-key="}).admin_key, "");
  EXPECT_EQ(parse({"--admin-key", "--not-a-flag"}).admin_key, "--not-a-flag");
}

TEST(Options, ListenTakesHostAndPort) {
  const Options v4 = parse({"--listen", "10.0.0.5:1234"});
  EXPECT_EQ(v4.listen_host, "10.0.0.5");
  EXPECT_EQ(v4.listen_port, 1234);
  const Options v6 = parse({"--listen", "[::1]:8443"});
  EXPECT_EQ(v6.listen_host, "::1");
  EXPECT_EQ(v6.listen_port, 8443);
  const Options any = parse({"--listen", ":8081"});
  EXPECT_EQ(any.listen_host, "0.0.0.0");
  EXPECT_EQ(any.listen_port, 8081);
  EXPECT_EQ(parse({"--listen", "h:65535"}).listen_port, 65535);
}

TEST(Options, EveryFlagReachesItsSetting) {
  const Options o = parse({"--db",
                           "clickhouse:http://ch:8123/uptake",
                           "--admin-key",
                           "adm",
                           "--clickhouse-user",
                           "u",
                           "--clickhouse-password",
                           "p",
                           "--clickhouse-cluster",
                           "c",
                           "--clickhouse-nodes",
                           "http://a:8123,,http://b:8123,",
                           "--clickhouse-compact-seconds",
                           "60",
                           "--clickhouse-writers",
                           "5",
                           "--tls-cert",
                           "cert.pem",
                           "--tls-key",
                           "key.pem",
                           "--max-body-bytes",
                           "1000",
                           "--max-decompressed-bytes",
                           "2000",
                           "--client-address-header",
                           "X-Forwarded-For",
                           "--max-connections",
                           "7",
                           "--max-connections-per-address",
                           "0",
                           "--max-ingest-memory-bytes",
                           "7000",
                           "--report-threads",
                           "3",
                           "--report-queue",
                           "0",
                           "--header-timeout-ms",
                           "11",
                           "--body-timeout-ms",
                           "12",
                           "--idle-timeout-ms",
                           "13",
                           "--shutdown-grace-ms",
                           "14",
                           "--durability",
                           "fsync",
                           "--max-db-bytes",
                           "1000000",
                           "--threads",
                           "4",
                           "--log-requests",
                           "false"});
  EXPECT_EQ(o.db, "clickhouse:http://ch:8123/uptake");
  EXPECT_EQ(o.admin_key, "adm");
  EXPECT_EQ(o.clickhouse_user, "u");
  EXPECT_EQ(o.clickhouse_password, "p");
  EXPECT_EQ(o.clickhouse_cluster, "c");
  EXPECT_EQ(o.clickhouse_nodes, (std::vector<std::string>{"http://a:8123", "http://b:8123"}));
  EXPECT_EQ(o.clickhouse_compact_every, std::chrono::seconds(60));
  EXPECT_EQ(o.clickhouse_writers, 5u);
  EXPECT_EQ(o.tls_cert_file, "cert.pem");
  EXPECT_EQ(o.tls_key_file, "key.pem");
  EXPECT_EQ(o.max_body_bytes, 1000u);
  EXPECT_EQ(o.max_decompressed_bytes, 2000u);
  EXPECT_EQ(o.client_address_header, "X-Forwarded-For");
  EXPECT_EQ(o.max_connections, 7u);
  EXPECT_EQ(o.max_connections_per_address, 0u);
  EXPECT_EQ(o.max_ingest_memory_bytes, 7000u);
  EXPECT_EQ(o.report_threads, 3u);
  EXPECT_EQ(o.report_queue, 0u);
  EXPECT_EQ(o.header_timeout_ms.count(), 11);
  EXPECT_EQ(o.body_timeout_ms.count(), 12);
  EXPECT_EQ(o.idle_timeout_ms.count(), 13);
  EXPECT_EQ(o.shutdown_grace_ms.count(), 14);
  EXPECT_EQ(o.durability, Durability::fsync);
  EXPECT_EQ(o.max_db_bytes, 1'000'000u);
  EXPECT_EQ(o.threads, 4u);
  EXPECT_FALSE(o.log_requests);
}

TEST(Options, LogRequestsIsOffOnlyForFalseOrZero) {
  EXPECT_FALSE(parse({"--log-requests", "false"}).log_requests);
  EXPECT_FALSE(parse({"--log-requests", "0"}).log_requests);
  EXPECT_TRUE(parse({"--log-requests", "true"}).log_requests);
  EXPECT_TRUE(parse({"--log-requests", "1"}).log_requests);
}

TEST(Options, AppsAreRepeatable) {
  const Options o = parse_options({"--app", "a:wa:ra", "--app=b:wb:rb"});
  ASSERT_EQ(o.apps.size(), 2u);
  EXPECT_EQ(o.apps[0].name, "a");
  EXPECT_EQ(o.apps[1].name, "b");
  EXPECT_EQ(o.apps[1].write_key, "wb");
  EXPECT_EQ(o.apps[1].read_key, "rb");
}

TEST(Options, TheConfigFileSetsWhatFlagsDoNot) {
  const ConfigFile file(R"({
    "listen": "127.0.0.1:7000",
    "rate-limit-rps": 50,
    "rate-limit-burst": 10.5,
    "report-threads": 3,
    "log-requests": false,
    "durability": "fsync",
    "apps": [{"name": "a", "write_key": "wa", "read_key": "ra"},
             {"name": "b", "write_key": "wb", "read_key": "rb"}]
  })");
  const Options o = parse_options({"--config", file.path()});
  EXPECT_EQ(o.listen_port, 7000);
  EXPECT_EQ(o.rate_limit_rps, 50);
  EXPECT_EQ(o.rate_limit_burst, 10.5);
  EXPECT_EQ(o.report_threads, 3u);
  EXPECT_FALSE(o.log_requests);
  EXPECT_EQ(o.durability, Durability::fsync);
  ASSERT_EQ(o.apps.size(), 2u);
  EXPECT_EQ(o.apps[1].name, "b");
  EXPECT_EQ(o.apps[1].read_key, "rb");
  EXPECT_EQ(o.address_rate_limit_rps, 12.5);  // a quarter of the file's rate
}

TEST(Options, FlagsWinOverTheConfigFileWhereverTheyStand) {
  const ConfigFile file(R"({"rate-limit-rps": 50, "listen": "127.0.0.1:7000", "admin-key": "f",
                            "apps": [{"name": "a", "write_key": "wa", "read_key": "ra"}]})");
  const Options after = parse_options({"--config", file.path(), "--rate-limit-rps", "60"});
  EXPECT_EQ(after.rate_limit_rps, 60);
  EXPECT_EQ(after.listen_port, 7000);
  const Options before =
      parse_options({"--rate-limit-rps", "60", "--admin-key=flag", "--config=" + file.path()});
  EXPECT_EQ(before.rate_limit_rps, 60);
  EXPECT_EQ(before.admin_key, "flag");
  EXPECT_EQ(before.listen_port, 7000);
}

TEST(Options, AppsOnTheCommandLineReplaceTheConfigFilesApps) {
  const ConfigFile file(R"({"apps": [{"name": "a", "write_key": "wa", "read_key": "ra"}]})");
  const Options o = parse_options({"--config", file.path(), "--app", "b:wb:rb"});
  ASSERT_EQ(o.apps.size(), 1u);
  EXPECT_EQ(o.apps[0].name, "b");
}

TEST(Options, ConfigFileProblemsAreUsageErrors) {
  EXPECT_NE(usage_error({"--config", "/nonexistent/uptake.json"}).find("cannot read"),
            std::string::npos);
  for (const char* text : {
           "not json",
           "[1, 2]",
           R"({"apps": {"name": "a"}})",
           R"({"apps": [{"name": "a", "write_key": "wa"}]})",
           R"({"apps": [{"name": "a", "write_key": "wa", "read_key": 5}]})",
           R"({"apps": [{"name": "a", "write_key": "k", "read_key": "k"}]})",
           R"({"rate-limit-rps": {"per": "second"}})",
           R"({"rate-limit-rps": [1]})",
           R"({"no-such-setting": 1})",
           R"({"rate-limit-rps": -1})",
       }) {
    const ConfigFile file(text);
    EXPECT_NE(usage_error_with_app({"--config", file.path()}), "") << text;
  }
}

TEST(Options, UnknownOptionsAndStrayArgumentsAreUsageErrors) {
  EXPECT_NE(usage_error_with_app({"--no-such-flag", "1"}).find("--no-such-flag"),
            std::string::npos);
  EXPECT_NE(usage_error_with_app({"serve"}).find("serve"), std::string::npos);
  EXPECT_NE(usage_error_with_app({"-v"}), "");
  EXPECT_NE(usage_error_with_app({"--listen"}).find("--listen"), std::string::npos);
  EXPECT_NE(usage_error_with_app({"--=x"}), "");
}

TEST(Options, AnAppNeedsANameAndTwoDifferentKeys) {
  EXPECT_NE(usage_error({}), "");  // no app at all
  for (const char* app :
       {"notes", "notes:w", "notes:w:r:x", ":w:r", "notes::r", "notes:w:", "notes:k:k"}) {
    EXPECT_NE(usage_error({"--app", app}), "") << app;
  }
}

TEST(Options, NumbersMustBeWholeAndInRange) {
  for (const char* value :
       {"-1", "12abc", "", "1.5", " 5", "0x10", "1e3", "99999999999999999999999"}) {
    EXPECT_NE(usage_error_with_app({"--max-body-bytes", value}).find("--max-body-bytes"),
              std::string::npos)
        << value;
  }
  EXPECT_NE(usage_error_with_app({"--report-queue", "many"}), "");
  EXPECT_NE(usage_error_with_app({"--threads", "-2"}), "");
  EXPECT_NE(usage_error_with_app({"--header-timeout-ms", "1s"}), "");
}

TEST(Options, RatesMustBePositiveNumbers) {
  for (const char* flag : {"--rate-limit-rps", "--rate-limit-burst", "--address-rate-limit-rps",
                           "--address-rate-limit-burst"}) {
    for (const char* value : {"0", "-3", "abc", "5x", "", "nan", "1e999"}) {
      EXPECT_NE(usage_error_with_app({flag, value}).find(flag), std::string::npos)
          << flag << " " << value;
    }
    EXPECT_EQ(usage_error_with_app({flag, "0.5"}), "") << flag;
  }
}

TEST(Options, ListenNeedsAPortInRange) {
  for (const char* listen : {"localhost", "host:", "host:http", "host:65536", "host:-1"}) {
    EXPECT_NE(usage_error_with_app({"--listen", listen}).find("--listen"), std::string::npos)
        << listen;
  }
}

TEST(Options, DurabilityIsNormalOrFsync) {
  EXPECT_NE(usage_error_with_app({"--durability", "sometimes"}).find("--durability"),
            std::string::npos);
  EXPECT_NE(usage_error_with_app({"--durability", "FSYNC"}), "");
}

TEST(Options, TlsCertAndKeyGoTogether) {
  EXPECT_NE(usage_error_with_app({"--tls-cert", "c.pem"}), "");
  EXPECT_NE(usage_error_with_app({"--tls-key", "k.pem"}), "");
  EXPECT_EQ(usage_error_with_app({"--tls-cert", "c.pem", "--tls-key", "k.pem"}), "");
}

TEST(Options, LimitsThatCannotWorkAreRefused) {
  EXPECT_NE(usage_error_with_app({"--max-body-bytes", "0"}), "");
  EXPECT_NE(usage_error_with_app({"--max-decompressed-bytes", "0"}), "");
  EXPECT_NE(usage_error_with_app({"--report-threads", "0"}), "");
}

TEST(Options, IngestMemoryMustHoldOneLargestBatch) {
  // The body, its decompressed text and its parsed events: 100 + 3 x 1000.
  const Args limits = {"--max-body-bytes", "100", "--max-decompressed-bytes", "1000"};
  Args too_small = limits, just_enough = limits;
  too_small.insert(too_small.end(), {"--max-ingest-memory-bytes", "3099"});
  just_enough.insert(just_enough.end(), {"--max-ingest-memory-bytes", "3100"});
  EXPECT_NE(usage_error_with_app(too_small).find("--max-ingest-memory-bytes"), std::string::npos);
  EXPECT_EQ(usage_error_with_app(just_enough), "");
  // The default budget is too small for 200 MiB batches.
  EXPECT_NE(usage_error_with_app({"--max-decompressed-bytes", "209715200"}), "");
}

TEST(Options, CompactionRunsAtMostAYearApartOrNever) {
  EXPECT_EQ(usage_error_with_app({"--clickhouse-compact-seconds", "0"}), "");
  EXPECT_EQ(usage_error_with_app({"--clickhouse-compact-seconds", "31622400"}), "");
  EXPECT_NE(usage_error_with_app({"--clickhouse-compact-seconds", "31622401"}), "");
  EXPECT_NE(usage_error_with_app({"--clickhouse-compact-seconds", "18446744073709551615"}), "");
  EXPECT_NE(usage_error_with_app({"--clickhouse-compact-seconds", "-1"}), "");
}

TEST(Options, ClickHouseWritersAreOneToSixtyFour) {
  EXPECT_EQ(usage_error_with_app({"--clickhouse-writers", "1"}), "");
  EXPECT_EQ(usage_error_with_app({"--clickhouse-writers", "64"}), "");
  EXPECT_NE(usage_error_with_app({"--clickhouse-writers", "0"}), "");
  EXPECT_NE(usage_error_with_app({"--clickhouse-writers", "65"}), "");
  EXPECT_NE(usage_error_with_app({"--clickhouse-writers", "-1"}), "");
  EXPECT_NE(usage_error_with_app({"--clickhouse-writers", "two"}), "");
}

TEST(Options, ClickHouseClusterSettingsNeedClickHouse) {
  EXPECT_NE(usage_error_with_app({"--clickhouse-cluster", "c"}), "");  // default db is sqlite
  EXPECT_NE(usage_error_with_app({"--db", "sqlite:x.db", "--clickhouse-cluster", "c"}), "");
  EXPECT_NE(usage_error_with_app({"--db", "mysql:x", "--clickhouse-cluster", "c"}), "");
  EXPECT_NE(usage_error_with_app(
                {"--db", "clickhouse:http://h:8123", "--clickhouse-nodes", "http://h:8123"}),
            "");
  EXPECT_EQ(usage_error_with_app({"--db", "clickhouse:http://h:8123", "--clickhouse-cluster", "c",
                                  "--clickhouse-nodes", "http://h:8123"}),
            "");
}

TEST(DbSpec, NamesASqliteFileOrAClickHouseUrl) {
  const DbSpec sqlite = parse_db_spec("sqlite:/var/lib/uptake.db");
  EXPECT_EQ(sqlite.backend, DbSpec::Backend::sqlite);
  EXPECT_EQ(sqlite.location, "/var/lib/uptake.db");
  const DbSpec relative = parse_db_spec("sqlite:./a:b.db");
  EXPECT_EQ(relative.location, "./a:b.db");
  const DbSpec ch = parse_db_spec("clickhouse:http://127.0.0.1:8123/uptake");
  EXPECT_EQ(ch.backend, DbSpec::Backend::clickhouse);
  EXPECT_EQ(ch.location, "http://127.0.0.1:8123/uptake");
}

TEST(DbSpec, AnythingElseIsAUsageError) {
  for (const char* db : {"", "sqlite:", "clickhouse:", "uptake.db", "/tmp/uptake.db", "SQLITE:x.db",
                         "mysql://h/db", "sqlite", "clickhouse"}) {
    EXPECT_THROW(parse_db_spec(db), UsageError) << db;
  }
}

TEST(Options, TheHelpTextNamesEveryFlag) {
  const std::string help = usage_text();
  for (const char* flag : {"--listen",
                           "--db",
                           "--app",
                           "--admin-key",
                           "--clickhouse-user",
                           "--clickhouse-password",
                           "--clickhouse-cluster",
                           "--clickhouse-nodes",
                           "--tls-cert",
                           "--tls-key",
                           "--config",
                           "--max-body-bytes",
                           "--max-decompressed-bytes",
                           "--rate-limit-rps",
                           "--rate-limit-burst",
                           "--address-rate-limit-rps",
                           "--address-rate-limit-burst",
                           "--client-address-header",
                           "--max-connections",
                           "--max-connections-per-address",
                           "--max-ingest-memory-bytes",
                           "--report-threads",
                           "--report-queue",
                           "--header-timeout-ms",
                           "--body-timeout-ms",
                           "--idle-timeout-ms",
                           "--shutdown-grace-ms",
                           "--durability",
                           "--max-db-bytes",
                           "--threads",
                           "--log-requests"}) {
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
    // ... and parse_options knows it: a bad value may be refused, but not as an unknown option.
    EXPECT_EQ(usage_error_with_app({flag, "x"}).find("unknown option"), std::string::npos) << flag;
  }
}
