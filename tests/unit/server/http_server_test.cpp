// http_server_test.cpp: the event-loop server over real loopback sockets with a trivial handler:
// keep-alive, pipelining, HTTP/1.0, HEAD, every error status, the proxy preamble, the accept
// filter and the debug log, then the attacks (huge head, slowloris, idle and write deadlines,
// connection floods, garbage, half-closed clients), each followed by a normal request that must
// still be answered. Leaks and wipes are ASan's and the SecretBytes destructors' business.
#include "server/http_server.h"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <charconv>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/log.h"
#include "server/proxy_preamble.h"

namespace av::server {
namespace {

using namespace std::chrono_literals;
using platform::Socket;

// number reads the leading decimal digits of `text` (0 when there are none).
std::size_t number(std::string_view text) {
  std::size_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

class TestHandler final : public Handler {
 public:
  void handle(const RequestView& request, const Peer& peer, Reply& reply,
              secure::SecretBytes& body) override {
    calls.fetch_add(1);
    REQUIRE(body.empty());
    const std::string path(request.path());
    {
      std::lock_guard<std::mutex> lock(mutex);
      last_peer = peer;
    }
    reply.content_type = "text/plain";
    std::string text;
    if (path == "/close") {
      reply.close = true;
      text = "closing";
    } else if (path.starts_with("/size/")) {
      text.assign(number(path.substr(6)), 'x');
    } else if (path == "/bad-header") {
      reply.headers.emplace_back("X-Injected", "a\r\nSet-Cookie: b");
    } else if (path == "/redirect") {
      reply.status = 301;
      reply.headers.emplace_back("Location", "/elsewhere");
    } else if (path == "/nothing") {
      reply.status = 204;
    } else {
      text = std::string(request.method) + " " + std::string(request.target) + " " + peer.address +
             " " + std::to_string(request.body.size());
    }
    REQUIRE(body.append(as_bytes(text)));
  }

  Peer peer() {
    std::lock_guard<std::mutex> lock(mutex);
    return last_peer;
  }

  std::atomic<int> calls{0};
  std::mutex mutex;
  Peer last_peer;
};

// Running: a server on 127.0.0.1:<ephemeral> serving on its own thread until destroyed.
class Running {
 public:
  explicit Running(Handler& handler, ServerOptions options = {}) {
    auto listener = platform::listen_tcp("127.0.0.1", 0);
    REQUIRE(listener);
    auto server = HttpServer::create(std::move(listener).value(), handler, std::move(options));
    REQUIRE(server);
    server_ = std::move(server).value();
    thread_ = std::thread([this] { ok_ = server_->run().has_value(); });
  }
  ~Running() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  Running(const Running&) = delete;
  Running& operator=(const Running&) = delete;

  HttpServer& server() { return *server_; }
  std::uint16_t port() const { return server_->port(); }
  bool stopped_cleanly() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
    return ok_;
  }

 private:
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::atomic<bool> ok_{false};
};

Socket connect(std::uint16_t port) {
  auto s = platform::connect_tcp("127.0.0.1", port, 5000ms);
  REQUIRE(s);
  return std::move(s).value();
}

void send(Socket& s, std::string_view text) { REQUIRE(s.write_all(as_bytes(text), 5000ms)); }

struct Response {
  int status = 0;
  std::string head;
  std::string body;
};

// Client: reads responses from one connection, keeping bytes of the next one.
class Client {
 public:
  explicit Client(std::uint16_t port) : socket(connect(port)) {}
  explicit Client(Socket s) : socket(std::move(s)) {}

