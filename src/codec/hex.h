// hex.h: hexadecimal (base16) for NON-secret data (digests in logs and test output, SigV4
// payload hashes). Secret material uses the constant-time codec in crypto/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"

namespace av::codec {

// encode_hex returns two lower-case hex digits per byte of `data`. Never fails.
std::string encode_hex(ByteSpan data);

// decode_hex accepts upper- and lower-case digits (mixed too), two per byte, nothing else (no
// prefix, separators or whitespace). Errc::Parse on an odd length or a non-hex character;
// Errc::TooLarge above limits::kMaxEncodedBytes characters.
[[nodiscard]] Result<std::vector<std::uint8_t>> decode_hex(std::string_view text);

}  // namespace av::codec
