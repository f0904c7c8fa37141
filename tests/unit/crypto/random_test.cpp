#include "crypto/random.h"

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cstdint>

namespace av::crypto {
namespace {

// CountingRandom shows the interface can be faked deterministically (tests/support will hold the
// shared FakeRandom).
class CountingRandom final : public RandomSource {
 public:
  Status fill(MutableByteSpan out) override {
    for (auto& b : out) b = next_++;
    return ok();
  }

 private:
  std::uint8_t next_ = 0;
};

}  // namespace

TEST_CASE("fill_random: fills the whole buffer and two draws differ", "[crypto][roundtrip]") {
  std::array<std::uint8_t, 32> first{};
  std::array<std::uint8_t, 32> second{};
  REQUIRE(fill_random(first));
  REQUIRE(fill_random(second));
  // 2^-256 chance of a false failure.
  CHECK(first != second);
  CHECK(std::any_of(first.begin(), first.end(), [](auto b) { return b != 0; }));
  REQUIRE(fill_random({}));  // an empty buffer is fine
}

TEST_CASE("RandomSource: system_random is one object and can be replaced by a fake",
          "[crypto][roundtrip]") {
  CHECK(&system_random() == &system_random());
  CountingRandom fake;
  RandomSource& source = fake;
  std::array<std::uint8_t, 4> out{};
  REQUIRE(source.fill(out));
  CHECK(out == std::array<std::uint8_t, 4>{0, 1, 2, 3});
}

}  // namespace av::crypto
