// proxy_env.cpp: Go's httpproxy rules (FromEnvironment, useProxy, and the NO_PROXY matchers),
// evaluated entry by entry without building matcher lists: the target bypasses the proxy as soon
// as one entry matches, which is what Go's "any matcher matches" loop decides as well.
#include "net/proxy_env.h"

#include <algorithm>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "base/ascii.h"
#include "base/limits.h"

namespace av::net {
namespace {

struct Cidr {
  IpAddress network;
  std::size_t bits = 0;
  bool v4_text = false;  // written as dotted IPv4 (bits count from the IPv4 part)
};

std::optional<Cidr> parse_cidr(std::string_view text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view addr = text.substr(0, slash);
  const std::string_view bits_text = text.substr(slash + 1);
  const auto ip = parse_ip(addr);
  // Go's ParseCIDR reads the length with dtoi: decimal digits, leading zeros allowed.
  if (!ip || bits_text.empty() ||
      !std::all_of(bits_text.begin(), bits_text.end(), ascii::is_digit)) {
    return std::nullopt;
  }
  std::size_t bits = 0;
  for (const char c : bits_text) {
    bits = bits * 10 + static_cast<std::size_t>(c - '0');
    if (bits > 128) return std::nullopt;
  }
  const bool v4_text = addr.find(':') == std::string_view::npos;
  if (bits > (v4_text ? 32U : 128U)) return std::nullopt;
  return Cidr{*ip, bits, v4_text};
}

bool prefix_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b,
                  std::size_t bits) {
  for (std::size_t i = 0; i < a.size() && bits > 0; ++i) {
    const std::size_t take = std::min<std::size_t>(bits, 8);
    const auto mask = static_cast<std::uint8_t>(0xff << (8 - take));
    if ((a[i] & mask) != (b[i] & mask)) return false;
    bits -= take;
  }
  return true;
}

// cidr_contains follows Go's IPNet.Contains: an IPv4 network (also IPv4-mapped text, whose
// mask then keeps only its last 32 bits) holds only IPv4 addresses, an IPv6 one only IPv6.
bool cidr_contains(const Cidr& cidr, const IpAddress& ip) {
  if (cidr.network.is_v4() != ip.is_v4()) return false;
  if (!ip.is_v4()) return prefix_equal(cidr.network.bytes, ip.bytes, cidr.bits);
  const std::size_t bits = cidr.v4_text ? cidr.bits : (cidr.bits > 96 ? cidr.bits - 96 : 0);
  return prefix_equal(std::span(cidr.network.bytes).subspan(12), std::span(ip.bytes).subspan(12),
                      bits);
}

// split_host_port is Go's net.SplitHostPort: "host:port" or "[host]:port" (brackets removed).
std::optional<std::pair<std::string_view, std::string_view>> split_host_port(
    std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view host;
  std::size_t open_from = 0;
  std::size_t close_from = 0;
  if (text[0] == '[') {
    const std::size_t end = text.find(']');
    if (end == std::string_view::npos || end + 1 != colon) return std::nullopt;
    host = text.substr(1, end - 1);
    open_from = 1;
    close_from = end + 1;
  } else {
    host = text.substr(0, colon);
    if (host.find(':') != std::string_view::npos) return std::nullopt;
  }
  if (text.find('[', open_from) != std::string_view::npos) return std::nullopt;
  if (text.find(']', close_from) != std::string_view::npos) return std::nullopt;
  return std::pair{host, text.substr(colon + 1)};
}

struct Target {
  std::string_view host;  // lower case, IPv6 without brackets
  std::string port;       // decimal, as Go's canonicalAddr renders it
  std::optional<IpAddress> ip;
};

// no_proxy_entry_matches: one lower-cased, trimmed, non-empty NO_PROXY entry (httpproxy init()).
bool no_proxy_entry_matches(std::string_view entry, const Target& target) {
  if (entry == "*") return true;
  if (const auto cidr = parse_cidr(entry)) return target.ip && cidr_contains(*cidr, *target.ip);
  std::string_view host = entry;
  std::string_view port;
  if (const auto split = split_host_port(entry)) {
    std::tie(host, port) = *split;
    if (host.empty()) return false;  // ":80": no host part, ignored
  }
  if (const auto ip = parse_ip(host)) {
    return target.ip && *ip == *target.ip && (port.empty() || port == target.port);
  }
  if (host.empty()) return false;
  if (host.starts_with("*.")) host.remove_prefix(1);
  const bool match_host = host[0] != '.';
  const std::string suffix = match_host ? "." + std::string(host) : std::string(host);
  const bool host_match = target.host.ends_with(suffix) || (match_host && target.host == host);
  return host_match && (port.empty() || port == target.port);
}

Result<bool> use_proxy(const Url& url, std::optional<std::string_view> no_proxy) {
  Target target{url.host, std::to_string(url.port), parse_ip(url.host)};
  if (target.host == "localhost" || (target.ip && target.ip->is_loopback())) return false;
  if (!no_proxy) return true;
  if (static_cast<std::size_t>(std::count(no_proxy->begin(), no_proxy->end(), ',')) >=
      limits::kMaxNoProxyEntries) {
    return Error{Errc::TooLarge, "NO_PROXY has more than " +
                                     std::to_string(limits::kMaxNoProxyEntries) + " entries"};
  }
  std::string_view rest = *no_proxy;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string entry = ascii::lower(ascii::trim(rest.substr(0, comma)));
    if (!entry.empty() && no_proxy_entry_matches(entry, target)) return false;
    if (comma == std::string_view::npos) return true;
    rest.remove_prefix(comma + 1);
  }
}

