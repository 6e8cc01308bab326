#include "server/http_server.hpp"

#include <openssl/ssl.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <array>
#include <atomic>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "config/limits.hpp"

namespace uptake::collector {
namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

// The steps of a connection, in protocol order; each failure is counted under its step.
enum class Step { accept, handshake, idle, header, body, write, count };

constexpr std::array<const char*, static_cast<std::size_t>(Step::count)> kStepNames = {
    "accept", "handshake", "idle", "header", "body", "write"};

// TLS 1.2 offers only forward-secret AEAD suites (no static RSA, no CBC); TLS 1.3's are all such.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// A client going away between requests is how keep-alive ends, not an error.
bool is_clean_end(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == ssl::error::stream_truncated;
}

bool is_parse_error(const beast::error_code& ec) {
  return ec.category() == beast::error_code(http::error::bad_method).category() &&
         ec != http::error::end_of_stream && ec != http::error::header_limit &&
         ec != http::error::body_limit && ec != http::error::buffer_overflow &&
         ec != http::error::need_more && ec != http::error::partial_message;
}

}  // namespace

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
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(Step::count)> errors{};
  std::atomic<std::uint64_t> refused{0};
  // Open connections per client address: in memory only, never logged.
  std::mutex addresses_mutex;
  std::unordered_map<std::string, std::size_t> per_address;

  Impl(const Options& o, Api& a) : options(o), api(a) {}
  void accept();
  void count_error(Step step) { ++errors[static_cast<std::size_t>(step)]; }
  std::string metrics_text() const;
};

namespace {

// One connection, counted in the server's total and (when `counted`) in its address's count,
// for its lifetime.
class ConnectionSlot {
 public:
  ConnectionSlot(HttpServer::Impl& server, std::string address, bool counted)
      : server_(server), address_(std::move(address)), counted_(counted) {
    ++server_.connections;
  }
  ~ConnectionSlot() {
    --server_.connections;
    if (!counted_) return;
    std::lock_guard lock(server_.addresses_mutex);
    auto it = server_.per_address.find(address_);
    if (it != server_.per_address.end() && --it->second == 0) server_.per_address.erase(it);
  }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;
  [[nodiscard]] const std::string& address() const { return address_; }

 private:
  HttpServer::Impl& server_;
  std::string address_;  // the peer's address ("" when unknown)
  bool counted_;
};

// A request read and not yet answered, for the drain on shutdown.
class InFlight {
 public:
  explicit InFlight(std::atomic<std::size_t>& counter) : counter_(counter) { ++counter_; }
  ~InFlight() { --counter_; }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  std::atomic<std::size_t>& counter_;
};

// One connection. Member functions run in protocol order:
// run → handshake → read_header → on_header → (continue_then_read_body) → read_body →
// on_body → dispatch → respond → on_write → wait_for_request → read_header ...
// Each step that can fail goes through fail(ec, step), which counts it, answers the client
// when HTTP still allows an answer, and closes.
template <typename Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(HttpServer::Impl& server, Stream&& stream, std::unique_ptr<ConnectionSlot> slot)
      : server_(server),
        stream_(std::move(stream)),
        slot_(std::move(slot)),
        buffer_(limits::kReadBufferBytes),
        deadline_(stream_.get_executor()) {}

