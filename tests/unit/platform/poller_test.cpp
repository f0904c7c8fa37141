// poller_test.cpp: the epoll wrapper and the eventfd wakeup over real loopback sockets:
// readiness, interest changes, half-close and close reports, tokens, errors, and wakeups from
// another thread and from a signal handler.
#include "platform/poller.h"

#include <signal.h>
#include <sys/socket.h>

#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

namespace av::platform {
namespace {

using namespace std::chrono_literals;

struct Pair {
  Listener listener;
  Socket client;
  Socket server;
};

Pair connected_pair() {
  auto listener = listen_tcp("127.0.0.1", 0);
  REQUIRE(listener);
  auto client = connect_tcp("127.0.0.1", listener->port(), 2000ms);
  REQUIRE(client);
  auto server = listener->accept(2000ms);
  REQUIRE(server);
  return Pair{std::move(listener).value(), std::move(client).value(), std::move(server).value()};
}

Poller make_poller() {
  auto p = Poller::create();
  REQUIRE(p);
  return std::move(p).value();
}

// wait_one waits up to 2 s for exactly one event.
PollEvent wait_one(Poller& poller) {
  std::array<PollEvent, 4> events{};
  auto n = poller.wait(events, 2000ms);
  REQUIRE(n);
  REQUIRE(*n == 1);
  return events[0];
}

std::size_t wait_none(Poller& poller, Timeout timeout = 0ms) {
  std::array<PollEvent, 4> events{};
  auto n = poller.wait(events, timeout);
  REQUIRE(n);
  return *n;
}

Wakeup* g_signal_wakeup = nullptr;
void on_usr1(int) { g_signal_wakeup->signal(); }

}  // namespace

TEST_CASE("Poller: a socket becomes readable when data arrives", "[platform][integration]") {
  Poller poller = make_poller();
  Pair pair = connected_pair();
  const std::uint64_t token = 0xDEADBEEF00000007ULL;
  REQUIRE(poller.add(pair.server.native_handle(), token, Interest::Read));
  CHECK(wait_none(poller) == 0);
  REQUIRE(pair.client.write_all(as_bytes("ping"), 2000ms));
  const PollEvent e = wait_one(poller);
  CHECK(e.token == token);
  CHECK(e.readable);
  CHECK_FALSE(e.writable);
  CHECK_FALSE(e.hangup);
  CHECK_FALSE(e.error);
  // Level-triggered: still reported until read.
  CHECK(wait_one(poller).readable);
  char buf[8];
  auto n = pair.server.try_read(as_writable_bytes(buf, sizeof buf));
  REQUIRE(n);
  CHECK(*n == std::optional<std::size_t>(4));
  CHECK(wait_none(poller) == 0);
  // Nothing left: try_read says "would block".
  n = pair.server.try_read(as_writable_bytes(buf, sizeof buf));
  REQUIRE(n);
  CHECK_FALSE(n->has_value());
}

TEST_CASE("Poller: modify changes interest and token; remove stops reports",
          "[platform][integration]") {
  Poller poller = make_poller();
  Pair pair = connected_pair();
  const int fd = pair.server.native_handle();
  REQUIRE(poller.add(fd, 1, Interest::None));
  REQUIRE(pair.client.write_all(as_bytes("x"), 2000ms));
  CHECK(wait_none(poller, 50ms) == 0);  // data waits, but nobody asked
  REQUIRE(poller.modify(fd, 2, Interest::ReadWrite));
  PollEvent e = wait_one(poller);
  CHECK(e.token == 2);
  CHECK(e.readable);
  CHECK(e.writable);
  REQUIRE(poller.modify(fd, 3, Interest::Write));
  e = wait_one(poller);
  CHECK(e.token == 3);
  CHECK_FALSE(e.readable);
  CHECK(e.writable);
  poller.remove(fd);
  CHECK(wait_none(poller, 50ms) == 0);
  poller.remove(fd);  // removing twice is harmless
}

TEST_CASE("Poller: half-close and close are reported as hangups", "[platform][integration]") {
  Poller poller = make_poller();
  Pair pair = connected_pair();
  REQUIRE(poller.add(pair.server.native_handle(), 9, Interest::Read));
  pair.client.shutdown_write();
  PollEvent e = wait_one(poller);
  CHECK(e.hangup);
  CHECK(e.readable);  // reading returns end-of-file
  char buf[4];
  auto n = pair.server.try_read(as_writable_bytes(buf, sizeof buf));
  REQUIRE(n);
  CHECK(*n == std::optional<std::size_t>(0));

  Poller second = make_poller();
  Pair other = connected_pair();
  REQUIRE(second.add(other.server.native_handle(), 10, Interest::Write));
  CHECK(wait_one(second).token == 10);
  other.client.close();
  // Once the peer is gone a write fails; the poller reports it without read interest too.
  for (int i = 0; i < 100; ++i) {
    auto w = other.server.try_write(as_bytes("data"));
    if (!w) break;
    std::this_thread::sleep_for(10ms);
  }
  e = wait_one(second);
  CHECK(e.token == 10);
  CHECK((e.hangup || e.error));
}

TEST_CASE("Poller: try_write and try_accept do not block", "[platform][integration]") {
  Pair pair = connected_pair();
  auto none = pair.listener.try_accept();
  REQUIRE(none);
  CHECK_FALSE(none->has_value());
  auto c2 = connect_tcp("127.0.0.1", pair.listener.port(), 2000ms);
  REQUIRE(c2);
  Poller poller = make_poller();
  REQUIRE(poller.add(pair.listener.native_handle(), 5, Interest::Read));
  CHECK(wait_one(poller).token == 5);
  auto accepted = pair.listener.try_accept();
  REQUIRE(accepted);
  REQUIRE(accepted->has_value());
  CHECK((*accepted)->peer_port() == c2->local_port());
  CHECK((*accepted)->peer_address() == "127.0.0.1");
  CHECK((*accepted)->set_no_delay());

  // Fill the send buffer until the kernel says "would block".
  std::string chunk(64 * 1024, 'z');
  bool blocked = false;
  for (int i = 0; i < 10'000 && !blocked; ++i) {
    auto w = pair.client.try_write(as_bytes(chunk));
    REQUIRE(w);
    blocked = !w->has_value();
  }
  CHECK(blocked);
}

TEST_CASE("Poller: peer_address gives the IPv4 form of mapped peers", "[platform][integration]") {
  auto listener = listen_tcp("::", 0);
  REQUIRE(listener);
  auto client = connect_tcp("127.0.0.1", listener->port(), 2000ms);
  REQUIRE(client);
  auto server = listener->accept(2000ms);
  REQUIRE(server);
  CHECK(server->peer_address() == "127.0.0.1");
  auto client6 = connect_tcp("::1", listener->port(), 2000ms);
  REQUIRE(client6);
  auto server6 = listener->accept(2000ms);
  REQUIRE(server6);
  CHECK(server6->peer_address() == "::1");
  CHECK(Socket().peer_address().empty());
}

TEST_CASE("Poller: registration errors are reported", "[platform][error]") {
  Poller poller = make_poller();
  Pair pair = connected_pair();
  const int fd = pair.server.native_handle();
  auto missing = poller.modify(fd, 1, Interest::Read);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code() == Errc::Io);
  CHECK(missing.error().message().starts_with("epoll_ctl: "));
  REQUIRE(poller.add(fd, 1, Interest::Read));
  auto twice = poller.add(fd, 1, Interest::Read);
  REQUIRE_FALSE(twice);
  CHECK(twice.error().message() == "epoll_ctl: file exists");
  CHECK_FALSE(poller.add(-1, 1, Interest::Read));
  std::array<PollEvent, 1> none{};
  auto zero = poller.wait(std::span<PollEvent>(none.data(), 0), 0ms);
  REQUIRE(zero);
  CHECK(*zero == 0);
}

