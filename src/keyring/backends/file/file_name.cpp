// file_name.cpp: percent escaping of keyring keys into file names (see file_name.h).
#include "keyring/backends/file/file_name.h"

#include <cstddef>
#include <cstdint>

namespace av::keyring::file {
namespace {

constexpr std::string_view kReplacementRune = "\xEF\xBF\xBD";
constexpr std::string_view kTempMarker = ".tmp";

bool is_continuation(std::uint8_t byte) noexcept { return (byte & 0xC0U) == 0x80U; }

// valid_rune_length returns the length of the valid UTF-8 sequence starting at text[pos] (as Go's
// utf8.DecodeRuneInString accepts it: no overlongs, surrogates or values above U+10FFFF), or 0.
std::size_t valid_rune_length(std::string_view text, std::size_t pos) noexcept {
  const auto at = [&](std::size_t i) { return static_cast<std::uint8_t>(text[pos + i]); };
  const std::uint8_t lead = at(0);
  if (lead < 0x80U) return 1;
  std::size_t len = 0;
  std::uint8_t lo = 0x80U;
  std::uint8_t hi = 0xBFU;
  if (lead >= 0xC2U && lead <= 0xDFU) {
    len = 2;
  } else if (lead >= 0xE0U && lead <= 0xEFU) {
    len = 3;
    if (lead == 0xE0U) lo = 0xA0U;
    if (lead == 0xEDU) hi = 0x9FU;
  } else if (lead >= 0xF0U && lead <= 0xF4U) {
    len = 4;
    if (lead == 0xF0U) lo = 0x90U;
    if (lead == 0xF4U) hi = 0x8FU;
  } else {
    return 0;
  }
  if (text.size() - pos < len) return 0;
  if (at(1) < lo || at(1) > hi) return 0;
  for (std::size_t i = 2; i < len; ++i) {
    if (!is_continuation(at(i))) return 0;
  }
  return len;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool all_digits(std::string_view text) noexcept {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// is_temp_file_name matches ".<base>.tmp<digits>", platform::write_file_atomic's temporary files.
bool is_temp_file_name(std::string_view name) noexcept {
  if (name.size() < 2 || name.front() != '.') return false;
  const std::size_t marker = name.rfind(kTempMarker);
  if (marker == std::string_view::npos || marker == 0) return false;
  return all_digits(name.substr(marker + kTempMarker.size()));
}

}  // namespace

std::string escape_file_name(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  std::size_t pos = 0;
  while (pos < key.size()) {
    const std::size_t len = valid_rune_length(key, pos);
    if (len == 0) {
      out.append(kReplacementRune);
      ++pos;
    } else if (key[pos] == '/') {
      out.append("%2F");
      ++pos;
    } else if (key[pos] == '%') {
      out.append("%25");
      ++pos;
    } else {
      out.append(key.substr(pos, len));
      pos += len;
    }
  }
  return out;
}

std::string unescape_file_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '%' && name.size() - i >= 3) {
      const int hi = hex_value(name[i + 1]);
      const int lo = hex_value(name[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(name[i]);
  }
  return out;
}

std::optional<std::string> decode_file_name(std::string_view name) {
  if (name.empty() || name == "." || name == ".." || is_temp_file_name(name)) return std::nullopt;
  std::string key = unescape_file_name(name);
  if (key.empty() || escape_file_name(key) != name) return std::nullopt;
  return key;
}

}  // namespace av::keyring::file