  void run() {
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->start(); });
  }

 private:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;
  beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream_); }

  void start() {
    if constexpr (!kTls) {
      read_header();
    } else {
      tcp().expires_after(server_.options.header_timeout_ms);
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->fail(ec, Step::handshake);
                                self->tcp().expires_never();
                                self->read_header();
                              });
    }
  }

  // Reads are timed by our own timer, which cancels the read instead of closing the socket,
  // so a slow client can still be told 408.
  void arm(std::chrono::milliseconds timeout) {
    timed_out_ = false;
    deadline_.expires_after(timeout);
    deadline_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec) return;  // disarmed
      self->timed_out_ = true;
      beast::error_code ignored;
      self->tcp().socket().cancel(ignored);
    });
  }
  void disarm() { deadline_.cancel(); }

  // Between requests: the idle timeout runs until the next request's first byte, then that
  // request gets the header timeout like the first one did.
  void wait_for_request() {
    if (buffer_.size() > 0) return read_header();  // a pipelined request is already here
    arm(server_.options.idle_timeout_ms);
    stream_.async_read_some(buffer_.prepare(limits::kReadBufferBytes),
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->disarm();
                              if (ec) return self->fail(ec, Step::idle);
                              self->buffer_.commit(n);
                              self->read_header();
                            });
  }

  void read_header() {
    parser_.emplace();
    parser_->header_limit(limits::kMaxHeaderBytes);
    // No body limit yet: admit() answers in PROTOCOL.md order (401 before 413); the real
    // limit is set before the body is read.
    parser_->body_limit(boost::none);
    arm(server_.options.header_timeout_ms);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              self->disarm();
                              self->on_header(ec);
                            });
  }

  void on_header(beast::error_code ec) {
    if (ec) return fail(ec, Step::header);
    in_flight_.emplace(server_.in_flight);
    const auto& h = parser_->get();
    ApiRequest request;
    request.method = std::string(h.method_string());
    request.target = std::string(h.target());
    request.authorization = std::string(h[http::field::authorization]);
    request.content_type = std::string(h[http::field::content_type]);
    request.content_encoding = std::string(h[http::field::content_encoding]);
    request.if_none_match = std::string(h[http::field::if_none_match]);
    request.sent_at = std::string(h["Uptake-Sent-At"]);
    request.client_address = client_address(h);
    request.started = std::chrono::steady_clock::now();
    if (auto len = parser_->content_length()) request.content_length = *len;
    keep_alive_ = h.keep_alive();
    request_ = request;  // kept for the log line and metrics
    // RFC 9112 6.3: a Transfer-Encoding that does not end in chunked leaves the body's end
    // unknown; reading on would take the body's bytes for the next request (smuggling).
    if (h.count(http::field::transfer_encoding) > 0 && !parser_->chunked()) {
      return refuse(400, "bad_transfer_encoding",
                    "Transfer-Encoding must end with chunked (RFC 9112 6.3).");
    }
    admission_ = server_.api.admit(std::move(request));
    if (admission_.early) {
      // The body was not read, so the connection cannot carry another request.
      keep_alive_ = false;
      body_unread_ = !parser_->is_done();
      return respond(std::move(*admission_.early));
    }
    if (parser_->is_done()) return dispatch();
    parser_->body_limit(server_.options.max_body_bytes);  // also bounds chunked bodies
    wire_budget_ = server_.options.max_body_bytes + server_.options.max_body_bytes / 8 +
                   limits::kMaxHeaderBytes;
    if (beast::iequals(h[http::field::expect], "100-continue")) return continue_then_read_body();
    read_body();
  }

  // curl and others wait (a second, for curl) for this before sending a large body.
  void continue_then_read_body() {
    auto res = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
    tcp().expires_after(server_.options.body_timeout_ms);
    http::async_write(stream_, *res,
                      [self = this->shared_from_this(), res](beast::error_code ec, std::size_t) {
                        self->tcp().expires_never();
                        if (ec) return self->fail(ec, Step::write);
                        self->read_body();
                      });
  }

  void read_body() {
    arm(server_.options.body_timeout_ms);
    http::async_read_some(stream_, buffer_, *parser_,
                          [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                            self->disarm();
                            self->on_body(ec, n);
                          });
  }

  void on_body(beast::error_code ec, std::size_t n) {
    if (ec) return fail(ec, Step::body);
    // Chunk sizes, extensions and trailers are not body bytes: bound the whole request too.
    wire_bytes_ += n;
    if (wire_bytes_ > wire_budget_) {
      return refuse(413, "payload_too_large",
                    "The request (its chunk framing included) is larger than the limit.");
    }
    if (!parser_->is_done()) return read_body();
    dispatch();
  }

  void dispatch() {
    std::string body = std::move(parser_->get().body());
    server_.api.handle(
        std::move(admission_), std::move(body), [self = this->shared_from_this()](ApiResponse r) {
          // Handlers may answer from a storage or report thread: continue on
          // this connection's strand.
          asio::post(self->stream_.get_executor(),
                     [self, r = std::move(r)]() mutable { self->respond(std::move(r)); });
        });
  }

  void respond(ApiResponse r) {
    server_.api.record(admission_.family, request_, r);
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
                        self->on_write(ec, res->keep_alive());
                      });
  }

  void on_write(beast::error_code ec, bool keep_alive) {
    tcp().expires_never();
    in_flight_.reset();
    if (ec) return fail(ec, Step::write);
    if (body_unread_) return linger_then_close();
    if (!keep_alive) return close();
    wire_bytes_ = 0;
    wait_for_request();
  }

  // An answer for a request that breaks HTTP's rules, then the connection closes: after a
  // framing error nothing that follows on it can be trusted.
  void refuse(int status, std::string code, std::string message) {
    keep_alive_ = false;
    body_unread_ = true;
    if (!in_flight_) in_flight_.emplace(server_.in_flight);
    if (request_.method.empty()) request_.started = std::chrono::steady_clock::now();
    respond(error_response(status, std::move(code), std::move(message)));
  }

  void fail(beast::error_code ec, Step step) {
    const bool quiet_end = (step == Step::idle || (step == Step::header && buffer_.size() == 0)) &&
                           (is_clean_end(ec) || (ec == asio::error::operation_aborted));
    if (ec == asio::error::operation_aborted && !timed_out_ && !quiet_end) return close();
    if (quiet_end) return close();  // keep-alive ended or idle time ran out: not an error
    server_.count_error(step);
    if (step == Step::header || step == Step::body) {
      if (timed_out_) {
        return refuse(408, "request_timeout",
                      step == Step::header ? "The request headers did not arrive in time."
                                           : "The request body did not arrive in time.");
      }
      if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
        return refuse(431, "header_too_large",
                      "A header, chunk header or trailer is larger than the limit.");
      }
      if (ec == http::error::body_limit) {
        return refuse(413, "payload_too_large", "The body is larger than the limit.");
      }
      if (is_parse_error(ec)) {
        return refuse(400, "bad_request",
                      "The request is not valid HTTP/1.1: " + ec.message() + ".");
      }
    }
    close();
  }

  // After answering without reading the body, closing at once would reset the connection
  // and the client could lose the answer. Stop sending, then read and discard for a while
  // (bounded in time and bytes) so the client reads our answer first.
  void linger_then_close() {
    beast::error_code ignored;
    tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
    tcp().expires_after(limits::kLingerTime);
    drain();
  }

  void drain() {
    tcp().async_read_some(asio::buffer(drain_buffer_),
                          [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                            self->drained_ += n;
                            if (ec || self->drained_ > limits::kMaxLingerBytes)
                              return self->tcp().close();
                            self->drain();
                          });
  }

  void close() {
    disarm();
    beast::error_code ignored;
    tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
    tcp().close();
  }

  template <class Header>
  std::string client_address(const Header& h) const {
    const std::string& header = server_.options.client_address_header;
    if (!header.empty()) {
      // A trusted proxy appends the address it saw: the last entry is the one it vouches for.
      std::string_view value = h[header];
      value = value.substr(value.rfind(',') == std::string_view::npos ? 0 : value.rfind(',') + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      if (!value.empty()) return std::string(value);
    }
    return slot_->address();
  }

  HttpServer::Impl& server_;
  Stream stream_;
  std::unique_ptr<ConnectionSlot> slot_;
  beast::flat_buffer buffer_;  // bounded: see limits::kReadBufferBytes
  asio::steady_timer deadline_;
  bool timed_out_ = false;
  std::optional<http::request_parser<http::string_body>> parser_;
  Admission admission_;
  ApiRequest request_;  // the headers of the request being handled
  std::optional<InFlight> in_flight_;
  bool keep_alive_ = true;
  bool body_unread_ = false;
  std::size_t wire_bytes_ = 0, wire_budget_ = 0;
  std::size_t drained_ = 0;
  std::array<char, limits::kLingerBufferBytes> drain_buffer_;
};

}  // namespace

