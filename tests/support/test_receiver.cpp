#include "test_receiver.hpp"

#include <simdjson.h>
#include <sys/socket.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include "zstd_codec.hpp"

namespace uptake::test {
namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

TestCertificate make_test_certificate(const std::filesystem::path& dir,
                                      const std::string& subject_alt_names) {
  std::filesystem::create_directories(dir);
  TestCertificate cert{dir / "cert.pem", dir / "key.pem"};
  const std::string cmd =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
      "-subj /CN=uptake-test -addext subjectAltName=" +
      subject_alt_names + " -keyout '" + cert.key_file.string() + "' -out '" +
      cert.cert_file.string() + "' >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("openssl req failed");
  return cert;
}

struct TestReceiver::Impl {
  asio::io_context ioc;
  ssl::context ssl_ctx{ssl::context::tls_server};
  std::optional<tcp::acceptor> acceptor;
  std::thread accept_thread;
  std::atomic<bool> stopping{false};

  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::deque<ScriptedReply> script;
  std::size_t max_body_bytes = 64 * 1024 * 1024;
  std::vector<std::string> lines;
  std::vector<std::string> ids;
  std::vector<ReceivedRequest> requests;
  std::vector<std::thread> connections;
  std::vector<int> open_fds;
  std::string remote_config = R"({"key_actions":[],"tips":[]})";
  int remote_config_status = 200;
  std::size_t config_requests = 0, config_not_modified = 0;

  template <typename Stream>
  bool serve_config(Stream& stream, const http::request<http::string_body>& req) {
    std::string body, etag;
    int status;
    {
      std::lock_guard lock(mutex);
      ++config_requests;
      body = remote_config;
      status = remote_config_status;
      etag = "\"" + std::to_string(std::hash<std::string>{}(body)) + "\"";
      if (status == 200 && req[http::field::if_none_match] == etag) {
        status = 304;
        ++config_not_modified;
      }
      changed.notify_all();
    }
    http::response<http::string_body> res{static_cast<http::status>(status), 11};
    res.set(http::field::content_type, "application/json");
    res.set(http::field::etag, etag);
    if (status == 200) res.body() = body;
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    beast::error_code ec;
    http::write(stream, res, ec);
    return !ec && res.keep_alive();
  }

  ScriptedReply next_reply() {
    std::lock_guard lock(mutex);
    if (script.empty()) return {};
    ScriptedReply r = script.front();
    script.pop_front();
    return r;
  }

  template <typename Stream>
  void serve(Stream& stream) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(256 * 1024 * 1024);
      beast::error_code ec;
      http::read(stream, buffer, parser, ec);
      if (ec) return;
      auto& req = parser.get();
      if (req.method() == http::verb::get && req.target() == "/v1/config") {
        if (!serve_config(stream, req)) return;
        continue;
      }
      ReceivedRequest record;
      record.at = std::chrono::steady_clock::now();
      record.authorization = std::string(req[http::field::authorization]);
      record.content_encoding = std::string(req[http::field::content_encoding]);
      record.body_bytes = req.body().size();
      if (auto v = req["Uptake-Sent-At"]; !v.empty())
        record.sent_at_ms = std::stoll(std::string(v));

      ScriptedReply reply = next_reply();
      if (reply.stall.count() > 0) {
        std::unique_lock lock(mutex);
        changed.wait_for(lock, reply.stall, [&] { return stopping.load(); });
      }
      std::size_t limit;
      {
        std::lock_guard lock(mutex);
        limit = max_body_bytes;
      }
      std::vector<std::string> batch_lines;
      std::string body;
      if (reply.status == 200 && record.body_bytes > limit) reply.status = 413;
      if (reply.status == 200) {
        std::optional<std::string> text = record.content_encoding == "zstd"
                                              ? detail::zstd_decompress(req.body(), 1u << 30)
                                              : std::optional<std::string>(req.body());
        if (!text) {
          reply.status = 400;
        } else {
          std::size_t start = 0;
          while (start < text->size()) {
            auto end = text->find('\n', start);
            if (end == std::string::npos) end = text->size();
            if (end > start) batch_lines.emplace_back(text->substr(start, end - start));
            start = end + 1;
          }
        }
      }
      if (reply.status == 200) {
        std::lock_guard lock(mutex);
        for (auto& l : batch_lines) {
          ids.push_back(json_field(l, "id"));
          lines.push_back(std::move(l));
        }
        body = reply.body ? *reply.body
                          : "{\"accepted\":" + std::to_string(batch_lines.size()) +
                                ",\"duplicates\":0,\"rejected\":[],\"rejected_total\":0}";
      } else {
        body = "{\"error\":\"scripted\",\"message\":\"scripted failure\"}";
      }
      record.events = batch_lines.size();
      record.status = reply.status;
      {
        std::lock_guard lock(mutex);
        requests.push_back(record);
        changed.notify_all();
      }

