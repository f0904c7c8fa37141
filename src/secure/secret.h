// secret.h: the only types that hold secret bytes (STYLE.md §3.5, rule 14).
//
// SecretBytes and SecretString live in sodium_malloc memory (guard pages, canary, best-effort
// mlock), have a capacity fixed at construction (so no reallocation leaves copies behind), and are
// wiped and released in their destructors. SecretArray<N> is a fixed-size inline buffer wiped in
// its destructor. All three are move-only (clone() is the explicit copy), have no operator<<, no
// operator==, no hashing and no implicit conversions, and are read only through reveal(), so
// `grep -rn 'reveal()' src/` lists every place a secret leaves its box.
//
// Allocation failure is fatal (OOM is fatal project-wide, STYLE.md §3.4).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "base/bytes.h"
#include "base/result.h"

namespace av::secure {

namespace detail {
// SecretBuffer: the sodium_malloc'd storage shared by SecretBytes and SecretString.
class SecretBuffer {
 public:
  SecretBuffer() noexcept = default;
  explicit SecretBuffer(std::size_t capacity);
  ~SecretBuffer();
  SecretBuffer(SecretBuffer&& other) noexcept;
  SecretBuffer& operator=(SecretBuffer&& other) noexcept;
  SecretBuffer(const SecretBuffer&) = delete;
  SecretBuffer& operator=(const SecretBuffer&) = delete;

  std::size_t size() const noexcept { return size_; }
  std::size_t capacity() const noexcept { return capacity_; }
  std::uint8_t* data() const noexcept { return data_; }
  // resize sets the logical length (<= capacity); bytes dropped from the end are wiped.
  void resize(std::size_t len) noexcept;
  Status append(ByteSpan bytes);
  SecretBuffer clone() const;

 private:
  void release() noexcept;

  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};
}  // namespace detail

// SecretBytes: secret binary data (keys, derived keys, decrypted payloads).
class SecretBytes {
 public:
  // An empty secret with capacity 0.
  SecretBytes() noexcept = default;
  // SecretBytes reserves `capacity` bytes; the logical size starts at 0.
  explicit SecretBytes(std::size_t capacity) : buffer_(capacity) {}
  // copy_of makes a secret holding a copy of `bytes` (capacity == size).
  static SecretBytes copy_of(ByteSpan bytes);
  // zeroed makes a secret of `len` zero bytes, to be filled through reveal_mutable().
  static SecretBytes zeroed(std::size_t len);

  std::size_t size() const noexcept { return buffer_.size(); }
  std::size_t capacity() const noexcept { return buffer_.capacity(); }
  bool empty() const noexcept { return size() == 0; }

  // reveal: read access to the secret bytes; the span is valid while *this lives unchanged.
  ByteSpan reveal() const noexcept { return {buffer_.data(), buffer_.size()}; }
  // reveal_mutable: write access to the current logical bytes.
  MutableByteSpan reveal_mutable() noexcept { return {buffer_.data(), buffer_.size()}; }
  // resize sets the logical length (<= capacity; larger aborts). Dropped bytes are wiped.
  void resize(std::size_t len) noexcept { buffer_.resize(len); }
  // append copies `bytes` after the current content; Errc::TooLarge if capacity would be exceeded.
  Status append(ByteSpan bytes) { return buffer_.append(bytes); }
  SecretBytes clone() const;

 private:
  detail::SecretBuffer buffer_;
};

// SecretString: secret text (secret access keys, session tokens, passphrases, MFA codes).
class SecretString {
 public:
  SecretString() noexcept = default;
  explicit SecretString(std::size_t capacity) : buffer_(capacity) {}
  static SecretString copy_of(std::string_view text);

  std::size_t size() const noexcept { return buffer_.size(); }
  std::size_t capacity() const noexcept { return buffer_.capacity(); }
  bool empty() const noexcept { return size() == 0; }

  // reveal: read access to the secret text; valid while *this lives unchanged.
  std::string_view reveal() const noexcept { return as_chars({buffer_.data(), buffer_.size()}); }
  // reveal_bytes: the same secret as bytes (for HMAC keys and encryption).
  ByteSpan reveal_bytes() const noexcept { return {buffer_.data(), buffer_.size()}; }
  Status append(std::string_view text) { return buffer_.append(as_bytes(text)); }
  Status push_back(char c) { return append(std::string_view(&c, 1)); }
  // pop_back removes (and wipes) the last character; no-op when empty.
  void pop_back() noexcept {
    if (size() > 0) buffer_.resize(size() - 1);
  }
  void resize(std::size_t len) noexcept { buffer_.resize(len); }
  SecretString clone() const;

 private:
  detail::SecretBuffer buffer_;
};

// wipe overwrites `bytes` with zeros in a way the compiler cannot elide (sodium_memzero).
void wipe(MutableByteSpan bytes) noexcept;

// SecretArray<N>: a fixed-size secret held inline (derived keys, tags, nonces). Its destructor
// wipes it. Not locked in memory: keep lifetimes short.
template <std::size_t N>
class SecretArray {
 public:
  SecretArray() noexcept = default;
  ~SecretArray() { wipe(data_); }
  SecretArray(SecretArray&& other) noexcept : data_(other.data_) { wipe(other.data_); }
  SecretArray& operator=(SecretArray&& other) noexcept {
    if (this != &other) {
      data_ = other.data_;
      wipe(other.data_);
    }
    return *this;
  }
  SecretArray(const SecretArray&) = delete;
  SecretArray& operator=(const SecretArray&) = delete;

  static constexpr std::size_t size() noexcept { return N; }
  std::span<const std::uint8_t, N> reveal() const noexcept { return data_; }
  std::span<std::uint8_t, N> reveal_mutable() noexcept { return data_; }
  SecretArray clone() const {
    SecretArray out;
    out.data_ = data_;
    return out;
  }

 private:
  std::array<std::uint8_t, N> data_{};
};

namespace testing {
// ReleaseObserver sees a secret buffer's whole capacity after wiping and just before it is
// freed. Tests use it to prove wiping; production code never sets one.
using ReleaseObserver = void (*)(ByteSpan capacity_bytes);
void set_release_observer(ReleaseObserver observer) noexcept;
}  // namespace testing

}  // namespace av::secure
