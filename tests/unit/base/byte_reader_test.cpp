#include "base/byte_reader.h"

#include <array>
#include <catch2/catch.hpp>

namespace av {

TEST_CASE("ByteReader: reads integers in both byte orders", "[base][vector]") {
  const std::array<std::uint8_t, 8> data{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
  ByteReader be(data);
  CHECK(*be.read_u16(Endian::Big) == 0x0102);
  CHECK(*be.read_u32(Endian::Big) == 0x03040506U);
  CHECK(be.remaining() == 2);
  ByteReader le(data);
  CHECK(*le.read_u32(Endian::Little) == 0x04030201U);
  CHECK(*le.read_u32(Endian::Little) == 0x08070605U);
  CHECK(le.empty());
  ByteReader whole(data);
  CHECK(*whole.read_u64(Endian::Big) == 0x0102030405060708ULL);
}

TEST_CASE("ByteReader: failed read leaves position unchanged", "[base][error]") {
  const std::array<std::uint8_t, 3> data{1, 2, 3};
  ByteReader reader(data);
  REQUIRE(reader.read_u8());
  const auto wide = reader.read_u32(Endian::Big);
  REQUIRE_FALSE(wide);
  CHECK(wide.error().code() == Errc::Truncated);
  CHECK(reader.offset() == 1);
  CHECK_FALSE(reader.read_bytes(3));
  CHECK_FALSE(reader.skip(5));
  CHECK(reader.offset() == 1);
  CHECK(*reader.read_u16(Endian::Big) == 0x0203);
  CHECK(reader.read_u8().error().code() == Errc::Truncated);
  CHECK(reader.peek_u8().error().code() == Errc::Truncated);
}

TEST_CASE("ByteReader: sub-readers keep absolute offsets for alignment", "[base]") {
  const std::array<std::uint8_t, 12> data{9, 9, 9, 0, 0, 0, 0, 0, 7, 0, 0, 0};
  ByteReader reader(data);
  REQUIRE(reader.skip(3));
  auto sub = reader.read_sub(9);
  REQUIRE(sub);
  CHECK(sub->offset() == 3);
  REQUIRE(sub->skip_padding_to(8));
  CHECK(sub->offset() == 8);
  CHECK(*sub->read_u8() == 7);
  CHECK(reader.empty());
}

TEST_CASE("ByteReader: non-zero padding and trailing data are parse errors", "[base][error]") {
  const std::array<std::uint8_t, 4> data{1, 0, 5, 0};
  ByteReader reader(data);
  REQUIRE(reader.read_u8());
  const auto pad = reader.skip_padding_to(4);
  REQUIRE_FALSE(pad);
  CHECK(pad.error().code() == Errc::Parse);
  CHECK(reader.offset() == 1);
  CHECK(reader.expect_end().error().code() == Errc::Parse);
  ByteReader short_pad{std::span(data).first(2)};
  REQUIRE(short_pad.read_u8());
  CHECK(short_pad.skip_padding_to(4).error().code() == Errc::Truncated);
}

TEST_CASE("ByteReader: truncation at every length never reads out of bounds", "[base][mutation]") {
  const std::array<std::uint8_t, 7> data{1, 2, 3, 4, 5, 6, 7};
  for (std::size_t len = 0; len <= data.size(); ++len) {
    CAPTURE(len);
    ByteReader reader{std::span(data).first(len)};
    const bool got = reader.read_u32(Endian::Little).has_value();
    CHECK(got == (len >= 4));
    CHECK(reader.offset() == (got ? 4U : 0U));
  }
}

}  // namespace av
