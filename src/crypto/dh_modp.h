// dh_modp.h: finite-field Diffie-Hellman over the 1024-bit MODP group 2 (RFC 2409 §6.2, the
// "Second Oakley Group", generator 2), as the Secret Service session algorithm
// dh-ietf1024-sha256-aes128-cbc-pkcs7 requires.
//
// 1024-bit DH offers about 80-bit security; it is used only because the Secret Service protocol
// fixes the group, for a key that lives for one D-Bus session. Public values travel as unsigned
// big-endian integers; we always send exactly 128 bytes (left-padded: KWallet rejects shorter
// ones) and accept 1..128 bytes from the peer. The shared secret is returned left-padded to 128
// bytes, as gnome-keyring and libsecret feed it to HKDF.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/random.h"
#include "secure/secret.h"

namespace av::crypto {

// kModp1024Len: the size in bytes of the group-2 prime, of our public value and of the secret.
inline constexpr std::size_t kModp1024Len = 128;

// kModp1024Prime: the group-2 prime p, big-endian (RFC 2409 §6.2).
extern const std::array<std::uint8_t, kModp1024Len> kModp1024Prime;

// DhModp1024: one ephemeral key pair. Move-only; the private exponent lives in sodium_malloc
// memory and is wiped on destruction. The mbedTLS bignums used while computing are freed with
// mbedtls_mpi_free, which zeroizes them.
class DhModp1024 {
 public:
  // generate draws a private exponent x (1023 random bits, x >= 2) from `random` and computes
  // the public value g^x mod p. Fails with Errc::Crypto if `random` or mbedTLS fails.
  [[nodiscard]] static Result<DhModp1024> generate(RandomSource& random);

  // public_value: g^x mod p, big-endian, left-padded to exactly 128 bytes. Not secret.
  const std::array<std::uint8_t, kModp1024Len>& public_value() const noexcept { return public_; }

  // shared_secret computes peer^x mod p, big-endian and left-padded to 128 bytes, in
  // sodium_malloc memory. `peer` is the other side's public value (borrowed for the call).
  // Fails with Errc::Parse if peer is empty or longer than 128 bytes, or its value y is not
  // in the open range 1 < y < p-1 (0, 1 and p-1 would force a predictable secret);
  // Errc::Crypto if mbedTLS fails.
  [[nodiscard]] Result<secure::SecretBytes> shared_secret(ByteSpan peer) const;

  DhModp1024(DhModp1024&&) noexcept = default;
  DhModp1024& operator=(DhModp1024&&) noexcept = default;
  DhModp1024(const DhModp1024&) = delete;
  DhModp1024& operator=(const DhModp1024&) = delete;
  ~DhModp1024() = default;

 private:
  DhModp1024(secure::SecretBytes private_exponent,
             const std::array<std::uint8_t, kModp1024Len>& public_value) noexcept
      : private_(std::move(private_exponent)), public_(public_value) {}

  secure::SecretBytes private_;  // x, big-endian, kModp1024Len bytes
  std::array<std::uint8_t, kModp1024Len> public_{};
};

}  // namespace av::crypto
