// transport.h: byte streams to HTTP servers: plain TCP, TLS, and either through an HTTP proxy.
//
// The transport owns connection policy: timeouts, which CA bundle is trusted, how a proxy is
// reached (an "http" proxy URL; https targets are tunnelled with CONNECT, and the proxy URL's
// userinfo becomes "Proxy-Authorization: Basic", built in locked memory). It knows nothing of
// requests and responses beyond the CONNECT exchange.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "base/bytes.h"
#include "base/limits.h"
#include "base/result.h"
#include "net/url.h"
#include "platform/socket.h"
#include "secure/secret.h"

namespace av::net {

using platform::Timeout;

// ClientOptions: connection policy for one HttpClient. Defaults follow the AWS SDK for Go's
// transport (30 s dial, 10 s TLS handshake) plus an idle-read bound the SDK lacks.
struct ClientOptions {
  Timeout connect{std::chrono::seconds(30)};    // TCP connect, to the server or the proxy
  Timeout handshake{std::chrono::seconds(10)};  // the whole TLS handshake (and a CONNECT reply)
  Timeout read{std::chrono::seconds(60)};       // each wait for response bytes (and each write)
  std::string ca_bundle;                        // PEM file (AWS_CA_BUNDLE, ca_bundle); "": system
  std::size_t max_body = limits::kMaxHttpBodyBytes;  // response body bound (Errc::TooLarge)
};

// Connection: an open byte stream to the origin server of one request.
class Connection {
 public:
  virtual ~Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // read_some reads up to buffer.size() bytes; 0 at end of stream. Errc::Network on timeout
  // ("... i/o timeout") and I/O or TLS errors.
  virtual Result<std::size_t> read_some(MutableByteSpan buffer, Timeout timeout) = 0;
  // write_all sends every byte; `timeout` bounds each wait. Errc::Network on failure.
  virtual Status write_all(ByteSpan data, Timeout timeout) = 0;
  // uses_absolute_form: requests on this connection go to an HTTP proxy, not through a tunnel,
  // so the request target must be the absolute URL (RFC 9112 §3.2.2).
  virtual bool uses_absolute_form() const noexcept = 0;

 protected:
  Connection() = default;
};

// proxy_authorization builds "Basic base64(user:password)" from a proxy URL's userinfo, in
// locked memory (RFC 7617). Errc::TooLarge above limits::kMaxProxyCredentialBytes.
[[nodiscard]] Result<secure::SecretString> proxy_authorization(const Url& proxy);

// open_connection connects to `target` ("http" or "https"), directly when `proxy` is null, else
// through the HTTP proxy `proxy` (borrowed for the call): a CONNECT tunnel for https targets, a
// plain connection to the proxy for http targets. https targets are verified against
// options.ca_bundle, or the system bundle when it is empty (both parsed once per process).
// Errors: Errc::Network "dial tcp ...", "proxyconnect tcp ...", "proxy CONNECT <host:port>:
// <status> <reason>", TLS errors from net/tls; Errc::Unsupported for an "https" proxy URL or an
// IP-literal https host (mbedTLS 2.28 cannot verify IP SANs); CA bundle errors from ca_store.h.
[[nodiscard]] Result<std::unique_ptr<Connection>> open_connection(const Url& target,
                                                                  const Url* proxy,
                                                                  const ClientOptions& options);

}  // namespace av::net
