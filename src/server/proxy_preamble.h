// proxy_preamble.h: the first line the EC2 proxy (`aws-vault proxy`) writes on each connection it
// opens to the EC2 credential server at 127.0.0.1:9099, before forwarding the client's bytes:
//
//   AWS-VAULT-PROXY 1 <secret> <client address> <client port>\r\n
//
// The secret (43 characters of unpadded URL-safe base64, 32 random bytes) is made by `exec
// --ec2-server` and handed to the proxy in a 0600 file; the server compares it in constant time.
// So another local user who connects to 127.0.0.1:9099 directly gets nothing (upstream's server
// has no such check), and the server learns the original client's address for its loopback check
// and log. The proxy itself never parses HTTP and never sees credentials.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/result.h"
#include "secure/secret.h"
#include "server/http.h"

namespace av::server {

inline constexpr std::size_t kMaxProxyPreambleBytes = 160;

// format_proxy_preamble renders the line (into locked memory: it holds the secret).
Result<secure::SecretBytes> format_proxy_preamble(const secure::SecretString& secret,
                                                  const Peer& client);

struct PreambleOutcome {
  bool need_more = false;     // no CRLF yet and fewer than kMaxProxyPreambleBytes seen
  std::size_t consumed = 0;   // bytes of the preamble line, when accepted
  std::optional<Peer> client; // set when accepted
  std::optional<Error> error; // malformed, too long, or wrong secret (Errc::AuthFailed)
};

// check_proxy_preamble parses the start of a connection's input.
PreambleOutcome check_proxy_preamble(ByteSpan input, const secure::SecretString& secret);

}  // namespace av::server
