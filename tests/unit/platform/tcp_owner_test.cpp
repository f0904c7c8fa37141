// tcp_owner_test.cpp: the /proc/net/tcp parser against lines in the kernel's format (captured on
// a little-endian Linux 6.x machine: IPv4, IPv6 ::1, IPv4-mapped IPv6, TIME_WAIT and accept-queue
// entries), one test per error, mutations, and live loopback connections: our own (same uid),
// a dual-stack client, IPv6, and a client forked under another uid (the tests run as root).
#include "platform/tcp_owner.h"

#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <tuple>

#include "base/limits.h"
#include "support/mutation.h"

namespace av::platform {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kTcp4Header =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
    "inode                                                     \n";
// 127.0.0.1:8080 listening (root), a client 127.0.0.1:54321 -> :8080 owned by uid 1000, the
// server side of it (uid 0), and a TIME_WAIT entry that would also match (owned by nobody).
constexpr std::string_view kTcp4Body =
    "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000001 00:00000000 00000000     0        0 "
    "1669458 2 00000000dce70b70 100 0 0 10 0                   \n"
    "   1: 0100007F:D431 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 "
    "1669461 2 000000004d0c8e90 20 0 0 10 -1                    \n"
    "   2: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 "
    "0 1 00000000ed376580 20 0 0 10 -1                         \n"
    "   3: 0100007F:D431 0100007F:1F90 06 00000000:00000000 03:0000062D 00000000     0        0 "
    "0 3 000000009f3805b4                                      \n";

constexpr std::string_view kTcp6Text =
    "  sl  local_address                         remote_address                        st "
    "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 00000000000000000000000001000000:A843 00000000000000000000000000000000:0000 0A "
    "00000000:00000001 00:00000000 00000000     0        0 1669460 2 00000000d19e861c 100 0 0 10 "
    "0\n"
    "   1: 00000000000000000000000001000000:89AE 00000000000000000000000001000000:A843 01 "
    "00000000:00000000 00:00000000 00000000   500        0 1669461 2 000000004d0c8e90 20 0 0 10 "
    "-1\n"
    "   2: 0000000000000000FFFF00000100007F:D61C 0000000000000000FFFF00000100007F:9A27 01 "
    "00000000:00000000 00:00000000 00000000  1001        0 1669459 2 0000000039c67533 20 0 0 10 "
    "-1\n";

std::string tcp4_text() { return std::string(kTcp4Header) + std::string(kTcp4Body); }

TcpEndpoint v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d, std::uint16_t port) {
  return make_ipv4_endpoint({a, b, c, d}, port);
}

TcpEndpoint v6_loopback(std::uint16_t port) {
  TcpEndpoint e;
  e.address[15] = 1;
  e.port = port;
  return e;
}

Result<std::optional<std::uint32_t>> lookup(std::string_view text, TcpConnection ours,
                                            std::endian order = std::endian::little) {
  return parse_tcp_owner_uid(text, ours, order);
}

// an_error returns the error message for `text` (which must fail) and checks its code.
std::string an_error(std::string_view text, Errc code) {
  const TcpConnection ours{v4(127, 0, 0, 1, 8080), v4(127, 0, 0, 1, 54321)};
  auto r = lookup(text, ours);
  REQUIRE_FALSE(r);
  CHECK(r.error().code() == code);
  return std::string(r.error().message());
}

std::string with_line(std::string_view line) {
  return std::string(kTcp4Header) + std::string(line) + "\n";
}

constexpr std::string_view kGoodLine =
    "   1: 0100007F:D431 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 "
    "1669461 2 000000004d0c8e90 20 0 0 10 -1";

}  // namespace

TEST_CASE("parse_tcp_owner_uid: finds the client socket of an IPv4 connection",
          "[platform][vector]") {
  const TcpConnection ours{v4(127, 0, 0, 1, 8080), v4(127, 0, 0, 1, 54321)};
  auto uid = lookup(tcp4_text(), ours);
  REQUIRE(uid);
  CHECK(*uid == std::optional<std::uint32_t>(1000));
  // Seen from the client's side, the other end is the server socket (root's).
  auto server = lookup(tcp4_text(), TcpConnection{ours.peer, ours.local});
  REQUIRE(server);
  CHECK(*server == std::optional<std::uint32_t>(0));
}

