// socket.cpp: POSIX stream sockets with deadlines (platform/socket.h).
//
// Invariants: every descriptor made here is close-on-exec and non-blocking; every wait goes
// through poll() with the time left until a deadline computed once per call, so EINTR never
// extends a timeout; writes never raise SIGPIPE. Error texts follow Go's net package
// ("dial tcp 127.0.0.1:9: connection refused", "read tcp 127.0.0.1:443: i/o timeout").
#include "platform/socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string>

#include "base/checked_math.h"
#include "platform/posix/os_error.h"

namespace av::platform {
namespace {

using Clock = std::chrono::steady_clock;
using detail::UniqueFd;

#if defined(MSG_NOSIGNAL)
constexpr int kSendFlags = MSG_NOSIGNAL;
#else
constexpr int kSendFlags = 0;  // macOS: SO_NOSIGPIPE is set on the socket instead
#endif

// deadline_after is now + timeout, saturating instead of overflowing for huge timeouts.
Clock::time_point deadline_after(Timeout timeout) noexcept {
  const auto now = Clock::now();
  const auto cap = std::chrono::duration_cast<Timeout>(Clock::time_point::max() - now);
  return now + (timeout > cap ? cap : (timeout < Timeout::zero() ? Timeout::zero() : timeout));
}

// poll_ms is the time left until `deadline` in poll()'s unit, clamped to [0, INT_MAX].
int poll_ms(Clock::time_point deadline) noexcept {
  const auto left = std::chrono::ceil<Timeout>(deadline - Clock::now()).count();
  if (left <= 0) return 0;
  return left > INT_MAX ? INT_MAX : static_cast<int>(left);
}

// wait_for polls `fd` for `events` until `deadline`. Returns true when ready (or in error, which
// the following system call reports), false on timeout; errno is set for a poll failure.
Result<bool> wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int rc = ::poll(&p, 1, poll_ms(deadline));
    if (rc > 0) return true;
    if (rc == 0) return false;
    if (errno != EINTR) return detail::os_error("poll", "", errno);
  }
}

// would_block: the non-blocking call must wait (EAGAIN and EWOULDBLOCK may be equal or not).
bool would_block(int err) noexcept {
#if EAGAIN == EWOULDBLOCK
  return err == EAGAIN;
#else
  return err == EAGAIN || err == EWOULDBLOCK;
#endif
}

Error net_error(std::string message) { return Error(Errc::Network, std::move(message)); }

// join_host_port formats "host:port", bracketing IPv6 literals as Go's net.JoinHostPort does.
std::string join_host_port(std::string_view host, std::uint16_t port) {
  std::string out;
  if (host.find(':') != std::string_view::npos) {
    out.append("[").append(host).append("]");
  } else {
    out.append(host);
  }
  return out.append(":").append(std::to_string(port));
}

Status set_nonblocking_cloexec(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
    return detail::os_error("fcntl", "", errno);
  }
  if (::fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) return detail::os_error("fcntl", "", errno);
#if defined(SO_NOSIGPIPE)
  const int one = 1;
  (void)::setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
  return ok();
}

// new_socket makes a close-on-exec, non-blocking socket.
Result<UniqueFd> new_socket(int family) {
  UniqueFd fd(::socket(family, SOCK_STREAM, 0));
  if (!fd.valid()) return detail::os_error("socket", "", errno);
  AV_TRY(set_nonblocking_cloexec(fd.get()));
  return fd;
}

// peer_address reads the peer (or local) address of a socket; family AF_UNSPEC on failure.
sockaddr_storage socket_address(int fd, bool peer) noexcept {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  sockaddr* sa = static_cast<sockaddr*>(static_cast<void*>(&ss));
  const int rc = peer ? ::getpeername(fd, sa, &len) : ::getsockname(fd, sa, &len);
  if (rc != 0) ss.ss_family = AF_UNSPEC;
  return ss;
}

const sockaddr_in* as_in(const sockaddr_storage& ss) noexcept {
  return static_cast<const sockaddr_in*>(static_cast<const void*>(&ss));
}
const sockaddr_in6* as_in6(const sockaddr_storage& ss) noexcept {
  return static_cast<const sockaddr_in6*>(static_cast<const void*>(&ss));
}

std::uint16_t port_of(const sockaddr_storage& ss) noexcept {
  if (ss.ss_family == AF_INET) return ntohs(as_in(ss)->sin_port);
  if (ss.ss_family == AF_INET6) return ntohs(as_in6(ss)->sin6_port);
  return 0;
}

