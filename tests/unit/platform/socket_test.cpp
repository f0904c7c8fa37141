// socket_test.cpp: loopback TCP and Unix domain sockets, deadlines, refusals and peer identity.
#include "platform/socket.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "temp_dir.h"

namespace av::platform {
namespace {

using namespace std::chrono_literals;

std::string read_exactly(Socket& s, std::size_t len) {
  std::string out(len, '\0');
  std::size_t got = 0;
  while (got < len) {
    auto n = s.read_some(as_writable_bytes(out.data() + got, len - got), 2000ms);
    REQUIRE(n);
    if (*n == 0) break;
    got += *n;
  }
  out.resize(got);
  return out;
}

// UnixListener: a test-only Unix domain listener (the product only connects to Unix sockets).
class UnixListener {
 public:
  explicit UnixListener(const std::string& path) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un sun{};
    sun.sun_family = AF_UNIX;
    std::memcpy(sun.sun_path, path.data(), path.size());
    const bool abstract = path.front() == '@';
    if (abstract) sun.sun_path[0] = '\0';
    auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() +
                                      (abstract ? 0 : 1));
    ok_ = ::bind(fd_, static_cast<sockaddr*>(static_cast<void*>(&sun)), len) == 0 &&
          ::listen(fd_, 4) == 0;
  }
  ~UnixListener() { ::close(fd_); }
  UnixListener(const UnixListener&) = delete;
  UnixListener& operator=(const UnixListener&) = delete;
  bool ok() const { return ok_; }
  Socket accept() { return Socket(::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC)); }

 private:
  int fd_ = -1;
  bool ok_ = false;
};

}  // namespace

TEST_CASE("Socket: loopback TCP connect, write and read in both directions", "[platform][integration]") {
  auto listener = listen_tcp("127.0.0.1", 0);
  REQUIRE(listener);
  REQUIRE(listener->port() != 0);
  auto client = connect_tcp("127.0.0.1", listener->port(), 2000ms);
  REQUIRE(client);
  auto server = listener->accept(2000ms);
  REQUIRE(server);

  REQUIRE(client->write_all(as_bytes("hello server"), 2000ms));
  CHECK(read_exactly(*server, 12) == "hello server");
  REQUIRE(server->write_all(as_bytes("hi"), 2000ms));
  CHECK(read_exactly(*client, 2) == "hi");

  CHECK(client->peer_port() == listener->port());
  CHECK(server->local_port() == listener->port());
  CHECK(server->peer_port() == client->local_port());
  CHECK(client->peer_is_loopback());
  CHECK(server->peer_is_loopback());
}

TEST_CASE("Socket: a name is resolved and shutdown_write gives the peer EOF", "[platform][integration]") {
  auto listener = listen_tcp("127.0.0.1", 0);
  REQUIRE(listener);
  auto client = connect_tcp("localhost", listener->port(), 2000ms);
  REQUIRE(client);
  auto server = listener->accept(2000ms);
  REQUIRE(server);
  client->shutdown_write();
  std::uint8_t byte = 0;
  auto n = server->read_some(MutableByteSpan(&byte, 1), 2000ms);
  REQUIRE(n);
  CHECK(*n == 0);
}

TEST_CASE("Socket: IPv6 loopback listens and connects with a bare literal", "[platform][integration]") {
  auto listener = listen_tcp("::1", 0);
  if (!listener) {
    FAIL("IPv6 loopback is unavailable: " << listener.error().message());
  }
  auto client = connect_tcp("::1", listener->port(), 2000ms);
  REQUIRE(client);
  CHECK(client->peer_is_loopback());
}

TEST_CASE("Socket: a read with nothing to read times out with Go's wording", "[platform][error]") {
  auto listener = listen_tcp("127.0.0.1", 0);
  REQUIRE(listener);
  auto client = connect_tcp("127.0.0.1", listener->port(), 2000ms);
  REQUIRE(client);
  auto server = listener->accept(2000ms);
  REQUIRE(server);
  std::uint8_t buf[16];
  const auto start = std::chrono::steady_clock::now();
  auto n = client->read_some(buf, 150ms);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(n);
  CHECK(n.error().code() == Errc::Network);
  CHECK(std::string(n.error().message()) ==
        "read tcp 127.0.0.1:" + std::to_string(listener->port()) + ": i/o timeout");
  CHECK(elapsed >= 140ms);
  CHECK(elapsed < 2000ms);
}

TEST_CASE("Socket: accept without a client times out", "[platform][error]") {
  auto listener = listen_tcp("127.0.0.1", 0);
  REQUIRE(listener);
  auto s = listener->accept(50ms);
  REQUIRE_FALSE(s);
  CHECK(s.error().code() == Errc::Network);
  CHECK(std::string(s.error().message()) == "accept tcp: i/o timeout");
}

TEST_CASE("Socket: a write to a peer that never reads times out", "[platform][error]") {
  auto listener = listen_tcp("127.0.0.1", 0);
  REQUIRE(listener);
  auto client = connect_tcp("127.0.0.1", listener->port(), 2000ms);
  REQUIRE(client);
  auto server = listener->accept(2000ms);
  REQUIRE(server);
  std::string big(64 * 1024 * 1024, 'x');
  auto st = client->write_all(as_bytes(big), 200ms);
  REQUIRE_FALSE(st);
  CHECK(st.error().code() == Errc::Network);
  CHECK(std::string(st.error().message()).find("i/o timeout") != std::string::npos);
}

