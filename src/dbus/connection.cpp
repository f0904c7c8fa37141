// connection.cpp: bus address parsing, SASL EXTERNAL, Hello and method calls.
#include "dbus/connection.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <string>
#include <utility>

#include "base/ascii.h"

namespace av::dbus {
namespace {

using Clock = std::chrono::steady_clock;

Timeout remaining_until(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<Timeout>(deadline - Clock::now());
  return left.count() > 0 ? left : Timeout{0};
}

Error timeout_error() { return Error{Errc::Network, "i/o timeout"}; }

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> unescape_address_value(std::string_view value) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '%') {
      out += value[i];
      continue;
    }
    if (i + 2 >= value.size()) {
      return Error{Errc::Parse, "bad escape in d-bus address"};
    }
    const int hi = hex_value(value[i + 1]);
    const int lo = hex_value(value[i + 2]);
    if (hi < 0 || lo < 0) return Error{Errc::Parse, "bad escape in d-bus address"};
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// unix_socket_of returns the socket path of one "unix:k=v,k=v" entry, or "" if it has none we use.
Result<std::string> unix_socket_of(std::string_view entry) {
  constexpr std::string_view kPrefix = "unix:";
  if (entry.substr(0, kPrefix.size()) != kPrefix) return std::string();
  std::string_view rest = entry.substr(kPrefix.size());
  std::string found;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view pair = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return Error{Errc::Parse, "malformed d-bus address entry"};
    }
    AV_TRY_ASSIGN(std::string value, unescape_address_value(pair.substr(eq + 1)));
    const std::string_view key = pair.substr(0, eq);
    if (key == "path" && found.empty()) found = value;
    if (key == "abstract" && found.empty()) found = "@" + value;
  }
  return found;
}

Error error_reply(const Message& reply) {
  std::string text;
  if (!reply.body.empty() && reply.body[0].type() == 's') text = reply.body[0].text();
  Errc code = Errc::Network;
  const std::string& name = reply.error_name;
  if (name == "org.freedesktop.DBus.Error.ServiceUnknown" ||
      name == "org.freedesktop.DBus.Error.NameHasNoOwner" ||
      name == "org.freedesktop.DBus.Error.UnknownObject" ||
      name == "org.freedesktop.DBus.Error.UnknownMethod") {
    code = Errc::NotFound;
  } else if (name == "org.freedesktop.DBus.Error.AccessDenied") {
    code = Errc::PermissionDenied;
  }
  return Error{code, ascii::escape_for_terminal(name) + ": " + ascii::escape_for_terminal(text)};
}

}  // namespace

Result<std::string> session_bus_address(const platform::Environment& env) {
  if (auto address = env.get_nonempty("DBUS_SESSION_BUS_ADDRESS")) return std::string(*address);
  if (auto runtime = env.get_nonempty("XDG_RUNTIME_DIR")) {
    return "unix:path=" + std::string(*runtime) + "/bus";
  }
  return Error{Errc::NotFound,
               "no session bus: DBUS_SESSION_BUS_ADDRESS and XDG_RUNTIME_DIR are not set"};
}

Result<std::string> parse_bus_address(std::string_view address) {
  while (!address.empty()) {
    const std::size_t semi = address.find(';');
    const std::string_view entry = address.substr(0, semi);
    address = semi == std::string_view::npos ? std::string_view() : address.substr(semi + 1);
    if (entry.empty()) continue;
    AV_TRY_ASSIGN(std::string path, unix_socket_of(entry));
    if (!path.empty()) return path;
  }
  return Error{Errc::Unsupported, "no usable unix socket in the d-bus address"};
}

