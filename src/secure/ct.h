// ct.h: constant-time comparison for secrets, MACs and tokens (STYLE.md rule 16).
#pragma once

#include <string_view>

#include "base/bytes.h"

namespace av::ct {

// equal reports whether `a` and `b` hold the same bytes. The time taken depends only on the
// lengths (which are not treated as secret), never on where the contents differ.
bool equal(ByteSpan a, ByteSpan b) noexcept;
inline bool equal(std::string_view a, std::string_view b) noexcept {
  return equal(as_bytes(a), as_bytes(b));
}

}  // namespace av::ct
