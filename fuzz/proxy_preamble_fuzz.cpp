// Fuzz target: server::check_proxy_preamble with a fixed secret. Invariants: exactly one outcome;
// an accepted line re-formats byte for byte (format_proxy_preamble(parse(x)) == x: the format is
// canonical), is within kMaxProxyPreambleBytes, and carries the secret.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "base/bytes.h"
#include "base/check.h"
#include "fuzz_target.h"
#include "server/proxy_preamble.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const av::secure::SecretString secret =
      av::secure::SecretString::copy_of("fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz123");
  const av::ByteSpan input(data, size);
  const auto out = av::server::check_proxy_preamble(input, secret);
  AV_CHECK((out.need_more ? 1 : 0) + (out.client ? 1 : 0) + (out.error ? 1 : 0) == 1);
  if (out.need_more) AV_CHECK(size < av::server::kMaxProxyPreambleBytes);
  if (!out.client) return 0;
  AV_CHECK(out.consumed <= size && out.consumed <= av::server::kMaxProxyPreambleBytes);
  const auto again = av::server::format_proxy_preamble(secret, *out.client);
  AV_CHECK(again.has_value());
  AV_CHECK(again->size() == out.consumed);
  AV_CHECK(std::memcmp(again->reveal().data(), data, out.consumed) == 0);
  return 0;
}
