// tls_stream.cpp: the mbedTLS 2.28 client behind TlsStream.
//
// Invariants: Impl lives on the heap and never moves, because mbedTLS keeps pointers to the
// config (from the context) and to Impl (the BIO context). Every BIO call waits at most until
// Impl::deadline, set by the public operation in progress; an I/O failure is kept in
// Impl::io_error so the caller sees the socket's own message ("i/o timeout") instead of a bare
// mbedTLS code. After any error the stream is marked broken and refuses further use.
#include "net/tls/tls_stream.h"

#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <climits>
#include <optional>
#include <string>
#include <utility>

#include "base/ascii.h"
#include "crypto/mbedtls_error.h"
#include "crypto/random.h"
#include "net/tls/ca_store_internal.h"

namespace av::net::tls {

using Clock = std::chrono::steady_clock;

struct TlsStream::Impl {
  explicit Impl(platform::Socket s) noexcept : socket(std::move(s)) {
    mbedtls_ssl_init(&ssl);
    mbedtls_ssl_config_init(&conf);
  }
  ~Impl() {
    mbedtls_ssl_free(&ssl);
    mbedtls_ssl_config_free(&conf);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  Impl(Impl&&) = delete;
  Impl& operator=(Impl&&) = delete;

  platform::Socket socket;
  mbedtls_ssl_config conf;
  mbedtls_ssl_context ssl;
  std::string server_name;
  Clock::time_point deadline;
  std::optional<Error> io_error;
  bool established = false;
  bool broken = false;
};

namespace {

Clock::time_point deadline_after(Timeout timeout) noexcept {
  const auto now = Clock::now();
  const auto cap = std::chrono::duration_cast<Timeout>(Clock::time_point::max() - now);
  return now + std::clamp(timeout, Timeout::zero(), cap);
}

Timeout time_left(Clock::time_point deadline) noexcept {
  const auto left = std::chrono::ceil<Timeout>(deadline - Clock::now());
  return left < Timeout::zero() ? Timeout::zero() : left;
}

// rng feeds mbedTLS from the system CSPRNG (crypto/random.h), so no DRBG state lives here.
int rng(void* /*unused*/, unsigned char* out, std::size_t len) {
  return crypto::fill_random(MutableByteSpan(out, len)) ? 0 : MBEDTLS_ERR_SSL_INTERNAL_ERROR;
}

int bio_send(void* ctx, const unsigned char* buf, std::size_t len) {
  auto* impl = static_cast<TlsStream::Impl*>(ctx);
  const std::size_t n = std::min<std::size_t>(len, INT_MAX);
  auto st = impl->socket.write_all(ByteSpan(buf, n), time_left(impl->deadline));
  if (!st) {
    impl->io_error = std::move(st).error();
    return MBEDTLS_ERR_NET_SEND_FAILED;
  }
  return static_cast<int>(n);
}

int bio_recv(void* ctx, unsigned char* buf, std::size_t len) {
  auto* impl = static_cast<TlsStream::Impl*>(ctx);
  const std::size_t want = std::min<std::size_t>(len, INT_MAX);
  auto n = impl->socket.read_some(MutableByteSpan(buf, want), time_left(impl->deadline));
  if (!n) {
    impl->io_error = std::move(n).error();
    return MBEDTLS_ERR_NET_RECV_FAILED;
  }
  return static_cast<int>(*n);
}

// describe_mbedtls renders an mbedTLS code as "<description> (mbedtls error -0x...)".
std::string describe_mbedtls(int rc) {
  std::array<char, 160> text{};
  mbedtls_strerror(rc, text.data(), text.size());
  std::string description(text.data());
  // mbedTLS prefixes the module ("SSL - ", "X509 - "); Go-style messages start lowercase.
  if (const auto dash = description.find(" - "); dash != std::string::npos && dash < 12) {
    description.erase(0, dash + 3);
  }
  if (!description.empty()) description[0] = ascii::to_lower(description[0]);
  while (!description.empty() && description.back() == '.') description.pop_back();
  return std::string(crypto::mbedtls_error(rc, description).message());
}

// verify_failure names the first reason a certificate chain was refused, in Go's wording.
std::string verify_failure(std::uint32_t flags, std::string_view server_name) {
  if ((flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED) != 0) {
    return "x509: certificate signed by unknown authority";
  }
  if ((flags & MBEDTLS_X509_BADCERT_CN_MISMATCH) != 0) {
    return "x509: certificate is not valid for " + std::string(server_name);
  }
  if ((flags & (MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE)) != 0) {
    return "x509: certificate has expired or is not yet valid";
  }
  std::array<char, 512> info{};
  const int n = mbedtls_x509_crt_verify_info(info.data(), info.size(), "", flags);
  std::string text = n > 0 ? std::string(info.data()) : std::string("verification failed");
  std::replace(text.begin(), text.end(), '\n', ';');
  while (!text.empty() && (text.back() == ';' || text.back() == ' ')) text.pop_back();
  if (!text.empty()) text[0] = ascii::to_lower(text[0]);
  return "x509: " + text;
}

// alert_failure describes a fatal alert the server sent (RFC 5246 §7.2 names).
std::string alert_failure(const mbedtls_ssl_context& ssl) {
  const unsigned alert = (ssl.in_msg != nullptr && ssl.in_msglen >= 2) ? ssl.in_msg[1] : 0U;
  switch (alert) {
    case MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE: return "remote error: handshake failure";
    case MBEDTLS_SSL_ALERT_MSG_PROTOCOL_VERSION: return "remote error: protocol version not supported";
    case MBEDTLS_SSL_ALERT_MSG_UNRECOGNIZED_NAME: return "remote error: unrecognized name";
    case MBEDTLS_SSL_ALERT_MSG_INTERNAL_ERROR: return "remote error: internal error";
    default: return "remote error: tls alert " + std::to_string(alert);
  }
}

// failure turns a failed mbedTLS call into the message tail, preferring the socket's own error.
std::string failure(TlsStream::Impl& impl, int rc) {
  if (impl.io_error) return std::string(impl.io_error->message());
  switch (rc) {
    case MBEDTLS_ERR_X509_CERT_VERIFY_FAILED:
      return verify_failure(mbedtls_ssl_get_verify_result(&impl.ssl), impl.server_name);
    case MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE: return alert_failure(impl.ssl);
    case MBEDTLS_ERR_SSL_CONN_EOF: return "connection closed by the server (EOF)";
    case MBEDTLS_ERR_SSL_INVALID_RECORD:
    case MBEDTLS_ERR_SSL_BAD_HS_PROTOCOL_VERSION:
      return "first record does not look like a TLS handshake (" + describe_mbedtls(rc) + ")";
    default: return describe_mbedtls(rc);
  }
}

// stream_error: a refused certificate is Errc::AuthFailed (the peer is not who it claims to be;
// retrying cannot help, so aws/retry.h does not retry it); every other failure is Errc::Network.
Error stream_error(TlsStream::Impl& impl, std::string_view op, int rc) {
  impl.broken = true;
  const Errc code = (rc == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED && !impl.io_error)
                        ? Errc::AuthFailed
                        : Errc::Network;
  return Error(code, std::string(op) + " " + impl.server_name + ": " + failure(impl, rc));
}

Status configure(TlsStream::Impl& impl, const CaStore& ca) {
  int rc = mbedtls_ssl_config_defaults(&impl.conf, MBEDTLS_SSL_IS_CLIENT,
                                       MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
  if (rc != 0) return stream_error(impl, "tls setup for", rc);
  // TLS 1.2 is the minimum (SSL 3.0, TLS 1.0 and 1.1 are compiled into Debian's mbedTLS).
  mbedtls_ssl_conf_min_version(&impl.conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                               MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_authmode(&impl.conf, MBEDTLS_SSL_VERIFY_REQUIRED);
  mbedtls_ssl_conf_ca_chain(&impl.conf, &ca.chain().crt, nullptr);
  mbedtls_ssl_conf_rng(&impl.conf, rng, nullptr);
  mbedtls_ssl_conf_renegotiation(&impl.conf, MBEDTLS_SSL_RENEGOTIATION_DISABLED);
  rc = mbedtls_ssl_setup(&impl.ssl, &impl.conf);
  if (rc != 0) return stream_error(impl, "tls setup for", rc);
  // Sets both SNI and the name the certificate must carry (SAN dNSName, else CN).
  rc = mbedtls_ssl_set_hostname(&impl.ssl, impl.server_name.c_str());
  if (rc != 0) return stream_error(impl, "tls setup for", rc);
  mbedtls_ssl_set_bio(&impl.ssl, &impl, bio_send, bio_recv, nullptr);
  return ok();
}

}  // namespace

bool is_ip_literal(std::string_view host) noexcept {
  if (host.find(':') != std::string_view::npos) return true;
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.';
  });
}

TlsStream::TlsStream(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}

TlsStream::~TlsStream() {
  if (impl_ && impl_->established && !impl_->broken) {
    impl_->deadline = Clock::now();  // best effort: never wait for the peer here
    (void)mbedtls_ssl_close_notify(&impl_->ssl);
  }
}

TlsStream::TlsStream(TlsStream&&) noexcept = default;
TlsStream& TlsStream::operator=(TlsStream&&) noexcept = default;

Result<std::size_t> TlsStream::read_some(MutableByteSpan buffer, Timeout timeout) {
  AV_CHECK(impl_ != nullptr);
  if (impl_->broken) return Error(Errc::Network, "tls: connection unusable after an error");
  if (buffer.empty()) return std::size_t{0};
  impl_->deadline = deadline_after(timeout);
  for (;;) {
    const int rc = mbedtls_ssl_read(&impl_->ssl, buffer.data(), buffer.size());
    if (rc > 0) return static_cast<std::size_t>(rc);
    if (rc == 0 || rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || rc == MBEDTLS_ERR_SSL_CONN_EOF) {
      return std::size_t{0};
    }
    if (rc != MBEDTLS_ERR_SSL_WANT_READ && rc != MBEDTLS_ERR_SSL_WANT_WRITE) {
      return stream_error(*impl_, "tls read from", rc);
    }
  }
}

Status TlsStream::write_all(ByteSpan data, Timeout timeout) {
  AV_CHECK(impl_ != nullptr);
  if (impl_->broken) return Error(Errc::Network, "tls: connection unusable after an error");
  while (!data.empty()) {
    impl_->deadline = deadline_after(timeout);
    const int rc = mbedtls_ssl_write(&impl_->ssl, data.data(), data.size());
    if (rc > 0) {
      data = data.subspan(static_cast<std::size_t>(rc));
    } else if (rc != MBEDTLS_ERR_SSL_WANT_READ && rc != MBEDTLS_ERR_SSL_WANT_WRITE) {
      return stream_error(*impl_, "tls write to", rc);
    }
  }
  return ok();
}

Result<TlsStream> tls_handshake(platform::Socket socket, std::string_view server_name,
                                const CaStore& ca, Timeout timeout) {
  if (server_name.empty()) return Error(Errc::Unsupported, "tls: missing server name");
  if (is_ip_literal(server_name)) {
    return Error(Errc::Unsupported,
                 "tls: cannot verify a certificate for the IP address " +
                     std::string(server_name) +
                     " (mbedTLS 2.28 does not match IP SANs): use a host name");
  }
  auto impl = std::make_unique<TlsStream::Impl>(std::move(socket));
  impl->server_name = std::string(server_name);
  AV_TRY(configure(*impl, ca));
  impl->deadline = deadline_after(timeout);
  int rc = 0;
  do {
    rc = mbedtls_ssl_handshake(&impl->ssl);
  } while (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE);
  if (rc != 0) return stream_error(*impl, "tls handshake with", rc);
  impl->established = true;
  return TlsStream(std::move(impl));
}

}  // namespace av::net::tls
