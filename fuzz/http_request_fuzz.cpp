// Fuzz target: server::parse_request over arbitrary bytes, as a pipeline (each parsed request is
// followed by the next one in the remaining bytes). Invariants: exactly one outcome; a parsed
// request's views lie inside the bytes it consumed; every strict prefix of a parsed request
// needs more (a slow client is never refused for being slow); need_bytes, when given, exceeds
// the input; failures carry one of the documented statuses.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/bytes.h"
#include "base/check.h"
#include "fuzz_target.h"
#include "server/request_parser.h"

namespace {

bool inside(std::string_view part, av::ByteSpan whole) {
  const auto* begin = whole.data();
  const auto* p = av::as_bytes(part).data();
  return part.empty() || (p >= begin && p + part.size() <= begin + whole.size());
}

void check_parsed(const av::server::ParsedRequest& parsed, av::ByteSpan input,
                  const av::server::RequestLimits& limits) {
  AV_CHECK(parsed.consumed > 0 && parsed.consumed <= input.size());
  const av::ByteSpan used = input.first(parsed.consumed);
  const av::server::RequestView& r = parsed.request;
  AV_CHECK(inside(r.method, used) && inside(r.target, used));
  AV_CHECK(!r.target.empty() && r.target.front() == '/');
  AV_CHECK(r.minor_version == 0 || r.minor_version == 1);
  AV_CHECK(r.headers.size() <= limits.max_headers);
  AV_CHECK(r.body.size() <= limits.max_body_bytes);
  for (const auto& h : r.headers) AV_CHECK(inside(h.name, used) && inside(h.value, used));
  // Strict prefixes need more (checked exhaustively for small requests).
  std::vector<av::server::HeaderView> headers;
  const std::size_t step = parsed.consumed <= 512 ? 1 : parsed.consumed / 64 + 1;
  for (std::size_t len = 0; len < parsed.consumed; len += step) {
    const auto out = av::server::parse_request(input.first(len), limits, headers);
    AV_CHECK(out.need_more);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  av::server::RequestLimits limits;
  std::vector<av::server::HeaderView> headers;
  av::ByteSpan rest(data, size);
  for (int i = 0; i < 16 && !rest.empty(); ++i) {
    const auto out = av::server::parse_request(rest, limits, headers);
    AV_CHECK((out.need_more ? 1 : 0) + (out.parsed ? 1 : 0) + (out.failure ? 1 : 0) == 1);
    if (out.need_more) {
      AV_CHECK(out.need_bytes == 0 || out.need_bytes > rest.size());
      return 0;
    }
    if (out.failure) {
      const int s = out.failure->status;
      AV_CHECK(s == 400 || s == 413 || s == 417 || s == 431 || s == 501 || s == 505);
      return 0;
    }
    check_parsed(*out.parsed, rest, limits);
    rest = rest.subspan(out.parsed->consumed);
  }
  return 0;
}