Result<Connection> Connection::open(std::string_view address, Timeout timeout) {
  AV_TRY_ASSIGN(std::string path, parse_bus_address(address));
  AV_TRY_ASSIGN(platform::Socket socket, platform::connect_unix(path, timeout));
  Connection conn(std::move(socket));
  AV_TRY(conn.authenticate(timeout));
  AV_TRY_ASSIGN(Message reply,
                conn.call(method_call("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                      "org.freedesktop.DBus", "Hello"),
                          timeout));
  if (reply.body.size() != 1 || reply.body[0].type() != 's') {
    return Error{Errc::Parse, "unexpected reply to hello"};
  }
  conn.unique_name_ = reply.body[0].text();
  return conn;
}

Result<std::string> Connection::read_line(Timeout timeout) {
  const auto deadline = Clock::now() + timeout;
  std::string line;
  while (line.size() < kMaxAuthLineLen) {
    std::array<std::uint8_t, 1> byte{};
    AV_TRY(read_exact(byte, remaining_until(deadline)));
    if (byte[0] == '\n') {
      if (line.empty() || line.back() != '\r') break;
      line.pop_back();
      return line;
    }
    line += static_cast<char>(byte[0]);
  }
  return Error{Errc::Parse, "malformed d-bus authentication reply"};
}

Status Connection::authenticate(Timeout timeout) {
  // A NUL byte, then AUTH EXTERNAL without an initial response; the bus answers with an empty
  // challenge (DATA), we answer with an empty identity (DATA): "use my socket credentials".
  static constexpr std::string_view kAuth{"\0AUTH EXTERNAL\r\n", 16};
  AV_TRY(socket_.write_all(as_bytes(kAuth), timeout));
  Result<std::string> reply = read_line(timeout);
  if (reply && *reply == "DATA") {
    AV_TRY(socket_.write_all(as_bytes(std::string_view("DATA\r\n")), timeout));
    reply = read_line(timeout);
  }
  if (!reply) return std::move(reply).error();
  const std::string& line = *reply;
  if (line.rfind("OK ", 0) != 0) {
    if (line.rfind("REJECTED", 0) == 0) {
      return Error{Errc::AuthFailed, "the d-bus daemon rejected EXTERNAL authentication"};
    }
    return Error{Errc::Parse, "unexpected d-bus authentication reply"};
  }
  return socket_.write_all(as_bytes(std::string_view("BEGIN\r\n")), timeout);
}

Status Connection::read_exact(MutableByteSpan out, Timeout timeout) {
  const auto deadline = Clock::now() + timeout;
  std::size_t done = 0;
  while (done < out.size()) {
    const Timeout left = remaining_until(deadline);
    if (left.count() == 0) return timeout_error();
    AV_TRY_ASSIGN(std::size_t n, socket_.read_some(out.subspan(done), left));
    if (n == 0) return Error{Errc::Network, "the d-bus connection was closed"};
    done += n;
  }
  return ok();
}

Result<Message> Connection::read_message(Timeout timeout) {
  const auto deadline = Clock::now() + timeout;
  std::array<std::uint8_t, kFixedHeaderLen> head{};
  AV_TRY(read_exact(head, timeout));
  AV_TRY_ASSIGN(std::size_t total, message_length(head));
  secure::SecretBytes buffer = secure::SecretBytes::zeroed(total);
  const MutableByteSpan all = buffer.reveal_mutable();
  std::copy(head.begin(), head.end(), all.begin());
  AV_TRY(read_exact(all.subspan(kFixedHeaderLen), remaining_until(deadline)));
  return parse_message(buffer.reveal());
}

Status Connection::send(Message& message, Timeout timeout) {
  message.serial = next_serial_++;
  if (next_serial_ == 0) next_serial_ = 1;
  AV_TRY_ASSIGN(secure::SecretBytes bytes, serialize_message(message));
  return socket_.write_all(bytes.reveal(), timeout);
}

Result<Message> Connection::call(Message request, Timeout timeout) {
  const auto deadline = Clock::now() + timeout;
  AV_TRY(send(request, timeout));
  const std::uint32_t serial = request.serial;
  while (true) {
    const Timeout left = remaining_until(deadline);
    if (left.count() == 0) return timeout_error();
    auto reply = read_message(left);
    if (!reply && reply.error().code() == Errc::Unsupported) continue;  // unknown type: skip
    if (!reply) return std::move(reply).error();
    if (reply->type == MessageType::Signal) {
      if (signals_.size() == kMaxQueuedSignals) signals_.pop_front();
      signals_.push_back(std::move(*reply));
      continue;
    }
    const bool is_reply =
        reply->type == MessageType::MethodReturn || reply->type == MessageType::Error;
    if (!is_reply || reply->reply_serial != serial) continue;
    if (reply->type == MessageType::Error) return error_reply(*reply);
    return std::move(reply).value();
  }
}

Result<Message> Connection::wait_for_signal(std::string_view path, std::string_view interface,
                                            std::string_view member, Timeout timeout) {
  const auto matches = [&](const Message& m) {
    return m.type == MessageType::Signal && m.path == path && m.interface == interface &&
           m.member == member;
  };
  for (auto it = signals_.begin(); it != signals_.end(); ++it) {
    if (!matches(*it)) continue;
    Message found = std::move(*it);
    signals_.erase(it);
    return found;
  }
  const auto deadline = Clock::now() + timeout;
  while (true) {
    const Timeout left = remaining_until(deadline);
    if (left.count() == 0) return timeout_error();
    auto message = read_message(left);
    if (!message && message.error().code() == Errc::Unsupported) continue;
    if (!message) return std::move(message).error();
    if (matches(*message)) return std::move(message).value();
  }
}

Result<Connection> open_session_bus(const platform::Environment& env, Timeout timeout) {
  auto address = session_bus_address(env);
  if (!address) return std::move(address).error().with_context("no session bus");
  auto connection = Connection::open(*address, timeout);
  if (!connection) {
    return std::move(connection).error().with_context(
        "cannot connect to the session bus " + ascii::quote_for_terminal(*address));
  }
  return connection;
}

}  // namespace av::dbus
