// http_message.h: HTTP/1.1 requests and responses as plain values, and the response parser.
//
// Bodies are secrets in both directions (STS requests carry MFA codes and web identity tokens;
// responses carry credentials), so they live in locked memory. Header values are not secret,
// except Authorization-type headers which callers add as `secret_headers` on the request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/bytes.h"
#include "base/limits.h"
#include "base/result.h"
#include "net/chunked.h"
#include "secure/secret.h"

namespace av::net {

struct Header {
  std::string name;   // as sent or received (case preserved)
  std::string value;  // leading and trailing whitespace removed
};

// find_header returns the value of the first header named `name` (ASCII case-insensitive).
std::optional<std::string_view> find_header(const std::vector<Header>& headers,
                                            std::string_view name) noexcept;

struct Request {
  std::string method = "GET";
  std::string target = "/";     // origin-form path and query, already percent-encoded
  std::vector<Header> headers;  // Host and Content-Length are added by the client
  // Headers whose values are secrets (Authorization with a bearer token, X-Amz-Security-Token):
  // never logged, written from locked memory.
  std::vector<std::pair<std::string, secure::SecretString>> secret_headers;
  secure::SecretBytes body;
};

struct Response {
  int status = 0;
  std::string reason;
  std::vector<Header> headers;
  secure::SecretBytes body;

  std::optional<std::string_view> header(std::string_view name) const noexcept {
    return find_header(headers, name);
  }
};

// ResponseLimits: the bounds the parser enforces (defaults from base/limits.h).
struct ResponseLimits {
  std::size_t max_header_bytes = limits::kMaxHttpHeaderBytes;  // status line + all headers
  std::size_t max_headers = limits::kMaxHttpHeaderCount;
  std::size_t max_body_bytes = limits::kMaxHttpBodyBytes;
};

// ResponseParser: an incremental, pure HTTP/1.1 response parser (no I/O). Feed it bytes as they
// arrive; it handles Content-Length, chunked transfer coding and read-until-close bodies, skips
// 1xx interim responses, and knows that HEAD responses and 204/304 have no body.
// Errors: Errc::Parse "malformed HTTP response: <what>", Errc::TooLarge naming the limit,
// Errc::Unsupported for a transfer coding other than chunked and for 101 Switching Protocols.
// After an error the parser stays failed. Rules (RFC 9112 §6.3): Transfer-Encoding: chunked wins
// over Content-Length (and the connection is then not reused); Content-Length headers that
// disagree are refused; without either, the body runs until the peer closes. Header lines must
// end in CRLF; obs-fold, whitespace before ':' and control characters are refused. Body bytes go
// straight into the locked body buffer (sized by Content-Length, else grown by doubling, old
// buffers wiped). keep_alive follows HTTP/1.1 (close unless "Connection: close") and HTTP/1.0
// (close unless "Connection: keep-alive"). For a CONNECT response pass head_request = true (a
// 2xx CONNECT response has no body) and do not reuse the connection after a non-2xx answer.
class ResponseParser {
 public:
  explicit ResponseParser(ResponseLimits limits = {}, bool head_request = false);

  // feed consumes a prefix of `data` and returns how many bytes it used (less than data.size()
  // only once the response is complete: the rest belongs to the next response on the connection).
  Result<std::size_t> feed(ByteSpan data);
  // finish tells the parser the peer closed the connection: completes a read-until-close body,
  // otherwise Errc::Truncated "malformed HTTP response: unexpected EOF" if incomplete.
  Status finish();
  // done: a whole response has been parsed; take() may be called.
  bool done() const noexcept;
  // keep_alive: after done(), whether the connection may be reused.
  bool keep_alive() const noexcept;
  // take moves the parsed response out. Precondition: done().
  Response take();

 private:
  enum class Phase : std::uint8_t { Head, FixedBody, ChunkedBody, UntilClose, Done, Failed };

  Result<std::size_t> feed_head(ByteSpan data);
  Status parse_head();
  Status start_body();
  Status append_body(ByteSpan bytes);
  Result<std::size_t> feed_step(ByteSpan data);

  ResponseLimits limits_;
  bool head_request_;
  // Implementation state (defined in http_response_parser.cpp).
  Phase phase_ = Phase::Head;
  std::string head_;  // the status line and header lines being collected
  Response response_;
  bool http10_ = false;          // the response is HTTP/1.0
  std::size_t num_interim_ = 0;  // 1xx responses skipped so far
  std::size_t remaining_ = 0;    // Content-Length bytes still expected
  bool keep_alive_ = true;
  ChunkedDecoder chunked_;
};

}  // namespace av::net
