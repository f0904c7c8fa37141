// Fuzz target: vault::detail::parse_callback_request, the request head the SSO sign-in's
// loopback listener reads from a browser (any local process can connect to it). Invariants: no
// crash or leak; an accepted request has a path starting with '/'.
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/check.h"
#include "fuzz_target.h"
#include "vault/sso.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto request = av::vault::detail::parse_callback_request(av::as_chars({data, size}));
  if (!request) return 0;
  AV_CHECK(!request->path.empty() && request->path.front() == '/');
  return 0;
}
