#include "base/checked_math.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>

namespace av {

TEST_CASE("checked math: overflow is reported, not wrapped", "[base][error]") {
  constexpr auto kMax = std::numeric_limits<std::size_t>::max();
  CHECK(checked_add<std::size_t>(1, 2) == 3U);
  CHECK_FALSE(checked_add<std::size_t>(kMax, 1).has_value());
  CHECK_FALSE(checked_sub<std::size_t>(1, 2).has_value());
  CHECK(checked_mul<std::uint32_t>(65536, 65535) == 4294901760U);
  CHECK_FALSE(checked_mul<std::uint32_t>(65536, 65536).has_value());
  CHECK(checked_narrow<std::uint8_t>(255) == std::uint8_t{255});
  CHECK_FALSE(checked_narrow<std::uint8_t>(256).has_value());
  CHECK_FALSE(checked_narrow<std::uint32_t>(-1).has_value());
  CHECK(narrow<int>(std::size_t{42}) == 42);
}

}  // namespace av
