// Fuzz target: crypto::decode_base64_secret / decode_hex_secret over arbitrary text, in every
// variant. Invariants: they never crash; a failure is Parse or TooLarge; every accepted input is
// canonical, i.e. re-encoding the output gives back the input exactly (hex: up to letter case).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/bytes.h"
#include "base/check.h"
#include "crypto/secret_codec.h"
#include "fuzz_target.h"

namespace {

using av::crypto::Base64Variant;

bool is_expected_failure(const av::Error& error) {
  return error.code() == av::Errc::Parse || error.code() == av::Errc::TooLarge;
}

char to_lower(char c) { return (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c; }

void check_hex(std::string_view text) {
  auto decoded = av::crypto::decode_hex_secret(text);
  if (!decoded) {
    AV_CHECK(is_expected_failure(decoded.error()));
    return;
  }
  const auto encoded = av::crypto::encode_hex_secret(decoded->reveal());
  AV_CHECK(encoded.size() == text.size());
  for (std::size_t i = 0; i < text.size(); ++i) AV_CHECK(encoded.reveal()[i] == to_lower(text[i]));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = av::as_chars({data, size});
  for (auto variant : {Base64Variant::Standard, Base64Variant::StandardUnpadded, Base64Variant::Url,
                       Base64Variant::UrlUnpadded}) {
    auto decoded = av::crypto::decode_base64_secret(text, variant);
    if (!decoded) {
      AV_CHECK(is_expected_failure(decoded.error()));
      continue;
    }
    AV_CHECK(av::crypto::encode_base64_secret(decoded->reveal(), variant).reveal() == text);
  }
  check_hex(text);
  return 0;
}
