// transport.cpp: opening connections (direct, TLS, CONNECT tunnel, HTTP proxy).
//
// Order of checks, so that nothing touches the network before the policy is known to hold: the
// proxy scheme, the IP-literal refusal for https, and the CA bundle are settled before dialling.
// A CONNECT reply is read with head-only framing: a 2xx reply has no body, and anything else
// ends the connection, so bytes after the reply head are never mistaken for the tunnel.
#include "net/transport.h"

#include <array>
#include <string>
#include <utility>

#include "base/ascii.h"
#include "crypto/secret_codec.h"
#include "net/http_message.h"
#include "net/http_request.h"
#include "net/tls/ca_store.h"
#include "net/tls/tls_stream.h"

namespace av::net {
namespace {

class PlainConnection final : public Connection {
 public:
  PlainConnection(platform::Socket socket, bool absolute_form) noexcept
      : socket_(std::move(socket)), absolute_form_(absolute_form) {}
  Result<std::size_t> read_some(MutableByteSpan buffer, Timeout timeout) override {
    return socket_.read_some(buffer, timeout);
  }
  Status write_all(ByteSpan data, Timeout timeout) override {
    return socket_.write_all(data, timeout);
  }
  bool uses_absolute_form() const noexcept override { return absolute_form_; }

 private:
  platform::Socket socket_;
  bool absolute_form_;
};

class TlsConnection final : public Connection {
 public:
  explicit TlsConnection(tls::TlsStream stream) noexcept : stream_(std::move(stream)) {}
  Result<std::size_t> read_some(MutableByteSpan buffer, Timeout timeout) override {
    return stream_.read_some(buffer, timeout);
  }
  Status write_all(ByteSpan data, Timeout timeout) override {
    return stream_.write_all(data, timeout);
  }
  bool uses_absolute_form() const noexcept override { return false; }

 private:
  tls::TlsStream stream_;
};

Result<const tls::CaStore*> trusted_cas(const ClientOptions& options) {
  if (options.ca_bundle.empty()) return tls::system_ca_store();
  return tls::ca_store_from_file(options.ca_bundle);
}

// printable keeps the printable ASCII of an untrusted reason phrase for an error message.
std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text.substr(0, 64)) {
    if (c >= 0x20 && c < 0x7f) out.push_back(c);
  }
  return out;
}

// read_connect_reply reads the proxy's reply head to CONNECT; a 2xx opens the tunnel.
Status read_connect_reply(platform::Socket& socket, const Url& target,
                          const ClientOptions& options) {
  const std::string what = "proxy CONNECT " + target.host_port();
  ResponseParser parser(ResponseLimits{}, /*head_request=*/true);
  std::array<std::uint8_t, 1024> buffer{};
  bool early_data = false;
  while (!parser.done()) {
    auto n = socket.read_some(buffer, options.handshake);
    if (!n) return std::move(n).error().with_context(what);
    if (*n == 0) {
      AV_TRY(parser.finish());
      break;
    }
    auto used = parser.feed(ByteSpan(buffer).first(*n));
    if (!used) return std::move(used).error().with_context(what);
    early_data = *used != *n;
  }
  const Response reply = parser.take();
  if (reply.status < 200 || reply.status > 299) {
    return Error(Errc::Network, what + ": " + std::to_string(reply.status) + " " +
                                    printable(reply.reason));
  }
  if (early_data) return Error(Errc::Network, what + ": proxy sent data before the tunnel");
  return ok();
}

// connect_tunnel asks the proxy on `socket` for a tunnel to `target` (RFC 9110 §9.3.6).
Status connect_tunnel(platform::Socket& socket, const Url& target, const Url& proxy,
                      const ClientOptions& options) {
  Request request;
  request.method = "CONNECT";
  request.target = target.host_port();
  if (proxy.has_credentials()) {
    AV_TRY_ASSIGN(secure::SecretString auth, proxy_authorization(proxy));
    request.secret_headers.emplace_back("Proxy-Authorization", std::move(auth));
  }
  AV_TRY_ASSIGN(secure::SecretBytes wire, serialize_request(request, target));
  if (auto st = socket.write_all(wire.reveal(), options.read); !st) {
    return std::move(st).error().with_context("proxy CONNECT " + target.host_port());
  }
  return read_connect_reply(socket, target, options);
}

}  // namespace

Result<secure::SecretString> proxy_authorization(const Url& proxy) {
  const std::size_t raw_len = proxy.username.size() + 1 + proxy.password.size();
  if (raw_len > limits::kMaxProxyCredentialBytes / 2) {
    return Error(Errc::TooLarge, "proxy credentials: more than " +
                                     std::to_string(limits::kMaxProxyCredentialBytes / 2) +
                                     " bytes");
  }
  secure::SecretString raw(raw_len);
  AV_TRY(raw.append(proxy.username));
  AV_TRY(raw.push_back(':'));
  AV_TRY(raw.append(proxy.password.reveal()));
  const secure::SecretString encoded =
      crypto::encode_base64_secret(raw.reveal_bytes(), crypto::Base64Variant::Standard);
  constexpr std::string_view kScheme = "Basic ";
  secure::SecretString out(kScheme.size() + encoded.size());
  AV_TRY(out.append(kScheme));
  AV_TRY(out.append(encoded.reveal()));
  return out;
}

Result<std::unique_ptr<Connection>> open_connection(const Url& target, const Url* proxy,
                                                    const ClientOptions& options) {
  if (proxy != nullptr && proxy->scheme != "http") {
    return Error(Errc::Unsupported, "proxy " + proxy->redacted() +
                                        ": only http:// proxies are supported");
  }
  const bool secure = target.scheme == "https";
  if (secure && (target.is_ipv6_literal || tls::is_ip_literal(target.host))) {
    return Error(Errc::Unsupported, "tls: cannot verify a certificate for the IP address " +
                                        target.host +
                                        " (mbedTLS 2.28 does not match IP SANs): use a host name");
  }
  const tls::CaStore* cas = nullptr;
  if (secure) {
    AV_TRY_ASSIGN(cas, trusted_cas(options));
  }
  const Url& hop = proxy != nullptr ? *proxy : target;
  auto socket = platform::connect_tcp(hop.host, hop.port, options.connect);
  if (!socket) {
    return proxy != nullptr ? std::move(socket).error().with_context("proxyconnect tcp")
                            : std::move(socket).error();
  }
  if (!secure) {
    return std::make_unique<PlainConnection>(std::move(*socket), proxy != nullptr);
  }
  if (proxy != nullptr) AV_TRY(connect_tunnel(*socket, target, *proxy, options));
  AV_TRY_ASSIGN(tls::TlsStream stream,
                tls::tls_handshake(std::move(*socket), target.host, *cas, options.handshake));
  return std::make_unique<TlsConnection>(std::move(stream));
}

}  // namespace av::net