  // read_response reads one response (head_request: no body despite Content-Length).
  std::optional<Response> read_response(bool head_request = false) {
    std::size_t end = std::string::npos;
    while ((end = pending_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return std::nullopt;
    }
    Response r;
    r.head = pending_.substr(0, end + 4);
    pending_.erase(0, end + 4);
    r.status = static_cast<int>(number(r.head.substr(9, 3)));
    std::size_t length = 0;
    const std::size_t cl = r.head.find("Content-Length: ");
    if (cl != std::string::npos) length = number(r.head.substr(cl + 16));
    if (head_request) length = 0;
    while (pending_.size() < length) {
      if (!fill()) return std::nullopt;
    }
    r.body = pending_.substr(0, length);
    pending_.erase(0, length);
    return r;
  }

  // closed_by_server: the server closes the connection within `within` (EOF or reset).
  bool closed_by_server(std::chrono::milliseconds within = 5000ms) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
      char buf[4096];
      auto n = socket.read_some(as_writable_bytes(buf, sizeof buf), 100ms);
      if (n && *n == 0) return true;
      if (!n && n.error().message().find("i/o timeout") == std::string_view::npos) return true;
    }
    return false;
  }

  Socket socket;

 private:
  bool fill() {
    char buf[16384];
    auto n = socket.read_some(as_writable_bytes(buf, sizeof buf), 5000ms);
    if (!n || *n == 0) return false;
    pending_.append(buf, *n);
    return true;
  }
  std::string pending_;
};

constexpr std::string_view kGet = "GET /hello?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

// expect_healthy: a fresh connection still gets a normal answer.
void expect_healthy(std::uint16_t port) {
  Client c(port);
  send(c.socket, kGet);
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == "GET /hello?x=1 127.0.0.1 0");
}

ServerOptions short_timeouts() {
  ServerOptions o;
  o.head_timeout = 400ms;
  o.idle_timeout = 400ms;
  o.write_timeout = 400ms;
  return o;
}

// wait_until polls `cond` for up to 5 s.
template <class Cond>
bool wait_until(Cond cond) {
  for (int i = 0; i < 500; ++i) {
    if (cond()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return cond();
}

}  // namespace

TEST_CASE("HttpServer: keep-alive serves several requests on one connection",
          "[server][integration]") {
  TestHandler handler;
  Running running(handler);
  Client c(running.port());
  for (int i = 0; i < 3; ++i) {
    send(c.socket, kGet);
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->head.starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK(r->head.find("Content-Type: text/plain\r\n") != std::string::npos);
    CHECK(r->head.find("Connection:") == std::string::npos);
    CHECK(r->body == "GET /hello?x=1 127.0.0.1 0");
  }
  CHECK(handler.calls == 3);
  CHECK(running.server().open_connections() == 1);
  CHECK(handler.peer().loopback);
  CHECK(handler.peer().port == c.socket.local_port());
  CHECK(running.stopped_cleanly());
}

TEST_CASE("HttpServer: pipelined requests are answered in order", "[server][integration]") {
  TestHandler handler;
  Running running(handler);
  Client c(running.port());
  send(c.socket,
       "GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\n"
       "Content-Length: 3\r\n\r\nxyzGET /c HTTP/1.1\r\nHost: h\r\n\r\n");
  for (const char* want : {"GET /a 127.0.0.1 0", "POST /b 127.0.0.1 3", "GET /c 127.0.0.1 0"}) {
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->body == want);
  }
}

TEST_CASE("HttpServer: a deep pipeline of large replies drains with back-pressure",
          "[server][integration]") {
  TestHandler handler;
  Running running(handler);
  Client c(running.port());
  std::string batch;
  for (int i = 0; i < 300; ++i) batch += "GET /size/6000 HTTP/1.1\r\nHost: h\r\n\r\n";
  send(c.socket, batch);
  for (int i = 0; i < 300; ++i) {
    auto r = c.read_response();
    REQUIRE(r);
    REQUIRE(r->body.size() == 6000);
  }
  CHECK(handler.calls == 300);
  expect_healthy(running.port());
}

