// proxy.h: the EC2 metadata proxy (`aws-vault proxy`, spec §6.5): listens on 169.254.169.254:80
// and forwards bytes, unparsed, to the EC2 credential server on 127.0.0.1:9099, after writing the
// proxy preamble (proxy_preamble.h) on each upstream connection. `/stop` is the one request it
// reads itself. It never interprets what it relays (requests, IMDSv2 tokens and credentials pass
// through locked buffers it wipes), so a bug in HTTP parsing cannot reach it.
//
// Who may connect (checked at accept, before any byte is read or forwarded): the peer address
// must be loopback or the listening address itself (a client on this host that uses the alias
// as its source; Linux drops packets from outside that carry a local source address), and, where
// the OS lists socket owners (Linux /proc/net/tcp, platform/tcp_owner.h), the client socket must
// belong to the served user. Others get a canned 401 and are closed. The upstream socket must
// belong to the served user too, so a process of another user that took port 9099 after the
// credential server ended gets neither the secret nor the client's requests.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/limits.h"
#include "base/result.h"
#include "platform/socket.h"
#include "secure/secret.h"

namespace av::server {

// The endpoint SDKs know (IMDS) and the fixed port of exec's EC2 credential server (spec §6.5).
inline constexpr std::string_view kMetadataAddress = "169.254.169.254";
inline constexpr std::uint16_t kMetadataPort = 80;
inline constexpr std::string_view kEc2ServerAddress = "127.0.0.1";
inline constexpr std::uint16_t kEc2ServerPort = 9099;

// The canned reply to a client the proxy refuses (same text as the credential server's filter).
inline constexpr std::string_view kProxyDeniedReply =
    "HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain; charset=utf-8\r\n"
    "Content-Length: 41\r\nConnection: close\r\n\r\n"
    "Access denied from non-localhost address\n";

struct ProxyOptions {
  std::string upstream_host{kEc2ServerAddress};
  std::uint16_t upstream_port = kEc2ServerPort;
  // secret: the credential server's proxy secret (43 base64url characters), written in the
  // preamble of every upstream connection.
  secure::SecretString secret;
  // listen_address: the address the listener is bound to (kMetadataAddress in production). A
  // client whose source address is this one is on this host.
  std::string listen_address{kMetadataAddress};
  // served_uid: when set, client and upstream sockets must be owned by this uid where the OS
  // lists socket owners (Linux); where it does not, this check is skipped.
  std::optional<std::uint32_t> served_uid;
  std::size_t max_connections = limits::kMaxProxyConnections;
  std::size_t buffer_bytes = limits::kProxyRelayBufferBytes;  // per direction and connection
  // first_bytes_timeout: from accept until the client sent enough to tell `/stop` from a request.
  std::chrono::milliseconds first_bytes_timeout{10'000};
  // idle_timeout: a relayed connection with no bytes in either direction for this long is closed.
  std::chrono::milliseconds idle_timeout{120'000};
  std::chrono::milliseconds connect_timeout{2'000};  // to the upstream server (loopback)
};

class Proxy {
 public:
  // create takes the listening socket; Errc::Parse when options.secret is not a valid secret,
  // Errc::Io when the event loop cannot be set up.
  static Result<std::unique_ptr<Proxy>> create(platform::Listener listener, ProxyOptions options);
  virtual ~Proxy() = default;

  // run relays until a `GET /stop` request or stop(); returns Errc::Io only if the event loop
  // itself fails. Every connection is closed (and its buffers wiped) before it returns.
  virtual Status run() = 0;
  // stop makes run() return soon after; thread-safe and async-signal-safe.
  virtual void stop() noexcept = 0;
  // stopped_by_request: run() ended because of `GET /stop`.
  virtual bool stopped_by_request() const noexcept = 0;
  // open_connections: client connections currently open (for tests).
  virtual std::size_t open_connections() const noexcept = 0;
};

// is_stop_request reports whether the first bytes of a connection are a `/stop` request
// (`GET /stop` followed by a space or '?'): true / false once decidable, nullopt while `head` is
// a proper prefix of one.
std::optional<bool> is_stop_request(std::string_view head) noexcept;

// request_proxy_stop sends `GET /stop` to host:port and reads the reply until the proxy closes
// (bounded by `timeout` per step). Errors (Errc::Network) are for the caller to ignore or log:
// spec §2.10 `proxy --stop` ignores them.
Status request_proxy_stop(std::string_view host, std::uint16_t port, platform::Timeout timeout);

// add_metadata_alias adds kMetadataAddress to the loopback interface (Linux: `ip addr add
// 169.254.169.254/24 dev lo label lo:0`; macOS/BSD: `ifconfig lo0 alias 169.254.169.254`),
// treating "already there" as success. The tool runs from a fixed system PATH with LC_ALL=C.
// Errors: `<trimmed command output>: <exit status>` (spec §6.5), or the start failure.
Status add_metadata_alias();
// remove_metadata_alias removes it again (`ip addr del ...`, `ifconfig lo0 -alias ...`).
Status remove_metadata_alias();

}  // namespace av::server
