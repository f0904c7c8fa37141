// vectors.h: reading files from tests/vectors/keyring/ (AV_TEST_VECTORS is set by ctest).
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace av::keyring::test {

inline std::string read_vector(const std::string& name) {
  const char* root = std::getenv("AV_TEST_VECTORS");
  std::ifstream in(std::string(root != nullptr ? root : "tests/vectors") + "/keyring/" + name,
                   std::ios::binary);
  REQUIRE(in.good());
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace av::keyring::test