      http::response<http::string_body> res{static_cast<http::status>(reply.status), 11};
      res.set(http::field::content_type, "application/json");
      if (reply.retry_after_s)
        res.set(http::field::retry_after, std::to_string(*reply.retry_after_s));
      res.body() = body;
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      if (reply.close_mid_response) {
        http::response_serializer<http::string_body> sr{res};
        http::write_header(stream, sr, ec);
        return;  // the connection closes with the body missing
      }
      http::write(stream, res, ec);
      if (ec || !res.keep_alive()) return;
    }
  }

  void handle(tcp::socket socket, bool tls) {
    if (tls) {
      beast::ssl_stream<tcp::socket> stream(std::move(socket), ssl_ctx);
      beast::error_code ec;
      stream.handshake(ssl::stream_base::server, ec);
      if (ec) return;
      serve(stream);
      stream.shutdown(ec);
    } else {
      serve(socket);
    }
  }
};

TestReceiver::TestReceiver(std::optional<TestCertificate> tls, std::uint16_t port)
    : impl_(std::make_unique<Impl>()), tls_(tls.has_value()) {
  if (tls) {
    impl_->ssl_ctx.use_certificate_chain_file(tls->cert_file.string());
    impl_->ssl_ctx.use_private_key_file(tls->key_file.string(), ssl::context::pem);
  }
  tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
  impl_->acceptor.emplace(impl_->ioc);
  impl_->acceptor->open(ep.protocol());
  impl_->acceptor->set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor->bind(ep);
  impl_->acceptor->listen();
  port_ = impl_->acceptor->local_endpoint().port();
  impl_->accept_thread = std::thread([this, is_tls = tls_] {
    for (;;) {
      beast::error_code ec;
      tcp::socket socket(impl_->ioc);
      impl_->acceptor->accept(socket, ec);
      if (impl_->stopping) return;
      if (ec) continue;
      std::lock_guard lock(impl_->mutex);
      impl_->open_fds.push_back(socket.native_handle());
      impl_->connections.emplace_back([impl = impl_.get(), s = std::move(socket),
                                       is_tls]() mutable { impl->handle(std::move(s), is_tls); });
    }
  });
}

TestReceiver::~TestReceiver() {
  stop();
}

void TestReceiver::stop() {
  if (impl_->stopping.exchange(true)) return;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->changed.notify_all();
  }
  ::shutdown(impl_->acceptor->native_handle(), SHUT_RDWR);
  impl_->accept_thread.join();
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(impl_->mutex);
    for (int fd : impl_->open_fds) ::shutdown(fd, SHUT_RDWR);
    threads.swap(impl_->connections);
  }
  for (auto& t : threads) t.join();
  beast::error_code ec;
  impl_->acceptor->close(ec);
}

std::string TestReceiver::endpoint() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

void TestReceiver::push_reply(ScriptedReply reply) {
  std::lock_guard lock(impl_->mutex);
  impl_->script.push_back(reply);
}

void TestReceiver::set_max_body_bytes(std::size_t bytes) {
  std::lock_guard lock(impl_->mutex);
  impl_->max_body_bytes = bytes;
}

void TestReceiver::set_remote_config(std::string json, int status) {
  std::lock_guard lock(impl_->mutex);
  impl_->remote_config = std::move(json);
  impl_->remote_config_status = status;
}

std::size_t TestReceiver::config_requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->config_requests;
}

std::size_t TestReceiver::config_not_modified() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->config_not_modified;
}

std::vector<std::string> TestReceiver::lines() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->lines;
}

std::vector<std::string> TestReceiver::ids() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->ids;
}

std::set<std::string> TestReceiver::unique_ids() const {
  std::lock_guard lock(impl_->mutex);
  return {impl_->ids.begin(), impl_->ids.end()};
}

std::vector<ReceivedRequest> TestReceiver::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

bool TestReceiver::wait_for_unique(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout, [&] {
    return std::set<std::string>(impl_->ids.begin(), impl_->ids.end()).size() >= n;
  });
}

bool TestReceiver::wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout, [&] { return impl_->requests.size() >= n; });
}

std::string json_field(const std::string& line, const std::string& field) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(line).get(doc)) return {};
  std::string_view v;
  if (doc[field].get(v)) return {};
  return std::string(v);
}

std::optional<std::int64_t> json_int_field(const std::string& line, const std::string& field) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(line).get(doc)) return std::nullopt;
  std::int64_t v;
  if (doc[field].get(v)) return std::nullopt;
  return v;
}

}  // namespace uptake::test
