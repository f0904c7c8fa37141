#include "base/byte_writer.h"

#include <array>
#include <bit>
#include <string>

namespace av {

Status ByteWriter::append(ByteSpan bytes) {
  if (bytes.size() > max_len_ - buffer_.size()) {
    return Error{Errc::TooLarge, "output would exceed " + std::to_string(max_len_) + " bytes"};
  }
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  return ok();
}

Status ByteWriter::append_u8(std::uint8_t value) {
  const std::array<std::uint8_t, 1> one{value};
  return append(one);
}

Status ByteWriter::append_u32(std::uint32_t value, bool big_endian) {
  std::array<std::uint8_t, 4> out{};
  for (std::size_t i = 0; i < 4; ++i) {
    const std::size_t shift = big_endian ? 8 * (3 - i) : 8 * i;
    out[i] = static_cast<std::uint8_t>(value >> shift);
  }
  return append(out);
}

Status ByteWriter::pad_to(std::size_t alignment) {
  AV_CHECK(alignment != 0 && std::has_single_bit(alignment));
  static constexpr std::array<std::uint8_t, 8> kZeros{};
  const std::size_t misalign = buffer_.size() & (alignment - 1);
  if (misalign == 0) return ok();
  AV_CHECK(alignment <= kZeros.size());
  return append(std::span(kZeros).first(alignment - misalign));
}

}  // namespace av
