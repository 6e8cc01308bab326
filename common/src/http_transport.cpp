#include "uptake_common/http_transport.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <charconv>
#include <ctime>
#include <stdexcept>

namespace uptake::detail {
namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

bool is_ip_literal(const std::string& host) {
  beast::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

// Errors that mean a kept-alive connection was closed by the peer while idle: the request
// never reached the application, so one retry on a fresh connection is right.
bool is_stale_connection(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == ssl::error::stream_truncated;
}

}  // namespace

struct HttpTransport::Impl {
  explicit Impl(TransportOptions opts) : options(std::move(opts)) {
    ssl_ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                        ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    if (options.verify) {
      ssl_ctx.set_verify_mode(ssl::verify_peer);
      if (options.ca_file.empty()) {
        ssl_ctx.set_default_verify_paths();
      } else {
        ssl_ctx.load_verify_file(options.ca_file);  // throws on an unreadable file
      }
    } else {
      ssl_ctx.set_verify_mode(ssl::verify_none);
    }
    host_header = options.url.host.find(':') != std::string::npos ? "[" + options.url.host + "]"
                                                                  : options.url.host;
    const bool default_port = options.url.port == (options.url.tls ? "443" : "80");
    if (!default_port) host_header += ":" + options.url.port;
  }

  tcp::socket::lowest_layer_type& socket() {
    return secure ? beast::get_lowest_layer(*secure).socket() : plain->socket();
  }
  beast::tcp_stream& tcp_layer() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

  // Runs the io_context until the operation `start` began has completed.
  template <typename Start>
  beast::error_code run(Start&& start) {
    beast::error_code result = asio::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  void close() {
    beast::error_code ignored;
    if (secure || plain) socket().close(ignored);
    secure.reset();
    plain.reset();
    connected = false;
    buffer.clear();
  }

  beast::error_code connect(std::string& step) {
    close();
    step = "resolve";
    tcp::resolver::results_type endpoints;
    beast::error_code ec = asio::error::would_block;
    resolver.async_resolve(options.url.host, options.url.port,
                           [&](beast::error_code e, tcp::resolver::results_type r) {
                             ec = e;
                             endpoints = std::move(r);
                           });
    ioc.restart();
    ioc.run_for(options.connect_timeout);
    if (ec == asio::error::would_block) {
      resolver.cancel();
      ioc.restart();
      ioc.run();
      ec = asio::error::timed_out;
    }
    if (ec) return ec;
    if (cancelled) return asio::error::operation_aborted;

    if (options.url.tls) {
      secure = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc, ssl_ctx);
    } else {
      plain = std::make_unique<beast::tcp_stream>(ioc);
    }
    step = "connect";
    tcp_layer().expires_after(options.connect_timeout);
    ec = run([&](auto handler) { tcp_layer().async_connect(endpoints, handler); });
    if (ec) return ec;
    if (secure) {
      step = "tls handshake";
      if (!is_ip_literal(options.url.host) &&
          !SSL_set_tlsext_host_name(secure->native_handle(), options.url.host.c_str())) {
        return beast::error_code(static_cast<int>(::ERR_get_error()),
                                 asio::error::get_ssl_category());
      }
      if (options.verify) {
        secure->set_verify_callback(ssl::host_name_verification(options.url.host));
      }
      ec = run([&](auto handler) { secure->async_handshake(ssl::stream_base::client, handler); });
      if (ec) return ec;
    }
    connected = true;
    return {};
  }

  template <typename Stream>
  beast::error_code exchange(Stream& stream, http::request<http::string_body>& req,
                             http::response_parser<http::string_body>& parser, std::string& step) {
    step = "write";
    tcp_layer().expires_after(options.request_timeout);
    beast::error_code ec = run([&](auto handler) { http::async_write(stream, req, handler); });
    if (ec) return ec;
    step = "read";
    return run([&](auto handler) { http::async_read(stream, buffer, parser, handler); });
  }

  HttpResponse send(const HttpRequest& request) {
    HttpResponse out;
    http::request<http::string_body> req;
    req.method(http::string_to_verb(request.method));
    req.target(options.url.base_path + std::string(request.target));
    req.version(11);
    req.set(http::field::host, host_header);
    req.set(http::field::user_agent, "uptake-sdk/0.1");
    for (const auto& [name, value] : request.headers) req.set(name, value);
    req.body() = std::string(request.body);
    req.keep_alive(true);
    req.prepare_payload();

    for (int attempt = 0; attempt < 2; ++attempt) {
      if (cancelled) {
        out.error = "cancelled";
        return out;
      }
      const bool reused = connected;
      std::string step;
      beast::error_code ec;
      if (!connected) ec = connect(step);
      http::response_parser<http::string_body> parser;
      parser.body_limit(options.max_response_bytes);
      if (!ec) {
        ec = secure ? exchange(*secure, req, parser, step) : exchange(*plain, req, parser, step);
      }
      if (ec) {
        close();
        if (reused && !cancelled && is_stale_connection(ec)) continue;
        out.error = step + ": " + ec.message();
        return out;
      }
      auto& res = parser.get();
      out.status = static_cast<int>(res.result_int());
      out.body = std::move(res.body());
      if (auto it = res.find(http::field::retry_after); it != res.end()) {
        out.retry_after = parse_retry_after(it->value());
      }
      if (auto it = res.find(http::field::etag); it != res.end()) out.etag = it->value();
      if (!res.keep_alive()) close();
      return out;
    }
    out.error = "connection closed twice";
    return out;
  }

  TransportOptions options;
  asio::io_context ioc;
  ssl::context ssl_ctx{ssl::context::tls_client};
  tcp::resolver resolver{ioc};
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;
  std::string host_header;
  std::atomic<bool> cancelled{false};
  bool connected = false;
};

HttpTransport::HttpTransport(TransportOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpTransport::~HttpTransport() = default;

HttpResponse HttpTransport::send(const HttpRequest& request) {
  try {
    return impl_->send(request);
  } catch (const std::exception& e) {
    impl_->close();
    HttpResponse out;
    out.error = e.what();
    return out;
  }
}

void HttpTransport::cancel() {
  impl_->cancelled = true;
  // Runs inside the background thread's io_context.run(), so it never races the streams.
  asio::post(impl_->ioc, [impl = impl_.get()] {
    impl->resolver.cancel();
    if (impl->secure || impl->plain) {
      beast::error_code ignored;
      impl->socket().close(ignored);
    }
  });
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  std::int64_t seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && end == value.data() + value.size() && seconds >= 0) {
    return std::chrono::seconds(seconds);
  }
  std::tm tm{};
  const std::string text(value);
  if (const char* rest = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
      rest && *rest == '\0') {
    const auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
    const auto delta = when - std::chrono::system_clock::now();
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(delta));
  }
  return std::nullopt;
}

}  // namespace uptake::detail
