// byte_writer.h: a growable byte buffer with a hard maximum (curl's dynbuf `toobig`, openssh
// sshbuf max_size). For non-secret data only; secrets are built in secure::SecretBytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"

namespace av {

class ByteWriter {
 public:
  // ByteWriter accepts at most `max_len` bytes in total; appending past it fails with TooLarge
  // and leaves the buffer unchanged.
  explicit ByteWriter(std::size_t max_len) noexcept : max_len_(max_len) {}

  Status append(ByteSpan bytes);
  Status append(std::string_view text) { return append(as_bytes(text)); }
  Status append_u8(std::uint8_t value);
  Status append_u32(std::uint32_t value, bool big_endian);
  // pad_to appends zero bytes up to a multiple of `alignment` (a power of two).
  Status pad_to(std::size_t alignment);

  std::size_t size() const noexcept { return buffer_.size(); }
  ByteSpan view() const noexcept { return buffer_; }
  std::vector<std::uint8_t> release() && { return std::move(buffer_); }

 private:
  std::vector<std::uint8_t> buffer_;
  std::size_t max_len_;
};

}  // namespace av
