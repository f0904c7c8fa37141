// Fuzz target: jose::parse_jwe_compact on arbitrary bytes. Invariant: parsing is canonical, so an
// accepted token serializes back to exactly the input. No key derivation runs here.
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/check.h"
#include "fuzz_target.h"
#include "jose/jwe_compact.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = av::as_chars({data, size});
  const auto parsed = av::jose::parse_jwe_compact(text);
  if (parsed) AV_CHECK(av::jose::serialize_jwe_compact(*parsed) == text);
  return 0;
}
