// request_parser.cpp: parse_request (server/request_parser.h), RFC 9112 requests for the
// credential servers.
//
// The parser is stateless: the server hands it everything buffered for the current request each
// time, and it re-reads from the start (the server calls it again only when a line end arrived,
// so a request costs at most max_headers + 2 passes over at most max_head_bytes). The last,
// incomplete line is checked as a prefix, so garbage fails on its first bytes instead of waiting
// for a line end or the head timeout.
#include "server/request_parser.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <string>

#include "base/ascii.h"

namespace av::server {
namespace {

// RFC 9110 §5.6.2 tchar, as a table: header names are checked byte by byte on every request.
constexpr std::array<bool, 256> kTchar = [] {
  std::array<bool, 256> table{};
  for (const char c : std::string_view("!#$%&'*+-.^_`|~")) {
    table[static_cast<unsigned char>(c)] = true;
  }
  for (int c = 0; c < 256; ++c) {
    if (ascii::is_alnum(static_cast<char>(c))) table[static_cast<std::size_t>(c)] = true;
  }
  return table;
}();

constexpr bool is_tchar(char c) noexcept { return kTchar[static_cast<unsigned char>(c)]; }

// Request-target characters: visible ASCII (RFC 3986 characters and the few that clients send
// unescaped); no spaces, controls or non-ASCII.
constexpr bool is_target_char(char c) noexcept { return c > 0x20 && c < 0x7f; }

// RFC 9110 §5.5 field-value characters: HTAB, SP, VCHAR and obs-text.
constexpr bool is_field_char(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return c == '\t' || (u >= 0x20 && u != 0x7f);
}

std::string_view trim_ows(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

ParseOutcome fail(int status, Errc code, std::string message) {
  ParseOutcome out;
  out.failure = ParseFailure{status, Error(code, "http request: " + std::move(message))};
  return out;
}

ParseOutcome bad(std::string message) { return fail(400, Errc::Parse, std::move(message)); }

ParseOutcome more() {
  ParseOutcome out;
  out.need_more = true;
  return out;
}

std::string header_where(std::size_t index) { return "header " + std::to_string(index + 1); }

// Line: one line of the head without its terminator; `complete` when LF was seen.
struct Line {
  std::string_view text;
  std::size_t next = 0;  // offset after the LF
  bool complete = false;
};

// next_line finds the line starting at `pos`, ending at LF (an optional CR before it is
// dropped). A CR anywhere else is left in the text for the callers to refuse.
Line next_line(std::string_view text, std::size_t pos) noexcept {
  const char* start = text.data() + pos;
  const void* nl = std::memchr(start, '\n', text.size() - pos);
  if (nl == nullptr) return Line{text.substr(pos), text.size(), false};
  const auto len = static_cast<std::size_t>(static_cast<const char*>(nl) - start);
  std::string_view line = text.substr(pos, len);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return Line{line, pos + len + 1, true};
}

// request_line_prefix_ok: `partial` (no LF yet) can still become a valid request line.
bool request_line_prefix_ok(std::string_view partial) noexcept {
  if (!partial.empty() && partial.back() == '\r') partial.remove_suffix(1);
  std::size_t spaces = 0;
  for (const char c : partial) {
    if (c == ' ') {
      if (++spaces > 2) return false;
    } else if (spaces == 0 ? !is_tchar(c) : !is_target_char(c)) {
      return false;
    }
  }
  return true;
}

// header_line_prefix_ok: `partial` (no LF yet) can still become a valid header line or the
// empty line that ends the head.
bool header_line_prefix_ok(std::string_view partial) noexcept {
  if (!partial.empty() && partial.back() == '\r') partial.remove_suffix(1);
  if (partial.empty()) return true;
  const std::size_t colon = partial.find(':');
  const std::string_view name = partial.substr(0, colon);
  if (!std::all_of(name.begin(), name.end(), is_tchar)) return false;
  if (colon == std::string_view::npos) return true;
  const std::string_view value = partial.substr(colon + 1);
  return std::all_of(value.begin(), value.end(), is_field_char);
}

// parse_request_line fills method, target and minor_version; a failure outcome otherwise.
std::optional<ParseOutcome> parse_request_line(std::string_view line, RequestView& request) {
  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return bad("request line: not three space-separated parts");
  }
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (method.empty() || !std::all_of(method.begin(), method.end(), is_tchar)) {
    return bad("request line: invalid method");
  }
  const bool version_shape = version.size() == 8 && version.starts_with("HTTP/") &&
                             ascii::is_digit(version[5]) && version[6] == '.' &&
                             ascii::is_digit(version[7]);
  if (!version_shape) return bad("request line: invalid HTTP version");
  if (version[5] != '1' || (version[7] != '0' && version[7] != '1')) {
    return fail(505, Errc::Unsupported, "request line: unsupported HTTP version");
  }
  if (target.empty() || !std::all_of(target.begin(), target.end(), is_target_char)) {
    return bad("request line: invalid request target");
  }
  if (target.front() != '/') {
    return bad("request line: only origin-form request targets are accepted");
  }
  request.method = method;
  request.target = target;
  request.minor_version = version[7] - '0';
  return std::nullopt;
}

// parse_header_line appends one header; a failure outcome otherwise.
std::optional<ParseOutcome> parse_header_line(std::string_view line, std::size_t index,
                                              std::vector<HeaderView>& headers,
                                              const RequestLimits& limits) {
  if (line.front() == ' ' || line.front() == '\t') {
    return bad(header_where(index) + ": obsolete line folding");
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bad(header_where(index) + ": no colon");
  const std::string_view name = line.substr(0, colon);
  if (name.empty() || !std::all_of(name.begin(), name.end(), is_tchar)) {
    const bool space = !name.empty() && (name.back() == ' ' || name.back() == '\t');
    return bad(header_where(index) + (space ? ": whitespace before colon" : ": invalid name"));
  }
  const std::string_view value = line.substr(colon + 1);
  if (!std::all_of(value.begin(), value.end(), is_field_char)) {
    return bad(header_where(index) + ": control character in value");
  }
  if (headers.size() >= limits.max_headers) {
    return fail(431, Errc::TooLarge,
                "more than " + std::to_string(limits.max_headers) + " header fields");
  }
  headers.push_back(HeaderView{name, trim_ows(value)});
  return std::nullopt;
}

// for_each_token calls fn(token) for each non-empty element of a comma-separated list.
template <class Fn>
void for_each_token(std::string_view list, Fn&& fn) {
  while (true) {
    const std::size_t comma = list.find(',');
    const std::string_view element = trim_ows(list.substr(0, comma));
    if (!element.empty()) fn(element);
    if (comma == std::string_view::npos) return;
    list.remove_prefix(comma + 1);
  }
}

// Framing: what the header fields say about the body and the connection.
struct Framing {
  std::size_t content_length = 0;
  bool keep_alive = true;
};

// parse_content_length: 1*DIGIT, at most max_body; a failure outcome otherwise.
std::optional<ParseOutcome> parse_content_length(std::string_view value, std::size_t max_body,
                                                 Framing& framing) {
  if (value.empty() || !std::all_of(value.begin(), value.end(), ascii::is_digit)) {
    return bad("invalid Content-Length");
  }
  std::size_t length = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
  if (ec != std::errc{} || ptr != value.data() + value.size() || length > max_body) {
    return fail(413, Errc::TooLarge, "body larger than " + std::to_string(max_body) + " bytes");
  }
  framing.content_length = length;
  return std::nullopt;
}

// check_fields applies the rules that need the whole head: framing, Host, Expect, Connection.
std::optional<ParseOutcome> check_fields(const RequestView& request, const RequestLimits& limits,
                                         Framing& framing) {
  std::size_t hosts = 0;
  bool have_length = false;
  bool close = false;
  bool keep_alive = false;
  for (const HeaderView& h : request.headers) {
    if (ascii::iequals(h.name, "Transfer-Encoding")) {
      return fail(501, Errc::Unsupported, "Transfer-Encoding is not supported");
    }
  }
  for (const HeaderView& h : request.headers) {
    if (ascii::iequals(h.name, "Content-Length")) {
      if (have_length) return bad("more than one Content-Length");
      have_length = true;
      if (auto f = parse_content_length(h.value, limits.max_body_bytes, framing)) return f;
    } else if (ascii::iequals(h.name, "Host")) {
      ++hosts;
    } else if (ascii::iequals(h.name, "Expect")) {
      // A body of at most max_body_bytes is read without a 100 Continue; curl and the SDKs send
      // it after a short wait. Any other expectation cannot be met.
      if (!ascii::iequals(h.value, "100-continue")) {
        return fail(417, Errc::Unsupported, "unsupported expectation in Expect");
      }
    } else if (ascii::iequals(h.name, "Connection")) {
      for_each_token(h.value, [&](std::string_view option) {
        if (ascii::iequals(option, "close")) close = true;
        if (ascii::iequals(option, "keep-alive")) keep_alive = true;
      });
    }
  }
  if (request.minor_version == 1 && hosts != 1) {
    return bad(hosts == 0 ? "missing Host header" : "more than one Host header");
  }
  framing.keep_alive = !close && (request.minor_version == 1 || keep_alive);
  return std::nullopt;
}

// skip_empty_lines skips the CRLFs some clients send after a previous body (RFC 9112 §2.2).
std::size_t skip_empty_lines(std::string_view text) noexcept {
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == '\n') {
      ++pos;
    } else if (text[pos] == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') {
      pos += 2;
    } else {
      break;
    }
  }
  return pos;
}

}  // namespace