void HttpServer::Impl::accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
    if (ec) {
      count_error(Step::accept);
      return accept();
    }
    beast::error_code peer_ec;
    const auto peer = socket.remote_endpoint(peer_ec);
    std::string address = peer_ec ? std::string() : peer.address().to_string();
    const bool counted = options.max_connections_per_address > 0 && !address.empty();
    bool admitted = connections < options.max_connections;
    if (admitted && counted) {
      std::lock_guard lock(addresses_mutex);
      std::size_t& open = per_address[address];
      admitted = open < options.max_connections_per_address;
      if (admitted) ++open;
    }
    if (!admitted) {
      // Over a cap: refuse rather than queue unbounded work.
      ++refused;
      beast::error_code ignored;
      socket.close(ignored);
      return accept();
    }
    auto slot = std::make_unique<ConnectionSlot>(*this, std::move(address), counted);
    if (tls) {
      std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
          *this, beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *tls),
          std::move(slot))
          ->run();
    } else {
      std::make_shared<Session<beast::tcp_stream>>(*this, beast::tcp_stream(std::move(socket)),
                                                   std::move(slot))
          ->run();
    }
    accept();
  });
}

std::string HttpServer::Impl::metrics_text() const {
  std::string out;
  out +=
      "# HELP uptake_connection_errors_total Connections that failed, by the step that failed.\n";
  out += "# TYPE uptake_connection_errors_total counter\n";
  for (std::size_t i = 0; i < errors.size(); ++i) {
    out += std::string("uptake_connection_errors_total{step=\"") + kStepNames[i] + "\"} " +
           std::to_string(errors[i].load()) + "\n";
  }
  render_metric(out, "uptake_connections_refused_total", "counter",
                "Connections closed at once because a connection cap was reached.", refused.load());
  render_metric(out, "uptake_open_connections", "gauge", "Open client connections.",
                connections.load());
  return out;
}

