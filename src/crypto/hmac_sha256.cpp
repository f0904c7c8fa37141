// hmac_sha256.cpp: HMAC-SHA-256 through mbedTLS's md layer (mbedtls_md_hmac_*), with the
// context owned by detail::MdContext so the ipad/opad state is wiped by mbedtls_md_free.
#include "crypto/hmac_sha256.h"

#include <mbedtls/md.h>

#include <span>

#include "base/check.h"
#include "crypto/mbedtls_context.h"

namespace av::crypto {
namespace {

constexpr int kUseHmac = 1;  // mbedtls_md_setup: allocate the HMAC pads

// hmac_into computes HMAC-SHA-256(key, data) into `out`. mbedTLS fails here only on allocation
// failure or misuse, both fatal by project rule (STYLE.md §3.4).
void hmac_into(ByteSpan key, ByteSpan data, std::span<std::uint8_t, kHmacSha256Len> out) {
  const mbedtls_md_info_t* info = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
  AV_CHECK(info != nullptr);
  detail::MdContext ctx;
  AV_CHECK(mbedtls_md_setup(ctx.get(), info, kUseHmac) == 0);
  AV_CHECK(mbedtls_md_hmac_starts(ctx.get(), key.data(), key.size()) == 0);
  AV_CHECK(mbedtls_md_hmac_update(ctx.get(), data.data(), data.size()) == 0);
  AV_CHECK(mbedtls_md_hmac_finish(ctx.get(), out.data()) == 0);
}

}  // namespace

secure::SecretArray<kHmacSha256Len> hmac_sha256(ByteSpan key, ByteSpan data) {
  secure::SecretArray<kHmacSha256Len> mac;
  hmac_into(key, data, mac.reveal_mutable());
  return mac;
}

std::array<std::uint8_t, kHmacSha256Len> hmac_sha256_public(ByteSpan key, ByteSpan data) {
  std::array<std::uint8_t, kHmacSha256Len> mac{};
  hmac_into(key, data, mac);
  return mac;
}

}  // namespace av::crypto
