#include "http_server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <array>
#include <cstdio>
#include <thread>
#include <vector>

namespace uptake::collector {
namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct HttpServer::Impl {
  const Options& options;
  Api& api;
  asio::io_context ioc;
  std::optional<ssl::context> tls;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> in_flight{0};
  std::atomic<bool> draining{false};

  Impl(const Options& o, Api& a) : options(o), api(a) {}
  void accept();
};

namespace {

// One connection. Member functions run in protocol order:
// run → (handshake) → read_header → read_body → respond → write → read_header ...
template <typename Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(HttpServer::Impl& server, Stream&& stream) : server_(server), stream_(std::move(stream)) {
    ++server_.connections;
  }
  ~Session() { --server_.connections; }

  void run() {
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->start(); });
  }

 private:
  beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream_); }

  void start() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      read_header();
    } else {
      tcp().expires_after(server_.options.header_timeout_ms);
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return;  // not TLS, bad certificate, timeout: just close
                                self->read_header();
                              });
    }
  }

  void read_header() {
    parser_.emplace();
    parser_->header_limit(16 * 1024);
    // No limit while reading the header, so precheck() answers in PROTOCOL.md order (401
    // before 413); the real limit is set before the body is read.
    parser_->body_limit(boost::none);
    tcp().expires_after(first_request_ ? server_.options.header_timeout_ms
                                       : server_.options.idle_timeout_ms);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              self->on_header(ec);
                            });
  }

  void on_header(beast::error_code ec) {
    if (ec) return close();
    first_request_ = false;
    started_ = std::chrono::steady_clock::now();
    ++server_.in_flight;
    request_ = ApiRequest{};
    const auto& h = parser_->get();
    request_.method = std::string(h.method_string());
    request_.target = std::string(h.target());
    request_.authorization = std::string(h[http::field::authorization]);
    request_.content_type = std::string(h[http::field::content_type]);
    request_.content_encoding = std::string(h[http::field::content_encoding]);
    request_.if_none_match = std::string(h[http::field::if_none_match]);
    request_.sent_at = std::string(h["Uptake-Sent-At"]);
    request_.started = started_;
    if (auto len = parser_->content_length()) request_.content_length = *len;
    keep_alive_ = h.keep_alive();
    if (auto early = server_.api.precheck(request_)) {
      // The body was not read, so the connection cannot carry another request.
      keep_alive_ = false;
      body_unread_ = !parser_->is_done();
      return respond(std::move(*early));
    }
    if (parser_->is_done()) return on_body({});
    parser_->body_limit(server_.options.max_body_bytes);  // also bounds chunked bodies
    tcp().expires_after(server_.options.body_timeout_ms);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code e, std::size_t) { self->on_body(e); });
  }

  void on_body(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      keep_alive_ = false;
      body_unread_ = true;
      return respond(
          error_response(413, "payload_too_large", "The body is larger than the limit."));
    }
    if (ec) {
      --server_.in_flight;
      return close();
    }
    ApiRequest handled = request_;  // request_ keeps the headers for the log line
    handled.body = std::move(parser_->get().body());
    tcp().expires_never();  // the answer may wait for a storage commit
    server_.api.handle(std::move(handled), [self = this->shared_from_this()](ApiResponse r) {
      // Storage answers on its own thread; continue on this connection's strand.
      asio::post(self->stream_.get_executor(),
                 [self, r = std::move(r)]() mutable { self->respond(std::move(r)); });
    });
  }

  void respond(ApiResponse r) {
    server_.api.record(request_, r);
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(r.status), 11);
    res->set(http::field::server, "uptake-collector");
    if (r.status != 304) res->set(http::field::content_type, r.content_type);
    for (auto& [name, value] : r.headers) res->set(name, value);
    res->body() = std::move(r.body);
    res->keep_alive(keep_alive_ && !server_.draining);
    res->prepare_payload();
    tcp().expires_after(server_.options.body_timeout_ms);
    http::async_write(stream_, *res,
                      [self = this->shared_from_this(), res](beast::error_code ec, std::size_t) {
                        --self->server_.in_flight;
                        if (!ec && self->body_unread_) return self->linger_then_close();
                        if (ec || !res->keep_alive()) return self->close();
                        self->read_header();
                      });
  }

  // After answering without reading the body, closing at once would reset the connection
  // and the client could lose the answer. Stop sending, then read and discard for a while
  // (bounded in time and bytes) so the client reads our answer first.
  void linger_then_close() {
    beast::error_code ignored;
    tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
    tcp().expires_after(std::chrono::seconds(2));
    drain();
  }

  void drain() {
    static constexpr std::size_t kMaxDrainBytes = 16 * 1024 * 1024;
    tcp().async_read_some(asio::buffer(drain_buffer_),
                          [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                            self->drained_ += n;
                            if (ec || self->drained_ > kMaxDrainBytes) return self->tcp().close();
                            self->drain();
                          });
  }

  void close() {
    beast::error_code ignored;
    tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
    tcp().close();
  }

  HttpServer::Impl& server_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  ApiRequest request_;
  std::chrono::steady_clock::time_point started_;
  bool keep_alive_ = true;
  bool first_request_ = true;
  bool body_unread_ = false;
  std::size_t drained_ = 0;
  std::array<char, 16 * 1024> drain_buffer_;
};

}  // namespace

