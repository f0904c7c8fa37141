// key_decoder.h: turns the bytes a raw-mode terminal sends into the few keys the picker knows.
// Bounded: an escape sequence longer than kMaxEscapeBytes, or one we do not know, is dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace av::prompt {

enum class KeyKind : std::uint8_t { Up, Down, Enter, Backspace, Interrupt, Char };

// Key is one decoded key; `byte` is set for KeyKind::Char only (a printable ASCII byte or any
// byte >= 0x80, so UTF-8 names can be typed byte by byte).
struct Key {
  KeyKind kind = KeyKind::Char;
  std::uint8_t byte = 0;
  friend bool operator==(const Key&, const Key&) = default;
};

// KeyDecoder is a small state machine fed one byte at a time:
//   ESC [ A, ESC O A -> Up; ESC [ B, ESC O B -> Down; CR, LF -> Enter; DEL, BS -> Backspace;
//   ETX (Ctrl-C) -> Interrupt; 0x20..0x7e and >= 0x80 -> Char. Other control bytes are ignored.
//   ESC followed by a byte other than '[' or 'O' drops the ESC and decodes that byte afresh.
//   CSI sequences with parameters ("ESC [ 1 ; 5 A") or other final bytes are ignored whole.
class KeyDecoder {
 public:
  // kMaxEscapeBytes bounds the bytes of one escape sequence; longer ones are abandoned.
  static constexpr std::size_t kMaxEscapeBytes = 16;

  // feed consumes `byte` and returns the key it completes, if any.
  std::optional<Key> feed(std::uint8_t byte) noexcept;

 private:
  enum class State : std::uint8_t { Ground, Escape, Csi, Ss3 };
  std::optional<Key> ground(std::uint8_t byte) noexcept;
  std::optional<Key> csi(std::uint8_t byte) noexcept;

  State state_ = State::Ground;
  std::size_t escape_length_ = 0;
  bool csi_has_params_ = false;
};

}  // namespace av::prompt