TEST_CASE("parse_tcp_owner_uid: no match is nullopt, not an error", "[platform][vector]") {
  for (const TcpConnection& ours : {TcpConnection{v4(127, 0, 0, 1, 8080), v4(127, 0, 0, 1, 54322)},
                                    TcpConnection{v4(127, 0, 0, 2, 8080), v4(127, 0, 0, 1, 54321)},
                                    TcpConnection{v4(127, 0, 0, 1, 0), v4(0, 0, 0, 0, 0)}}) {
    auto uid = lookup(tcp4_text(), ours);
    REQUIRE(uid);
    CHECK_FALSE(uid->has_value());
  }
  auto header_only = lookup(kTcp4Header, TcpConnection{});
  REQUIRE(header_only);
  CHECK_FALSE(header_only->has_value());
}

TEST_CASE("parse_tcp_owner_uid: TIME_WAIT entries are skipped", "[platform][vector]") {
  // Only the TIME_WAIT line describes this connection: nobody owns it.
  const std::string text = with_line(
      "   3: 0100007F:D431 0100007F:1F90 06 00000000:00000000 03:0000062D 00000000     0        0 "
      "0 3 000000009f3805b4");
  auto uid = lookup(text, TcpConnection{v4(127, 0, 0, 1, 8080), v4(127, 0, 0, 1, 54321)});
  REQUIRE(uid);
  CHECK_FALSE(uid->has_value());
}

TEST_CASE("parse_tcp_owner_uid: tcp6 with ::1 and IPv4-mapped clients", "[platform][vector]") {
  auto six = lookup(kTcp6Text, TcpConnection{v6_loopback(0xA843), v6_loopback(0x89AE)});
  REQUIRE(six);
  CHECK(*six == std::optional<std::uint32_t>(500));
  // A dual-stack client (::ffff:127.0.0.1) of an IPv4 listener: our side sees plain IPv4.
  auto mapped =
      lookup(kTcp6Text, TcpConnection{v4(127, 0, 0, 1, 0x9A27), v4(127, 0, 0, 1, 0xD61C)});
  REQUIRE(mapped);
  CHECK(*mapped == std::optional<std::uint32_t>(1001));
}

TEST_CASE("parse_tcp_owner_uid: the word order is a parameter", "[platform][vector]") {
  // Big-endian machines print 127.0.0.1 as 7F000001.
  const std::string big = with_line(
      "   1: 7F000001:D431 7F000001:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 "
      "1669461 2 000000004d0c8e90 20 0 0 10 -1");
  const TcpConnection ours{v4(127, 0, 0, 1, 8080), v4(127, 0, 0, 1, 54321)};
  auto on_big = lookup(big, ours, std::endian::big);
  REQUIRE(on_big);
  CHECK(*on_big == std::optional<std::uint32_t>(1000));
  auto on_little = lookup(big, ours, std::endian::little);
  REQUIRE(on_little);
  CHECK_FALSE(on_little->has_value());
}

TEST_CASE("parse_tcp_owner_uid: two owners for one connection is an error", "[platform][error]") {
  const std::string text =
      tcp4_text() +
      "   4: 0100007F:D431 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  2000        0 "
      "1669462 2 000000004d0c8e91 20 0 0 10 -1\n";
  const std::string message = an_error(text, Errc::Parse);
  CHECK(message == "proc net tcp: lines 3 and 6: one connection with two owners");
}

