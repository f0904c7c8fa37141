// Fuzz target: keyring key parsing and classification over arbitrary bytes. Invariants: no crash;
// a parsed session key re-formats to a key that parses to the same fields and is classified as a
// session (unless it has a legacy shape, which takes precedence).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/bytes.h"
#include "base/check.h"
#include "fuzz_target.h"
#include "keyring/keys.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = av::as_chars({data, size});
  const av::keyring::KeyKind kind = av::keyring::classify_key(text);
  (void)av::keyring::is_legacy_session_key(text);
  auto key = av::keyring::parse_session_key(text);
  if (!key) return 0;
  AV_CHECK(kind != av::keyring::KeyKind::Credential);
  auto formatted = av::keyring::format_session_key(*key);
  if (!formatted) return 0;  // re-encoding can outgrow the key limit
  auto again = av::keyring::parse_session_key(*formatted);
  AV_CHECK(again.has_value());
  AV_CHECK(again->type == key->type && again->profile == key->profile);
  AV_CHECK(again->mfa_serial == key->mfa_serial && again->expiry_unix == key->expiry_unix);
  return 0;
}