TEST_CASE("Socket: a closed port is refused with the dial message", "[platform][error]") {
  std::uint16_t port = 0;
  {
    auto listener = listen_tcp("127.0.0.1", 0);
    REQUIRE(listener);
    port = listener->port();
  }
  auto s = connect_tcp("127.0.0.1", port, 2000ms);
  REQUIRE_FALSE(s);
  CHECK(s.error().code() == Errc::Network);
  CHECK(std::string(s.error().message()) ==
        "dial tcp 127.0.0.1:" + std::to_string(port) + ": connection refused");
}

TEST_CASE("Socket: an unknown host fails the lookup", "[platform][error]") {
  auto s = connect_tcp("no-such-host.invalid", 80, 2000ms);
  REQUIRE_FALSE(s);
  CHECK(s.error().code() == Errc::Network);
  CHECK(std::string(s.error().message()).rfind("dial tcp no-such-host.invalid:80: lookup ", 0) == 0);
}

TEST_CASE("Socket: writing to a closed peer reports an error without SIGPIPE", "[platform][error]") {
  auto listener = listen_tcp("127.0.0.1", 0);
  REQUIRE(listener);
  auto client = connect_tcp("127.0.0.1", listener->port(), 2000ms);
  REQUIRE(client);
  {
    auto server = listener->accept(2000ms);
    REQUIRE(server);
  }
  std::string chunk(64 * 1024, 'y');
  Status st = ok();
  for (int i = 0; i < 100 && st; ++i) st = client->write_all(as_bytes(chunk), 2000ms);
  REQUIRE_FALSE(st);
  CHECK(st.error().code() == Errc::Network);
}

TEST_CASE("Socket: listen_tcp rejects a host name", "[platform][error]") {
  auto l = listen_tcp("localhost", 0);
  REQUIRE_FALSE(l);
  CHECK(l.error().code() == Errc::Network);
}

TEST_CASE("Socket: peer_uid is unsupported on TCP", "[platform][error]") {
  auto listener = listen_tcp("127.0.0.1", 0);
  REQUIRE(listener);
  auto client = connect_tcp("127.0.0.1", listener->port(), 2000ms);
  REQUIRE(client);
  auto uid = client->peer_uid();
  REQUIRE_FALSE(uid);
  CHECK(uid.error().code() == Errc::Unsupported);
}

TEST_CASE("Socket: Unix domain socket by path, with the peer's uid", "[platform][integration]") {
  testing::TempDir dir;
  const std::string path = dir.file("s");
  UnixListener listener(path);
  REQUIRE(listener.ok());
  auto client = connect_unix(path, 2000ms);
  REQUIRE(client);
  Socket server = listener.accept();
  REQUIRE(server.is_open());
  auto uid = client->peer_uid();
  REQUIRE(uid);
  CHECK(*uid == static_cast<std::uint32_t>(::getuid()));
  REQUIRE(client->write_all(as_bytes("ping"), 2000ms));
  CHECK(read_exactly(server, 4) == "ping");
  CHECK(client->local_port() == 0);
  CHECK_FALSE(client->peer_is_loopback());
}

TEST_CASE("Socket: Unix abstract names start with '@'", "[platform][integration]") {
  const std::string name = "@/av-socket-test-" + std::to_string(::getpid());
  UnixListener listener(name);
  REQUIRE(listener.ok());
  auto client = connect_unix(name, 2000ms);
  REQUIRE(client);
  Socket server = listener.accept();
  REQUIRE(server.is_open());
  REQUIRE(server.write_all(as_bytes("pong"), 2000ms));
  CHECK(read_exactly(*client, 4) == "pong");
}

TEST_CASE("Socket: a missing Unix socket path is a dial error", "[platform][error]") {
  testing::TempDir dir;
  const std::string path = dir.file("missing");
  auto s = connect_unix(path, 500ms);
  REQUIRE_FALSE(s);
  CHECK(s.error().code() == Errc::Network);
  CHECK(std::string(s.error().message()) ==
        "dial unix " + path + ": no such file or directory");
}

TEST_CASE("Socket: a Unix path longer than sockaddr_un is TooLarge", "[platform][error]") {
  auto s = connect_unix("/tmp/" + std::string(200, 'a'), 500ms);
  REQUIRE_FALSE(s);
  CHECK(s.error().code() == Errc::TooLarge);
}

TEST_CASE("Socket: descriptors are close-on-exec and moves transfer ownership", "[platform][vector]") {
  auto listener = listen_tcp("127.0.0.1", 0);
  REQUIRE(listener);
  auto client = connect_tcp("127.0.0.1", listener->port(), 2000ms);
  REQUIRE(client);
  CHECK((::fcntl(client->native_handle(), F_GETFD) & FD_CLOEXEC) != 0);
  Socket moved = std::move(*client);
  CHECK(moved.is_open());
  CHECK_FALSE(client->is_open());  // NOLINT(bugprone-use-after-move): the moved-from state
  moved.close();
  CHECK_FALSE(moved.is_open());
}

}  // namespace av::platform
