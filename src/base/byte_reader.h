// byte_reader.h: a bounds-checked cursor over untrusted bytes (STYLE.md §3.6, rule 19).
//
// A ByteReader is a non-owning view plus a position. Every read either succeeds and advances, or
// fails with Errc::Truncated (or Errc::Parse for bad padding / trailing data) and leaves the
// position unchanged. Parsers never do pointer arithmetic on untrusted data; they call these.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "base/bytes.h"
#include "base/result.h"

namespace av {

enum class Endian : std::uint8_t { Little, Big };

class ByteReader {
 public:
  // ByteReader borrows `input` (which must outlive it). `base_offset` is the absolute offset of
  // input[0] in the enclosing message, used for alignment (D-Bus).
  explicit ByteReader(ByteSpan input, std::size_t base_offset = 0) noexcept
      : input_(input), base_offset_(base_offset) {}

  std::size_t remaining() const noexcept { return input_.size() - pos_; }
  // offset is the absolute position: base_offset + bytes consumed.
  std::size_t offset() const noexcept { return base_offset_ + pos_; }
  bool empty() const noexcept { return remaining() == 0; }

  Result<std::uint8_t> read_u8();
  Result<std::uint16_t> read_u16(Endian endian);
  Result<std::uint32_t> read_u32(Endian endian);
  Result<std::uint64_t> read_u64(Endian endian);
  // read_bytes returns a view of the next `len` bytes (borrowing the input).
  Result<ByteSpan> read_bytes(std::size_t len);
  // read_sub returns a child reader over the next `len` bytes, keeping absolute offsets.
  Result<ByteReader> read_sub(std::size_t len);
  // peek_u8 returns the next byte without consuming it.
  Result<std::uint8_t> peek_u8() const;
  Status skip(std::size_t len);
  // skip_padding_to consumes zero bytes up to the next multiple of `alignment` (a power of two);
  // a non-zero padding byte is Errc::Parse.
  Status skip_padding_to(std::size_t alignment);
  // expect_end fails with Errc::Parse if any input remains.
  Status expect_end() const;
  // rest returns everything not yet consumed, without consuming it.
  ByteSpan rest() const noexcept { return input_.subspan(pos_); }

 private:
  Result<std::uint64_t> read_uint(std::size_t width, Endian endian);

  ByteSpan input_;
  std::size_t base_offset_ = 0;
  std::size_t pos_ = 0;
};

}  // namespace av
