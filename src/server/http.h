// http.h: the server side of HTTP/1.1 as plain values: a parsed request (views into the
// connection's locked input buffer), the peer, and the reply a handler fills in.
//
// Requests to the credential servers carry secrets (the ECS Authorization token, IMDSv2 session
// tokens) and replies carry credentials, so both live in locked memory owned by the connection
// and reused from request to request; nothing here copies them into ordinary strings.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "secure/secret.h"

namespace av::server {

struct HeaderView {
  std::string_view name;   // as received
  std::string_view value;  // leading and trailing spaces and tabs removed
};

// RequestView: one parsed request. Every view points into the connection's input buffer and is
// valid only during the handler call.
struct RequestView {
  std::string_view method;  // "GET", "PUT", ... (case-sensitive token, RFC 9110 §9.1)
  std::string_view target;  // origin-form as received: path plus optional "?query"
  int minor_version = 1;    // HTTP/1.<minor>; only 0 and 1 are accepted
  std::span<const HeaderView> headers;
  ByteSpan body;  // Content-Length bytes (bounded by RequestLimits::max_body_bytes)

  // header returns the first header named `name` (ASCII case-insensitive), if any.
  std::optional<std::string_view> header(std::string_view name) const noexcept;
  // path is target up to the first '?'.
  std::string_view path() const noexcept;
};

// Peer: who sent the request. For a connection that arrived through the EC2 proxy (a valid
// proxy preamble, http_server.h) these are the original client's address and port.
struct Peer {
  std::string address;  // "127.0.0.1", "::1", "10.0.0.2"
  std::uint16_t port = 0;
  bool loopback = false;  // in 127.0.0.0/8 or ::1
};

// Reply: what a handler answers. The server adds Date-less framing itself: status line,
// Content-Length, Connection (when closing), then `headers`, then the body.
struct Reply {
  int status = 200;
  std::string_view content_type;  // "" sends no Content-Type header
  std::vector<std::pair<std::string, std::string>> headers;  // extra, non-secret (e.g. Location)
  bool close = false;  // close the connection after this reply
};

// Handler answers one request: it sets `reply` and appends the body to `body` (the connection's
// reusable locked buffer, empty on entry). It runs on the server thread and must not block for
// long except to fetch credentials. It cannot fail: failures are replies (500, 504...).
class Handler {
 public:
  virtual ~Handler() = default;
  virtual void handle(const RequestView& request, const Peer& peer, Reply& reply,
                      secure::SecretBytes& body) = 0;
};

// status_reason returns the standard reason phrase ("OK", "Not Found"...), "Unknown" otherwise.
std::string_view status_reason(int status) noexcept;

}  // namespace av::server