ParseOutcome parse_request(ByteSpan input, const RequestLimits& limits,
                           std::vector<HeaderView>& headers) {
  headers.clear();
  const std::string_view all = as_chars(input);
  const std::size_t start = skip_empty_lines(all.substr(0, limits.max_head_bytes));
  if (start >= limits.max_head_bytes) {
    return fail(431, Errc::TooLarge,
                "head larger than " + std::to_string(limits.max_head_bytes) + " bytes");
  }
  // Nothing past max_head_bytes can belong to the head; a longer prefix without its end fails.
  const std::string_view text = all.substr(0, limits.max_head_bytes);
  const auto head_too_large = [&] {
    return fail(431, Errc::TooLarge,
                "head larger than " + std::to_string(limits.max_head_bytes) + " bytes");
  };

  RequestView request;
  const auto line_too_long = [&] {
    return fail(431, Errc::TooLarge,
                "request line longer than " + std::to_string(limits.max_request_line) + " bytes");
  };
  Line line = next_line(text, start);
  if (!line.complete) {
    if (!request_line_prefix_ok(line.text)) return bad("request line: invalid character");
    if (line.text.size() > limits.max_request_line) return line_too_long();
    return all.size() > text.size() ? head_too_large() : more();
  }
  if (line.text.size() > limits.max_request_line) return line_too_long();
  if (line.text.find('\r') != std::string_view::npos) {
    return bad("request line: bare carriage return");
  }
  if (auto f = parse_request_line(line.text, request)) return std::move(*f);

  std::size_t pos = line.next;
  for (;;) {
    line = next_line(text, pos);
    if (!line.complete) {
      if (!header_line_prefix_ok(line.text)) {
        return bad(header_where(headers.size()) + ": invalid character");
      }
      return all.size() > text.size() ? head_too_large() : more();
    }
    if (line.text.find('\r') != std::string_view::npos) {
      return bad(header_where(headers.size()) + ": bare carriage return");
    }
    pos = line.next;
    if (line.text.empty()) break;
    if (auto f = parse_header_line(line.text, headers.size(), headers, limits)) {
      return std::move(*f);
    }
  }

  request.headers = headers;
  Framing framing;
  if (auto f = check_fields(request, limits, framing)) return std::move(*f);
  if (input.size() - pos < framing.content_length) {
    ParseOutcome out = more();
    out.need_bytes = pos + framing.content_length;
    return out;
  }
  request.body = input.subspan(pos, framing.content_length);

  ParseOutcome out;
  out.parsed = ParsedRequest{request, pos + framing.content_length, framing.keep_alive};
  return out;
}

}  // namespace av::server
