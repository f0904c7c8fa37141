// mbedtls_context.h: RAII owners for mbedTLS contexts (STYLE.md rule 4 and rule 25).
//
// Internal to crypto/ (it includes mbedTLS headers; never include it from a public header). Each
// context is initialised in the constructor and released with its *_free function in the
// destructor; the *_free functions of mbedTLS 2.28 zeroize the context, so round keys, GHASH state
// and HMAC pads are wiped on every path, early error returns included. Contexts hold pointers to
// themselves or to heap state, so the owners are neither copyable nor movable.
#pragma once

#include <mbedtls/aes.h>
#include <mbedtls/gcm.h>
#include <mbedtls/md.h>
#include <mbedtls/sha256.h>

namespace av::crypto::detail {

// MbedtlsContext owns one mbedTLS context of type Ctx, set up by Init and freed by Free.
template <class Ctx, void (*Init)(Ctx*), void (*Free)(Ctx*)>
class MbedtlsContext {
 public:
  MbedtlsContext() noexcept { Init(&ctx_); }
  ~MbedtlsContext() { Free(&ctx_); }
  MbedtlsContext(const MbedtlsContext&) = delete;
  MbedtlsContext& operator=(const MbedtlsContext&) = delete;
  MbedtlsContext(MbedtlsContext&&) = delete;
  MbedtlsContext& operator=(MbedtlsContext&&) = delete;

  // get: the raw context for mbedTLS calls; valid while *this lives.
  Ctx* get() noexcept { return &ctx_; }

 private:
  Ctx ctx_;
};

using AesContext = MbedtlsContext<mbedtls_aes_context, mbedtls_aes_init, mbedtls_aes_free>;
using GcmContext = MbedtlsContext<mbedtls_gcm_context, mbedtls_gcm_init, mbedtls_gcm_free>;
using MdContext = MbedtlsContext<mbedtls_md_context_t, mbedtls_md_init, mbedtls_md_free>;
using Sha256Context =
    MbedtlsContext<mbedtls_sha256_context, mbedtls_sha256_init, mbedtls_sha256_free>;

}  // namespace av::crypto::detail