HttpServer::HttpServer(const Options& options, Api& api)
    : impl_(std::make_unique<Impl>(options, api)) {
  if (!options.tls_cert_file.empty()) {
    impl_->tls.emplace(ssl::context::tls_server);
    impl_->tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                            ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                            ssl::context::no_tlsv1_1 | ssl::context::no_compression);
    SSL_CTX* ctx = impl_->tls->native_handle();
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1)
      throw std::runtime_error("cannot set the TLS 1.2 cipher list");
    try {
      impl_->tls->use_certificate_chain_file(options.tls_cert_file);
      impl_->tls->use_private_key_file(options.tls_key_file, ssl::context::pem);
    } catch (const std::exception& e) {
      throw std::runtime_error("cannot load TLS certificate/key: " + std::string(e.what()));
    }
  }
  beast::error_code ec;
  tcp::endpoint endpoint;
  if (const auto address = asio::ip::make_address(options.listen_host, ec); !ec) {
    endpoint = tcp::endpoint(address, options.listen_port);
  } else {
    // A host name (localhost, the machine's name): its first address, resolved once at start.
    tcp::resolver resolver(impl_->ioc);
    const auto found = resolver.resolve(options.listen_host, std::to_string(options.listen_port),
                                        tcp::resolver::passive, ec);
    if (ec || found.empty())
      throw std::runtime_error("--listen: cannot resolve '" + options.listen_host +
                               "': " + (ec ? ec.message() : "no address"));
    endpoint = found.begin()->endpoint();
  }
  auto& a = impl_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + options.listen_host + ":" +
                             std::to_string(options.listen_port) + ": " + ec.message());
  api.set_metrics_source([impl = impl_.get()] { return impl->metrics_text(); });
}

HttpServer::~HttpServer() {
  stop();
  impl_->api.set_metrics_source({});
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
