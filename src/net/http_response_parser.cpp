// http_response_parser.cpp: the incremental HTTP/1.1 response parser (RFC 9112).
//
// Phases: Head (collect the status line and headers up to the empty line, CRLF only) -> one of
// FixedBody (Content-Length), ChunkedBody (ChunkedDecoder), UntilClose (no framing: the body
// ends at EOF) -> Done. Any error moves to Failed for good. Body bytes are appended straight to
// the response's SecretBytes; a growing buffer is replaced by a larger one and the old one wiped
// by its destructor, so no plaintext copy outlives the parser.
#include <algorithm>
#include <charconv>

#include "base/ascii.h"
#include "base/checked_math.h"
#include "net/http_message.h"

namespace av::net {
namespace {

constexpr std::size_t kInitialBodyCapacity = 4 * limits::kKiB;

Error response_error(std::string_view what) {
  return Error{Errc::Parse, "malformed HTTP response: " + std::string(what)};
}

// RFC 9110 §5.6.2 tchar.
bool is_tchar(char c) noexcept {
  return ascii::is_alnum(c) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 9110 §5.5 field-value characters: HTAB, SP, VCHAR and obs-text.
bool is_field_char(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return c == '\t' || (u >= 0x20 && u != 0x7f);
}

std::string_view trim_ows(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// for_each_list_element calls fn(element) for each non-empty element of the comma-separated
// lists in every header named `name` (RFC 9110 §5.6.1: empty elements are ignored).
template <class Fn>
void for_each_list_element(const std::vector<Header>& headers, std::string_view name, Fn&& fn) {
  for (const Header& header : headers) {
    if (!ascii::iequals(header.name, name)) continue;
    std::string_view rest = header.value;
    while (true) {
      const std::size_t comma = rest.find(',');
      const std::string_view element = trim_ows(rest.substr(0, comma));
      if (!element.empty()) fn(element);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
}

Status parse_status_line(std::string_view line, Response& response, bool& http10) {
  // status-line = HTTP-version SP status-code SP [ reason-phrase ]; the final SP may be absent.
  if (line.size() < 12 || !line.starts_with("HTTP/1.") || !ascii::is_digit(line[7]) ||
      line[8] != ' ') {
    return response_error("invalid status line");
  }
  const std::string_view code = line.substr(9, 3);
  if (!std::all_of(code.begin(), code.end(), ascii::is_digit) || code[0] == '0') {
    return response_error("invalid status code");
  }
  std::string_view reason = line.substr(12);
  if (!reason.empty()) {
    if (reason[0] != ' ') return response_error("invalid status code");
    reason.remove_prefix(1);
  }
  if (!std::all_of(reason.begin(), reason.end(), is_field_char)) {
    return response_error("control character in reason phrase");
  }
  http10 = line[7] == '0';
  response.status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
  response.reason = std::string(reason);
  return ok();
}

Status parse_header_line(std::string_view line, std::vector<Header>& headers,
                         std::size_t max_headers) {
  if (line.empty()) return response_error("empty header line");
  if (line[0] == ' ' || line[0] == '\t') return response_error("obsolete line folding");
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0)
    return response_error("header line without a name");
  const std::string_view name = line.substr(0, colon);
  if (!std::all_of(name.begin(), name.end(), is_tchar))
    return response_error("invalid header name");
  const std::string_view value = trim_ows(line.substr(colon + 1));
  if (!std::all_of(value.begin(), value.end(), is_field_char)) {
    return response_error("control character in header value");
  }
  if (headers.size() >= max_headers) {
    return Error{Errc::TooLarge,
                 "HTTP response has more than " + std::to_string(max_headers) + " headers"};
  }
  headers.push_back(Header{std::string(name), std::string(value)});
  return ok();
}

// content_length returns the message's Content-Length (nullopt when absent); every value in
// every Content-Length header must be the same decimal number (RFC 9112 §6.3 item 5).
Result<std::optional<std::size_t>> content_length(const std::vector<Header>& headers) {
  std::optional<std::size_t> length;
  bool bad = false;
  bool overflow = false;
  for_each_list_element(headers, "Content-Length", [&](std::string_view element) {
    std::size_t value = 0;
    const auto [ptr, ec] = std::from_chars(element.data(), element.data() + element.size(), value);
    const bool digits = std::all_of(element.begin(), element.end(), ascii::is_digit);
    if (digits && (ec != std::errc{} || ptr != element.data() + element.size())) {
      overflow = true;
    } else if (!digits || (length && *length != value)) {
      bad = true;
    } else {
      length = value;
    }
  });
  for (const Header& header : headers) {
    if (ascii::iequals(header.name, "Content-Length") &&
        header.value.find_first_not_of(", \t") == std::string::npos) {
      bad = true;  // a Content-Length header without any value
    }
  }
  if (bad) return response_error("invalid or conflicting Content-Length");
  if (overflow) return Error{Errc::TooLarge, "HTTP response Content-Length overflows"};
  return length;
}

// connection_keep_alive applies the RFC 9112 §9.3 persistence rules.
bool connection_keep_alive(const std::vector<Header>& headers, bool http10) {
  bool close = false;
  bool keep_alive = false;
  for_each_list_element(headers, "Connection", [&](std::string_view option) {
    if (ascii::iequals(option, "close")) close = true;
    if (ascii::iequals(option, "keep-alive")) keep_alive = true;
  });
  if (close) return false;
  return http10 ? keep_alive : true;
}

}  // namespace

ResponseParser::ResponseParser(ResponseLimits limits, bool head_request)
    : limits_(limits), head_request_(head_request), chunked_(limits.max_body_bytes) {}

Result<std::size_t> ResponseParser::feed(ByteSpan data) {
  if (phase_ == Phase::Failed) return response_error("parser used after an error");
  std::size_t used = 0;
  while (used < data.size() && phase_ != Phase::Done) {
    auto step = feed_step(data.subspan(used));
    if (!step) {
      phase_ = Phase::Failed;
      return std::move(step).error();
    }
    used += *step;
  }
  return used;
}

Result<std::size_t> ResponseParser::feed_step(ByteSpan data) {
  switch (phase_) {
    case Phase::Head:
      return feed_head(data);
    case Phase::FixedBody: {
      const std::size_t len = std::min(remaining_, data.size());
      AV_TRY(append_body(data.first(len)));
      remaining_ -= len;
      if (remaining_ == 0) phase_ = Phase::Done;
      return len;
    }
    case Phase::ChunkedBody: {
      AV_TRY_ASSIGN(const ChunkedStep step, chunked_.step(data));
      AV_TRY(append_body(step.data));
      if (chunked_.done()) phase_ = Phase::Done;
      return step.consumed;
    }
    case Phase::UntilClose:
      AV_TRY(append_body(data));
      return data.size();
    case Phase::Done:
    case Phase::Failed:
      break;
  }
  return std::size_t{0};
}

Result<std::size_t> ResponseParser::feed_head(ByteSpan data) {
  const std::string_view text = as_chars(data);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n' && (head_.empty() || head_.back() != '\r')) {
      return response_error("header line not terminated by CRLF");
    }
    head_.push_back(c);
    if (head_.size() > limits_.max_header_bytes) {
      return Error{Errc::TooLarge, "HTTP response header exceeds " +
                                       std::to_string(limits_.max_header_bytes) + " bytes"};
    }
    if (c == '\n' && std::string_view(head_).ends_with("\r\n\r\n")) {
      AV_TRY(parse_head());
      return i + 1;
    }
  }
  return text.size();
}

Status ResponseParser::parse_head() {
  std::string_view rest(head_);
  rest.remove_suffix(2);  // the empty line's CRLF; every line below ends in CRLF
  bool first = true;
  while (!rest.empty()) {
    const std::size_t end = rest.find("\r\n");
    const std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end + 2);
    if (first) {
      AV_TRY(parse_status_line(line, response_, http10_));
      first = false;
    } else {
      AV_TRY(parse_header_line(line, response_.headers, limits_.max_headers));
    }
  }
  if (first) return response_error("missing status line");
  head_.clear();
  if (response_.status >= 200) return start_body();
  if (response_.status == 101)
    return Error{Errc::Unsupported, "unexpected HTTP 101 switching protocols"};
  // RFC 9110 §15.2: a client skips 1xx interim responses and waits for the final one.
  if (++num_interim_ > limits::kMaxHttpInterimResponses) {
    return Error{Errc::TooLarge, "more than " + std::to_string(limits::kMaxHttpInterimResponses) +
                                     " interim HTTP responses"};
  }
  response_ = Response{};
  return ok();
}

Status ResponseParser::start_body() {
  keep_alive_ = connection_keep_alive(response_.headers, http10_);
  // RFC 9112 §6.3 items 1-2: no body after HEAD, and none in 204 or 304.
  if (head_request_ || response_.status == 204 || response_.status == 304) {
    phase_ = Phase::Done;
    return ok();
  }
  AV_TRY_ASSIGN(const std::optional<std::size_t> length, content_length(response_.headers));
  if (response_.header("Transfer-Encoding")) {
    std::vector<std::string_view> codings;
    for_each_list_element(response_.headers, "Transfer-Encoding",
                          [&](std::string_view coding) { codings.push_back(coding); });
    if (codings.size() != 1 || !ascii::iequals(codings[0], "chunked")) {
      return Error{Errc::Unsupported,
                   "unsupported HTTP transfer coding " +
                       ascii::quote_for_terminal(*response_.header("Transfer-Encoding"))};
    }
    // Item 3: chunked wins; a message that also has Content-Length (or is HTTP/1.0) may be a
    // smuggling attempt, so the connection is not reused.
    if (length || http10_) keep_alive_ = false;
    response_.body = secure::SecretBytes(std::min(kInitialBodyCapacity, limits_.max_body_bytes));
    phase_ = Phase::ChunkedBody;
    return ok();
  }
  if (length) {
    if (*length > limits_.max_body_bytes) {
      return Error{Errc::TooLarge, "HTTP response body exceeds " +
                                       std::to_string(limits_.max_body_bytes) + " bytes"};
    }
    response_.body = secure::SecretBytes(*length);
    remaining_ = *length;
    phase_ = *length == 0 ? Phase::Done : Phase::FixedBody;
    return ok();
  }
  // Item 8: no framing, the body is everything until the server closes the connection.
  keep_alive_ = false;
  response_.body = secure::SecretBytes(std::min(kInitialBodyCapacity, limits_.max_body_bytes));
  phase_ = Phase::UntilClose;
  return ok();
}

Status ResponseParser::append_body(ByteSpan bytes) {
  if (bytes.empty()) return ok();
  secure::SecretBytes& body = response_.body;
  const auto needed = checked_add(body.size(), bytes.size());
  if (!needed || *needed > limits_.max_body_bytes) {
    return Error{Errc::TooLarge,
                 "HTTP response body exceeds " + std::to_string(limits_.max_body_bytes) + " bytes"};
  }
  if (*needed > body.capacity()) {
    const std::size_t doubled = std::max(body.capacity() * 2, kInitialBodyCapacity);
    secure::SecretBytes grown(std::max(*needed, std::min(doubled, limits_.max_body_bytes)));
    AV_TRY(grown.append(body.reveal()));
    body = std::move(grown);  // the old buffer is wiped as it is released
  }
  return body.append(bytes);
}

Status ResponseParser::finish() {
  if (phase_ == Phase::Done) return ok();
  if (phase_ == Phase::UntilClose) {
    phase_ = Phase::Done;
    return ok();
  }
  if (phase_ == Phase::Failed) return response_error("parser used after an error");
  phase_ = Phase::Failed;
  return Error{Errc::Truncated, "malformed HTTP response: unexpected EOF"};
}

bool ResponseParser::done() const noexcept { return phase_ == Phase::Done; }

bool ResponseParser::keep_alive() const noexcept { return phase_ == Phase::Done && keep_alive_; }

Response ResponseParser::take() {
  AV_CHECK(phase_ == Phase::Done);
  return std::move(response_);
}

}  // namespace av::net
