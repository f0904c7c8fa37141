// Fuzz target: net::proxy_for, i.e. NO_PROXY matching and proxy-URL parsing. The input is split
// at the first two NUL bytes into a target URL, an HTTPS_PROXY value and a NO_PROXY value.
// Invariants: never crashes; a target matched by "*" never gets a proxy.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/bytes.h"
#include "base/check.h"
#include "fuzz_target.h"
#include "net/proxy_env.h"
#include "net/url.h"
#include "platform/env.h"

namespace {

std::string_view next_field(std::string_view& rest) {
  const std::size_t nul = rest.find('\0');
  const std::string_view field = rest.substr(0, nul);
  rest = nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1);
  return field;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest = av::as_chars(av::ByteSpan(data, size));
  const std::string_view target_text = next_field(rest);
  const std::string_view proxy = next_field(rest);
  const std::string_view no_proxy = rest;
  auto target = av::net::parse_url(target_text);
  if (!target) return 0;
  av::platform::Environment env;
  env.set("HTTPS_PROXY", proxy);
  env.set("HTTP_PROXY", proxy);
  env.set("NO_PROXY", no_proxy);
  (void)av::net::proxy_for(*target, env);
  env.set("NO_PROXY", "*");
  auto none = av::net::proxy_for(*target, env);
  AV_CHECK(!none || !none->has_value());
  return 0;
}
