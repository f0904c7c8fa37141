// proxy_env.h: choosing an HTTP proxy from the environment, with the rules of Go's
// net/http.ProxyFromEnvironment (golang.org/x/net/http/httpproxy), which upstream aws-vault uses.
#pragma once

#include <optional>

#include "base/result.h"
#include "net/url.h"
#include "platform/env.h"

namespace av::net {

// proxy_for returns the proxy for requests to `target`, or nullopt to connect directly.
//  * https targets use HTTPS_PROXY, else https_proxy; http targets HTTP_PROXY, else http_proxy
//    (an empty variable counts as unset). A value without "scheme://" means http://.
//  * Never for "localhost" or a loopback IP literal (127.0.0.0/8, ::1).
//  * Never when NO_PROXY (else no_proxy) matches; its comma-separated entries, trimmed and
//    case-insensitive, are: "*" (everything); an IP or CIDR (IP literal targets only; an IP may
//    carry ":port" or be "[v6]:port"); a domain "example.com" (itself and its subdomains),
//    ".example.com" or "*.example.com" (subdomains only), each optionally with ":port".
//  * As Go, an http target with REQUEST_METHOD set (a CGI environment, where HTTP_PROXY may come
//    from a request header) is refused: Errc::Config.
// Unlike Go, a proxy value that does not parse is an error rather than silently ignored (only
// when it would be used): Errc::Parse / Errc::Unsupported (socks5 and other schemes) /
// Errc::TooLarge from parse_url, with the variable's name as context and never its value.
// Errc::TooLarge when NO_PROXY has more than limits::kMaxNoProxyEntries entries. The returned
// Url's scheme is "http" or "https"; its password (proxy basic credentials) is in locked memory.
// copy_proxy_environment copies the variables proxy_for reads (HTTPS_PROXY, HTTP_PROXY and their
// lowercase forms into locked memory, since they may carry passwords; NO_PROXY, no_proxy and
// REQUEST_METHOD as plain text) out of `env`, so a client can outlive the caller's Environment.
[[nodiscard]] Result<platform::Environment> copy_proxy_environment(const platform::Environment& env);

[[nodiscard]] Result<std::optional<Url>> proxy_for(const Url& target,
                                                   const platform::Environment& env);

}  // namespace av::net
