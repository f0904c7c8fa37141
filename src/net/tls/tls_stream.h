// tls_stream.h: a TLS client connection over a platform::Socket (mbedTLS, net/tls only).
//
// Policy, fixed here and not configurable by callers: TLS 1.2 or later, the peer certificate
// must chain to the given CaStore and match `server_name` (SNI is sent with the same name),
// renegotiation off. mbedTLS 2.28 cannot match IP-address SANs, so a server name that is an IP
// literal is refused up front rather than verified weakly. Timeouts use the socket's own
// deadline-aware reads and writes through custom BIO callbacks, so a silent peer fails with
// Errc::Network "... i/o timeout" in the handshake as well as afterwards.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "base/bytes.h"
#include "base/result.h"
#include "net/tls/ca_store.h"
#include "platform/socket.h"

namespace av::net::tls {

using platform::Timeout;

// TlsStream: an established TLS connection. Move-only; the destructor sends close_notify (best
// effort, without waiting) and closes the socket.
class TlsStream {
 public:
  struct Impl;  // mbedTLS state (tls_stream.cpp)

  explicit TlsStream(std::unique_ptr<Impl> impl) noexcept;
  ~TlsStream();
  TlsStream(TlsStream&&) noexcept;
  TlsStream& operator=(TlsStream&&) noexcept;
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  // read_some reads up to buffer.size() decrypted bytes, waiting at most `timeout` for data.
  // Returns 0 at end of stream (close_notify, or the peer closing the TCP connection: the HTTP
  // layer's framing detects truncated bodies). Errc::Network on timeouts, I/O and TLS errors.
  Result<std::size_t> read_some(MutableByteSpan buffer, Timeout timeout);
  // write_all encrypts and sends every byte; `timeout` bounds each wait for the socket.
  Status write_all(ByteSpan data, Timeout timeout);

 private:
  std::unique_ptr<Impl> impl_;
};

// is_ip_literal reports whether `host` is written as an IP address (contains ':' or is made of
// digits and dots only); such names cannot be verified with mbedTLS 2.28.
bool is_ip_literal(std::string_view host) noexcept;

// tls_handshake takes ownership of a connected `socket` and performs a TLS client handshake for
// `server_name` (a DNS name: SNI and certificate name check) trusting only `ca`, which must
// outlive the stream. `timeout` bounds the whole handshake.
// Errors (all Errc::Network, prefixed "tls handshake with <server_name>"):
//   "x509: certificate signed by unknown authority", "x509: certificate is not valid for
//   <server_name>", "x509: certificate has expired or is not yet valid", "i/o timeout",
//   "remote error: handshake failure", "first record does not look like a TLS handshake", or
//   "<mbedTLS description> (mbedtls error -0x...)".
// Errc::Unsupported when `server_name` is an IP literal or empty.
[[nodiscard]] Result<TlsStream> tls_handshake(platform::Socket socket, std::string_view server_name,
                                              const CaStore& ca, Timeout timeout);

}  // namespace av::net::tls
