// http_request.h: serialising an HTTP/1.1 request (RFC 9112 §3) into locked memory.
#pragma once

#include "base/result.h"
#include "net/http_message.h"
#include "net/url.h"
#include "secure/secret.h"

namespace av::net {

// serialize_request renders `request` for the server named by `url` as
//   <method> SP <request.target> SP "HTTP/1.1" CRLF
//   Host: <url.authority_for_host_header()>      (url.host_port() for CONNECT)
//   Content-Length: <n>                          (when the body is non-empty, or for
//   POST/PUT/PATCH) <request.headers> <request.secret_headers>   (in order) CRLF <body>
// The whole message is built in a SecretBytes sized exactly, because secret headers and the body
// may hold credentials. Errors: Errc::Parse when the method is not a token, the target is empty or
// holds a space, control (CR, LF, NUL, ...) or non-ASCII byte, a header name is not a token, a
// header value holds CR, LF, NUL or another control other than HTAB, or a caller header is Host,
// Content-Length or Transfer-Encoding (the serializer owns those); Errc::TooLarge when the head
// exceeds limits::kMaxHttpHeaderBytes or the body limits::kMaxHttpBodyBytes. Errors never quote
// header values (they may be secret).
[[nodiscard]] Result<secure::SecretBytes> serialize_request(const Request& request, const Url& url);

}  // namespace av::net