TEST_CASE("parse_tcp_owner_uid: each malformed line names its line number", "[platform][error]") {
  const std::string good(kGoodLine);
  auto replace = [&](std::string_view from, std::string_view to) {
    std::string line = good;
    line.replace(line.find(from), from.size(), to);
    return line;
  };
  using Row = std::tuple<const char*, std::string, std::string>;
  auto [name, line, what] = GENERATE_COPY(table<const char*, std::string, std::string>({
      Row{"too few fields", good.substr(0, good.find(" 1669461")), "too few fields"},
      Row{"too many fields",
          good + std::string(40, ' ') +
              " 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 "
              "17 18 19 20 21 22 23",
          "too many fields"},
      Row{"slot without colon", replace("1:", "1"), "malformed slot number"},
      Row{"slot not a number", replace("1:", "x:"), "malformed slot number"},
      Row{"lower-case hex", replace("0100007F:D431", "0100007f:D431"), "malformed address"},
      Row{"short address", replace("0100007F:D431", "100007F:D431"), "malformed address"},
      Row{"short port", replace("0100007F:D431", "0100007F:431"), "malformed address"},
      Row{"no port", replace("0100007F:D431", "0100007FD431"), "malformed address"},
      Row{"mixed families", replace("0100007F:D431", "00000000000000000000000001000000:D431"),
          "malformed address"},
      Row{"bad state", replace(" 01 ", " 1 "), "malformed state"},
      Row{"bad state hex", replace(" 01 ", " 0G "), "malformed state"},
      Row{"bad queues", replace("00000000:00000000", "0000000x:00000000"),
          "malformed queue or timer field"},
      Row{"empty timer", replace(" 00:00000000 ", " :00000000 "), "malformed queue or timer field"},
      Row{"uid not a number", replace("  1000 ", "  10a0 "), "malformed uid"},
      Row{"uid too large", replace("  1000 ", "  4294967296 "), "malformed uid"},
      Row{"negative uid", replace("  1000 ", "  -1 "), "malformed uid"},
      Row{"bad inode", replace("1669461", "16x9461"), "malformed timeout or inode"},
      Row{"bad timeout", replace("        0 1669461", "        - 1669461"),
          "malformed timeout or inode"},
  }));
  CAPTURE(name);
  const std::string message = an_error(with_line(line), Errc::Parse);
  CHECK(message == "proc net tcp: line 2: " + what);
}

TEST_CASE("parse_tcp_owner_uid: header, control characters and size errors", "[platform][error]") {
  CHECK(an_error("", Errc::Parse) == "proc net tcp: line 1: missing header");
  CHECK(an_error("  local_address sl\n", Errc::Parse) ==
        "proc net tcp: line 1: not the header of a tcp socket table");
  CHECK(an_error(std::string(kGoodLine) + "\n", Errc::Parse) ==
        "proc net tcp: line 1: not the header of a tcp socket table");
  const std::string nul = with_line(std::string(kGoodLine) + std::string(1, '\0'));
  CHECK(an_error(nul, Errc::Parse).starts_with("proc net tcp: line 2: NUL character"));
  const std::string cr = with_line(std::string(kGoodLine) + "\rx");
  CHECK(an_error(cr, Errc::Parse).starts_with("proc net tcp: line 2: bare carriage return"));
  const std::string empty_line = std::string(kTcp4Header) + "\n" + std::string(kGoodLine) + "\n";
  CHECK(an_error(empty_line, Errc::Parse) == "proc net tcp: line 2: too few fields");
  const std::string long_line = with_line(std::string(kGoodLine) + std::string(600, ' '));
  CHECK(an_error(long_line, Errc::TooLarge) == "proc net tcp: line 2: longer than 512 bytes");
  std::string huge(limits::kMaxProcNetTcpBytes + 1, ' ');
  CHECK(an_error(huge, Errc::TooLarge).starts_with("proc net tcp: more than "));
}

TEST_CASE("parse_tcp_owner_uid: mutations fail cleanly or parse", "[platform][mutation]") {
  const TcpConnection ours{v4(127, 0, 0, 1, 8080), v4(127, 0, 0, 1, 54321)};
  const std::string valid = tcp4_text();
  std::size_t errors = 0;
  testing::for_each_mutation(valid, [&](const std::string& mutant) {
    auto r = lookup(mutant, ours);
    if (!r) {
      ++errors;
      CHECK(r.error().message().starts_with("proc net tcp: "));
      CHECK((r.error().code() == Errc::Parse || r.error().code() == Errc::TooLarge));
    }
  });
  CHECK(errors > 0);
}

