// ec2_handler.h: EC2 instance-metadata emulation (spec §6.5) as a Handler, with IMDSv2.
//
// Filter before routing: the peer must be loopback (401 `Access denied from non-localhost
// address\n`) and Host must be `169.254.169.254` or `169.254.169.254:80` (401 `Access denied for
// host '<host>'\n`). Routes as §6.5 (Go ServeMux subtree/301 semantics). IMDSv2:
// `PUT /latest/api/token` with `X-aws-ec2-metadata-token-ttl-seconds: 1..21600` returns a random
// session token (text/plain) valid for that TTL; a PUT without a valid TTL is 400, a PUT carrying
// X-Forwarded-For is 403 (as real IMDS). A request carrying `X-aws-ec2-metadata-token` must carry
// a live token (else 401); requests without one are IMDSv1 and still served (unless
// require_imdsv2). At most kMaxImdsTokens live tokens; the oldest is dropped first.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

#include "platform/clock.h"
#include "secure/secret.h"
#include "server/credential_cache.h"
#include "server/http.h"

namespace av::server {

inline constexpr std::size_t kMaxImdsTokens = 64;

struct Ec2Options {
  std::string region;           // for /latest/dynamic/instance-identity/document
  bool require_imdsv2 = false;  // refuse requests without a session token (401)
};

class Ec2Handler final : public Handler {
 public:
  Ec2Handler(CredentialCache& credentials, Ec2Options options, const platform::Clock& clock);

  void handle(const RequestView& request, const Peer& peer, Reply& reply,
              secure::SecretBytes& body) override;

 private:
  enum class Session : std::uint8_t { Absent, Valid, Invalid };
  // check_session looks at X-aws-ec2-metadata-token: absent, a live token, or anything else.
  Session check_session(const RequestView& request);
  // issue_token answers PUT /latest/api/token.
  void issue_token(const RequestView& request, Reply& reply, secure::SecretBytes& body);
  // drop_expired removes tokens whose TTL has passed; tokens_mutex_ must be held.
  void drop_expired(std::chrono::system_clock::time_point now);
  void serve_route(std::size_t route, Reply& reply, secure::SecretBytes& body);
  void serve_credentials(Reply& reply, secure::SecretBytes& body);

  // RenderedCredentials: the credentials JSON rendered once per credentials generation
  // (CredentialCache::serve) with an empty LastUpdated; `split` is where that value goes. Each
  // request copies it into its body around the current time. Touched only inside the cache's
  // serve() callback, so the cache's lock guards it.
  struct RenderedCredentials {
    std::uint64_t generation = 0;  // 0: nothing rendered
    secure::SecretBytes json;
    std::size_t split = 0;
  };
  struct ImdsToken {
    secure::SecretString value;
    std::chrono::system_clock::time_point expires;
  };
  CredentialCache& credentials_;
  RenderedCredentials rendered_;
  Ec2Options options_;
  const platform::Clock& clock_;
  std::mutex tokens_mutex_;
  std::deque<ImdsToken> tokens_;
};

}  // namespace av::server
