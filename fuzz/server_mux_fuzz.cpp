// Fuzz target: the credential servers' Go ServeMux semantics (server/mux.h) over the ECS and EC2
// pattern tables. Invariants: clean_path is rooted, idempotent and never leaves "//", "/./" or
// "/../"; a Matched target's path was already clean; a redirect's location resolves without a
// second redirect; decode_remainder never crashes.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/check.h"
#include "fuzz_target.h"
#include "server/mux.h"

namespace {

constexpr std::array<std::string_view, 2> kEcs = {"/", "/role-arn/"};
constexpr std::array<std::string_view, 6> kEc2 = {
    "/latest/meta-data/iam/security-credentials/",
    "/latest/meta-data/iam/security-credentials/local-credentials",
    "/latest/meta-data/instance-id/",
    "/latest/meta-data/iam/info/",
    "/latest/dynamic/instance-identity/document",
    "/latest/api/token",
};

template <std::size_t N>
void check_table(const std::array<std::string_view, N>& table, std::string_view target) {
  using av::server::mux::Outcome;
  const auto first = av::server::mux::resolve(table, target);
  if (first.outcome == Outcome::Matched) {
    const std::string_view path = target.substr(0, target.find('?'));
    AV_CHECK(av::server::mux::clean_path(path) == path);
    if (table[first.route].back() == '/') {
      (void)av::server::mux::decode_remainder(path, table[first.route]);
    }
  } else if (first.outcome == Outcome::Redirect) {
    AV_CHECK(!first.location.empty() && first.location[0] == '/');
    AV_CHECK(av::server::mux::resolve(table, first.location).outcome != Outcome::Redirect);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = av::as_chars({data, size});
  const std::string cleaned = av::server::mux::clean_path(text);
  AV_CHECK(!cleaned.empty() && cleaned[0] == '/' && cleaned.size() <= text.size() + 1);
  AV_CHECK(av::server::mux::clean_path(cleaned) == cleaned);
  AV_CHECK(cleaned.find("//") == std::string::npos);
  AV_CHECK(cleaned.find("/./") == std::string::npos && cleaned.find("/../") == std::string::npos);
  check_table(kEcs, text);
  check_table(kEc2, text);
  return 0;
}
