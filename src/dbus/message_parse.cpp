// message_parse.cpp: parse_message and message_length (the untrusted-input side of message.h).
#include <array>
#include <bit>
#include <string>
#include <utility>

#include "base/byte_reader.h"
#include "base/checked_math.h"
#include "base/limits.h"
#include "dbus/message.h"

namespace av::dbus {
namespace {

Error parse_error(std::string what) { return Error{Errc::Parse, std::move(what)}; }

// Decoder: reads values guided by validated signatures; counts values against kMaxDbusValues.
class Decoder {
 public:
  Decoder(ByteSpan bytes, Endian endian) noexcept : reader_(bytes), endian_(endian) {}
  ByteReader& reader() noexcept { return reader_; }
  // value decodes one value of the single complete type `sig` at container depth `depth`.
  Result<Value> value(std::string_view sig, std::size_t depth);

 private:
  Result<std::string> text(char code);
  Result<Value> array(std::string_view sig, std::size_t depth);
  Result<Value> structure(std::string_view sig, std::size_t depth);
  Result<Value> variant(std::size_t depth);
  Result<Value> number(char code);

  ByteReader reader_;
  Endian endian_;
  std::size_t num_values_ = 0;
};

Result<std::string> Decoder::text(char code) {
  std::size_t len = 0;
  if (code == 'g') {
    AV_TRY_ASSIGN(len, reader_.read_u8());
  } else {
    AV_TRY_ASSIGN(len, reader_.read_u32(endian_));
  }
  if (len > reader_.remaining()) return Error{Errc::Truncated, "d-bus string runs past the end"};
  AV_TRY_ASSIGN(ByteSpan bytes, reader_.read_bytes(len));
  AV_TRY_ASSIGN(std::uint8_t nul, reader_.read_u8());
  if (nul != 0) return parse_error("d-bus string is not nul-terminated");
  std::string out(as_chars(bytes));
  if (out.find('\0') != std::string::npos) return parse_error("d-bus string contains a nul byte");
  if (!is_valid_utf8(out)) return parse_error("d-bus string is not valid utf-8");
  if (code == 'o' && !is_valid_object_path(out)) return parse_error("invalid d-bus object path");
  if (code == 'g') AV_TRY(split_signature(out));
  return out;
}

Result<Value> Decoder::number(char code) {
  switch (code) {
    case 'y': {
      AV_TRY_ASSIGN(auto v, reader_.read_u8());
      return Value::byte(v);
    }
    case 'n':
    case 'q': {
      AV_TRY_ASSIGN(auto v, reader_.read_u16(endian_));
      return code == 'q' ? Value::uint16(v) : Value::int16(static_cast<std::int16_t>(v));
    }
    case 'b': {
      AV_TRY_ASSIGN(auto v, reader_.read_u32(endian_));
      if (v > 1) return parse_error("d-bus boolean is neither 0 nor 1");
      return Value::boolean(v == 1);
    }
    case 'i':
    case 'u':
    case 'h': {
      AV_TRY_ASSIGN(auto v, reader_.read_u32(endian_));
      if (code == 'i') return Value::int32(static_cast<std::int32_t>(v));
      return code == 'u' ? Value::uint32(v) : Value::unix_fd(v);
    }
    default: {  // 'x', 't', 'd'
      AV_TRY_ASSIGN(auto v, reader_.read_u64(endian_));
      if (code == 'x') return Value::int64(static_cast<std::int64_t>(v));
      return code == 't' ? Value::uint64(v) : Value::dbl(std::bit_cast<double>(v));
    }
  }
}

Result<Value> Decoder::array(std::string_view sig, std::size_t depth) {
  AV_TRY_ASSIGN(std::uint32_t len, reader_.read_u32(endian_));
  const std::string_view element = sig.substr(1);
  AV_TRY(reader_.skip_padding_to(alignment_of(element[0])));
  if (len > reader_.remaining()) return Error{Errc::Truncated, "d-bus array runs past the end"};
  if (element == "y") {
    AV_TRY_ASSIGN(ByteSpan bytes, reader_.read_bytes(len));
    return Value::bytes(secure::SecretBytes::copy_of(bytes));
  }
  const std::size_t end = reader_.offset() + len;
  std::vector<Value> elements;
  while (reader_.offset() < end) {
    AV_TRY_ASSIGN(Value e, value(element, depth + 1));
    elements.push_back(std::move(e));
  }
  if (reader_.offset() != end) return parse_error("d-bus array element crosses the array end");
  return Value::array(std::string(element), std::move(elements));
}

Result<Value> Decoder::structure(std::string_view sig, std::size_t depth) {
  // sig is "(...)" or "{...}", already validated; walk its inner complete types.
  std::vector<Value> fields;
  std::size_t pos = 1;
  while (pos + 1 < sig.size()) {
    AV_TRY_ASSIGN(std::size_t len, complete_type_len(sig.substr(pos)));
    AV_TRY_ASSIGN(Value f, value(sig.substr(pos, len), depth + 1));
    fields.push_back(std::move(f));
    pos += len;
  }
  if (sig[0] == '{') {
    AV_CHECK(fields.size() == 2);
    return Value::dict_entry(std::move(fields[0]), std::move(fields[1]));
  }
  return Value::structure(std::move(fields));
}

Result<Value> Decoder::variant(std::size_t depth) {
  AV_TRY_ASSIGN(std::string inner_sig, text('g'));
  AV_TRY_ASSIGN(std::size_t len, complete_type_len(inner_sig));
  if (len != inner_sig.size()) return parse_error("d-bus variant signature is not one type");
  AV_TRY_ASSIGN(Value inner, value(inner_sig, depth + 1));
  return Value::variant(std::move(inner));
}

Result<Value> Decoder::value(std::string_view sig, std::size_t depth) {
  const char code = sig[0];
  const bool container = code == 'a' || code == '(' || code == '{' || code == 'v';
  if (container && depth >= limits::kMaxDbusContainerDepth) {
    return Error{Errc::TooLarge, "d-bus containers nest too deeply"};
  }
  if (++num_values_ > limits::kMaxDbusValues) {
    return Error{Errc::TooLarge, "d-bus message holds too many values"};
  }
  AV_TRY(reader_.skip_padding_to(alignment_of(code)));
  switch (code) {
    case 's':
    case 'o':
    case 'g': {
      AV_TRY_ASSIGN(std::string t, text(code));
      if (code == 's') return Value::string(std::move(t));
      return code == 'o' ? Value::object_path(std::move(t)) : Value::signature(std::move(t));
    }
    case 'a':
      return array(sig, depth);
    case '(':
    case '{':
      return structure(sig, depth);
    case 'v':
      return variant(depth);
    default:
      return number(code);
  }
}

struct FieldSpec {
  std::uint8_t code;
  char type;
};

// apply_field stores one header field; `seen` is a bitmask of fields already present.
Status apply_field(Message& m, std::uint8_t code, const Value& v, std::uint32_t& seen,
                   std::string& signature) {
  static constexpr std::array<char, 10> kTypes = {0, 'o', 's', 's', 's', 'u', 's', 's', 'g', 'u'};
  if (code == 0) return parse_error("d-bus header field code 0");
  if (code >= kTypes.size()) return ok();  // unknown fields are ignored (specification)
  if (v.signature() != std::string(1, kTypes[code])) {
    return parse_error("d-bus header field " + std::to_string(code) + " has the wrong type");
  }
  if ((seen & (1U << code)) != 0) {
    return parse_error("d-bus header field " + std::to_string(code) + " repeated");
  }
  seen |= 1U << code;
  switch (code) {
    case 1:
      m.path = v.text();
      break;
    case 2:
      m.interface = v.text();
      break;
    case 3:
      m.member = v.text();
      break;
    case 4:
      m.error_name = v.text();
      break;
    case 5:
      m.reply_serial = static_cast<std::uint32_t>(v.number_bits());
      break;
    case 6:
      m.destination = v.text();
      break;
    case 7:
      m.sender = v.text();
      break;
    case 8:
      signature = v.text();
      break;
    default:
      m.num_unix_fds = static_cast<std::uint32_t>(v.number_bits());
      break;
  }
  return ok();
}

Status check_required_fields(const Message& m) {
  bool present = false;
  switch (m.type) {
    case MessageType::MethodCall:
      present = !m.path.empty() && !m.member.empty();
      break;
    case MessageType::MethodReturn:
      present = m.reply_serial != 0;
      break;
    case MessageType::Error:
      present = !m.error_name.empty() && m.reply_serial != 0;
      break;
    case MessageType::Signal:
      present = !m.path.empty() && !m.interface.empty() && !m.member.empty();
      break;
    case MessageType::Invalid:
      break;
  }
  if (!present) return parse_error("d-bus message lacks a required header field");
  return ok();
}

Result<std::string> parse_header(Decoder& d, Message& m, Endian endian, std::uint32_t& body_len) {
  ByteReader& r = d.reader();
  AV_TRY(r.skip(1));  // endianness, checked by message_length
  AV_TRY_ASSIGN(std::uint8_t type, r.read_u8());
  if (type == 0) return parse_error("d-bus message type 0");
  if (type > 4)
    return Error{Errc::Unsupported, "unknown d-bus message type " + std::to_string(type)};
  m.type = static_cast<MessageType>(type);
  AV_TRY_ASSIGN(m.flags, r.read_u8());
  AV_TRY(r.skip(1));  // version, checked by message_length
  AV_TRY_ASSIGN(body_len, r.read_u32(endian));
  AV_TRY_ASSIGN(m.serial, r.read_u32(endian));
  if (m.serial == 0) return parse_error("d-bus message serial is zero");
  AV_TRY_ASSIGN(Value fields, d.value("a(yv)", 0));
  std::string signature;
  std::uint32_t seen = 0;
  for (const Value& f : fields.children()) {
    const auto code = static_cast<std::uint8_t>(f.children()[0].number_bits());
    AV_TRY(apply_field(m, code, *f.children()[1].as_variant().value(), seen, signature));
  }
  AV_TRY(check_required_fields(m));
  if (m.num_unix_fds != 0)
    return Error{Errc::Unsupported, "d-bus message carries file descriptors"};
  return signature;
}

}  // namespace

Result<std::size_t> message_length(ByteSpan head) {
  ByteReader r(head);
  AV_TRY_ASSIGN(std::uint8_t endian_byte, r.read_u8());
  if (endian_byte != 'l' && endian_byte != 'B') return parse_error("bad d-bus endianness byte");
  const Endian endian = endian_byte == 'l' ? Endian::Little : Endian::Big;
  AV_TRY(r.skip(2));
  AV_TRY_ASSIGN(std::uint8_t version, r.read_u8());
  if (version != 1) return parse_error("unsupported d-bus protocol version");
  AV_TRY_ASSIGN(std::uint64_t body_len, r.read_u32(endian));
  AV_TRY(r.skip(4));
  AV_TRY_ASSIGN(std::uint64_t fields_len, r.read_u32(endian));
  const std::uint64_t header_len = (kFixedHeaderLen + fields_len + 7) / 8 * 8;
  const std::uint64_t total = header_len + body_len;  // both below 2^33: no overflow
  if (total > limits::kMaxDbusMessageBytes) {
    return Error{Errc::TooLarge, "d-bus message larger than the limit"};
  }
  return static_cast<std::size_t>(total);
}

Result<Message> parse_message(ByteSpan bytes) {
  AV_TRY_ASSIGN(std::size_t total, message_length(bytes));
  if (total > bytes.size()) return Error{Errc::Truncated, "d-bus message is truncated"};
  if (total < bytes.size()) return parse_error("trailing bytes after the d-bus message");
  const Endian endian = bytes[0] == 'l' ? Endian::Little : Endian::Big;
  Decoder d(bytes, endian);
  Message m;
  std::uint32_t body_len = 0;
  AV_TRY_ASSIGN(std::string signature, parse_header(d, m, endian, body_len));
  AV_TRY(d.reader().skip_padding_to(8));
  if (d.reader().remaining() != body_len) return parse_error("d-bus header length mismatch");
  AV_TRY_ASSIGN(auto types, split_signature(signature));
  for (std::string_view type : types) {
    AV_TRY_ASSIGN(Value v, d.value(type, 0));
    m.body.push_back(std::move(v));
  }
  if (!d.reader().empty()) return parse_error("d-bus body longer than its signature");
  return m;
}

}  // namespace av::dbus
