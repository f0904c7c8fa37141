// proc_net_tcp.cpp: the pure parser behind platform/tcp_owner.h.
//
// Format (Linux net/ipv4/tcp_ipv4.c get_tcp4_sock and net/ipv6/tcp_ipv6.c get_tcp6_sock): a
// header line, then per socket
//   "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu ..."
// i.e. slot, local address:port, remote address:port, state, tx:rx queues, timer:expiry,
// retransmits, uid, timeout, inode, then fields we do not use. tcp6 prints each address as four
// %08X words. Addresses are the raw network-order words printed as native integers, so on
// little-endian machines 127.0.0.1 reads "0100007F". Fields are separated by runs of spaces and
// lines are padded with trailing spaces.
#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

#include "base/ascii.h"
#include "base/limits.h"
#include "base/text_reader.h"
#include "platform/tcp_owner.h"

namespace av::platform {
namespace {

constexpr std::string_view kWhat = "proc net tcp";
constexpr std::string_view kTimeWait = "06";
// Fields up to and including the inode (index 9); the kernel prints more, which we ignore.
constexpr std::size_t kMinFields = 10;
constexpr std::size_t kMaxFields = 32;

Error line_error(std::size_t line, std::string_view what) {
  return Error(Errc::Parse,
               std::string(kWhat) + ": line " + std::to_string(line) + ": " + std::string(what));
}

constexpr bool is_upper_hex(char c) noexcept {
  return ascii::is_digit(c) || (c >= 'A' && c <= 'F');
}

// split_fields cuts `line` at runs of spaces; false when there are more than kMaxFields.
bool split_fields(std::string_view line, std::vector<std::string_view>& fields) {
  fields.clear();
  std::size_t i = 0;
  while (i < line.size()) {
    if (line[i] == ' ') {
      ++i;
      continue;
    }
    const std::size_t end = std::min(line.find(' ', i), line.size());
    if (fields.size() == kMaxFields) return false;
    fields.push_back(line.substr(i, end - i));
    i = end;
  }
  return true;
}

// parse_hex reads `text` (1-8 upper-case hex digits) as an unsigned 32-bit number.
std::optional<std::uint32_t> parse_hex(std::string_view text) noexcept {
  if (text.empty() || text.size() > 8 || !std::all_of(text.begin(), text.end(), is_upper_hex)) {
    return std::nullopt;
  }
  std::uint32_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value, 16);
  return value;
}

// parse_endpoint reads "AAAAAAAA:PPPP" (IPv4) or 32 hex digits ":PPPP" (IPv6).
std::optional<TcpEndpoint> parse_endpoint(std::string_view text, std::endian order) {
  const std::size_t colon = text.find(':');
  if (colon != 8 && colon != 32) return std::nullopt;
  const std::string_view port_text = text.substr(colon + 1);
  const auto port = port_text.size() == 4 ? parse_hex(port_text) : std::nullopt;
  if (!port) return std::nullopt;
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t word = 0; word < colon / 8; ++word) {
    const auto value = parse_hex(text.substr(word * 8, 8));
    if (!value) return std::nullopt;
    for (std::size_t b = 0; b < 4; ++b) {
      const std::size_t shift = order == std::endian::little ? 8 * b : 8 * (3 - b);
      bytes[word * 4 + b] = static_cast<std::uint8_t>((*value >> shift) & 0xFFU);
    }
  }
  if (colon == 8) {
    return make_ipv4_endpoint({bytes[0], bytes[1], bytes[2], bytes[3]},
                              static_cast<std::uint16_t>(*port));
  }
  TcpEndpoint out;
  out.address = bytes;
  out.port = static_cast<std::uint16_t>(*port);
  return out;
}

// is_hex_field: "hex" or "hex:hex" (queue sizes, timers), either case.
bool is_hex_field(std::string_view text) noexcept {
  const std::size_t colon = text.find(':');
  const std::string_view a = text.substr(0, colon);
  const std::string_view b = colon == std::string_view::npos ? "0" : text.substr(colon + 1);
  auto hex = [](std::string_view s) {
    return !s.empty() && s.size() <= 16 && std::all_of(s.begin(), s.end(), ascii::is_hex_digit);
  };
  return hex(a) && hex(b);
}

bool is_decimal(std::string_view text, std::size_t max_len) noexcept {
  return !text.empty() && text.size() <= max_len &&
         std::all_of(text.begin(), text.end(), ascii::is_digit);
}

