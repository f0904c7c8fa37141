// random.h: cryptographically secure random bytes (IVs, salts, content-encryption keys, the ECS
// server's bearer token).
//
// Code that needs randomness takes a RandomSource& (STYLE.md rule 3: the outside world comes in
// through injected interfaces), so tests and fuzzing can pass a deterministic fake; production
// passes system_random().
#pragma once

#include "base/bytes.h"
#include "base/result.h"

namespace av::crypto {

// RandomSource fills buffers with random bytes. Implementations must be safe to call from any
// thread.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // fill overwrites every byte of `out`. Fails with Errc::Crypto if no randomness is available;
  // on failure the contents of `out` are unspecified and must not be used.
  [[nodiscard]] virtual Status fill(MutableByteSpan out) = 0;

 protected:
  RandomSource() = default;
  RandomSource(const RandomSource&) = default;
  RandomSource& operator=(const RandomSource&) = default;
};

// system_random returns the process-wide source backed by the operating system's CSPRNG
// (libsodium randombytes_buf: getrandom(2) on Linux). The reference is valid for the whole
// program.
RandomSource& system_random();

// fill_random fills `out` from system_random(). Fails with Errc::Crypto if libsodium cannot be
// initialised.
[[nodiscard]] Status fill_random(MutableByteSpan out);

}  // namespace av::crypto
