// sha256.cpp: SHA-256 over mbedTLS 2.28 (the *_ret names; 3.x drops the suffix). mbedTLS reports
// failure only for hardware-accelerator errors, which Debian's build does not enable: a non-zero
// return is therefore treated as a broken invariant.
#include "crypto/sha256.h"

#include <utility>

#include "base/check.h"
#include "crypto/mbedtls_context.h"

namespace av::crypto {

struct Sha256::State {
  detail::Sha256Context ctx;
};

namespace {
constexpr int kIsSha256 = 0;  // mbedtls_sha256_starts_ret: 0 = SHA-256, 1 = SHA-224
}  // namespace

Sha256Digest sha256(ByteSpan data) {
  Sha256Digest digest{};
  const int rc = mbedtls_sha256_ret(data.data(), data.size(), digest.data(), kIsSha256);
  AV_CHECK(rc == 0);
  return digest;
}

Sha256::Sha256() : state_(std::make_unique<State>()) {
  AV_CHECK(mbedtls_sha256_starts_ret(state_->ctx.get(), kIsSha256) == 0);
}

Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&& other) noexcept = default;
Sha256& Sha256::operator=(Sha256&& other) noexcept = default;

void Sha256::update(ByteSpan data) {
  AV_CHECK(state_ != nullptr);
  AV_CHECK(mbedtls_sha256_update_ret(state_->ctx.get(), data.data(), data.size()) == 0);
}

Sha256Digest Sha256::finish() {
  AV_CHECK(state_ != nullptr);
  Sha256Digest digest{};
  AV_CHECK(mbedtls_sha256_finish_ret(state_->ctx.get(), digest.data()) == 0);
  AV_CHECK(mbedtls_sha256_starts_ret(state_->ctx.get(), kIsSha256) == 0);
  return digest;
}

}  // namespace av::crypto
