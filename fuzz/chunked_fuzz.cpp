// Fuzz target: net::ChunkedDecoder over arbitrary bytes. Invariants: each step makes progress,
// stays inside its input, returns data inside its input, and never decodes past the limit.
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/check.h"
#include "fuzz_target.h"
#include "net/chunked.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kMaxBody = 4096;
  av::net::ChunkedDecoder decoder(kMaxBody);
  av::ByteSpan rest(data, size);
  std::size_t body_len = 0;
  while (!rest.empty() && !decoder.done()) {
    auto step = decoder.step(rest);
    if (!step) break;
    AV_CHECK(step->consumed > 0 && step->consumed <= rest.size());
    AV_CHECK(step->data.size() <= step->consumed);
    if (!step->data.empty()) AV_CHECK(step->data.data() == rest.data());
    body_len += step->data.size();
    rest = rest.subspan(step->consumed);
  }
  AV_CHECK(body_len <= kMaxBody);
  AV_CHECK(body_len == decoder.body_bytes());
  return 0;
}