Status check_header(std::string_view line) {
  std::vector<std::string_view> fields;
  if (!split_fields(line, fields) || fields.size() < 2 || fields[0] != "sl" ||
      fields[1] != "local_address") {
    return line_error(1, "not the header of a tcp socket table");
  }
  return ok();
}

struct SocketLine {
  TcpEndpoint local;
  TcpEndpoint remote;
  bool time_wait = false;
  std::uint32_t uid = 0;
};

Result<SocketLine> parse_socket_line(std::string_view line, std::size_t n, std::endian order,
                                     std::vector<std::string_view>& fields) {
  if (!split_fields(line, fields)) return line_error(n, "too many fields");
  if (fields.size() < kMinFields) return line_error(n, "too few fields");
  const std::string_view slot = fields[0];
  if (slot.size() < 2 || slot.back() != ':' || !is_decimal(slot.substr(0, slot.size() - 1), 10)) {
    return line_error(n, "malformed slot number");
  }
  SocketLine out;
  const auto local = parse_endpoint(fields[1], order);
  const auto remote = parse_endpoint(fields[2], order);
  if (!local || !remote || fields[1].size() != fields[2].size()) {
    return line_error(n, "malformed address");
  }
  out.local = *local;
  out.remote = *remote;
  if (fields[3].size() != 2 || !parse_hex(fields[3])) return line_error(n, "malformed state");
  out.time_wait = fields[3] == kTimeWait;
  for (std::size_t i = 4; i <= 6; ++i) {
    if (!is_hex_field(fields[i])) return line_error(n, "malformed queue or timer field");
  }
  std::uint64_t uid = 0;
  const std::string_view uid_text = fields[7];
  if (!is_decimal(uid_text, 10) ||
      std::from_chars(uid_text.data(), uid_text.data() + uid_text.size(), uid).ec != std::errc{} ||
      uid > 0xFFFFFFFFULL) {
    return line_error(n, "malformed uid");
  }
  out.uid = static_cast<std::uint32_t>(uid);
  if (!is_decimal(fields[8], 20) || !is_decimal(fields[9], 20)) {
    return line_error(n, "malformed timeout or inode");
  }
  return out;
}

}  // namespace

TcpEndpoint make_ipv4_endpoint(std::array<std::uint8_t, 4> octets, std::uint16_t port) noexcept {
  TcpEndpoint out;
  out.address[10] = 0xFF;
  out.address[11] = 0xFF;
  std::copy(octets.begin(), octets.end(), out.address.begin() + 12);
  out.port = port;
  return out;
}

Result<std::optional<std::uint32_t>> parse_tcp_owner_uid(std::string_view text,
                                                         const TcpConnection& ours,
                                                         std::endian word_order) {
  if (text.size() > limits::kMaxProcNetTcpBytes) {
    return Error(Errc::TooLarge, std::string(kWhat) + ": more than " +
                                     std::to_string(limits::kMaxProcNetTcpBytes) + " bytes");
  }
  TextReader reader(text);
  std::optional<std::uint32_t> found;
  std::size_t found_line = 0;
  std::vector<std::string_view> fields;
  fields.reserve(kMaxFields);
  for (std::size_t n = 1; n == 1 || !reader.empty(); ++n) {
    auto line = reader.read_line(limits::kMaxProcNetTcpLine);
    if (!line) {
      const bool long_line = line.error().code() == Errc::TooLarge;
      if (long_line) {
        return Error(Errc::TooLarge, std::string(kWhat) + ": line " + std::to_string(n) +
                                         ": longer than " +
                                         std::to_string(limits::kMaxProcNetTcpLine) + " bytes");
      }
      return line_error(n, n == 1 && reader.empty() ? "missing header" : line.error().message());
    }
    if (n == 1) {
      AV_TRY(check_header(*line));
      continue;
    }
    AV_TRY_ASSIGN(const SocketLine socket, parse_socket_line(*line, n, word_order, fields));
    if (socket.time_wait || socket.local != ours.peer || socket.remote != ours.local) continue;
    if (found && *found != socket.uid) {
      return Error(Errc::Parse, std::string(kWhat) + ": lines " + std::to_string(found_line) +
                                    " and " + std::to_string(n) +
                                    ": one connection with two owners");
    }
    found = socket.uid;
    found_line = n;
  }
  return found;
}

}  // namespace av::platform
