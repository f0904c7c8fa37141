// socket.h: stream sockets (TCP and Unix domain) with deadlines, for the HTTP client, the D-Bus
// connection and the credential servers.
//
// Every blocking call takes a timeout; expiry is Errc::Network with Go's wording "i/o timeout".
// Descriptors are close-on-exec and non-blocking internally; SIGPIPE is never raised (writes use
// MSG_NOSIGNAL). Errors name the operation and peer: "dial tcp 127.0.0.1:9: connection refused".
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/result.h"

namespace av::platform {

using Timeout = std::chrono::milliseconds;

// Socket: a connected stream socket. Move-only; the destructor closes it.
class Socket {
 public:
  Socket() noexcept = default;
  explicit Socket(int fd) noexcept : fd_(fd) {}
  ~Socket();
  Socket(Socket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  bool is_open() const noexcept { return fd_ >= 0; }
  // native_handle is the descriptor, for code that must hand it to a library callback (TLS).
  int native_handle() const noexcept { return fd_; }

  // read_some reads up to buffer.size() bytes (at least one unless the peer closed: then 0).
  // Errc::Network "i/o timeout" when nothing arrives within `timeout`.
  Result<std::size_t> read_some(MutableByteSpan buffer, Timeout timeout);
  // write_all writes every byte, waiting at most `timeout` for each chunk to be accepted.
  Status write_all(ByteSpan data, Timeout timeout);
  // shutdown_write half-closes the connection (the peer reads EOF).
  void shutdown_write() noexcept;
  void close() noexcept;

  // peer_uid is the uid of the process at the other end of a Unix domain socket (SO_PEERCRED);
  // Errc::Unsupported on other sockets.
  Result<std::uint32_t> peer_uid() const;
  // local_port / peer_port: the TCP ports of this connection (host byte order); 0 if not TCP.
  std::uint16_t local_port() const noexcept;
  std::uint16_t peer_port() const noexcept;
  // peer_is_loopback: the TCP peer address is in 127.0.0.0/8 or is ::1.
  bool peer_is_loopback() const noexcept;

  // Non-blocking calls for event loops (platform/poller.h). nullopt means "would block"; errors
  // are as for read_some / write_all. try_read returns 0 when the peer closed its side.
  Result<std::optional<std::size_t>> try_read(MutableByteSpan buffer);
  Result<std::optional<std::size_t>> try_write(ByteSpan data);
  // peer_address is the TCP peer's address as text ("127.0.0.1", "::1"; an IPv4-mapped peer of a
  // dual-stack socket as its IPv4 form); "" when it has none.
  std::string peer_address() const;
  // set_no_delay turns off Nagle's algorithm (replies go out as one write each).
  Status set_no_delay() noexcept;

 private:
  int fd_ = -1;
};

// connect_tcp resolves `host` (a name, an IPv4 literal or a bracket-less IPv6 literal) and
// connects to the first address that answers within `timeout` (shared by all attempts).
// Errors: Errc::Network "dial tcp <host>:<port>: <reason>" (lookup failures, refusals, timeouts).
Result<Socket> connect_tcp(std::string_view host, std::uint16_t port, Timeout timeout);

// connect_unix connects to a Unix domain socket at `path`; a leading '@' names a Linux abstract
// socket ("@/tmp/dbus-x" is "\0/tmp/dbus-x"). Errc::Network "dial unix <path>: <reason>";
// Errc::TooLarge when the path does not fit sockaddr_un.
Result<Socket> connect_unix(std::string_view path, Timeout timeout);

// Listener: a listening TCP socket. Move-only; the destructor closes it.
class Listener {
 public:
  Listener() noexcept = default;
  explicit Listener(int fd) noexcept : fd_(fd) {}
  ~Listener();
  Listener(Listener&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Listener& operator=(Listener&& other) noexcept;
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // port is the bound port (useful after listening on port 0).
  std::uint16_t port() const noexcept;
  int native_handle() const noexcept { return fd_; }
  // accept waits up to `timeout` for a connection. Errc::Network "i/o timeout" on expiry.
  Result<Socket> accept(Timeout timeout);
  // try_accept takes one pending connection without waiting; nullopt when there is none.
  // Errc::Network "accept tcp: <reason>" otherwise (EMFILE: "too many open files").
  Result<std::optional<Socket>> try_accept();

 private:
  int fd_ = -1;
};

// listen_tcp binds `address` (an IPv4 or IPv6 literal, e.g. "127.0.0.1") on `port` (0: an
// ephemeral port) with SO_REUSEADDR and starts listening. Errc::Network "listen tcp
// <address>:<port>: <reason>" (Errc::PermissionDenied for privileged ports without the right).
Result<Listener> listen_tcp(std::string_view address, std::uint16_t port, int backlog = 128);

}  // namespace av::platform
