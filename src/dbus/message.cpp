// message.cpp: D-Bus message marshalling and unmarshalling.
#include "dbus/message.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "base/byte_reader.h"
#include "base/checked_math.h"
#include "base/limits.h"

namespace av::dbus {
namespace {

enum HeaderField : std::uint8_t {
  kFieldPath = 1,
  kFieldInterface = 2,
  kFieldMember = 3,
  kFieldErrorName = 4,
  kFieldReplySerial = 5,
  kFieldDestination = 6,
  kFieldSender = 7,
  kFieldSignature = 8,
  kFieldUnixFds = 9,
};

bool is_container(char code) noexcept {
  return code == 'a' || code == '(' || code == '{' || code == 'v';
}

Error depth_error() { return Error{Errc::TooLarge, "d-bus containers nest too deeply"}; }

Status check_text(char code, std::string_view text) {
  if (text.find('\0') != std::string_view::npos) {
    return Error{Errc::Parse, "d-bus string contains a nul byte"};
  }
  if (!is_valid_utf8(text)) return Error{Errc::Parse, "d-bus string is not valid utf-8"};
  if (code == 'o' && !is_valid_object_path(text)) {
    return Error{Errc::Parse, "invalid d-bus object path"};
  }
  if (code == 'g') AV_TRY(split_signature(text));
  return ok();
}

// Encoder: writes little-endian values into `out_`, or only measures when `out_` is empty.
class Encoder {
 public:
  explicit Encoder(MutableByteSpan out) noexcept : out_(out) {}
  std::size_t size() const noexcept { return pos_; }

