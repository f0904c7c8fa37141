// vector_file.h: reads the known-answer files under $AV_TEST_VECTORS (set by ctest) for the crypto
// tests. Format (tests/vectors/sha256/README.md): blocks of `field = value` lines separated by
// blank lines, `#` comment lines, values hex unless a test says otherwise. Test-only code: it may
// use iostreams and getenv.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "secure/secret.h"

namespace av::crypto::testing {

// from_hex decodes test hex (either case); a malformed vector file fails the test.
inline std::vector<std::uint8_t> from_hex(std::string_view text) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    FAIL("bad hex digit in vector file");
    return 0;
  };
  REQUIRE(text.size() % 2 == 0);
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(nibble(text[i]) * 16 + nibble(text[i + 1])));
  }
  return out;
}

// to_vector copies bytes (secret or not) into a vector for comparison in test assertions.
inline std::vector<std::uint8_t> to_vector(ByteSpan bytes) { return {bytes.begin(), bytes.end()}; }

struct VectorCase {
  std::map<std::string, std::string> fields;

  const std::string& text(const std::string& field) const {
    auto it = fields.find(field);
    INFO("field " << field);
    REQUIRE(it != fields.end());
    return it->second;
  }
  std::vector<std::uint8_t> hex(const std::string& field) const { return from_hex(text(field)); }
  const std::string& name() const { return text("name"); }
};

inline std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

// load_vectors reads $AV_TEST_VECTORS/<relative_path> into its cases (at least one).
inline std::vector<VectorCase> load_vectors(const std::string& relative_path) {
  const char* root = std::getenv("AV_TEST_VECTORS");
  INFO("AV_TEST_VECTORS must point at tests/vectors (ctest sets it)");
  REQUIRE(root != nullptr);
  std::ifstream in(std::string(root) + "/" + relative_path);
  INFO("opening " << relative_path);
  REQUIRE(in.good());
  std::vector<VectorCase> cases;
  VectorCase current;
  std::string line;
  while (std::getline(in, line)) {
    const std::string trimmed = trim(line);
    if (!trimmed.empty() && trimmed.front() == '#') continue;
    if (trimmed.empty()) {
      if (!current.fields.empty()) cases.push_back(std::move(current));
      current = {};
      continue;
    }
    const auto eq = trimmed.find('=');
    REQUIRE(eq != std::string::npos);
    current.fields[trim(std::string_view(trimmed).substr(0, eq))] =
        trim(std::string_view(trimmed).substr(eq + 1));
  }
  if (!current.fields.empty()) cases.push_back(std::move(current));
  REQUIRE(!cases.empty());
  return cases;
}

// ReleaseRecorder records, for each secret buffer released while it lives, its capacity and
// whether all its bytes were zero (secure::testing::set_release_observer).
class ReleaseRecorder {
 public:
  ReleaseRecorder() {
    released().clear();
    secure::testing::set_release_observer(&record);
  }
  ~ReleaseRecorder() { secure::testing::set_release_observer(nullptr); }
  ReleaseRecorder(const ReleaseRecorder&) = delete;
  ReleaseRecorder& operator=(const ReleaseRecorder&) = delete;

  struct Release {
    std::size_t capacity;
    bool all_zero;
  };
  static std::vector<Release>& released() {
    static std::vector<Release> list;
    return list;
  }
  bool all_wiped() const {
    for (const auto& r : released()) {
      if (!r.all_zero) return false;
    }
    return true;
  }

 private:
  static void record(ByteSpan bytes) {
    bool zero = true;
    for (auto b : bytes) zero = zero && b == 0;
    released().push_back({bytes.size(), zero});
  }
};

}  // namespace av::crypto::testing