// describe_peer names the far end for error messages: "tcp 127.0.0.1:443" or "unix".
std::string describe_peer(int fd) {
  const sockaddr_storage ss = socket_address(fd, true);
  char text[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET &&
      ::inet_ntop(AF_INET, &as_in(ss)->sin_addr, text, sizeof text) != nullptr) {
    return "tcp " + join_host_port(text, port_of(ss));
  }
  if (ss.ss_family == AF_INET6 &&
      ::inet_ntop(AF_INET6, &as_in6(ss)->sin6_addr, text, sizeof text) != nullptr) {
    return "tcp " + join_host_port(text, port_of(ss));
  }
  return ss.ss_family == AF_UNIX ? "unix" : "socket";
}

Error io_error(std::string_view op, int fd, std::string_view reason) {
  return net_error(std::string(op) + " " + describe_peer(fd) + ": " + std::string(reason));
}

// connect_one tries one resolved address until `deadline`; returns the errno-style reason on
// failure ("i/o timeout" when the deadline passes).
Result<Socket> connect_one(const addrinfo& ai, Clock::time_point deadline, std::string& reason) {
  auto fd_or = new_socket(ai.ai_family);
  if (!fd_or) {
    reason = std::string(fd_or.error().message());
    return std::move(fd_or).error();
  }
  UniqueFd fd = std::move(fd_or).value();
  int rc = ::connect(fd.get(), ai.ai_addr, ai.ai_addrlen);
  if (rc != 0 && errno != EINPROGRESS && errno != EINTR) {
    reason = detail::errno_text(errno);
    return net_error(reason);
  }
  if (rc != 0) {
    AV_TRY_ASSIGN(bool ready, wait_for(fd.get(), POLLOUT, deadline));
    if (!ready) {
      reason = "i/o timeout";
      return net_error(reason);
    }
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err != 0) {
      reason = detail::errno_text(err);
      return net_error(reason);
    }
  }
  return Socket(fd.release());
}

struct AddrinfoFree {
  void operator()(addrinfo* ai) const noexcept { ::freeaddrinfo(ai); }
};
using AddrinfoPtr = std::unique_ptr<addrinfo, AddrinfoFree>;

// resolve looks `host` up (numeric service, stream sockets only).
Result<AddrinfoPtr> resolve(const std::string& host, std::uint16_t port, std::string_view what) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* list = nullptr;
  const std::string service = std::to_string(port);
  const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &list);
  if (rc != 0) {
    const bool no_host = rc == EAI_NONAME || rc == EAI_NODATA || rc == EAI_FAIL;
    const std::string reason = no_host ? std::string("no such host") : ::gai_strerror(rc);
    return net_error("dial tcp " + std::string(what) + ": lookup " + host + ": " + reason);
  }
  return AddrinfoPtr(list);
}

// fill_unix_address builds sockaddr_un for `path` ('@' = Linux abstract name); returns the
// address length, or 0 when the path does not fit.
socklen_t fill_unix_address(std::string_view path, sockaddr_un& sun) noexcept {
  sun = sockaddr_un{};
  sun.sun_family = AF_UNIX;
  const bool abstract = !path.empty() && path.front() == '@';
  // A pathname needs room for its NUL; an abstract name does not have one.
  const std::size_t room = sizeof sun.sun_path - (abstract ? 0 : 1);
  if (path.empty() || path.size() > room) return 0;
  std::memcpy(sun.sun_path, path.data(), path.size());
  if (abstract) sun.sun_path[0] = '\0';
  const std::size_t len = offsetof(sockaddr_un, sun_path) + path.size() + (abstract ? 0 : 1);
  return static_cast<socklen_t>(len);
}

// parse_listen_address turns an IPv4/IPv6 literal into a socket address.
socklen_t parse_listen_address(std::string_view address, std::uint16_t port,
                               sockaddr_storage& ss) noexcept {
  ss = sockaddr_storage{};
  std::string text(address);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  auto* in = static_cast<sockaddr_in*>(static_cast<void*>(&ss));
  if (::inet_pton(AF_INET, text.c_str(), &in->sin_addr) == 1) {
    in->sin_family = AF_INET;
    in->sin_port = htons(port);
    return sizeof(sockaddr_in);
  }
  auto* in6 = static_cast<sockaddr_in6*>(static_cast<void*>(&ss));
  if (::inet_pton(AF_INET6, text.c_str(), &in6->sin6_addr) == 1) {
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(port);
    return sizeof(sockaddr_in6);
  }
  return 0;
}

}  // namespace

Socket::~Socket() { close(); }

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

void Socket::close() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

void Socket::shutdown_write() noexcept {
  if (fd_ >= 0) (void)::shutdown(fd_, SHUT_WR);
}

Result<std::size_t> Socket::read_some(MutableByteSpan buffer, Timeout timeout) {
  AV_CHECK(fd_ >= 0);
  if (buffer.empty()) return std::size_t{0};
  const auto deadline = deadline_after(timeout);
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    if (!would_block(errno)) {
      return io_error("read", fd_, detail::errno_text(errno));
    }
    AV_TRY_ASSIGN(bool ready, wait_for(fd_, POLLIN, deadline));
    if (!ready) return io_error("read", fd_, "i/o timeout");
  }
}

