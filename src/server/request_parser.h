// request_parser.h: a pure, bounded HTTP/1.1 request parser (RFC 9112) for the credential
// servers. No I/O: the server hands it the bytes received so far on a connection and it either
// asks for more, returns one complete request (views into those bytes) and how many bytes it
// used, or fails with the status the server should answer before closing.
//
// Accepted: request-line `METHOD SP origin-form SP HTTP/1.0|HTTP/1.1 CRLF` (a bare LF is also
// accepted as a line end, as RFC 9112 §2.2 allows), header fields `name: value` with token names,
// Content-Length bodies. Refused: absolute-form and asterisk-form targets (except that the proxy
// never sends them), obs-fold, whitespace before ':', control characters, duplicate or
// malformed Content-Length, any Transfer-Encoding, HTTP/2 preface and versions other than 1.0/1.1.
#pragma once

#include <cstddef>
#include <vector>

#include "base/bytes.h"
#include "base/limits.h"
#include "base/result.h"
#include "server/http.h"

namespace av::server {

struct RequestLimits {
  std::size_t max_request_line = limits::kMaxServerRequestLine;
  std::size_t max_head_bytes = limits::kMaxServerRequestHead;  // request line + all headers
  std::size_t max_headers = limits::kMaxServerRequestHeaders;
  std::size_t max_body_bytes = limits::kMaxServerRequestBody;
};

// ParsedRequest: a complete request. `request` views the input span and `headers` storage.
struct ParsedRequest {
  RequestView request;
  std::size_t consumed = 0;  // bytes of input this request used (head + body)
  bool keep_alive = true;    // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with keep-alive
};

// ParseFailure: why a request was refused, and the status to answer with.
struct ParseFailure {
  int status = 400;  // 400 malformed, 413 body too large, 417 Expect other than 100-continue,
                     // 431 head too large, 501 Transfer-Encoding, 505 version
  Error error;       // Errc::Parse / TooLarge / Unsupported, naming what and where
};

// ParseOutcome: exactly one of need_more, parsed, failure.
struct ParseOutcome {
  bool need_more = false;
  // need_bytes: with need_more, the input size at which another call can make progress when the
  // head is complete and only body bytes are missing; 0 while the head is incomplete (progress
  // then needs a line end). Lets the server skip re-parsing on every small read.
  std::size_t need_bytes = 0;
  std::optional<ParsedRequest> parsed;
  std::optional<ParseFailure> failure;
};

// parse_request looks for one request at the start of `input`. `headers` is caller-owned storage
// reused between calls (cleared here). need_more is returned only while the bytes seen are a
// valid prefix within the limits, so a slow or endless head fails as soon as it passes a limit.
ParseOutcome parse_request(ByteSpan input, const RequestLimits& limits,
                           std::vector<HeaderView>& headers);

}  // namespace av::server
