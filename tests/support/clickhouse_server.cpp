#include "clickhouse_server.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace uptake::test {
namespace {

constexpr const char* kServer = "/usr/sbin/clickhouse-server";

}  // namespace

std::uint16_t free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

namespace {

bool pings(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string req = "GET /ping HTTP/1.0\r\n\r\n";
    ok = ::write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size());
    char buf[256] = {};
    ok = ok && ::read(fd, buf, sizeof buf - 1) > 0 &&
         std::string(buf).find("Ok.") != std::string::npos;
  }
  ::close(fd);
  return ok;
}

}  // namespace

bool clickhouse_available() {
  return ::access(kServer, X_OK) == 0;
}

ClickHouseServer::ClickHouseServer() : ClickHouseServer(0, 0, "") {}

ClickHouseServer::ClickHouseServer(std::uint16_t http_port, std::uint16_t tcp_port,
                                   const std::string& extra_config) {
  http_port_ = http_port ? http_port : free_loopback_port();
  tcp_port_ = tcp_port ? tcp_port : free_loopback_port();
  const std::string d = dir_.path().string();
  std::ofstream(dir_.path() / "config.xml")
      << "<yandex>\n"
      << "  <logger><level>warning</level><log>" << d << "/server.log</log><errorlog>" << d
      << "/error.log</errorlog></logger>\n"
      << "  <http_port>" << http_port_ << "</http_port>\n  <tcp_port>" << tcp_port_
      << "</tcp_port>\n"
      << "  <listen_host>127.0.0.1</listen_host>\n"
      << "  <path>" << d << "/data/</path>\n  <tmp_path>" << d << "/tmp/</tmp_path>\n"
      << "  <user_files_path>" << d << "/user_files/</user_files_path>\n"
      << "  <format_schema_path>" << d << "/format_schemas/</format_schema_path>\n"
      << "  <users_config>" << d << "/users.xml</users_config>\n"
      << "  <default_profile>default</default_profile>\n  "
         "<default_database>default</default_database>\n"
      << "  <mark_cache_size>134217728</mark_cache_size>\n  "
         "<uncompressed_cache_size>134217728</uncompressed_cache_size>\n"
      << "  <mlock_executable>false</mlock_executable>\n"
      << extra_config << "</yandex>\n";
  std::ofstream(dir_.path() / "users.xml") << R"(<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks>
    <profile>default</profile><quota>default</quota></default>
    <uptake><password>s3cret:pw</password><networks><ip>127.0.0.1</ip></networks>
    <profile>default</profile><quota>default</quota></uptake></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
)";
  start();
}

void ClickHouseServer::start() {
  const std::string config = "--config-file=" + (dir_.path() / "config.xml").string();
  const std::string log = (dir_.path() / "stdout.log").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  char* argv[] = {const_cast<char*>(kServer), const_cast<char*>(config.c_str()), nullptr};
  if (posix_spawn(&pid_, kServer, &actions, nullptr, argv, environ) != 0) {
    posix_spawn_file_actions_destroy(&actions);
    throw std::runtime_error("cannot start clickhouse-server");
  }
  posix_spawn_file_actions_destroy(&actions);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!pings(http_port_)) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("clickhouse-server exited; see " + log);
    }
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("clickhouse-server did not start");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void ClickHouseServer::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 200; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

ClickHouseServer::~ClickHouseServer() {
  stop();
}

std::string ClickHouseServer::url(const std::string& database) const {
  return node_url() + "/" + database;
}

std::string ClickHouseServer::node_url() const {
  return "http://127.0.0.1:" + std::to_string(http_port_);
}

ClickHouseCluster::ClickHouseCluster(const std::string& name, int shards) {
  std::vector<std::pair<std::uint16_t, std::uint16_t>> ports;  // (http, tcp)
  std::string xml = "  <remote_servers><" + name + ">";
  for (int i = 0; i < shards; ++i) {
    ports.emplace_back(free_loopback_port(), free_loopback_port());
    xml += "<shard><replica><host>127.0.0.1</host><port>" + std::to_string(ports.back().second) +
           "</port></replica></shard>";
  }
  xml += "</" + name + "></remote_servers>\n";
  for (const auto& [http, tcp] : ports)
    nodes_.push_back(std::make_unique<ClickHouseServer>(http, tcp, xml));
}

std::string ClickHouseCluster::node_list() const {
  std::string out;
  for (const auto& n : nodes_) out += (out.empty() ? "" : ",") + n->node_url();
  return out;
}

}  // namespace uptake::test