Status Socket::write_all(ByteSpan data, Timeout timeout) {
  AV_CHECK(fd_ >= 0);
  auto deadline = deadline_after(timeout);
  while (!data.empty()) {
    const ssize_t n = ::send(fd_, data.data(), data.size(), kSendFlags);
    if (n > 0) {
      data = data.subspan(static_cast<std::size_t>(n));
      deadline = deadline_after(timeout);  // the timeout applies to each accepted chunk
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && !would_block(errno)) {
      return io_error("write", fd_, detail::errno_text(errno));
    }
    AV_TRY_ASSIGN(bool ready, wait_for(fd_, POLLOUT, deadline));
    if (!ready) return io_error("write", fd_, "i/o timeout");
  }
  return ok();
}

Result<std::uint32_t> Socket::peer_uid() const {
  AV_CHECK(fd_ >= 0);
  if (socket_address(fd_, false).ss_family != AF_UNIX) {
    return Error(Errc::Unsupported, "peer credentials: not a unix domain socket");
  }
#if defined(SO_PEERCRED)
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(fd_, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    return detail::os_error("getsockopt", "SO_PEERCRED", errno);
  }
  return static_cast<std::uint32_t>(cred.uid);
#else
  uid_t uid = 0;
  gid_t gid = 0;
  if (::getpeereid(fd_, &uid, &gid) != 0) return detail::os_error("getpeereid", "", errno);
  return static_cast<std::uint32_t>(uid);
#endif
}

std::uint16_t Socket::local_port() const noexcept {
  return fd_ < 0 ? 0 : port_of(socket_address(fd_, false));
}

std::uint16_t Socket::peer_port() const noexcept {
  return fd_ < 0 ? 0 : port_of(socket_address(fd_, true));
}

bool Socket::peer_is_loopback() const noexcept {
  if (fd_ < 0) return false;
  const sockaddr_storage ss = socket_address(fd_, true);
  if (ss.ss_family == AF_INET) {
    return (ntohl(as_in(ss)->sin_addr.s_addr) >> 24) == 127;
  }
  if (ss.ss_family != AF_INET6) return false;
  const in6_addr& a = as_in6(ss)->sin6_addr;
  if (IN6_IS_ADDR_LOOPBACK(&a)) return true;
  // An IPv4-mapped 127.0.0.0/8 address (::ffff:127.x.y.z) on a dual-stack socket.
  return IN6_IS_ADDR_V4MAPPED(&a) && a.s6_addr[12] == 127;
}

Result<std::optional<std::size_t>> Socket::try_read(MutableByteSpan buffer) {
  AV_CHECK(fd_ >= 0);
  if (buffer.empty()) return std::optional<std::size_t>(0);
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n >= 0) return std::optional<std::size_t>(static_cast<std::size_t>(n));
    if (errno == EINTR) continue;
    if (would_block(errno)) return std::optional<std::size_t>();
    return io_error("read", fd_, detail::errno_text(errno));
  }
}

Result<std::optional<std::size_t>> Socket::try_write(ByteSpan data) {
  AV_CHECK(fd_ >= 0);
  if (data.empty()) return std::optional<std::size_t>(0);
  for (;;) {
    const ssize_t n = ::send(fd_, data.data(), data.size(), kSendFlags);
    if (n >= 0) return std::optional<std::size_t>(static_cast<std::size_t>(n));
    if (errno == EINTR) continue;
    if (would_block(errno)) return std::optional<std::size_t>();
    return io_error("write", fd_, detail::errno_text(errno));
  }
}

std::string Socket::peer_address() const {
  if (fd_ < 0) return {};
  const sockaddr_storage ss = socket_address(fd_, true);
  char text[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET) {
    if (::inet_ntop(AF_INET, &as_in(ss)->sin_addr, text, sizeof text) != nullptr) return text;
    return {};
  }
  if (ss.ss_family != AF_INET6) return {};
  const in6_addr& a = as_in6(ss)->sin6_addr;
  if (IN6_IS_ADDR_V4MAPPED(&a)) {
    if (::inet_ntop(AF_INET, &a.s6_addr[12], text, sizeof text) != nullptr) return text;
    return {};
  }
  if (::inet_ntop(AF_INET6, &a, text, sizeof text) != nullptr) return text;
  return {};
}

Status Socket::set_no_delay() noexcept {
  AV_CHECK(fd_ >= 0);
  const int one = 1;
  if (::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) {
    return detail::os_error("setsockopt", "TCP_NODELAY", errno);
  }
  return ok();
}

