// url.cpp: strict parsing of absolute http/https URLs and IP literals (RFC 3986 §3, RFC 4291
// §2.2). Errors never quote the input: a URL may carry a password in its userinfo.
#include "net/url.h"

#include <algorithm>
#include <cstddef>
#include <span>

#include "base/ascii.h"
#include "base/limits.h"
#include "base/text_reader.h"
#include "codec/percent.h"

namespace av::net {
namespace {

Error url_error(std::string_view what) {
  return Error{Errc::Parse, "invalid URL: " + std::string(what)};
}

int hex_value(char c) noexcept {
  if (ascii::is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 §2.3 unreserved and §2.2 sub-delims.
bool is_unreserved(char c) noexcept {
  return ascii::is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
bool is_sub_delim(char c) noexcept {
  return std::string_view("!$&'()*+,;=").find(c) != std::string_view::npos;
}
// RFC 3986 §3.3/§3.4 pchar plus '/' and '?' ('%' is checked separately).
bool is_target_char(char c) noexcept {
  return is_unreserved(c) || is_sub_delim(c) || c == ':' || c == '@' || c == '/' || c == '?';
}
// userinfo characters; Go's url package also lets '@' through (the last '@' ends the userinfo).
bool is_userinfo_char(char c) noexcept {
  return is_unreserved(c) || is_sub_delim(c) || c == ':' || c == '@';
}
bool is_scheme_char(char c) noexcept {
  return ascii::is_alnum(c) || c == '+' || c == '-' || c == '.';
}
bool is_control(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

// decode_escape reads the character at text[i] (decoding a %XX escape) and advances i.
Result<char> decode_escape(std::string_view text, std::size_t& i) {
  if (text[i] != '%') return text[i++];
  if (i + 2 >= text.size()) return url_error("malformed percent escape");
  const int hi = hex_value(text[i + 1]);
  const int lo = hex_value(text[i + 2]);
  if (hi < 0 || lo < 0) return url_error("malformed percent escape");
  i += 3;
  return static_cast<char>(hi * 16 + lo);
}

Status check_escapes(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) AV_TRY(decode_escape(text, i));
  return ok();
}

Status check_text(std::string_view text) {
  if (text.size() > limits::kMaxUrlBytes) {
    return Error{Errc::TooLarge,
                 "invalid URL: longer than " + std::to_string(limits::kMaxUrlBytes) + " bytes"};
  }
  if (text.empty()) return url_error("empty");
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return url_error("whitespace, control or non-ASCII character");
  }
  return ok();
}

Status parse_userinfo(std::string_view userinfo, Url& url) {
  if (!std::all_of(userinfo.begin(), userinfo.end(),
                   [](char c) { return is_userinfo_char(c) || c == '%'; })) {
    return url_error("invalid character in userinfo");
  }
  const std::size_t colon = userinfo.find(':');
  const std::string_view user = userinfo.substr(0, colon);
  std::string username;
  for (std::size_t i = 0; i < user.size();) {
    AV_TRY_ASSIGN(const char c, decode_escape(user, i));
    if (c == ':' || is_control(c)) return url_error("invalid character in username");
    username.push_back(c);
  }
  secure::SecretString password;
  if (colon != std::string_view::npos) {
    const std::string_view pass = userinfo.substr(colon + 1);
    password = secure::SecretString(pass.size());
    for (std::size_t i = 0; i < pass.size();) {
      AV_TRY_ASSIGN(const char c, decode_escape(pass, i));
      if (is_control(c)) return url_error("invalid character in password");
      AV_TRY(password.push_back(c));
    }
  }
  url.username = std::move(username);
  url.password = std::move(password);
  return ok();
}

Result<std::uint16_t> parse_port(std::string_view text) {
  TextReader reader(text);
  auto value = reader.read_uint(65535, LeadingZeros::Reject);
  if (!value || !reader.empty() || *value == 0) return url_error("invalid port");
  return static_cast<std::uint16_t>(*value);
}

Status parse_bracketed_host(std::string_view host_port, Url& url, std::string_view& port_text) {
  const std::size_t close = host_port.find(']');
  if (close == std::string_view::npos) return url_error("missing ']' after IPv6 address");
  const std::string_view inner = host_port.substr(1, close - 1);
  if (inner.find('%') != std::string_view::npos)
    return url_error("IPv6 zone identifiers are not supported");
  if (inner.find(':') == std::string_view::npos || !parse_ip(inner))
    return url_error("invalid IPv6 address");
  const std::string_view after = host_port.substr(close + 1);
  if (!after.empty() && after[0] != ':') return url_error("unexpected text after IPv6 address");
  port_text = after;
  url.host = ascii::lower(inner);
  url.is_ipv6_literal = true;
  return ok();
}

Status parse_host_port(std::string_view host_port, Url& url) {
  std::string_view port_text;
  if (!host_port.empty() && host_port[0] == '[') {
    AV_TRY(parse_bracketed_host(host_port, url, port_text));
  } else {
    const std::size_t colon = host_port.find(':');
    const std::string_view host = host_port.substr(0, colon);
    if (host.empty()) return url_error("empty host");
    if (!std::all_of(host.begin(), host.end(), is_unreserved))
      return url_error("invalid character in host");
    if (colon != std::string_view::npos) port_text = host_port.substr(colon);
    url.host = ascii::lower(host);
  }
  if (port_text.empty()) {
    url.port = default_port(url.scheme);
    return ok();
  }
  AV_TRY_ASSIGN(url.port, parse_port(port_text.substr(1)));
  return ok();
}

Status parse_target(std::string_view tail, Url& url) {
  tail = tail.substr(0, tail.find('#'));  // the fragment is never sent
  if (!std::all_of(tail.begin(), tail.end(),
                   [](char c) { return is_target_char(c) || c == '%'; })) {
    return url_error("invalid character in path or query");
  }
  AV_TRY(check_escapes(tail));
  if (tail.empty()) {
    url.target = "/";
  } else if (tail[0] == '?') {
    url.target = "/" + std::string(tail);
  } else {
    url.target = std::string(tail);
  }
  return ok();
}

// parse_after_scheme parses `rest` (the text after "scheme://") with the given scheme.
Result<Url> parse_after_scheme(std::string scheme, std::string_view rest) {
  if (scheme != "http" && scheme != "https") {
    return Error{Errc::Unsupported, "unsupported URL scheme " + ascii::quote_for_terminal(scheme)};
  }
  Url url;
  url.scheme = std::move(scheme);
  const std::size_t end = std::min(rest.find_first_of("/?#"), rest.size());
  const std::string_view authority = rest.substr(0, end);
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) AV_TRY(parse_userinfo(authority.substr(0, at), url));
  AV_TRY(parse_host_port(at == std::string_view::npos ? authority : authority.substr(at + 1), url));
  AV_TRY(parse_target(rest.substr(end), url));
  return url;
}

// scheme_length returns the length of a leading `scheme "://"`'s scheme, or 0 if there is none.
std::size_t scheme_length(std::string_view text) noexcept {
  if (text.empty() || !ascii::is_alpha(text[0])) return 0;
  std::size_t len = 1;
  while (len < text.size() && is_scheme_char(text[len])) ++len;
  return text.substr(len).starts_with("://") ? len : 0;
}

bool parse_ipv4(std::string_view text, std::span<std::uint8_t> out) noexcept {
  if (out.size() < 4) return false;
  for (int field = 0; field < 4; ++field) {
    if (field > 0) {
      if (text.empty() || text[0] != '.') return false;
      text.remove_prefix(1);
    }
    std::size_t len = 0;
    unsigned value = 0;
    while (len < text.size() && len < 4 && ascii::is_digit(text[len])) {
      value = value * 10 + static_cast<unsigned>(text[len] - '0');
      ++len;
    }
    if (len == 0 || len > 3 || value > 255 || (len > 1 && text[0] == '0')) return false;
    out[static_cast<std::size_t>(field)] = static_cast<std::uint8_t>(value);
    text.remove_prefix(len);
  }
  return text.empty();
}

// read_hex_group reads the 1-4 hex digits of an IPv6 group at s[i] and advances i past them.
std::optional<unsigned> read_hex_group(std::string_view s, std::size_t& i) noexcept {
  std::size_t len = 0;
  unsigned value = 0;
  while (i + len < s.size() && ascii::is_hex_digit(s[i + len])) {
    value = value * 16 + static_cast<unsigned>(hex_value(s[i + len]));
    if (++len > 4) return std::nullopt;
  }
  if (len == 0) return std::nullopt;
  i += len;
  return value;
}

struct Ipv6Text {
  IpAddress ip;
  std::size_t num_bytes = 0;            // bytes written from the front so far
  std::optional<std::size_t> ellipsis;  // byte offset where "::" stands
};

// read_separator consumes ':' or "::" after a group (recording where "::" stands).
bool read_separator(std::string_view s, std::size_t& i, Ipv6Text& out) noexcept {
  if (s[i] != ':' || i + 1 == s.size()) return false;
  ++i;
  if (s[i] != ':') return true;
  if (out.ellipsis) return false;
  out.ellipsis = out.num_bytes;
  ++i;
  return true;
}

// finish_ipv6 expands "::" to the zero groups it stands for (at least one, as Go requires).
std::optional<IpAddress> finish_ipv6(Ipv6Text& text) noexcept {
  if (text.num_bytes == 16) return text.ellipsis ? std::nullopt : std::optional<IpAddress>(text.ip);
  if (!text.ellipsis) return std::nullopt;
  auto& out = text.ip.bytes;
  const auto at = static_cast<std::ptrdiff_t>(*text.ellipsis);
  const auto end = static_cast<std::ptrdiff_t>(text.num_bytes);
  std::copy_backward(out.begin() + at, out.begin() + end, out.end());
  std::fill(out.begin() + at, out.end() - (end - at), std::uint8_t{0});
  return text.ip;
}

// parse_ipv6: RFC 4291 §2.2 text forms 1-3 (no zone).
std::optional<IpAddress> parse_ipv6(std::string_view s) noexcept {
  Ipv6Text text;
  std::size_t i = 0;
  if (s.starts_with("::")) {
    text.ellipsis = 0;
    i = 2;
  }
  while (i < s.size()) {
    const std::size_t start = i;
    const auto group = read_hex_group(s, i);
    if (!group) return std::nullopt;
    if (i < s.size() && s[i] == '.') {  // a trailing dotted IPv4 address ends the text
      const auto rest = std::span(text.ip.bytes).subspan(text.num_bytes);
      if (!parse_ipv4(s.substr(start), rest)) return std::nullopt;
      text.num_bytes += 4;
      return finish_ipv6(text);
    }
    if (text.num_bytes + 2 > 16) return std::nullopt;
    text.ip.bytes[text.num_bytes++] = static_cast<std::uint8_t>(*group >> 8);
    text.ip.bytes[text.num_bytes++] = static_cast<std::uint8_t>(*group & 0xff);
    if (i < s.size() && !read_separator(s, i, text)) return std::nullopt;
  }
  return finish_ipv6(text);
}

}  // namespace

std::uint16_t default_port(std::string_view scheme) noexcept {
  if (scheme == "http") return 80;
  if (scheme == "https") return 443;
  return 0;
}

std::string Url::host_port() const {
  std::string out = is_ipv6_literal ? "[" + host + "]" : host;
  out += ':';
  out += std::to_string(port);
  return out;
}

std::string Url::authority_for_host_header() const {
  if (port == default_port(scheme)) return is_ipv6_literal ? "[" + host + "]" : host;
  return host_port();
}

std::string Url::redacted() const {
  std::string out = scheme + "://";
  if (has_credentials()) {
    out += codec::encode_percent_sigv4(username, codec::SlashMode::Encode);
    if (!password.empty()) out += ":xxxxx";
    out += '@';
  }
  out += authority_for_host_header();
  out += target;
  return out;
}

Url Url::clone() const {
  Url out;
  out.scheme = scheme;
  out.host = host;
  out.port = port;
  out.target = target;
  out.username = username;
  out.password = password.clone();
  out.is_ipv6_literal = is_ipv6_literal;
  return out;
}

Result<Url> parse_url(std::string_view text) {
  AV_TRY(check_text(text));
  const std::size_t len = scheme_length(text);
  if (len == 0) return url_error("missing scheme");
  return parse_after_scheme(ascii::lower(text.substr(0, len)), text.substr(len + 3));
}

Result<Url> parse_url_default_scheme(std::string_view text, std::string_view default_scheme) {
  AV_TRY(check_text(text));
  const std::size_t len = scheme_length(text);
  if (len == 0) return parse_after_scheme(ascii::lower(default_scheme), text);
  return parse_after_scheme(ascii::lower(text.substr(0, len)), text.substr(len + 3));
}

bool IpAddress::is_v4() const noexcept {
  static constexpr std::array<std::uint8_t, 12> kV4Prefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::equal(kV4Prefix.begin(), kV4Prefix.end(), bytes.begin());
}

bool IpAddress::is_loopback() const noexcept {
  if (is_v4()) return bytes[12] == 127;
  static constexpr std::array<std::uint8_t, 16> kV6Loopback{0, 0, 0, 0, 0, 0, 0, 0,
                                                            0, 0, 0, 0, 0, 0, 0, 1};
  return bytes == kV6Loopback;
}

std::optional<IpAddress> parse_ip(std::string_view text) noexcept {
  if (text.find(':') != std::string_view::npos) return parse_ipv6(text);
  IpAddress ip;
  ip.bytes[10] = 0xff;
  ip.bytes[11] = 0xff;
  if (!parse_ipv4(text, std::span(ip.bytes).subspan(12))) return std::nullopt;
  return ip;
}

}  // namespace av::net
