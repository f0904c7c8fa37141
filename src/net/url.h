// url.h: absolute http/https URLs (RFC 3986 subset) and IP address literals.
//
// Invariants of a parsed Url: scheme is "http" or "https" (lower case); host is non-empty, lower
// case, made only of [a-z0-9.-_~] or (is_ipv6_literal) a valid IPv6 address without brackets;
// port is 1..65535 (the scheme's default when absent); target starts with '/' and holds only
// RFC 3986 path/query characters with valid %XX escapes; the fragment is dropped. The password
// lives only in locked memory and never appears in redacted() or in any error message; errors
// never quote the input (it may hold the password).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "secure/secret.h"

namespace av::net {

struct Url {
  std::string scheme;             // "http" or "https"
  std::string host;               // lower case; an IPv6 literal without its brackets
  std::uint16_t port = 0;         // explicit, or the scheme's default
  std::string target;             // path and query, "/" when the URL has no path
  std::string username;           // percent-decoded userinfo before ':' (may be empty)
  secure::SecretString password;  // percent-decoded userinfo after ':' (may be empty)
  bool is_ipv6_literal = false;   // host was written as [v6]

  // host_port returns "host:port" ("[v6]:port" for IPv6 literals): the TCP address and the
  // CONNECT request target.
  std::string host_port() const;
  // authority_for_host_header returns the Host header value: host_port() without the port when
  // it is the scheme's default.
  std::string authority_for_host_header() const;
  // redacted renders the URL for messages: "scheme://[user[:xxxxx]@]authority/target", the
  // password replaced by "xxxxx" (as Go's URL.Redacted) and the username percent-encoded.
  std::string redacted() const;
  // has_credentials: the URL carried a username or a password (proxy basic authentication).
  bool has_credentials() const noexcept { return !username.empty() || !password.empty(); }
  // clone makes an independent copy (Url is move-only because of the password).
  Url clone() const;
};

// default_port returns 80 for "http", 443 for "https", 0 for anything else.
std::uint16_t default_port(std::string_view scheme) noexcept;

// parse_url parses an absolute http or https URL:
//   scheme "://" [userinfo "@"] host [":" port] [path] ["?" query] ["#" fragment]
// The scheme is case-insensitive; the host is lower-cased; the userinfo is percent-decoded, the
// username must not contain ':' and neither part may contain control characters (RFC 7617).
// Errors: Errc::Parse "invalid URL: <what>" (no scheme, empty or bad host, bad port, bad %XX,
// whitespace, control or non-ASCII bytes, IPv6 zones); Errc::Unsupported for other schemes;
// Errc::TooLarge above limits::kMaxUrlBytes.
[[nodiscard]] Result<Url> parse_url(std::string_view text);

// parse_url_default_scheme is parse_url for values that may omit "scheme://" (proxy variables):
// text without a leading `scheme "://"` is parsed as if "<default_scheme>://" preceded it, without
// copying the text (which may hold a password). Same errors as parse_url.
[[nodiscard]] Result<Url> parse_url_default_scheme(std::string_view text,
                                                   std::string_view default_scheme);

// IpAddress: an IPv4 or IPv6 address as 16 bytes (IPv4 as ::ffff:a.b.c.d, as Go's net.IP).
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};
  // is_v4: the address is IPv4 or IPv4-mapped IPv6 (Go's To4() != nil).
  bool is_v4() const noexcept;
  // is_loopback: 127.0.0.0/8 (also IPv4-mapped) or ::1.
  bool is_loopback() const noexcept;
  bool operator==(const IpAddress&) const noexcept = default;
};

// parse_ip parses dotted-decimal IPv4 (four fields 0-255, no leading zeros) or RFC 4291 IPv6 text
// ("::" compression, optional trailing dotted IPv4, no zone), as Go's net.ParseIP. nullopt when
// `text` is neither.
std::optional<IpAddress> parse_ip(std::string_view text) noexcept;

}  // namespace av::net
