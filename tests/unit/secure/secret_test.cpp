#include "secure/secret.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <type_traits>
#include <vector>

#include "secure/ct.h"

namespace av::secure {
namespace {

// What the release observer saw: for each freed buffer, whether every byte was zero.
std::vector<bool> g_released_all_zero;

void record_release(ByteSpan bytes) {
  g_released_all_zero.push_back(std::all_of(bytes.begin(), bytes.end(), [](auto b) { return b == 0; }));
}

struct ObserverScope {
  ObserverScope() {
    g_released_all_zero.clear();
    testing::set_release_observer(&record_release);
  }
  ~ObserverScope() { testing::set_release_observer(nullptr); }
  ObserverScope(const ObserverScope&) = delete;
  ObserverScope& operator=(const ObserverScope&) = delete;
};

}  // namespace

static_assert(!std::is_copy_constructible_v<SecretBytes>);
static_assert(!std::is_copy_assignable_v<SecretString>);
static_assert(std::is_nothrow_move_constructible_v<SecretBytes>);
static_assert(!std::is_copy_constructible_v<SecretArray<32>>);
static_assert(!std::is_convertible_v<SecretString, std::string_view>);

TEST_CASE("SecretBytes: wiped before release, on every path", "[secure]") {
  ObserverScope scope;
  {
    auto secret = SecretBytes::copy_of(as_bytes("AKIAEXAMPLESECRET"));
    CHECK(secret.size() == 17);
  }
  {
    SecretString text(64);
    REQUIRE(text.append("wJalrXUtnFEMI/K7MDENG"));
    SecretString moved = std::move(text);  // moved-from holds nothing, so one release
    CHECK(moved.reveal() == "wJalrXUtnFEMI/K7MDENG");
  }
  {
    SecretString early(4);
    CHECK_FALSE(early.append("too long"));  // error path still releases through the destructor
  }
  REQUIRE(g_released_all_zero.size() == 3);
  CHECK(std::all_of(g_released_all_zero.begin(), g_released_all_zero.end(), [](bool z) { return z; }));
}

TEST_CASE("SecretBytes: fixed capacity, append fails past it and keeps content", "[secure][error]") {
  SecretBytes secret(4);
  REQUIRE(secret.append(as_bytes("abc")));
  const auto over = secret.append(as_bytes("de"));
  REQUIRE_FALSE(over);
  CHECK(over.error().code() == Errc::TooLarge);
  CHECK(as_chars(secret.reveal()) == "abc");
  secret.resize(1);
  CHECK(as_chars(secret.reveal()) == "a");
  CHECK(secret.capacity() == 4);
}

TEST_CASE("SecretString: push_back, pop_back and clone", "[secure]") {
  SecretString s(8);
  REQUIRE(s.push_back('x'));
  REQUIRE(s.push_back('y'));
  s.pop_back();
  CHECK(s.reveal() == "x");
  SecretString copy = s.clone();
  CHECK(copy.reveal() == "x");
  CHECK(copy.reveal().data() != s.reveal().data());
  SecretString empty;
  empty.pop_back();
  CHECK(empty.empty());
}

TEST_CASE("SecretArray: moved-from is wiped", "[secure]") {
  SecretArray<4> key;
  std::fill(key.reveal_mutable().begin(), key.reveal_mutable().end(), std::uint8_t{0xAB});
  SecretArray<4> other = std::move(key);
  CHECK(other.reveal()[3] == 0xAB);
  CHECK(key.reveal()[0] == 0);  // NOLINT(bugprone-use-after-move): checking the wipe
}

TEST_CASE("ct::equal compares contents and lengths", "[secure]") {
  CHECK(ct::equal("token", "token"));
  CHECK_FALSE(ct::equal("token", "tokeN"));
  CHECK_FALSE(ct::equal("token", "token2"));
  CHECK(ct::equal("", ""));
}

}  // namespace av::secure