TEST_CASE("HttpServer: a body sent after the head is waited for", "[server][integration]") {
  TestHandler handler;
  Running running(handler);
  Client c(running.port());
  send(c.socket,
       "PUT /p HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n");
  std::this_thread::sleep_for(50ms);
  send(c.socket, "01234");
  std::this_thread::sleep_for(50ms);
  send(c.socket, "56789");
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->body == "PUT /p 127.0.0.1 10");
}

TEST_CASE("HttpServer: HTTP/1.0 closes unless keep-alive is asked for", "[server][integration]") {
  TestHandler handler;
  Running running(handler);
  {
    Client c(running.port());
    send(c.socket, "GET /old HTTP/1.0\r\n\r\n");
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->head.find("Connection: close\r\n") != std::string::npos);
    CHECK(c.closed_by_server());
  }
  Client c(running.port());
  for (int i = 0; i < 2; ++i) {
    send(c.socket, "GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->head.find("Connection: keep-alive\r\n") != std::string::npos);
  }
}

TEST_CASE("HttpServer: Connection: close and Reply::close end the connection",
          "[server][integration]") {
  TestHandler handler;
  Running running(handler);
  {
    Client c(running.port());
    // The request after the closing one is never answered.
    send(c.socket, "GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n" + std::string(kGet));
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->head.find("Connection: close\r\n") != std::string::npos);
    CHECK(c.closed_by_server());
  }
  Client c(running.port());
  send(c.socket, "GET /close HTTP/1.1\r\nHost: h\r\n\r\n");
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->body == "closing");
  CHECK(r->head.find("Connection: close\r\n") != std::string::npos);
  CHECK(c.closed_by_server());
  CHECK(handler.calls == 2);
}

TEST_CASE("HttpServer: HEAD, 204 and redirects are framed correctly", "[server][integration]") {
  TestHandler handler;
  Running running(handler);
  Client c(running.port());
  send(c.socket, "HEAD /size/10 HTTP/1.1\r\nHost: h\r\n\r\n");
  auto r = c.read_response(true);
  REQUIRE(r);
  CHECK(r->head.find("Content-Length: 10\r\n") != std::string::npos);
  send(c.socket, "GET /nothing HTTP/1.1\r\nHost: h\r\n\r\n");
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 204);
  CHECK(r->head.find("Content-Length") == std::string::npos);
  send(c.socket, "GET /redirect HTTP/1.1\r\nHost: h\r\n\r\n");
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->head.starts_with("HTTP/1.1 301 Moved Permanently\r\n"));
  CHECK(r->head.find("Location: /elsewhere\r\n") != std::string::npos);
  // The HEAD reply carried no body: the connection is still in step.
  send(c.socket, kGet);
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("HttpServer: a handler header that would inject lines becomes a 500",
          "[server][integration]") {
  TestHandler handler;
  Running running(handler);
  Client c(running.port());
  send(c.socket, "GET /bad-header HTTP/1.1\r\nHost: h\r\n\r\n");
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 500);
  CHECK(r->head.find("Set-Cookie") == std::string::npos);
}

TEST_CASE("HttpServer: malformed requests get their status, then the connection closes",
          "[server][error]") {
  using Row = std::tuple<const char*, std::string, int>;
  auto [name, request, status] = GENERATE(table<const char*, std::string, int>({
      Row{"garbage", std::string("\x16\x03\x01\x00\xa5\x01\x00\x00", 8), 400},
      Row{"no host", "GET / HTTP/1.1\r\n\r\n", 400},
      Row{"body too large", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n", 413},
      Row{"head too large", "GET / HTTP/1.1\r\nHost: h\r\nX: " + std::string(20000, 'a'), 431},
      Row{"chunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", 501},
      Row{"http/2", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505},
      Row{"expect", "GET / HTTP/1.1\r\nHost: h\r\nExpect: x\r\n\r\n", 417},
  }));
  CAPTURE(name);
  TestHandler handler;
  Running running(handler);
  Client c(running.port());
  send(c.socket, request);
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == status);
  CHECK(r->head.find("Connection: close\r\n") != std::string::npos);
  CHECK(r->body == std::to_string(status) + " " + std::string(status_reason(status)));
  CHECK(c.closed_by_server());
  CHECK(handler.calls == 0);
  expect_healthy(running.port());
}

