// connection.h: a client connection to a D-Bus bus over a Unix socket.
//
// open_connection parses a bus address, connects, authenticates with SASL EXTERNAL (empty
// authorization identity: the bus takes our uid from the socket credentials, as sd-bus does),
// and sends Hello. call() sends a method call and waits for its reply, skipping unrelated
// messages; signals seen meanwhile are queued (at most kMaxQueuedSignals, oldest dropped) so a
// later wait_for_signal finds a signal that arrived before the reply it was waiting for.
//
// Messages are read exactly (fixed header, then the announced length) into secure memory, so
// nothing is over-read and secret payloads never sit in ordinary buffers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "base/result.h"
#include "dbus/message.h"
#include "platform/env.h"
#include "platform/socket.h"

namespace av::dbus {

using platform::Timeout;

// kDefaultCallTimeout: how long call() waits for a reply (libdbus's default is 25 s).
inline constexpr Timeout kDefaultCallTimeout{25'000};
// kMaxQueuedSignals: signals kept while waiting for replies.
inline constexpr std::size_t kMaxQueuedSignals = 64;
// kMaxAuthLineLen: the longest SASL line we accept from the bus.
inline constexpr std::size_t kMaxAuthLineLen = 512;

// session_bus_address returns $DBUS_SESSION_BUS_ADDRESS when set and non-empty, otherwise
// "unix:path=$XDG_RUNTIME_DIR/bus" when XDG_RUNTIME_DIR is set (godbus's and sd-bus's fallback).
// Errc::NotFound when neither is available. No autolaunch.
Result<std::string> session_bus_address(const platform::Environment& env);

// parse_bus_address returns the socket path of the first usable entry of a ';'-separated D-Bus
// address: "unix:path=P" gives P, "unix:abstract=N" gives "@N" (platform::connect_unix's form).
// Values are percent-unescaped. Other transports (tcp:, unix:tmpdir=, launchd:...) are skipped.
// Errc::Unsupported when no entry is usable; Errc::Parse for a malformed entry or escape.
Result<std::string> parse_bus_address(std::string_view address);

// Connection: one authenticated bus connection. Move-only; the destructor closes the socket.
class Connection {
 public:
  // open_connection connects to `address` (a D-Bus address string), authenticates and says
  // Hello, each step bounded by `timeout`. Errors: parse_bus_address's; Errc::Network for
  // connect/read/write failures and timeouts; Errc::AuthFailed when the bus rejects us;
  // Errc::Parse for a malformed bus reply.
  static Result<Connection> open(std::string_view address, Timeout timeout);

  // call sends `request` (its serial is assigned here) and returns the METHOD_RETURN. An ERROR
  // reply becomes an Error: "<error name>: <message>" with Errc::NotFound for
  // ServiceUnknown/NameHasNoOwner/UnknownObject/UnknownMethod, Errc::PermissionDenied for
  // AccessDenied, otherwise Errc::Network; Errc::Network "i/o timeout" when no reply comes.
  Result<Message> call(Message request, Timeout timeout = kDefaultCallTimeout);

  // wait_for_signal returns the first signal (queued or new) whose path, interface and member
  // match; Errc::Network "i/o timeout" after `timeout`.
  Result<Message> wait_for_signal(std::string_view path, std::string_view interface,
                                  std::string_view member, Timeout timeout);

  // unique_name is the name the bus gave us in reply to Hello (":1.42").
  const std::string& unique_name() const noexcept { return unique_name_; }

  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() = default;

 private:
  explicit Connection(platform::Socket socket) noexcept : socket_(std::move(socket)) {}
  Status authenticate(Timeout timeout);
  Result<std::string> read_line(Timeout timeout);
  Status read_exact(MutableByteSpan out, Timeout timeout);
  Result<Message> read_message(Timeout timeout);
  Status send(Message& message, Timeout timeout);

  platform::Socket socket_;
  std::uint32_t next_serial_ = 1;
  std::string unique_name_;
  std::deque<Message> signals_;
};

// open_session_bus connects to the session bus of `env` (session_bus_address, then
// Connection::open). Errors keep the cause's code and read "no session bus: <cause>" or
// "cannot connect to the session bus "<address>": <cause>".
Result<Connection> open_session_bus(const platform::Environment& env, Timeout timeout);

}  // namespace av::dbus
