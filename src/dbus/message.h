// message.h: D-Bus messages and their wire format (D-Bus specification, "Message Protocol").
//
// Layout: a 12-byte fixed header (endianness 'l'/'B', type, flags, version 1, body length,
// serial), the header field array a(yv), padding to 8, then the body marshalled by the SIGNATURE
// field. Every value is aligned to its type's alignment measured from the message start.
//
// parse_message reads little- and big-endian input strictly: non-zero padding, a boolean other
// than 0/1, a string without its NUL or with an inner NUL or bad UTF-8, an invalid object path or
// signature, an array whose length does not end on an element boundary, a missing required header
// field, a known header field of the wrong type or repeated, or trailing bytes are all rejected.
// Unknown header fields are ignored, as the specification requires. Messages are bounded by
// limits::kMaxDbusMessageBytes, containers by kMaxDbusContainerDepth (variants included), and the
// number of values by kMaxDbusValues. serialize_message always writes little-endian.
//
// The whole message (which may carry a secret) lives in secure::SecretBytes on both paths.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "dbus/value.h"
#include "secure/secret.h"

namespace av::dbus {

enum class MessageType : std::uint8_t {
  Invalid = 0,
  MethodCall = 1,
  MethodReturn = 2,
  Error = 3,
  Signal = 4
};

// Header flag bits.
inline constexpr std::uint8_t kFlagNoReplyExpected = 0x1;
inline constexpr std::uint8_t kFlagNoAutoStart = 0x2;

// kFixedHeaderLen: bytes needed to compute a message's total length (message_length).
inline constexpr std::size_t kFixedHeaderLen = 16;

// Message: one D-Bus message. Empty strings mean "header field absent".
struct Message {
  MessageType type = MessageType::Invalid;
  std::uint8_t flags = 0;
  std::uint32_t serial = 0;
  std::string path;
  std::string interface;
  std::string member;
  std::string error_name;
  std::uint32_t reply_serial = 0;
  std::string destination;
  std::string sender;
  std::uint32_t num_unix_fds = 0;
  std::vector<Value> body;  // the body signature is the concatenation of their signatures

  // body_signature concatenates the body values' signatures.
  std::string body_signature() const;
};

// method_call builds a METHOD_CALL message (serial 0: the connection assigns it).
Message method_call(std::string destination, std::string path, std::string interface,
                    std::string member, std::vector<Value> body = {});

// message_length returns the total length of the message whose first kFixedHeaderLen bytes are
// `head`. Errc::Truncated if `head` is shorter; Errc::Parse for a bad endianness byte or
// version; Errc::TooLarge if the total exceeds limits::kMaxDbusMessageBytes.
Result<std::size_t> message_length(ByteSpan head);

// parse_message parses exactly one message from `bytes` (borrowed for the call; "ay" values are
// copied into secure memory). Errors as in the file comment: Errc::Parse, Truncated, TooLarge,
// Unsupported (a message that carries Unix file descriptors).
Result<Message> parse_message(ByteSpan bytes);

// serialize_message marshals `message` little-endian into secure memory. Errc::Parse for text
// that D-Bus cannot carry (NUL, bad UTF-8, bad object path or signature), a missing required
// header field or serial 0; Errc::TooLarge beyond limits::kMaxDbusMessageBytes or the depth
// limit.
Result<secure::SecretBytes> serialize_message(const Message& message);

}  // namespace av::dbus
