// proxy_preamble.cpp: the EC2 proxy's first line (server/proxy_preamble.h).
//
//   "AWS-VAULT-PROXY 1 " secret SP address SP port CRLF
//
// secret: exactly the configured secret (43 base64url characters), compared in constant time;
// address: an IPv4 or IPv6 literal as net::parse_ip accepts it (no zone, no brackets); port:
// 1-65535 in decimal without leading zeros. The line is strict: single spaces, CRLF only.
#include "server/proxy_preamble.h"

#include <algorithm>
#include <string>

#include "base/ascii.h"
#include "net/url.h"
#include "secure/ct.h"

namespace av::server {
namespace {

constexpr std::string_view kMagic = "AWS-VAULT-PROXY 1 ";
constexpr std::size_t kSecretChars = 43;
constexpr std::size_t kMaxAddressChars = 45;  // longest IPv6 text with a dotted IPv4 tail

constexpr bool is_base64url(char c) noexcept { return ascii::is_alnum(c) || c == '-' || c == '_'; }

bool valid_secret_text(std::string_view s) noexcept {
  return s.size() == kSecretChars && std::all_of(s.begin(), s.end(), is_base64url);
}

Error preamble_error(Errc code, std::string_view what) {
  return Error(code, "proxy preamble: " + std::string(what));
}

// parse_port: 1-65535, decimal, no leading zero.
std::optional<std::uint16_t> parse_port(std::string_view text) noexcept {
  if (text.empty() || text.size() > 5 || text[0] == '0' ||
      !std::all_of(text.begin(), text.end(), ascii::is_digit)) {
    return std::nullopt;
  }
  unsigned value = 0;
  for (const char c : text) value = value * 10 + static_cast<unsigned>(c - '0');
  if (value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

// parse_address: an IP literal; loopback is decided from the parsed form.
std::optional<Peer> parse_client(std::string_view address, std::string_view port_text) {
  if (address.empty() || address.size() > kMaxAddressChars) return std::nullopt;
  const auto ip = net::parse_ip(address);
  const auto port = parse_port(port_text);
  if (!ip || !port) return std::nullopt;
  Peer peer;
  peer.address = std::string(address);
  peer.port = *port;
  peer.loopback = ip->is_loopback();
  return peer;
}

PreambleOutcome failed(Errc code, std::string_view what) {
  PreambleOutcome out;
  out.error = preamble_error(code, what);
  return out;
}

}  // namespace

Result<secure::SecretBytes> format_proxy_preamble(const secure::SecretString& secret,
                                                  const Peer& client) {
  if (!valid_secret_text(secret.reveal())) {
    return preamble_error(Errc::Parse, "the secret is not 43 base64url characters");
  }
  const std::string port = std::to_string(client.port);
  if (!parse_client(client.address, port)) {
    return preamble_error(Errc::Parse, "invalid client address or port");
  }
  secure::SecretBytes line(kMaxProxyPreambleBytes);
  AV_TRY(line.append(as_bytes(kMagic)));
  AV_TRY(line.append(secret.reveal_bytes()));
  AV_TRY(line.append(as_bytes(" ")));
  AV_TRY(line.append(as_bytes(client.address)));
  AV_TRY(line.append(as_bytes(" ")));
  AV_TRY(line.append(as_bytes(port)));
  AV_TRY(line.append(as_bytes("\r\n")));
  return line;
}

PreambleOutcome check_proxy_preamble(ByteSpan input, const secure::SecretString& secret) {
  const std::string_view text = as_chars(input).substr(0, kMaxProxyPreambleBytes);
  const std::size_t lf = text.find('\n');
  if (lf == std::string_view::npos) {
    const std::size_t n = std::min(text.size(), kMagic.size());
    if (text.substr(0, n) != kMagic.substr(0, n)) {
      return failed(Errc::Parse, "connection did not start with the proxy preamble");
    }
    if (text.size() >= kMaxProxyPreambleBytes) {
      return failed(Errc::TooLarge,
                    "longer than " + std::to_string(kMaxProxyPreambleBytes) + " bytes");
    }
    PreambleOutcome out;
    out.need_more = true;
    return out;
  }
  if (lf == 0 || text[lf - 1] != '\r') return failed(Errc::Parse, "line not ended by CRLF");
  std::string_view line = text.substr(0, lf - 1);
  if (!line.starts_with(kMagic)) {
    return failed(Errc::Parse, "connection did not start with the proxy preamble");
  }
  line.remove_prefix(kMagic.size());
  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return failed(Errc::Parse, "not secret, address and port");
  }
  const std::string_view given = line.substr(0, sp1);
  auto client = parse_client(line.substr(sp1 + 1, sp2 - sp1 - 1), line.substr(sp2 + 1));
  if (!client) return failed(Errc::Parse, "invalid client address or port");
  // The length is not secret (the format fixes it); the contents are compared in constant time.
  if (secret.empty() || !ct::equal(given, secret.reveal())) {
    return failed(Errc::AuthFailed, "wrong secret");
  }
  PreambleOutcome out;
  out.consumed = lf + 1;
  out.client = std::move(client);
  return out;
}

}  // namespace av::server