  Status put(ByteSpan bytes) {
    if (bytes.size() > limits::kMaxDbusMessageBytes - pos_) {
      return Error{Errc::TooLarge, "d-bus message larger than the limit"};
    }
    if (!out_.empty()) {
      AV_CHECK(bytes.size() <= out_.size() - pos_);
      std::copy(bytes.begin(), bytes.end(), out_.begin() + static_cast<std::ptrdiff_t>(pos_));
    }
    pos_ += bytes.size();
    return ok();
  }
  Status put_uint(std::uint64_t v, std::size_t width) {
    std::array<std::uint8_t, 8> buf{};
    for (std::size_t i = 0; i < width; ++i) buf[i] = static_cast<std::uint8_t>(v >> (8 * i));
    return put(ByteSpan(buf.data(), width));
  }
  Status pad(std::size_t alignment) {
    static constexpr std::array<std::uint8_t, 8> kZeros{};
    const std::size_t misalign = pos_ % alignment;
    if (misalign == 0) return ok();
    return put(ByteSpan(kZeros.data(), alignment - misalign));
  }
  void patch_u32(std::size_t at, std::uint32_t v) {
    if (out_.empty()) return;
    for (std::size_t i = 0; i < 4; ++i) out_[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
  }
  Status value(const Value& v, std::size_t depth);

 private:
  Status text(const Value& v);
  Status array(const Value& v, std::size_t depth);

  MutableByteSpan out_;
  std::size_t pos_ = 0;
};

Status Encoder::text(const Value& v) {
  AV_TRY(check_text(v.type(), v.text()));
  if (v.type() == 'g') {
    AV_TRY(put_uint(v.text().size(), 1));
  } else {
    if (v.text().size() > limits::kMaxDbusMessageBytes) {
      return Error{Errc::TooLarge, "d-bus string too long"};
    }
    AV_TRY(put_uint(v.text().size(), 4));
  }
  AV_TRY(put(as_bytes(v.text())));
  return put_uint(0, 1);
}

Status Encoder::array(const Value& v, std::size_t depth) {
  if (v.signature() == "ay") {
    const ByteSpan data = v.secret_bytes().reveal();
    if (data.size() > limits::kMaxDbusMessageBytes) return Error{Errc::TooLarge, "array too long"};
    AV_TRY(put_uint(data.size(), 4));
    return put(data);
  }
  const std::size_t len_pos = pos_;
  AV_TRY(put_uint(0, 4));
  AV_TRY(pad(alignment_of(v.signature()[1])));
  const std::size_t start = pos_;
  for (const Value& e : v.children()) AV_TRY(value(e, depth + 1));
  patch_u32(len_pos, narrow<std::uint32_t>(pos_ - start));
  return ok();
}

Status Encoder::value(const Value& v, std::size_t depth) {
  const char code = v.type();
  if (is_container(code) && depth >= limits::kMaxDbusContainerDepth) return depth_error();
  AV_TRY(pad(alignment_of(code)));
  switch (code) {
    case 'y':
      return put_uint(v.number_bits(), 1);
    case 'n':
    case 'q':
      return put_uint(v.number_bits(), 2);
    case 'b':
    case 'i':
    case 'u':
    case 'h':
      return put_uint(v.number_bits(), 4);
    case 'x':
    case 't':
    case 'd':
      return put_uint(v.number_bits(), 8);
    case 's':
    case 'o':
    case 'g':
      return text(v);
    case 'a':
      return array(v, depth);
    case '(':
    case '{':
      for (const Value& c : v.children()) AV_TRY(value(c, depth + 1));
      return ok();
    case 'v': {
      const Value& inner = v.children().front();
      AV_TRY(put_uint(inner.signature().size(), 1));
      AV_TRY(put(as_bytes(inner.signature())));
      AV_TRY(put_uint(0, 1));
      return value(inner, depth + 1);
    }
    default:
      return Error{Errc::Internal, "unknown d-bus type code"};
  }
}

Value field(std::uint8_t code, Value v) {
  std::vector<Value> f;
  f.push_back(Value::byte(code));
  f.push_back(Value::variant(std::move(v)));
  return Value::structure(std::move(f));
}

Status check_required(const Message& m) {
  const bool ok_fields = [&] {
    switch (m.type) {
      case MessageType::MethodCall:
        return !m.path.empty() && !m.member.empty();
      case MessageType::MethodReturn:
        return m.reply_serial != 0;
      case MessageType::Error:
        return !m.error_name.empty() && m.reply_serial != 0;
      case MessageType::Signal:
        return !m.path.empty() && !m.interface.empty() && !m.member.empty();
      case MessageType::Invalid:
        return false;
    }
    return false;
  }();
  if (!ok_fields) return Error{Errc::Parse, "d-bus message lacks a required header field"};
  if (m.serial == 0) return Error{Errc::Parse, "d-bus message serial is zero"};
  return ok();
}

Value header_fields(const Message& m, const std::string& signature) {
  std::vector<Value> fields;
  if (!m.path.empty()) fields.push_back(field(kFieldPath, Value::object_path(m.path)));
  if (!m.interface.empty()) fields.push_back(field(kFieldInterface, Value::string(m.interface)));
  if (!m.member.empty()) fields.push_back(field(kFieldMember, Value::string(m.member)));
  if (!m.error_name.empty()) fields.push_back(field(kFieldErrorName, Value::string(m.error_name)));
  if (m.reply_serial != 0)
    fields.push_back(field(kFieldReplySerial, Value::uint32(m.reply_serial)));
  if (!m.destination.empty()) {
    fields.push_back(field(kFieldDestination, Value::string(m.destination)));
  }
  if (!m.sender.empty()) fields.push_back(field(kFieldSender, Value::string(m.sender)));
  if (!signature.empty()) fields.push_back(field(kFieldSignature, Value::signature(signature)));
  if (m.num_unix_fds != 0) fields.push_back(field(kFieldUnixFds, Value::uint32(m.num_unix_fds)));
  return Value::array("(yv)", std::move(fields));
}

Status encode_message(Encoder& e, const Message& m, const Value& fields, std::uint32_t body_len) {
  AV_TRY(e.put_uint('l', 1));
  AV_TRY(e.put_uint(static_cast<std::uint8_t>(m.type), 1));
  AV_TRY(e.put_uint(m.flags, 1));
  AV_TRY(e.put_uint(1, 1));
  AV_TRY(e.put_uint(body_len, 4));
  AV_TRY(e.put_uint(m.serial, 4));
  AV_TRY(e.value(fields, 0));
  AV_TRY(e.pad(8));
  for (const Value& v : m.body) AV_TRY(e.value(v, 0));
  return ok();
}

}  // namespace

std::string Message::body_signature() const {
  std::string sig;
  for (const Value& v : body) sig += v.signature();
  return sig;
}

Message method_call(std::string destination, std::string path, std::string interface,
                    std::string member, std::vector<Value> body) {
  Message m;
  m.type = MessageType::MethodCall;
  m.destination = std::move(destination);
  m.path = std::move(path);
  m.interface = std::move(interface);
  m.member = std::move(member);
  m.body = std::move(body);
  return m;
}

Result<secure::SecretBytes> serialize_message(const Message& message) {
  AV_TRY(check_required(message));
  const std::string signature = message.body_signature();
  AV_TRY(split_signature(signature));
  Encoder body_measure{MutableByteSpan{}};
  for (const Value& v : message.body) AV_TRY(body_measure.value(v, 0));
  const auto body_len = narrow<std::uint32_t>(body_measure.size());
  const Value fields = header_fields(message, signature);
  Encoder measure{MutableByteSpan{}};
  AV_TRY(encode_message(measure, message, fields, body_len));
  secure::SecretBytes out = secure::SecretBytes::zeroed(measure.size());
  Encoder writer{out.reveal_mutable()};
  AV_TRY(encode_message(writer, message, fields, body_len));
  AV_CHECK(writer.size() == out.size());
  return out;
}

}  // namespace av::dbus
