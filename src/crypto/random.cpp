// random.cpp: the system RandomSource on libsodium's randombytes_buf, which reads the kernel
// CSPRNG (getrandom) and aborts rather than return weak bytes.
#include "crypto/random.h"

#include <sodium.h>

#include "crypto/init.h"

namespace av::crypto {
namespace {

class SodiumRandom final : public RandomSource {
 public:
  Status fill(MutableByteSpan out) override {
    AV_TRY(init());
    if (!out.empty()) randombytes_buf(out.data(), out.size());
    return ok();
  }
};

}  // namespace

RandomSource& system_random() {
  static SodiumRandom source;
  return source;
}

Status fill_random(MutableByteSpan out) { return system_random().fill(out); }

}  // namespace av::crypto
