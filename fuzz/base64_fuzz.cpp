// Fuzz target: codec::decode_base64 in every alphabet. Invariant: decoding is canonical, so a
// successful decode re-encodes to exactly the input.
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/check.h"
#include "codec/base64.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = av::as_chars({data, size});
  for (const auto alphabet : {av::codec::Base64Alphabet::Standard, av::codec::Base64Alphabet::Url,
                              av::codec::Base64Alphabet::UrlPadded}) {
    const auto decoded = av::codec::decode_base64(text, alphabet);
    if (decoded) AV_CHECK(av::codec::encode_base64(*decoded, alphabet) == text);
  }
  return 0;
}
