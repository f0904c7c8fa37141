// Fuzz target: codec::parse_rfc3339_with_offset. Invariants: no crash; a success formats with
// format_rfc3339_nano in its own offset and in UTC, and both parse back to the same instant.
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/check.h"
#include "codec/iso8601.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parsed = av::codec::parse_rfc3339_with_offset(av::as_chars({data, size}));
  if (!parsed) return 0;
  const auto zoned = av::codec::parse_rfc3339_with_offset(
      av::codec::format_rfc3339_nano(parsed->instant, parsed->offset));
  AV_CHECK(zoned && zoned->instant == parsed->instant && zoned->offset == parsed->offset);
  const auto utc = av::codec::parse_rfc3339(av::codec::format_rfc3339_nano(parsed->instant));
  AV_CHECK(utc && *utc == parsed->instant);
  (void)av::codec::format_rfc3339_utc(parsed->instant);
  return 0;
}
