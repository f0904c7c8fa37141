// socks5_relay.h: a one-connection SOCKS5 proxy (RFC 1928: no authentication, CONNECT to an IPv4
// address or a domain name) on a thread, for the curl client's SOCKS path. Whatever host the
// client names, the relay dials 127.0.0.1 at the requested port (like http_fake.py's proxy mode),
// and records the host so a test can see who resolved it.
#pragma once

#include <poll.h>

#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "base/bytes.h"
#include "platform/socket.h"

namespace av::net::testing {

class Socks5Relay {
 public:
  Socks5Relay() {
    auto listener = platform::listen_tcp("127.0.0.1", 0);
    REQUIRE(listener);
    listener_ = std::move(listener).value();
    thread_ = std::thread([this] { serve(); });
  }
  ~Socks5Relay() { join(); }
  Socks5Relay(const Socks5Relay&) = delete;
  Socks5Relay& operator=(const Socks5Relay&) = delete;

  std::uint16_t port() const { return listener_.port(); }
  // join waits for the one connection to end; requested_host is valid afterwards.
  void join() {
    if (thread_.joinable()) thread_.join();
  }
  const std::string& requested_host() const { return host_; }

 private:
  static constexpr std::chrono::milliseconds kWait{5000};

  static bool read_exact(platform::Socket& s, std::uint8_t* out, std::size_t n) {
    while (n > 0) {
      auto got = s.read_some(MutableByteSpan(out, n), kWait);
      if (!got || *got == 0) return false;
      out += *got;
      n -= *got;
    }
    return true;
  }

  // handshake reads the greeting and the CONNECT request; returns the port, 0 on failure.
  std::uint16_t handshake(platform::Socket& client) {
    std::array<std::uint8_t, 262> buf{};
    if (!read_exact(client, buf.data(), 2) || buf[0] != 5) return 0;
    if (!read_exact(client, buf.data(), buf[1])) return 0;
    const std::array<std::uint8_t, 2> no_auth = {5, 0};
    if (!client.write_all(no_auth, kWait)) return 0;
    if (!read_exact(client, buf.data(), 4) || buf[1] != 1) return 0;
    if (buf[3] == 3) {
      if (!read_exact(client, buf.data(), 1)) return 0;
      const std::size_t len = buf[0];
      if (!read_exact(client, buf.data(), len)) return 0;
      host_.assign(as_chars(ByteSpan(buf.data(), len)));
    } else if (buf[3] == 1) {
      if (!read_exact(client, buf.data(), 4)) return 0;
      host_ = std::to_string(buf[0]) + "." + std::to_string(buf[1]) + "." + std::to_string(buf[2]) +
              "." + std::to_string(buf[3]);
    } else {
      return 0;
    }
    if (!read_exact(client, buf.data(), 2)) return 0;
    return static_cast<std::uint16_t>((buf[0] << 8) | buf[1]);
  }

  static void relay(platform::Socket& a, platform::Socket& b) {
    std::array<std::uint8_t, 16384> buf{};
    for (;;) {
      std::array<pollfd, 2> fds = {pollfd{a.native_handle(), POLLIN, 0},
                                   pollfd{b.native_handle(), POLLIN, 0}};
      if (::poll(fds.data(), fds.size(), 5000) <= 0) return;
      for (int i = 0; i < 2; ++i) {
        if (fds[static_cast<std::size_t>(i)].revents == 0) continue;
        platform::Socket& from = i == 0 ? a : b;
        platform::Socket& to = i == 0 ? b : a;
        auto n = from.read_some(buf, kWait);
        if (!n || *n == 0 || !to.write_all(ByteSpan(buf).first(*n), kWait)) return;
      }
    }
  }

  void serve() {
    auto client = listener_.accept(kWait);
    if (!client) return;
    const std::uint16_t port = handshake(*client);
    if (port == 0) return;
    auto upstream = platform::connect_tcp("127.0.0.1", port, kWait);
    const std::array<std::uint8_t, 10> reply = {
        5, upstream ? std::uint8_t{0} : std::uint8_t{5}, 0, 1, 0, 0, 0, 0, 0, 0};
    if (!client->write_all(reply, kWait) || !upstream) return;
    relay(*client, *upstream);
  }

  platform::Listener listener_;
  std::thread thread_;
  std::string host_;
};

}  // namespace av::net::testing
