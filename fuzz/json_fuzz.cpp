// Fuzz target: codec::json parse over arbitrary bytes. Invariants: parsing never crashes; with and
// without secret fields the same inputs are accepted; an accepted document serialises to JSON that
// parses back and serialises to the same bytes (the writer's output is a canonical fixed point).
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/bytes.h"
#include "base/check.h"
#include "base/error.h"
#include "base/limits.h"
#include "codec/json/reader.h"
#include "codec/json/writer.h"
#include "fuzz_target.h"

namespace {

std::string serialize(const av::codec::json::Value& value) {
  // Go-style escaping grows a byte to at most 6, so 8x the input limit always fits.
  av::codec::json::Writer writer(av::codec::json::Style::Compact, 8 * av::limits::kMaxJsonBytes);
  AV_CHECK(writer.value(value).has_value());
  return std::move(writer).finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = av::as_chars({data, size});
  auto doc = av::codec::json::parse(text);
  auto with_secrets =
      av::codec::json::parse(text, av::codec::json::SecretFields{"SecretAccessKey", "SessionToken"});
  AV_CHECK(doc.has_value() == with_secrets.has_value() ||
           (!with_secrets.has_value() && with_secrets.error().code() == av::Errc::TooLarge));
  if (!doc) return 0;
  const std::string first = serialize(*doc);
  auto again = av::codec::json::parse(first);
  if (!again) {
    // Escaping can push the output past kMaxJsonBytes; nothing else may fail.
    AV_CHECK(again.error().code() == av::Errc::TooLarge && first.size() > av::limits::kMaxJsonBytes);
    return 0;
  }
  AV_CHECK(*again == *doc);
  AV_CHECK(serialize(*again) == first);
  return 0;
}
