// Fuzz target: dbus::parse_message over arbitrary bytes (the first 16 bytes also through
// message_length). Invariants: no crash; a parsed message re-serializes, and its little-endian
// serialization parses again to the same body signature (round trip).
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/check.h"
#include "dbus/message.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const av::ByteSpan input(data, size);
  (void)av::dbus::message_length(input);
  auto message = av::dbus::parse_message(input);
  if (!message) return 0;
  auto bytes = av::dbus::serialize_message(*message);
  AV_CHECK(bytes.has_value());
  auto again = av::dbus::parse_message(bytes->reveal());
  AV_CHECK(again.has_value());
  AV_CHECK(again->body_signature() == message->body_signature());
  AV_CHECK(again->serial == message->serial);
  return 0;
}
