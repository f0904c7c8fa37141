// init.cpp: libsodium initialisation. sodium_init returns 0 on first success, 1 when already
// initialised and -1 on failure; the result is computed once (a function-local static is
// initialised thread-safely).
#include "crypto/init.h"

#include <sodium.h>

namespace av::crypto {

Status init() {
  static const int kResult = sodium_init();
  if (kResult < 0) return Error{Errc::Crypto, "libsodium failed to initialise"};
  return ok();
}

}  // namespace av::crypto
