#include "base/byte_reader.h"

#include <bit>

namespace av {
namespace {

Error truncated(std::size_t wanted, std::size_t have) {
  return Error{Errc::Truncated, "input truncated: needed " + std::to_string(wanted) +
                                    " bytes, " + std::to_string(have) + " left"};
}

}  // namespace

Result<std::uint64_t> ByteReader::read_uint(std::size_t width, Endian endian) {
  if (remaining() < width) return truncated(width, remaining());
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const std::size_t index = endian == Endian::Big ? i : width - 1 - i;
    value = (value << 8U) | input_[pos_ + index];
  }
  pos_ += width;
  return value;
}

Result<std::uint8_t> ByteReader::read_u8() {
  if (remaining() < 1) return truncated(1, 0);
  return input_[pos_++];
}

Result<std::uint16_t> ByteReader::read_u16(Endian endian) {
  AV_TRY_ASSIGN(const std::uint64_t value, read_uint(2, endian));
  return static_cast<std::uint16_t>(value);
}

Result<std::uint32_t> ByteReader::read_u32(Endian endian) {
  AV_TRY_ASSIGN(const std::uint64_t value, read_uint(4, endian));
  return static_cast<std::uint32_t>(value);
}

Result<std::uint64_t> ByteReader::read_u64(Endian endian) { return read_uint(8, endian); }

Result<ByteSpan> ByteReader::read_bytes(std::size_t len) {
  if (remaining() < len) return truncated(len, remaining());
  ByteSpan out = input_.subspan(pos_, len);
  pos_ += len;
  return out;
}

Result<ByteReader> ByteReader::read_sub(std::size_t len) {
  const std::size_t start = offset();
  AV_TRY_ASSIGN(const ByteSpan bytes, read_bytes(len));
  return ByteReader(bytes, start);
}

Result<std::uint8_t> ByteReader::peek_u8() const {
  if (remaining() < 1) return truncated(1, 0);
  return input_[pos_];
}

Status ByteReader::skip(std::size_t len) {
  if (remaining() < len) return truncated(len, remaining());
  pos_ += len;
  return ok();
}

Status ByteReader::skip_padding_to(std::size_t alignment) {
  AV_CHECK(alignment != 0 && std::has_single_bit(alignment));
  const std::size_t misalign = offset() & (alignment - 1);
  if (misalign == 0) return ok();
  const std::size_t pad = alignment - misalign;
  if (remaining() < pad) return truncated(pad, remaining());
  for (std::size_t i = 0; i < pad; ++i) {
    if (input_[pos_ + i] != 0) {
      return Error{Errc::Parse, "non-zero padding byte at offset " + std::to_string(offset() + i)};
    }
  }
  pos_ += pad;
  return ok();
}

Status ByteReader::expect_end() const {
  if (remaining() != 0) {
    return Error{Errc::Parse,
                 std::to_string(remaining()) + " bytes of trailing data at offset " +
                     std::to_string(offset())};
  }
  return ok();
}

}  // namespace av
