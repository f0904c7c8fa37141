// http_client.h: the HTTP/1.1 client interface the AWS layer uses, and its default
// implementation (our own client over platform sockets and mbedTLS).
//
// One request per connection (no keep-alive), no redirects (a 3xx is returned as is), no
// automatic retries (the AWS layer owns retry policy, spec §4.7). Proxies come from the
// environment given at construction (HTTPS_PROXY, HTTP_PROXY, NO_PROXY and their lowercase forms;
// net/proxy_env.h).
#pragma once

#include <memory>

#include "base/result.h"
#include "net/http_message.h"
#include "net/transport.h"
#include "net/url.h"
#include "platform/env.h"

namespace av::net {

// HttpClient sends one request and returns the whole response. Implementations must be usable
// from one thread at a time; tests substitute fakes.
class HttpClient {
 public:
  virtual ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // send opens a connection to `url` (through a proxy when the environment says so), sends
  // `request` with `url.target` as its target (request.target is overwritten; absolute-form
  // through an http proxy) and reads the response: any status, 3xx and 5xx included.
  // Errors, each prefixed Go-style with `<Method> "<url.redacted()>"`: the transport's
  // (Errc::Network for DNS, refusals, timeouts, TLS and proxy failures; Errc::Unsupported;
  // CA bundle errors), serialize_request's (Errc::Parse, Errc::TooLarge), and the response
  // parser's (Errc::Parse, Errc::Truncated for a body cut short, Errc::TooLarge above
  // ClientOptions::max_body or the header limits).
  [[nodiscard]] virtual Result<Response> send(const Url& url, Request request) = 0;

 protected:
  HttpClient() = default;
};

// make_http_client builds the default client. It copies the proxy variables it needs from
// `env` (the caller's Environment need not outlive the client). A non-empty
// options.ca_bundle is loaded here, so a bad bundle fails early (errors of
// tls::ca_store_from_file); the system bundle is loaded on the first https request.
// Errc::Config when a timeout is not positive or max_body is 0.
[[nodiscard]] Result<std::unique_ptr<HttpClient>> make_http_client(
    ClientOptions options, const platform::Environment& env);

}  // namespace av::net
