// sha256_compress.cpp: SHA-256 compression, portable and with the x86 SHA extensions.
#include "crypto/sha256_compress.h"

#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define AV_SHA256_X86 1
#endif

namespace av::crypto::detail {

namespace {

// kRoundConstants: K of FIPS 180-4 §4.2.2.
constexpr std::array<std::uint32_t, 64> kRoundConstants = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::uint32_t rotr(std::uint32_t x, unsigned n) noexcept {
  return (x >> n) | (x << (32U - n));
}

#if AV_SHA256_X86
bool detect_sha_extensions() noexcept {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (__get_cpuid(1, &a, &b, &c, &d) == 0) return false;
  const bool ssse3 = (c & (1U << 9U)) != 0;
  const bool sse41 = (c & (1U << 19U)) != 0;
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0) return false;
  const bool sha = (b & (1U << 29U)) != 0;
  return ssse3 && sse41 && sha;
}

// compress_sha_ni: the same function with SHA256RNDS2/MSG1/MSG2. The state is kept as the
// (ABEF, CDGH) register pair those instructions expect; each loop step runs four rounds and
// extends the message schedule four words ahead.
__attribute__((target("sha,sse4.1,ssse3"))) void compress_sha_ni(
    Sha256State& state, std::span<const std::uint8_t, 64> block) noexcept {
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
  __m128i dcba;  // memcpy instead of casts: the loads are unaligned anyway
  __m128i hgfe;
  std::memcpy(&dcba, &state[0], sizeof dcba);
  std::memcpy(&hgfe, &state[4], sizeof hgfe);
  dcba = _mm_shuffle_epi32(dcba, 0xB1);           // CDAB
  hgfe = _mm_shuffle_epi32(hgfe, 0x1B);           // EFGH
  __m128i abef = _mm_alignr_epi8(dcba, hgfe, 8);  // ABEF
  __m128i cdgh = _mm_blend_epi16(hgfe, dcba, 0xF0);
  const __m128i abef_in = abef;
  const __m128i cdgh_in = cdgh;
  __m128i w[4];
  for (int g = 0; g < 16; ++g) {
    __m128i& words = w[g % 4];
    if (g < 4) {
      std::memcpy(&words, block.data() + 16 * g, sizeof words);
      words = _mm_shuffle_epi8(words, byte_swap);
    } else {
      const __m128i older = _mm_sha256msg1_epu32(w[g % 4], w[(g + 1) % 4]);
      const __m128i middle = _mm_alignr_epi8(w[(g + 3) % 4], w[(g + 2) % 4], 4);
      words = _mm_sha256msg2_epu32(_mm_add_epi32(older, middle), w[(g + 3) % 4]);
    }
    const auto k = static_cast<std::size_t>(4 * g);
    __m128i msg = _mm_add_epi32(
        words, _mm_set_epi32(static_cast<int>(kRoundConstants[k + 3]),
                             static_cast<int>(kRoundConstants[k + 2]),
                             static_cast<int>(kRoundConstants[k + 1]),
                             static_cast<int>(kRoundConstants[k])));
    cdgh = _mm_sha256rnds2_epu32(cdgh, abef, msg);
    msg = _mm_shuffle_epi32(msg, 0x0E);
    abef = _mm_sha256rnds2_epu32(abef, cdgh, msg);
  }
  abef = _mm_add_epi32(abef, abef_in);
  cdgh = _mm_add_epi32(cdgh, cdgh_in);
  const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  const __m128i out_dcba = _mm_blend_epi16(feba, dchg, 0xF0);
  const __m128i out_hgfe = _mm_alignr_epi8(dchg, feba, 8);
  std::memcpy(&state[0], &out_dcba, sizeof out_dcba);
  std::memcpy(&state[4], &out_hgfe, sizeof out_hgfe);
}
#endif

}  // namespace

void sha256_compress_portable(Sha256State& state, std::span<const std::uint8_t, 64> block) noexcept {
  std::array<std::uint32_t, 64> w{};
  for (std::size_t i = 0; i < 16; ++i) {
    w[i] = (std::uint32_t{block[4 * i]} << 24U) | (std::uint32_t{block[4 * i + 1]} << 16U) |
           (std::uint32_t{block[4 * i + 2]} << 8U) | std::uint32_t{block[4 * i + 3]};
  }
  for (std::size_t i = 16; i < 64; ++i) {
    const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3U);
    const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10U);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  Sha256State v = state;
  for (std::size_t i = 0; i < 64; ++i) {
    const std::uint32_t s1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25);
    const std::uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
    const std::uint32_t t1 = v[7] + s1 + ch + kRoundConstants[i] + w[i];
    const std::uint32_t s0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22);
    const std::uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
    v = {t1 + s0 + maj, v[0], v[1], v[2], v[3] + t1, v[4], v[5], v[6]};
  }
  for (std::size_t i = 0; i < 8; ++i) state[i] += v[i];
  w.fill(0);
  v.fill(0);
}

bool sha256_has_hardware() noexcept {
#if AV_SHA256_X86
  static const bool has = detect_sha_extensions();
  return has;
#else
  return false;
#endif
}

void sha256_compress(Sha256State& state, std::span<const std::uint8_t, 64> block) noexcept {
#if AV_SHA256_X86
  if (sha256_has_hardware()) {
    compress_sha_ni(state, block);
    return;
  }
#endif
  sha256_compress_portable(state, block);
}

}  // namespace av::crypto::detail
