// Fuzz target: net::ResponseParser over arbitrary bytes, fed whole and then in small pieces whose
// sizes come from the input's first byte. Invariants: feed never uses more than it is given,
// the body never exceeds the limit, and the two feeding patterns agree on the outcome.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/check.h"
#include "fuzz_target.h"
#include "net/http_message.h"

namespace {

struct Outcome {
  bool ok = false;
  std::size_t consumed = 0;
  std::size_t body_len = 0;
};

Outcome run(av::ByteSpan input, std::size_t piece, bool head) {
  av::net::ResponseLimits limits;
  limits.max_body_bytes = 64 * 1024;
  av::net::ResponseParser parser(limits, head);
  Outcome out;
  while (out.consumed < input.size() && !parser.done()) {
    const av::ByteSpan chunk =
        input.subspan(out.consumed, std::min(piece, input.size() - out.consumed));
    auto used = parser.feed(chunk);
    if (!used) return out;
    AV_CHECK(*used <= chunk.size());
    AV_CHECK(*used == chunk.size() || parser.done());
    out.consumed += *used;
  }
  if (!parser.done() && !parser.finish()) return out;
  out.ok = true;
  const av::net::Response response = parser.take();
  out.body_len = response.body.size();
  AV_CHECK(out.body_len <= limits.max_body_bytes);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool head = (data[0] & 0x80) != 0;
  const std::size_t piece = (data[0] & 0x0f) + 1U;
  const av::ByteSpan input = av::ByteSpan(data, size).subspan(1);
  const Outcome whole = run(input, input.size() + 1, head);
  const Outcome split = run(input, piece, head);
  AV_CHECK(whole.ok == split.ok);
  AV_CHECK(!whole.ok || (whole.consumed == split.consumed && whole.body_len == split.body_len));
  return 0;
}
