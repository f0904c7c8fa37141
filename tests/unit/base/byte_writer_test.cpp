#include "base/byte_writer.h"

#include <catch2/catch.hpp>
#include <vector>

namespace av {

TEST_CASE("ByteWriter: appends, pads and refuses to grow past its maximum", "[base][error]") {
  ByteWriter writer(8);
  REQUIRE(writer.append_u8(1));
  REQUIRE(writer.pad_to(4));
  REQUIRE(writer.append_u32(0x01020304U, true));
  CHECK(writer.size() == 8);
  const auto over = writer.append("x");
  REQUIRE_FALSE(over);
  CHECK(over.error().code() == Errc::TooLarge);
  CHECK(writer.size() == 8);
  const std::vector<std::uint8_t> expected{1, 0, 0, 0, 1, 2, 3, 4};
  CHECK(std::move(writer).release() == expected);
}

TEST_CASE("ByteWriter: little-endian u32", "[base]") {
  ByteWriter writer(4);
  REQUIRE(writer.append_u32(0x01020304U, false));
  const std::vector<std::uint8_t> expected{4, 3, 2, 1};
  CHECK(std::move(writer).release() == expected);
}

}  // namespace av
