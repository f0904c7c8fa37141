// Fuzz target: cli::url_host, which takes the host out of an SSO start URL read from a keyring key
// (`oidc:<url>`) for `list` labels. Invariant: the result is always a piece of the input.
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/check.h"
#include "cli/keyring_access.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view url = av::as_chars({data, size});
  const std::string_view host = av::cli::url_host(url);
  if (!host.empty()) {
    AV_CHECK(host.data() >= url.data() && host.data() + host.size() <= url.data() + url.size());
  }
  return 0;
}