TEST_CASE("HttpServer: large but valid heads and replies fit", "[server][integration]") {
  TestHandler handler;
  Running running(handler);
  Client c(running.port());
  // A 15 KiB head (under the 16 KiB limit) and a body-limit reply, on a keep-alive connection.
  send(c.socket,
       "GET /size/8192 HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(15000, 'b') + "\r\n\r\n");
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body.size() == 8192);
  send(c.socket, kGet);
  r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("HttpServer: a head trickling past the limits is refused before the timeout",
          "[server][attack]") {
  TestHandler handler;
  Running running(handler);  // default 10 s head timeout: only the limit check can answer
  for (const std::string& start : {std::string("GET /"), std::string("GET / HTTP/1.1\r\nX: ")}) {
    Client c(running.port());
    send(c.socket, start);
    // 20,000 bytes in 100-byte pieces: never a full buffer, never a line end.
    for (int i = 0; i < 200; ++i) {
      if (!c.socket.write_all(as_bytes(std::string(100, 'a')), 1000ms)) break;
      std::this_thread::sleep_for(2ms);
    }
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 431);
  }
  CHECK(handler.calls == 0);
}

TEST_CASE("HttpServer: a 1 MiB header gets 431 and a close", "[server][attack]") {
  TestHandler handler;
  Running running(handler, short_timeouts());
  Client c(running.port());
  std::string huge =
      "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(1 << 20, 'a') + "\r\n\r\n";
  // The server reads and discards the rest while it closes, so this write completes.
  send(c.socket, huge);
  auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->status == 431);
  CHECK(c.closed_by_server());
  CHECK(handler.calls == 0);
  expect_healthy(running.port());
}

TEST_CASE("HttpServer: a client sending one byte per 100 ms is cut at the head timeout",
          "[server][attack]") {
  TestHandler handler;
  Running running(handler, short_timeouts());  // head timeout 400 ms
  Client c(running.port());
  const std::string request = "GET / HTTP/1.1\r\nHost: h\r\nX-Slow: " + std::string(200, 'a');
  bool cut = false;
  for (std::size_t i = 0; i < request.size() && !cut; ++i) {
    if (!c.socket.write_all(as_bytes(request.substr(i, 1)), 1000ms)) {
      cut = true;
      break;
    }
    char buf[256];
    auto n = c.socket.read_some(as_writable_bytes(buf, sizeof buf), 100ms);
    if (n) {
      REQUIRE(*n == 0);  // EOF, never a reply
      cut = true;
    } else if (n.error().message().find("i/o timeout") == std::string_view::npos) {
      cut = true;  // reset
    }
  }
  CHECK(cut);
  CHECK(handler.calls == 0);
  CHECK(wait_until([&] { return running.server().open_connections() == 0; }));
  expect_healthy(running.port());
}

TEST_CASE("HttpServer: silent and idle connections are closed at their deadlines",
          "[server][attack]") {
  TestHandler handler;
  Running running(handler, short_timeouts());
  Client silent(running.port());
  Client idle(running.port());
  send(idle.socket, kGet);
  REQUIRE(idle.read_response());
  CHECK(silent.closed_by_server());
  CHECK(idle.closed_by_server());
  CHECK(wait_until([&] { return running.server().open_connections() == 0; }));
  expect_healthy(running.port());
}

