// Fuzz target: base::TextReader line and number reads over arbitrary bytes. Invariants: reads never
// go past the input, a failed read does not move the cursor, and the loop always terminates.
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/check.h"
#include "base/limits.h"
#include "base/text_reader.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  av::TextReader reader(av::as_chars({data, size}));
  while (!reader.empty()) {
    const std::size_t before = reader.offset();
    auto line = reader.read_line(256);
    if (line) {
      av::TextReader fields(*line);
      (void)fields.read_until('=', 64);
      (void)fields.read_uint(UINT64_MAX, av::LeadingZeros::Allow);
      continue;
    }
    AV_CHECK(reader.offset() == before);
    if (!reader.read_char()) break;  // skip the offending byte
  }
  return 0;
}
