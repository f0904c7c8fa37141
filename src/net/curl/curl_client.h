// curl_client.h: an HttpClient over libcurl's easy API, for proxies our own client cannot serve
// (NTLM, Kerberos/SPNEGO and Digest proxy authentication, SOCKS4/5, https:// proxies). Built only
// with -DAV_WITH_CURL=ON; libcurl's headers never leave src/net/curl (tools/check_layering.py).
//
// Same contract as make_http_client (net/http_client.h): one connection per request, no
// redirects, no retries, no content decoding, any status returned as is, errors prefixed Go-style
// with `<Method> "<url.redacted()>"` and shaped like ours (Errc::Network "dial tcp ...",
// "proxyconnect tcp ...", "tls handshake with <host>: x509: ...", "... i/o timeout";
// Errc::Truncated, Errc::TooLarge, Errc::Parse), request validation by serialize_request.
//
// Differences from our client (each is libcurl's behaviour):
//  * Proxies: curl reads the proxy URL we pick from the environment (HTTPS_PROXY/https_proxy for
//    https, HTTP_PROXY/http_proxy for http, REQUEST_METHOD refuses the latter as ours does), so
//    socks4://, socks5://, socks5h:// and https:// proxy URLs work, and proxy authentication is
//    negotiated (CURLAUTH_ANY: the first attempt goes without credentials). NO_PROXY follows
//    curl's matching ("example.com" and ".example.com" both cover subdomains; "*.x" is passed as
//    ".x"); localhost and loopback addresses are never proxied, as with ours.
//  * https to an IP literal is verified against the certificate's IP SANs (ours: Unsupported).
//  * The connect timeout covers TCP, proxy CONNECT and the TLS handshake together (connect +
//    handshake); the idle read timeout is checked about once a second, so it may fire late by
//    up to a second.
//  * Secret memory: the response body is written straight into locked memory and the request
//    body is handed to curl without a copy of ours, but curl's own buffers (its send buffer, the
//    proxy URL with its password, header lists, TLS records) are ordinary heap; the header list
//    (which holds X-Amz-Security-Token) is wiped before it is freed.
//  * A failed CONNECT reports the status code only: "proxy CONNECT <host:port>: 407".
//  * libcurl itself honours SSLKEYLOGFILE (TLS secrets written to that file); ours ignores it.
#pragma once

#include <memory>

#include "base/result.h"
#include "net/http_client.h"
#include "net/transport.h"
#include "platform/env.h"

namespace av::net {

// make_curl_http_client builds the libcurl client. It copies the proxy variables it needs from
// `env` (the caller's Environment need not outlive the client). A non-empty options.ca_bundle is
// checked here with tls::ca_store_from_file, so a missing or bad bundle fails early with the same
// errors as make_http_client; curl then loads it (CURLOPT_CAINFO, also for https proxies). Errors:
// Errc::Config when a timeout is not positive or max_body is 0; Errc::Internal when libcurl
// cannot be initialised.
[[nodiscard]] Result<std::unique_ptr<HttpClient>> make_curl_http_client(
    ClientOptions options, const platform::Environment& env);

}  // namespace av::net
