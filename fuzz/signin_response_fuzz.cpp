// Fuzz target: the getSigninToken response reader of aws/signin.h (the JSON reader beneath is
// fuzzed on its own as `json`; this covers the member lookup and the token checks).
// Invariant: success always yields a non-empty token.
#include <cstddef>
#include <cstdint>

#include "aws/signin.h"
#include "base/bytes.h"
#include "base/check.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto token = av::aws::parse_signin_token_response(av::ByteSpan(data, size));
  if (token) AV_CHECK(!token->empty());
  return 0;
}
