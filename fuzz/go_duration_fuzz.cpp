// Fuzz target: codec::parse_go_duration with both unit sets. Invariants: no crash; a success
// formats with format_go_duration, and (Go units) the formatted text parses back to the same value.
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/check.h"
#include "codec/go_duration.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = av::as_chars({data, size});
  const auto go = av::codec::parse_go_duration(text, av::codec::DurationUnits::Go);
  if (go) {
    const auto again = av::codec::parse_go_duration(av::codec::format_go_duration(*go),
                                                    av::codec::DurationUnits::Go);
    AV_CHECK(again && *again == *go);
  }
  const auto dw = av::codec::parse_go_duration(text, av::codec::DurationUnits::GoWithDaysWeeks);
  if (dw) {
    (void)av::codec::format_go_duration(*dw);
    // Every Go-unit duration is also a valid extended one, with the same value.
    AV_CHECK(!go || *go == *dw);
  }
  return 0;
}