// env_any is Go's getEnvAny: the first of the names that is set and not empty.
std::optional<std::pair<std::string_view, std::string_view>> env_any(
    const platform::Environment& env, std::string_view upper, std::string_view lower) {
  if (const auto value = env.get_nonempty(upper)) return std::pair{upper, *value};
  if (const auto value = env.get_nonempty(lower)) return std::pair{lower, *value};
  return std::nullopt;
}

}  // namespace

Result<std::optional<Url>> proxy_for(const Url& target, const platform::Environment& env) {
  const bool https = target.scheme == "https";
  const auto variable =
      https ? env_any(env, "HTTPS_PROXY", "https_proxy") : env_any(env, "HTTP_PROXY", "http_proxy");
  if (!variable) return std::optional<Url>{};
  if (!https && env.get_nonempty("REQUEST_METHOD")) {
    return Error{Errc::Config, "refusing to use HTTP_PROXY value in CGI environment"};
  }
  const auto no_proxy = env_any(env, "NO_PROXY", "no_proxy");
  AV_TRY_ASSIGN(const bool use,
                use_proxy(target, no_proxy ? std::optional(no_proxy->second) : std::nullopt));
  if (!use) return std::optional<Url>{};
  auto proxy = parse_url_default_scheme(variable->second, "http");
  if (!proxy)
    return std::move(proxy).error().with_context("invalid proxy address in " +
                                                 std::string(variable->first));
  return std::optional<Url>(std::move(proxy).value());
}

Result<platform::Environment> copy_proxy_environment(const platform::Environment& env) {
  static constexpr std::string_view kSecretVariables[] = {"HTTPS_PROXY", "https_proxy",
                                                          "HTTP_PROXY", "http_proxy"};
  static constexpr std::string_view kPlainVariables[] = {"NO_PROXY", "no_proxy",
                                                         "REQUEST_METHOD"};
  platform::Environment out;
  for (std::string_view name : kSecretVariables) {
    AV_TRY_ASSIGN(std::optional<secure::SecretString> value, env.get_secret(name));
    if (value) AV_TRY(out.set_secret(name, *value));
  }
  for (std::string_view name : kPlainVariables) {
    if (auto value = env.get(name)) out.set(name, *value);
  }
  return out;
}

}  // namespace av::net
