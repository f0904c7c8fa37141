// Fuzz target: net::parse_url and parse_ip. Invariants of an accepted URL (url.h): http/https,
// non-empty host, non-zero port, target starting with '/', and host_port() re-parses to the
// same host and port.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/bytes.h"
#include "base/check.h"
#include "fuzz_target.h"
#include "net/url.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = av::as_chars({data, size});
  (void)av::net::parse_ip(text);
  (void)av::net::parse_url_default_scheme(text, "http");
  auto url = av::net::parse_url(text);
  if (!url) return 0;
  AV_CHECK(url->scheme == "http" || url->scheme == "https");
  AV_CHECK(!url->host.empty() && url->port != 0);
  AV_CHECK(!url->target.empty() && url->target[0] == '/');
  auto again = av::net::parse_url(url->scheme + "://" + url->host_port() + url->target);
  AV_CHECK(again.has_value());
  AV_CHECK(again->host == url->host && again->port == url->port && again->target == url->target);
  (void)url->redacted();
  return 0;
}
