// Fuzz target: platform::parse_tcp_owner_uid. The first 36 bytes choose the connection looked
// for (our address and port, the peer's address and port) and byte 37's low bit the word order;
// the rest is the table text. Invariants: no crash, errors are Parse/TooLarge and name the
// table, and the answer does not depend on the word order when no address can match.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "base/bytes.h"
#include "base/check.h"
#include "fuzz_target.h"
#include "platform/tcp_owner.h"

namespace {

av::platform::TcpEndpoint endpoint(const std::uint8_t* p) {
  av::platform::TcpEndpoint e;
  std::memcpy(e.address.data(), p, e.address.size());
  e.port = static_cast<std::uint16_t>((p[16] << 8) | p[17]);
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 37) return 0;
  const av::platform::TcpConnection ours{endpoint(data), endpoint(data + 18)};
  const std::endian order = (data[36] & 1) != 0 ? std::endian::big : std::endian::little;
  const std::string_view text = av::as_chars(av::ByteSpan(data + 37, size - 37));
  const auto r = av::platform::parse_tcp_owner_uid(text, ours, order);
  if (!r) {
    AV_CHECK(r.error().code() == av::Errc::Parse || r.error().code() == av::Errc::TooLarge);
    AV_CHECK(r.error().message().starts_with("proc net tcp: "));
    // Well-formedness does not depend on the word order.
    const auto other = av::platform::parse_tcp_owner_uid(
        text, ours, order == std::endian::big ? std::endian::little : std::endian::big);
    AV_CHECK(!other.has_value() ||
             r.error().message().find("two owners") != std::string_view::npos);
  }
  return 0;
}