TEST_CASE("HttpServer: a client that never reads is cut at the write timeout", "[server][attack]") {
  TestHandler handler;
  Running running(handler, short_timeouts());
  Client c(running.port());
  std::string batch;
  // 4000 replies of 8000 bytes (32 MB) cannot all sit in the socket buffers.
  for (int i = 0; i < 4000; ++i) batch += "GET /size/8000 HTTP/1.1\r\nHost: h\r\n\r\n";
  (void)c.socket.write_all(as_bytes(batch), 2000ms);  // may stall once the server stops reading
  CHECK(wait_until([&] { return handler.calls > 0; }));
  CHECK(wait_until([&] { return running.server().open_connections() == 0; }));
  CHECK(handler.calls < 4000);
  expect_healthy(running.port());
}

TEST_CASE("HttpServer: 500 concurrent connections against max_connections 20", "[server][attack]") {
  TestHandler handler;
  ServerOptions options = short_timeouts();
  options.idle_timeout = 10'000ms;
  options.head_timeout = 10'000ms;
  options.max_connections = 20;
  Running running(handler, std::move(options));
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 500; ++i) {
    auto s = platform::connect_tcp("127.0.0.1", running.port(), 5000ms);
    if (!s) continue;  // a full backlog may refuse some; the rest is what counts
    clients.push_back(std::make_unique<Client>(std::move(s).value()));
  }
  REQUIRE(clients.size() >= 100);
  CHECK(running.server().open_connections() <= 20);
  std::size_t served = 0;
  for (auto& c : clients) {
    if (!c->socket.write_all(as_bytes(kGet), 1000ms)) continue;
  }
  for (auto& c : clients) {
    auto r = c->read_response();
    if (r && r->status == 200) ++served;
  }
  CHECK(served >= 1);
  CHECK(served <= 20);
  CHECK(running.server().open_connections() <= 20);
  clients.clear();
  CHECK(wait_until([&] { return running.server().open_connections() == 0; }));
  expect_healthy(running.port());
}

TEST_CASE("HttpServer: half-closed clients get their replies, then the close", "[server][attack]") {
  TestHandler handler;
  Running running(handler, short_timeouts());
  {
    Client c(running.port());
    send(c.socket, std::string(kGet) + std::string(kGet));
    c.socket.shutdown_write();
    for (int i = 0; i < 2; ++i) {
      auto r = c.read_response();
      REQUIRE(r);
      CHECK(r->status == 200);
    }
    CHECK(c.closed_by_server());
  }
  {
    Client c(running.port());
    send(c.socket, "GET / HTTP/1.1\r\nHo");  // incomplete, then EOF: closed without a reply
    c.socket.shutdown_write();
    CHECK(c.closed_by_server());
    CHECK_FALSE(c.read_response());
  }
  CHECK(handler.calls == 2);
  CHECK(wait_until([&] { return running.server().open_connections() == 0; }));
  expect_healthy(running.port());
}

TEST_CASE("HttpServer: garbage floods and resets leave the server serving", "[server][attack]") {
  TestHandler handler;
  Running running(handler, short_timeouts());
  for (int i = 0; i < 20; ++i) {
    Client c(running.port());
    std::string noise(3000, '\0');
    for (std::size_t j = 0; j < noise.size(); ++j)
      noise[j] = static_cast<char>((j * 131 + static_cast<std::size_t>(i)) & 0xff);
    (void)c.socket.write_all(as_bytes(noise), 1000ms);
    // closing with unread data makes the kernel send a reset
  }
  CHECK(handler.calls == 0);
  CHECK(wait_until([&] { return running.server().open_connections() == 0; }));
  expect_healthy(running.port());
}

TEST_CASE("HttpServer: stop() from another thread ends run() and closes connections",
          "[server][integration]") {
  TestHandler handler;
  auto listener = platform::listen_tcp("127.0.0.1", 0);
  REQUIRE(listener);
  auto created = HttpServer::create(std::move(listener).value(), handler, ServerOptions{});
  REQUIRE(created);
  std::unique_ptr<HttpServer> server = std::move(created).value();
  std::atomic<bool> returned_ok{false};
  std::thread loop([&] { returned_ok = server->run().has_value(); });
  Client c(server->port());
  send(c.socket, kGet);
  REQUIRE(c.read_response());
  std::thread stopper([&] { server->stop(); });
  stopper.join();
  loop.join();
  CHECK(returned_ok);
  CHECK(server->open_connections() == 0);
  CHECK(c.closed_by_server());
}

