// ct.cpp: constant-time comparison via libsodium.
#include "secure/ct.h"

#include <sodium.h>

namespace av::ct {

bool equal(ByteSpan a, ByteSpan b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace av::ct