Result<Socket> connect_tcp(std::string_view host, std::uint16_t port, Timeout timeout) {
  const std::string what = join_host_port(host, port);
  if (host.empty() || host.find('\0') != std::string_view::npos) {
    return net_error("dial tcp " + what + ": missing or invalid host");
  }
  const auto deadline = deadline_after(timeout);
  AV_TRY_ASSIGN(AddrinfoPtr list, resolve(std::string(host), port, what));
  std::string reason = "no addresses";
  for (const addrinfo* ai = list.get(); ai != nullptr; ai = ai->ai_next) {
    auto sock = connect_one(*ai, deadline, reason);
    if (sock) return sock;
    if (reason == "i/o timeout") break;  // the shared deadline has passed
  }
  return net_error("dial tcp " + what + ": " + reason);
}

Result<Socket> connect_unix(std::string_view path, Timeout timeout) {
  const std::string what = "dial unix " + std::string(path);
  sockaddr_un sun{};
  const socklen_t len = fill_unix_address(path, sun);
  if (len == 0) {
    return Error(path.empty() ? Errc::Network : Errc::TooLarge, what + ": invalid socket path");
  }
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM, 0));
  if (!fd.valid()) return net_error(what + ": " + detail::errno_text(errno));
  // A local connect only blocks while the listener's backlog is full; SO_SNDTIMEO bounds that
  // wait for a blocking connect, after which the socket becomes non-blocking like all others.
  const auto secs = std::chrono::floor<std::chrono::seconds>(timeout);
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(secs.count());
  tv.tv_usec = static_cast<suseconds_t>((timeout - secs).count() * 1000);
  (void)::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  const sockaddr* sa = static_cast<const sockaddr*>(static_cast<const void*>(&sun));
  int rc = 0;
  do {
    rc = ::connect(fd.get(), sa, len);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    const bool timed_out = would_block(errno) || errno == EINPROGRESS;
    return net_error(what + ": " + (timed_out ? std::string("i/o timeout")
                                              : detail::errno_text(errno)));
  }
  const timeval zero{};
  (void)::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &zero, sizeof zero);
  if (auto st = set_nonblocking_cloexec(fd.get()); !st) {
    return net_error(what + ": " + std::string(st.error().message()));
  }
  return Socket(fd.release());
}

Listener::~Listener() {
  if (fd_ >= 0) ::close(fd_);
}

Listener& Listener::operator=(Listener&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

std::uint16_t Listener::port() const noexcept {
  return fd_ < 0 ? 0 : port_of(socket_address(fd_, false));
}

Result<Socket> Listener::accept(Timeout timeout) {
  AV_CHECK(fd_ >= 0);
  const auto deadline = deadline_after(timeout);
  for (;;) {
    UniqueFd fd(::accept(fd_, nullptr, nullptr));
    if (fd.valid()) {
      AV_TRY(set_nonblocking_cloexec(fd.get()));
      return Socket(fd.release());
    }
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (!would_block(errno)) {
      return net_error("accept tcp: " + detail::errno_text(errno));
    }
    AV_TRY_ASSIGN(bool ready, wait_for(fd_, POLLIN, deadline));
    if (!ready) return net_error("accept tcp: i/o timeout");
  }
}

Result<std::optional<Socket>> Listener::try_accept() {
  AV_CHECK(fd_ >= 0);
  for (;;) {
#if defined(__linux__)
    // One call instead of accept + three fcntl calls: this runs once per connection.
    UniqueFd fd(::accept4(fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (fd.valid()) return std::optional<Socket>(Socket(fd.release()));
#else
    UniqueFd fd(::accept(fd_, nullptr, nullptr));
    if (fd.valid()) {
      AV_TRY(set_nonblocking_cloexec(fd.get()));
      return std::optional<Socket>(Socket(fd.release()));
    }
#endif
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (would_block(errno)) return std::optional<Socket>();
    return net_error("accept tcp: " + detail::errno_text(errno));
  }
}

Result<Listener> listen_tcp(std::string_view address, std::uint16_t port, int backlog) {
  const std::string what = "listen tcp " + join_host_port(address, port);
  sockaddr_storage ss{};
  const socklen_t len = parse_listen_address(address, port, ss);
  if (len == 0) return net_error(what + ": not an IP address literal");
  auto fd_or = new_socket(ss.ss_family);
  if (!fd_or) return net_error(what + ": " + std::string(fd_or.error().message()));
  UniqueFd fd = std::move(fd_or).value();
  const int one = 1;
  (void)::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const sockaddr* sa = static_cast<const sockaddr*>(static_cast<const void*>(&ss));
  if (::bind(fd.get(), sa, len) != 0 || ::listen(fd.get(), backlog) != 0) {
    const int err = errno;
    const Errc code = (err == EACCES || err == EPERM) ? Errc::PermissionDenied : Errc::Network;
    return Error(code, what + ": " + detail::errno_text(err));
  }
  return Listener(fd.release());
}

}  // namespace av::platform
