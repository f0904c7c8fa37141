// http_request.cpp: HTTP/1.1 request serialisation. Validation happens before any byte is
// written, so a malformed header can never smuggle a second request (CR/LF injection); the bytes
// are then written twice over the same emitter: once to count, once into the exact-size buffer.
#include "net/http_request.h"

#include <algorithm>
#include <optional>
#include <string>

#include "base/ascii.h"
#include "base/checked_math.h"
#include "base/limits.h"

namespace av::net {
namespace {

Error request_error(std::string_view what) {
  return Error{Errc::Parse, "invalid HTTP request: " + std::string(what)};
}

bool is_tchar(char c) noexcept {
  return ascii::is_alnum(c) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) noexcept {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_tchar);
}

bool is_safe_value(std::string_view value) noexcept {
  return std::all_of(value.begin(), value.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return c == '\t' || (u >= 0x20 && u != 0x7f);
  });
}

Status check_header(std::string_view name, std::string_view value) {
  if (!is_token(name)) return request_error("invalid header name");
  if (!is_safe_value(value))
    return request_error("control character in value of header " + std::string(name));
  for (const std::string_view reserved : {"Host", "Content-Length", "Transfer-Encoding"}) {
    if (ascii::iequals(name, reserved))
      return request_error("header " + std::string(reserved) + " is set by the client");
  }
  return ok();
}

Status check_request(const Request& request) {
  if (!is_token(request.method)) return request_error("invalid method");
  const std::string_view target = request.target;
  if (target.empty()) return request_error("empty request target");
  for (const char c : target) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f)
      return request_error("space, control or non-ASCII byte in request target");
  }
  for (const Header& header : request.headers) AV_TRY(check_header(header.name, header.value));
  for (const auto& [name, value] : request.secret_headers)
    AV_TRY(check_header(name, value.reveal()));
  if (request.body.size() > limits::kMaxHttpBodyBytes) {
    return Error{Errc::TooLarge, "HTTP request body exceeds " +
                                     std::to_string(limits::kMaxHttpBodyBytes) + " bytes"};
  }
  return ok();
}

bool needs_content_length(const Request& request) {
  return !request.body.empty() || request.method == "POST" || request.method == "PUT" ||
         request.method == "PATCH";
}

// emit_head passes every piece of the request head, in order, to `put`.
template <class Put>
void emit_head(const Request& request, std::string_view host, Put&& put) {
  const std::string_view crlf = "\r\n";
  const std::string_view colon = ": ";
  for (const std::string_view piece :
       {std::string_view(request.method), std::string_view(" "), std::string_view(request.target),
        std::string_view(" HTTP/1.1"), crlf, std::string_view("Host: "), host, crlf}) {
    put(piece);
  }
  if (needs_content_length(request)) {
    const std::string length = std::to_string(request.body.size());
    for (const std::string_view piece :
         {std::string_view("Content-Length: "), std::string_view(length), crlf}) {
      put(piece);
    }
  }
  for (const Header& header : request.headers) {
    for (const std::string_view piece :
         {std::string_view(header.name), colon, std::string_view(header.value), crlf}) {
      put(piece);
    }
  }
  for (const auto& [name, value] : request.secret_headers) {
    for (const std::string_view piece : {std::string_view(name), colon, value.reveal(), crlf})
      put(piece);
  }
  put(crlf);
}

}  // namespace

Result<secure::SecretBytes> serialize_request(const Request& request, const Url& url) {
  AV_TRY(check_request(request));
  const std::string host =
      request.method == "CONNECT" ? url.host_port() : url.authority_for_host_header();
  std::size_t head_len = 0;
  bool overflow = false;
  emit_head(request, host, [&](std::string_view piece) {
    const auto sum = checked_add(head_len, piece.size());
    overflow = overflow || !sum;
    head_len = sum.value_or(head_len);
  });
  if (overflow || head_len > limits::kMaxHttpHeaderBytes) {
    return Error{Errc::TooLarge, "HTTP request head exceeds " +
                                     std::to_string(limits::kMaxHttpHeaderBytes) + " bytes"};
  }
  secure::SecretBytes out(head_len + request.body.size());
  Status written;
  emit_head(request, host, [&](std::string_view piece) {
    if (written) written = out.append(as_bytes(piece));
  });
  AV_TRY(written);
  AV_TRY(out.append(request.body.reveal()));
  return out;
}

}  // namespace av::net