TEST_CASE("HttpServer: the accept filter refuses connections silently", "[server][integration]") {
  TestHandler handler;
  std::atomic<int> seen{0};
  ServerOptions options;
  options.accept_filter = [&](const Socket& s) {
    return seen.fetch_add(1) % 2 == 1 && s.peer_is_loopback();
  };
  Running running(handler, std::move(options));
  Client refused(running.port());
  send(refused.socket, kGet);
  CHECK(refused.closed_by_server());
  expect_healthy(running.port());  // the second connection passes
  CHECK(handler.calls == 1);
}

TEST_CASE("HttpServer: with a proxy secret only preambled connections are served",
          "[server][integration]") {
  TestHandler handler;
  const auto secret = secure::SecretString::copy_of("abcdefghijABCDEFGHIJ0123456789-_abcdefghijk");
  ServerOptions options;
  options.proxy_secret = secret.clone();
  Running running(handler, std::move(options));
  {
    auto line = format_proxy_preamble(secret, Peer{"10.1.2.3", 4321, false});
    REQUIRE(line);
    Client c(running.port());
    send(c.socket, as_chars(line->reveal()));
    send(c.socket, kGet);
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->body == "GET /hello?x=1 10.1.2.3 0");
    CHECK(handler.peer().port == 4321);
    CHECK_FALSE(handler.peer().loopback);
  }
  for (const std::string& start : {std::string(kGet), "AWS-VAULT-PROXY 1 " + std::string(43, 'a') +
                                                          " 127.0.0.1 1\r\n" + std::string(kGet)}) {
    Client c(running.port());
    send(c.socket, start);
    CHECK(c.closed_by_server());
    CHECK_FALSE(c.read_response());
  }
  CHECK(handler.calls == 1);
}

namespace {
std::mutex g_log_mutex;
std::vector<std::string> g_log;
void capture_log(std::string_view message) {
  std::lock_guard<std::mutex> lock(g_log_mutex);
  g_log.emplace_back(message);
}
}  // namespace

TEST_CASE("HttpServer: one debug line per request, without headers", "[server][integration]") {
  TestHandler handler;
  {
    std::lock_guard<std::mutex> lock(g_log_mutex);
    g_log.clear();
  }
  log::set_debug_sink(&capture_log);
  {
    Running running(handler);
    Client c(running.port());
    send(c.socket, "GET /v1/x?y=2 HTTP/1.1\r\nHost: h\r\nAuthorization: s3cr3t-token\r\n\r\n");
    REQUIRE(c.read_response());
    const std::string prefix =
        "http: 127.0.0.1:" + std::to_string(c.socket.local_port()) + ": 200 GET /v1/x?y=2 (";
    std::lock_guard<std::mutex> lock(g_log_mutex);
    REQUIRE(g_log.size() == 1);
    CHECK(g_log[0].starts_with(prefix));
    CHECK(g_log[0].ends_with(")"));
    CHECK(g_log[0].find("s3cr3t") == std::string::npos);
  }
  log::set_debug_sink(nullptr);
}

TEST_CASE("HttpServer: create refuses invalid options", "[server][error]") {
  TestHandler handler;
  auto listener = platform::listen_tcp("127.0.0.1", 0);
  REQUIRE(listener);
  ServerOptions options;
  options.max_connections = 0;
  CHECK_FALSE(HttpServer::create(std::move(listener).value(), handler, std::move(options)));
  CHECK_FALSE(HttpServer::create(platform::Listener(), handler, ServerOptions{}));
}

}  // namespace av::server