TEST_CASE("Wakeup: signal from another thread ends a long wait", "[platform][integration]") {
  Poller poller = make_poller();
  auto wakeup = Wakeup::create();
  REQUIRE(wakeup);
  REQUIRE(poller.add(wakeup->native_handle(), 77, Interest::Read));
  CHECK(wait_none(poller) == 0);
  std::thread t([&] {
    std::this_thread::sleep_for(50ms);
    wakeup->signal();
  });
  std::array<PollEvent, 2> events{};
  auto n = poller.wait(events, Timeout(-1));  // no limit: only the wakeup can end it
  t.join();
  REQUIRE(n);
  REQUIRE(*n == 1);
  CHECK(events[0].token == 77);
  CHECK(events[0].readable);
  wakeup->signal();  // several signals collapse into one readable state
  wakeup->drain();
  CHECK(wait_none(poller) == 0);
}

TEST_CASE("Wakeup: signal is usable from a signal handler", "[platform][integration]") {
  Poller poller = make_poller();
  auto wakeup = Wakeup::create();
  REQUIRE(wakeup);
  REQUIRE(poller.add(wakeup->native_handle(), 3, Interest::Read));
  g_signal_wakeup = &*wakeup;
  struct sigaction sa {};
  struct sigaction old {};
  sa.sa_handler = on_usr1;
  ::sigemptyset(&sa.sa_mask);
  REQUIRE(::sigaction(SIGUSR1, &sa, &old) == 0);
  REQUIRE(::raise(SIGUSR1) == 0);
  const PollEvent e = wait_one(poller);
  ::sigaction(SIGUSR1, &old, nullptr);
  g_signal_wakeup = nullptr;
  CHECK(e.token == 3);
  wakeup->drain();
  CHECK(wait_none(poller) == 0);
}

}  // namespace av::platform