namespace {
// Each live test runs with both sources forced and with the default (netlink first).
OwnerSource source_under_test() {
  const auto source = GENERATE(OwnerSource::Any, OwnerSource::SockDiag, OwnerSource::ProcNetTcp);
  CAPTURE(static_cast<int>(source));
  return source;
}
}  // namespace

TEST_CASE("tcp_peer_owner_uid: a loopback connection of ours is owned by us",
          "[platform][integration]") {
  const OwnerSource source = source_under_test();
  auto listener = listen_tcp("127.0.0.1", 0);
  REQUIRE(listener);
  auto client = connect_tcp("127.0.0.1", listener->port(), 2000ms);
  REQUIRE(client);
  auto server = listener->accept(2000ms);
  REQUIRE(server);
  auto uid = tcp_peer_owner_uid(*server, source);
  REQUIRE(uid);
  CHECK(*uid == ::geteuid());
  CHECK(is_same_user_peer(*server));
  // The same holds from the client's side (the server socket is ours too).
  auto back = tcp_peer_owner_uid(*client, source);
  REQUIRE(back);
  CHECK(*back == ::geteuid());
}

TEST_CASE("tcp_peer_owner_uid: dual-stack and IPv6 clients", "[platform][integration]") {
  const OwnerSource source = source_under_test();
  auto listener = listen_tcp("127.0.0.1", 0);
  REQUIRE(listener);
  // An IPv6 socket connecting to ::ffff:127.0.0.1 is listed in tcp6 with a mapped address.
  auto mapped = connect_tcp("::ffff:127.0.0.1", listener->port(), 2000ms);
  REQUIRE(mapped);
  auto server = listener->accept(2000ms);
  REQUIRE(server);
  auto mapped_uid = tcp_peer_owner_uid(*server, source);
  REQUIRE(mapped_uid);
  CHECK(*mapped_uid == ::geteuid());

  auto listener6 = listen_tcp("::1", 0);
  REQUIRE(listener6);  // the machine has IPv6 loopback; without it this test must fail
  auto client6 = connect_tcp("::1", listener6->port(), 2000ms);
  REQUIRE(client6);
  auto server6 = listener6->accept(2000ms);
  REQUIRE(server6);
  auto uid = tcp_peer_owner_uid(*server6, source);
  REQUIRE(uid);
  CHECK(*uid == ::geteuid());
}

TEST_CASE("tcp_peer_owner_uid: another user's client is told apart", "[platform][integration]") {
  const OwnerSource source = source_under_test();
  REQUIRE(::geteuid() == 0);  // the test switches a child to "nobody"; it needs root
  auto listener = listen_tcp("127.0.0.1", 0);
  REQUIRE(listener);
  const std::uint16_t port = listener->port();
  int done[2];
  REQUIRE(::pipe(done) == 0);
  const uid_t nobody = 65534;
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    // Child: become nobody, connect, wait until the parent has looked, exit.
    ::close(done[1]);
    if (::setgid(nobody) != 0 || ::setuid(nobody) != 0) ::_exit(2);
    auto c = connect_tcp("127.0.0.1", port, 2000ms);
    if (!c) ::_exit(3);
    char b = 0;
    (void)!::read(done[0], &b, 1);
    ::_exit(0);
  }
  ::close(done[0]);
  auto server = listener->accept(5000ms);
  REQUIRE(server);
  auto uid = tcp_peer_owner_uid(*server, source);
  const bool same = is_same_user_peer(*server);
  ::close(done[1]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(uid);
  CHECK(*uid == nobody);
  CHECK_FALSE(same);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("tcp_peer_owner_uid: non-TCP and closed sockets are unsupported", "[platform][error]") {
  int pair[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0);
  Socket a(pair[0]);
  Socket b(pair[1]);
  auto uid = tcp_peer_owner_uid(a, source_under_test());
  REQUIRE_FALSE(uid);
  CHECK(uid.error().code() == Errc::Unsupported);
  CHECK_FALSE(is_same_user_peer(a));
  Socket closed;
  auto none = tcp_peer_owner_uid(closed);
  REQUIRE_FALSE(none);
  CHECK(none.error().code() == Errc::Unsupported);
}

}  // namespace av::platform