void HttpServer::Impl::accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
    if (!ec) {
      if (connections >= options.max_connections) {
        beast::error_code ignored;
        socket.close(ignored);  // over the cap: refuse rather than queue unbounded work
      } else if (tls) {
        std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
            *this, beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *tls))
            ->run();
      } else {
        std::make_shared<Session<beast::tcp_stream>>(*this, beast::tcp_stream(std::move(socket)))
            ->run();
      }
    }
    accept();
  });
}

HttpServer::HttpServer(const Options& options, Api& api)
    : impl_(std::make_unique<Impl>(options, api)) {
  if (!options.tls_cert_file.empty()) {
    impl_->tls.emplace(ssl::context::tls_server);
    impl_->tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                            ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                            ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    try {
      impl_->tls->use_certificate_chain_file(options.tls_cert_file);
      impl_->tls->use_private_key_file(options.tls_key_file, ssl::context::pem);
    } catch (const std::exception& e) {
      throw std::runtime_error("cannot load TLS certificate/key: " + std::string(e.what()));
    }
  }
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.listen_host, ec);
  if (ec) throw std::runtime_error("--listen: '" + options.listen_host + "' is not an IP address");
  const tcp::endpoint endpoint(address, options.listen_port);
  auto& a = impl_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + options.listen_host + ":" +
                             std::to_string(options.listen_port) + ": " + ec.message());
  api.open_connections = [impl = impl_.get()] { return impl->connections.load(); };
}

HttpServer::~HttpServer() {
  stop();
}

std::string HttpServer::address() const {
  const auto ep = impl_->acceptor.local_endpoint();
  const auto host = ep.address().to_string();
  return (ep.address().is_v6() ? "[" + host + "]" : host) + ":" + std::to_string(ep.port());
}

void HttpServer::start() {
  impl_->accept();
  unsigned n =
      impl_->options.threads ? impl_->options.threads : std::thread::hardware_concurrency();
  if (n == 0) n = 2;
  for (unsigned i = 0; i < n; ++i) impl_->threads.emplace_back([this] { impl_->ioc.run(); });
}

void HttpServer::stop_accepting() {
  impl_->draining = true;
  asio::post(impl_->ioc, [impl = impl_.get()] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
  });
}

std::size_t HttpServer::in_flight() const {
  return impl_->in_flight.load();
}
std::size_t HttpServer::connections() const {
  return impl_->connections.load();
}

void HttpServer::stop() {
  impl_->ioc.stop();
  for (auto& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
  impl_->threads.clear();
}

}  // namespace uptake::collector
