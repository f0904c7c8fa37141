// key_decoder.cpp: see key_decoder.h.
#include "prompt/key_decoder.h"

namespace av::prompt {
namespace {

constexpr std::uint8_t kEsc = 0x1b;
constexpr std::uint8_t kEtx = 0x03;
constexpr std::uint8_t kBs = 0x08;
constexpr std::uint8_t kDel = 0x7f;

}  // namespace

std::optional<Key> KeyDecoder::ground(std::uint8_t byte) noexcept {
  switch (byte) {
    case kEsc:
      state_ = State::Escape;
      escape_length_ = 1;
      return std::nullopt;
    case '\r':
    case '\n': return Key{KeyKind::Enter, 0};
    case kBs:
    case kDel: return Key{KeyKind::Backspace, 0};
    case kEtx: return Key{KeyKind::Interrupt, 0};
    default: break;
  }
  if (byte >= 0x20) return Key{KeyKind::Char, byte};  // DEL was handled above
  return std::nullopt;
}

// csi handles the bytes after "ESC [": parameter and intermediate bytes (0x20..0x3f) are skipped,
// a final byte (0x40..0x7e) ends the sequence; only a parameterless A or B is a key.
std::optional<Key> KeyDecoder::csi(std::uint8_t byte) noexcept {
  if (byte >= 0x20 && byte <= 0x3f) {
    csi_has_params_ = true;
    return std::nullopt;
  }
  state_ = State::Ground;
  if (byte < 0x40 || byte > 0x7e) return ground(byte);  // not part of a sequence after all
  if (csi_has_params_) return std::nullopt;
  if (byte == 'A') return Key{KeyKind::Up, 0};
  if (byte == 'B') return Key{KeyKind::Down, 0};
  return std::nullopt;
}

std::optional<Key> KeyDecoder::feed(std::uint8_t byte) noexcept {
  if (state_ != State::Ground && ++escape_length_ > kMaxEscapeBytes) {
    state_ = State::Ground;
    return std::nullopt;
  }
  switch (state_) {
    case State::Ground: return ground(byte);
    case State::Escape:
      csi_has_params_ = false;
      if (byte == '[') {
        state_ = State::Csi;
        return std::nullopt;
      }
      if (byte == 'O') {
        state_ = State::Ss3;
        return std::nullopt;
      }
      state_ = State::Ground;
      return ground(byte);
    case State::Csi: return csi(byte);
    case State::Ss3:
      state_ = State::Ground;
      if (byte == 'A') return Key{KeyKind::Up, 0};
      if (byte == 'B') return Key{KeyKind::Down, 0};
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace av::prompt
