// jose_test_util.h: helpers shared by the jose unit tests (test-only code).
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "codec/base64.h"
#include "crypto/random.h"
#include "unit/crypto/vector_file.h"

namespace av::jose::testing {

using crypto::testing::load_vectors;
using crypto::testing::to_vector;

// b64 encodes test bytes or text as unpadded base64url.
inline std::string b64(std::string_view text) {
  return codec::encode_base64(as_bytes(text), codec::Base64Alphabet::Url);
}
inline std::string b64(const std::vector<std::uint8_t>& bytes) {
  return codec::encode_base64(bytes, codec::Base64Alphabet::Url);
}

// kGoodHeader is a valid header in jose2go's shape (p2s: 12 bytes).
inline constexpr std::string_view kGoodHeader =
    R"({"alg":"PBES2-HS256+A128KW","enc":"A256GCM","p2c":8192,"p2s":"IENyl3xq1K8QHKMm"})";

// token_with builds a compact token from `header` and parts of the given decoded sizes.
inline std::string token_with(std::string_view header, std::size_t key_len = 40,
                              std::size_t iv_len = 12, std::size_t ct_len = 5,
                              std::size_t tag_len = 16) {
  return b64(header) + "." + b64(std::vector<std::uint8_t>(key_len, 0x11)) + "." +
         b64(std::vector<std::uint8_t>(iv_len, 0x22)) + "." +
         b64(std::vector<std::uint8_t>(ct_len, 0x33)) + "." +
         b64(std::vector<std::uint8_t>(tag_len, 0x44));
}

// CountingRandom: deterministic bytes (a running counter); optionally fails every call.
class CountingRandom final : public crypto::RandomSource {
 public:
  explicit CountingRandom(bool fail = false) : fail_(fail) {}
  Status fill(MutableByteSpan out) override {
    if (fail_) return Error(Errc::Crypto, "test: no randomness");
    for (auto& b : out) b = next_++;
    return ok();
  }

 private:
  bool fail_;
  std::uint8_t next_ = 1;
};

}  // namespace av::jose::testing
