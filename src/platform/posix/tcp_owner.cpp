// tcp_owner.cpp: tcp_peer_owner_uid and is_same_user_peer (platform/tcp_owner.h).
//
// First choice: one NETLINK_SOCK_DIAG request (SOCK_DIAG_BY_FAMILY without NLM_F_DUMP) naming
// the client socket by its 4-tuple; the kernel looks it up in the TCP hash and answers with one
// inet_diag_msg carrying its uid, or NLMSG_ERROR -ENOENT. An IPv4 4-tuple also finds a
// dual-stack IPv6 client socket (the kernel looks mapped connections up in the IPv4 hash).
// Fallback, where netlink is missing or refused: /proc/net/tcp and /proc/net/tcp6 through the
// pure parser. An IPv4 client may be listed in either table, so IPv4 peers are looked up in tcp
// first, then tcp6.
#include "platform/tcp_owner.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "base/limits.h"
#include "platform/posix/os_error.h"
#include "platform/secure_file.h"

#if defined(__linux__)
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#endif

namespace av::platform {
namespace {

using detail::UniqueFd;

constexpr const char* kTcp4Table = "/proc/net/tcp";
constexpr const char* kTcp6Table = "/proc/net/tcp6";
constexpr std::uint8_t kTcpTimeWait = 6;  // include/net/tcp_states.h TCP_TIME_WAIT

// endpoint_of reads the local or peer address of a TCP socket; nullopt for other sockets.
std::optional<TcpEndpoint> endpoint_of(int fd, bool peer) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  auto* sa = static_cast<sockaddr*>(static_cast<void*>(&ss));
  if ((peer ? ::getpeername(fd, sa, &len) : ::getsockname(fd, sa, &len)) != 0) {
    return std::nullopt;
  }
  if (ss.ss_family == AF_INET) {
    const auto* in = static_cast<const sockaddr_in*>(static_cast<const void*>(&ss));
    std::array<std::uint8_t, 4> octets{};
    std::memcpy(octets.data(), &in->sin_addr, octets.size());
    return make_ipv4_endpoint(octets, ntohs(in->sin_port));
  }
  if (ss.ss_family == AF_INET6) {
    const auto* in6 = static_cast<const sockaddr_in6*>(static_cast<const void*>(&ss));
    TcpEndpoint out;
    std::memcpy(out.address.data(), &in6->sin6_addr, out.address.size());
    out.port = ntohs(in6->sin6_port);
    return out;
  }
  return std::nullopt;
}

bool is_mapped_ipv4(const TcpEndpoint& e) noexcept {
  for (std::size_t i = 0; i < 10; ++i) {
    if (e.address[i] != 0) return false;
  }
  return e.address[10] == 0xFF && e.address[11] == 0xFF;
}

// proc_lookup reads one table; nullopt when the table lists no such socket or does not exist
// (`required` turns a missing table into Errc::Unsupported).
Result<std::optional<std::uint32_t>> proc_lookup(const char* path, const TcpConnection& ours,
                                                 bool required) {
  auto text = read_file(path, limits::kMaxProcNetTcpBytes);
  if (!text) {
    if (text.error().code() != Errc::NotFound) return std::move(text).error();
    if (!required) return std::optional<std::uint32_t>();
    return Error(Errc::Unsupported,
                 std::string("socket owner lookup: ") + path + " does not exist");
  }
  return parse_tcp_owner_uid(*text, ours);
}

Result<std::optional<std::uint32_t>> from_proc(const TcpConnection& ours) {
  if (is_mapped_ipv4(ours.peer)) {
    AV_TRY_ASSIGN(const auto uid, proc_lookup(kTcp4Table, ours, true));
    if (uid) return uid;
  }
  return proc_lookup(kTcp6Table, ours, !is_mapped_ipv4(ours.peer));
}

#if defined(__linux__)

Error diag_error(std::string_view what) {
  return Error(Errc::Io, "socket owner lookup: sock_diag " + std::string(what));
}

// fill_sockid names the client socket: its source is our peer, its destination our address.
void fill_sockid(const TcpConnection& ours, bool v4, inet_diag_sockid& id) {
  id.idiag_sport = htons(ours.peer.port);
  id.idiag_dport = htons(ours.local.port);
  const std::size_t offset = v4 ? 12 : 0;
  const std::size_t len = v4 ? 4 : 16;
  std::memcpy(id.idiag_src, ours.peer.address.data() + offset, len);
  std::memcpy(id.idiag_dst, ours.local.address.data() + offset, len);
  id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
  id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
}

// parse_diag_reply reads the kernel's answer: nullopt for -ENOENT or a TIME_WAIT entry.
Result<std::optional<std::uint32_t>> parse_diag_reply(const std::uint8_t* data, std::size_t len,
                                                      const inet_diag_sockid& asked) {
  nlmsghdr header{};
  if (len < sizeof header) return diag_error("reply too short");
  std::memcpy(&header, data, sizeof header);
  if (header.nlmsg_len < sizeof header || header.nlmsg_len > len) {
    return diag_error("reply length invalid");
  }
  const std::size_t payload = header.nlmsg_len - NLMSG_HDRLEN;
  if (header.nlmsg_type == NLMSG_ERROR) {
    nlmsgerr err{};
    if (payload < sizeof err) return diag_error("error reply too short");
    std::memcpy(&err, data + NLMSG_HDRLEN, sizeof err);
    if (err.error == -ENOENT) return std::optional<std::uint32_t>();
    return diag_error(detail::errno_text(-err.error));
  }
  if (header.nlmsg_type != SOCK_DIAG_BY_FAMILY) return diag_error("unexpected reply type");
  inet_diag_msg msg{};
  if (payload < sizeof msg) return diag_error("reply too short");
  std::memcpy(&msg, data + NLMSG_HDRLEN, sizeof msg);
  if (msg.id.idiag_sport != asked.idiag_sport || msg.id.idiag_dport != asked.idiag_dport) {
    return diag_error("reply names another socket");
  }
  if (msg.idiag_state == kTcpTimeWait) return std::optional<std::uint32_t>();
  return std::optional<std::uint32_t>(msg.idiag_uid);
}

// from_sock_diag asks the kernel; Errc::Unsupported when netlink sock_diag is unavailable.
Result<std::optional<std::uint32_t>> from_sock_diag(const TcpConnection& ours) {
  UniqueFd fd(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
  if (!fd.valid()) {
    return Error(Errc::Unsupported,
                 "socket owner lookup: sock_diag netlink: " + detail::errno_text(errno));
  }
  const bool v4 = is_mapped_ipv4(ours.peer) && is_mapped_ipv4(ours.local);
  struct {
    nlmsghdr header;
    inet_diag_req_v2 request;
  } message{};
  message.header.nlmsg_len = sizeof message;
  message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  message.header.nlmsg_flags = NLM_F_REQUEST;
  message.header.nlmsg_seq = 1;
  message.request.sdiag_family = v4 ? AF_INET : AF_INET6;
  message.request.sdiag_protocol = IPPROTO_TCP;
  message.request.idiag_states = ~0U;
  fill_sockid(ours, v4, message.request.id);
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  const auto* to = static_cast<const sockaddr*>(static_cast<const void*>(&kernel));
  if (::sendto(fd.get(), &message, sizeof message, 0, to, sizeof kernel) < 0) {
    return diag_error("send: " + detail::errno_text(errno));
  }
  // The kernel answers while handling sendto, so the reply is already queued.
  alignas(nlmsghdr) std::uint8_t reply[1024];
  ssize_t n = 0;
  do {
    n = ::recv(fd.get(), reply, sizeof reply, MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return diag_error("receive: " + detail::errno_text(errno));
  return parse_diag_reply(reply, static_cast<std::size_t>(n), message.request.id);
}

#else

Result<std::optional<std::uint32_t>> from_sock_diag(const TcpConnection&) {
  return Error(Errc::Unsupported, "socket owner lookup: sock_diag is linux only");
}

#endif

}  // namespace

Result<std::uint32_t> tcp_peer_owner_uid(const Socket& socket, OwnerSource source) {
  if (!socket.is_open()) return Error(Errc::Unsupported, "socket owner lookup: socket is closed");
  const auto local = endpoint_of(socket.native_handle(), false);
  const auto peer = endpoint_of(socket.native_handle(), true);
  if (!local || !peer) {
    return Error(Errc::Unsupported, "socket owner lookup: not a connected tcp socket");
  }
  const TcpConnection ours{*local, *peer};
  Result<std::optional<std::uint32_t>> uid = std::optional<std::uint32_t>();
  if (source != OwnerSource::ProcNetTcp) {
    uid = from_sock_diag(ours);
    const bool fall_back = !uid && uid.error().code() == Errc::Unsupported;
    if (fall_back && source == OwnerSource::Any) uid = from_proc(ours);
  } else {
    uid = from_proc(ours);
  }
  if (!uid) return std::move(uid).error();
  if (*uid) return **uid;
  return Error(Errc::NotFound, "socket owner lookup: the client socket is not listed");
}

bool is_same_user_peer(const Socket& socket) {
  const auto uid = tcp_peer_owner_uid(socket);
  return uid && *uid == static_cast<std::uint32_t>(::geteuid());
}

}  // namespace av::platform
