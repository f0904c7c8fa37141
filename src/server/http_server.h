// http_server.h: the loopback HTTP/1.1 server under the ECS and EC2 credential servers.
//
// One thread runs an event loop (platform/poller.h) over non-blocking sockets, so a slow or
// hostile client costs a connection slot and a buffer, never the server: every connection has a
// head deadline (from its first byte to the end of a request), an idle deadline between
// keep-alive requests and a write deadline; at most `max_connections` are open at once (further
// ones are accepted and closed at once); input and output are bounded (request_parser.h limits).
// Handlers run on the loop thread, one request at a time.
//
// Every connection's input and output buffers are locked memory, allocated once per connection
// and wiped when it closes. Malformed requests get their 4xx/5xx reply with Connection: close.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "base/result.h"
#include "platform/socket.h"
#include "secure/secret.h"
#include "server/http.h"
#include "server/request_parser.h"

namespace av::server {

struct ServerOptions {
  RequestLimits limits;
  std::size_t max_connections = 256;
  std::chrono::milliseconds head_timeout{10'000};  // first byte of a request to its end
  std::chrono::milliseconds idle_timeout{60'000};  // between keep-alive requests
  std::chrono::milliseconds write_timeout{10'000};  // a reply must drain within this
  // accept_filter runs on each accepted connection before any byte is read; false closes it
  // silently (the ECS server refuses sockets owned by other users, platform/tcp_owner.h).
  std::function<bool(const platform::Socket&)> accept_filter;
  // proxy_secret: when non-empty, every connection must begin with the EC2 proxy preamble
  // (proxy_preamble.h) carrying this secret; connections without it are closed without a reply.
  secure::SecretString proxy_secret;
  // log_requests: write `http: <addr>:<port>: <status> <method> <target> (<elapsed>)` to the
  // debug log per request (spec §6.4), never headers or bodies.
  bool log_requests = true;
};

class HttpServer {
 public:
  // create takes the listening socket and the handler (borrowed; it must outlive the server).
  static Result<std::unique_ptr<HttpServer>> create(platform::Listener listener, Handler& handler,
                                                    ServerOptions options);
  virtual ~HttpServer() = default;

  // run serves until stop() is called; returns Errc::Io only if the event loop itself fails.
  virtual Status run() = 0;
  // stop makes run() return soon after; thread-safe and async-signal-safe (writes to an eventfd).
  virtual void stop() noexcept = 0;
  virtual std::uint16_t port() const noexcept = 0;
  // open_connections: the number currently open (for tests).
  virtual std::size_t open_connections() const noexcept = 0;
};

}  // namespace av::server
