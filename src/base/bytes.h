// bytes.h: the only place where bytes and text are converted into each other (STYLE.md rule 6).
//
// Bytes are std::span<const std::uint8_t>; text is std::string_view. reinterpret_cast between
// char and std::uint8_t, which is well-defined for these types, appears nowhere else in src/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace av {

using ByteSpan = std::span<const std::uint8_t>;
using MutableByteSpan = std::span<std::uint8_t>;

// as_bytes views `text` as bytes; the view borrows `text`'s storage.
inline ByteSpan as_bytes(std::string_view text) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// as_chars views `bytes` as text; the view borrows `bytes`' storage.
inline std::string_view as_chars(ByteSpan bytes) noexcept {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// as_writable_chars views writable bytes as a writable char range (for C APIs taking char*).
inline char* as_writable_chars(MutableByteSpan bytes) noexcept {
  return reinterpret_cast<char*>(bytes.data());
}

// as_writable_bytes views a writable char range as bytes.
inline MutableByteSpan as_writable_bytes(char* data, std::size_t len) noexcept {
  return {reinterpret_cast<std::uint8_t*>(data), len};
}

}  // namespace av
