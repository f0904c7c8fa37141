// init.h: one-time initialisation of the crypto libraries.
#pragma once

#include "base/result.h"

namespace av::crypto {

// init initialises libsodium (sodium_init: CPU feature detection, the system RNG). It is
// idempotent and thread-safe; every crypto function that needs it calls it, so calling it from
// main() is only to fail early. Fails with Errc::Crypto if libsodium cannot initialise.
[[nodiscard]] Status init();

}  // namespace av::crypto
