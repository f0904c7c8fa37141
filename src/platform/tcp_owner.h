// tcp_owner.h: which local user owns the other end of a loopback TCP connection (Linux).
//
// The ECS credential server listens on 127.0.0.1 with a bearer token; refusing connections whose
// client socket belongs to another user adds a second fence around the credentials, and the EC2
// server (fixed port 9099, no token) needs it more. For a loopback connection both ends are
// sockets of this machine, so the kernel's socket tables (/proc/net/tcp and /proc/net/tcp6) list
// the client's socket with its owner's uid: its local address is our peer and its remote address
// is our local address.
//
// parse_tcp_owner_uid is the pure parser (tested with vectors and fuzzed); tcp_peer_owner_uid
// asks the kernel (sock_diag netlink, or those tables). Only sockets in this network namespace
// are visible.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <optional>
#include <string_view>

#include "base/result.h"
#include "platform/socket.h"

namespace av::platform {

// TcpEndpoint: an address and port. IPv4 addresses are stored IPv4-mapped (::ffff:a.b.c.d), so a
// client's IPv6 socket connected to an IPv4 listener (listed in tcp6 with a mapped address)
// matches the same endpoint.
struct TcpEndpoint {
  std::array<std::uint8_t, 16> address{};  // network byte order
  std::uint16_t port = 0;
  bool operator==(const TcpEndpoint&) const noexcept = default;
};

// make_ipv4_endpoint maps `octets` (network order) to ::ffff:a.b.c.d.
TcpEndpoint make_ipv4_endpoint(std::array<std::uint8_t, 4> octets, std::uint16_t port) noexcept;

// TcpConnection: one connection as our socket sees it.
struct TcpConnection {
  TcpEndpoint local;  // our address and port
  TcpEndpoint peer;   // the client's address and port
};

// parse_tcp_owner_uid scans the text of /proc/net/tcp or /proc/net/tcp6 (header line first, then
// one socket per line: "sl: local remote st tx:rx tr:when retrnsmt uid timeout inode ...") for
// the socket whose local endpoint is `ours.peer` and whose remote endpoint is `ours.local`, and
// returns its uid; nullopt when no line matches. TIME_WAIT entries (state 06, which belong to
// nobody) are skipped. The kernel prints each 32-bit word of an address as a native-endian hex
// number, so the machine's byte order is a parameter (tests pin it).
// Errors: Errc::Parse "proc net tcp: line N: <what>" for a malformed line or header;
// Errc::TooLarge for text over kMaxProcNetTcpBytes or a line over kMaxProcNetTcpLine;
// Errc::Parse "... lines N and M: one connection with two owners" for conflicting matches.
Result<std::optional<std::uint32_t>> parse_tcp_owner_uid(
    std::string_view text, const TcpConnection& ours, std::endian word_order = std::endian::native);

// OwnerSource: where tcp_peer_owner_uid looks. Any asks the kernel for the one socket through
// NETLINK_SOCK_DIAG (an exact 4-tuple lookup, microseconds) and reads the /proc tables only when
// netlink is unavailable: reading /proc/net/tcp walks the whole established hash table, about
// 7 ms per read on a small VM, which the event loop would pay for every accepted connection.
// The other two values force one source (tests compare them).
enum class OwnerSource : std::uint8_t { Any, SockDiag, ProcNetTcp };

// tcp_peer_owner_uid finds the uid owning the client socket of `socket` (a connection accepted
// from a loopback TCP listener). Errc::Unsupported where neither source exists or the socket is
// not TCP; Errc::NotFound when the client socket is not listed (it is in another network
// namespace, in TIME_WAIT, or already gone); Errc::Io for netlink failures; read and parse
// errors of the /proc tables as above.
Result<std::uint32_t> tcp_peer_owner_uid(const Socket& socket,
                                         OwnerSource source = OwnerSource::Any);

// is_same_user_peer: the client socket belongs to this process's effective uid. Any error counts
// as "no". Root's sockets are NOT accepted for another user's server: only the same uid passes,
// because a credential server has no reason to serve a different account, root included.
bool is_same_user_peer(const Socket& socket);

}  // namespace av::platform
