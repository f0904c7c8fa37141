// Fuzz target: vault::parse_oidc_item (the keyring's `oidc:<start URL>` item, spec §5.4 plus
// our cached client registration) over arbitrary bytes. Invariants: no crash or leak, and what
// parses re-serialises to a document that parses again and serialises to the same bytes (the
// writer is a fixed point after one round).
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/check.h"
#include "fuzz_target.h"
#include "vault/oidc_cache.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto item = av::vault::parse_oidc_item(av::as_chars({data, size}));
  if (!item) return 0;
  auto json = av::vault::serialize_oidc_item(*item);
  if (!json) return 0;  // parsed secrets can exceed what one item may hold
  auto again = av::vault::parse_oidc_item(json->reveal());
  AV_CHECK(again.has_value());
  AV_CHECK(again->expiration == item->expiration);
  AV_CHECK(again->client.has_value() == item->client.has_value());
  auto json2 = av::vault::serialize_oidc_item(*again);
  AV_CHECK(json2.has_value() && json2->reveal() == json->reveal());
  return 0;
}
